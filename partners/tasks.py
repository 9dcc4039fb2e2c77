"""Background work for partners, run by the task worker (`manage.py db_worker`)."""

from __future__ import annotations

from django_tasks import task


@task()
def send_webhook(delivery_id: int) -> None:
    """One attempt to deliver; if it should be tried again, enqueue the next attempt later."""
    from partners.models import WebhookDelivery
    from partners.webhooks import attempt_delivery

    delivery = attempt_delivery(delivery_id)
    if delivery.status == WebhookDelivery.Status.PENDING and delivery.next_attempt_at:
        send_webhook.using(run_after=delivery.next_attempt_at).enqueue(delivery_id)


@task()
def queue_webhook_deliveries(partner_id: int, action_ids: list[int]) -> None:
    """Write the deliveries of new actions to the partner's endpoints and enqueue them."""
    from partners.webhooks import notify_new_actions

    notify_new_actions(partner_id, action_ids)
