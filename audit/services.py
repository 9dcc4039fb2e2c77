"""One way to write the audit log: `record(...)`, called from the services."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models

from audit.models import AuditEntry

if TYPE_CHECKING:
    from partners.models import ApiToken, Partner

Action = AuditEntry.Action


def record(
    action: str,
    *,
    actor: AbstractBaseUser | AnonymousUser | None = None,
    token: ApiToken | None = None,
    by: str = "",
    obj: models.Model | None = None,
    partner: Partner | None = None,
    records: int = 0,
    detail: str = "",
) -> AuditEntry:
    """Append an entry. Who: a signed-in `actor`, an API `token`, or `by` (a command, the
    system, a supporter by email link). `detail` is short and never holds personal data."""
    user = actor if actor is not None and actor.is_authenticated else None
    if user is not None:
        who = user.get_username()
    elif token is not None:
        who = f"API token {token.name} ({token.prefix}…)"
    else:
        who = by or "system"
    if partner is None and token is not None:
        partner = token.partner
    return AuditEntry.objects.create(
        action=action,
        actor_id=user.pk if user is not None else None,
        actor=who[:150],
        partner_id=partner.pk if partner is not None else None,
        partner=str(partner)[:200] if partner is not None else "",
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        records=records,
        detail=detail[:300],
    )
