"""Background work for the mail desk, run by the task worker (`manage.py db_worker`)."""

from __future__ import annotations

from django_tasks import task

from lantern.background import when_abandoned


@task()
def build_batch_pdf(batch_id: int) -> None:
    """Print a batch: one step per letter read, and a last one for the typesetting."""
    from lantern import pdfjobs
    from lantern.pdf import render_pdf
    from mail.models import MailBatch
    from mail.printing import LAYOUT, batch_data

    batch = MailBatch.objects.select_related("facility").get(pk=batch_id)
    with pdfjobs.failing_on_error(batch):
        letters = batch.items.count()
        pdfjobs.start(batch, letters + 1)
        data = batch_data(batch, lambda done: pdfjobs.progress(batch, done))
        pdf = render_pdf(LAYOUT, data)
        pdfjobs.finish(batch, pdf, f"mail-batch-{batch.pk}.pdf")


@when_abandoned(build_batch_pdf)
def _batch_pdf_abandoned(batch_id: int) -> None:
    from lantern import pdfjobs
    from mail.models import MailBatch

    pdfjobs.abandon(MailBatch, batch_id)
