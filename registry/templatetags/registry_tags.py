"""`{% registry_links campaign %}`: a campaign's "write to someone who gets few letters" link
and its open card drives; `{% case_status case %}`: a case's current status in one line
(released on which day, in transit, died in custody)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from campaigns.models import Campaign
from cases.models import Case, CaseEvent
from letters.services import accepts_letters
from registry import spread
from registry.models import Drive

register = template.Library()


@register.inclusion_tag("registry/_links.html")
def registry_links(campaign: Campaign) -> dict[str, Any]:
    """Two queries: anyone in the registry in this campaign's countries; its open drives."""
    someone = accepts_letters(campaign) and (
        spread.pool(countries=campaign.cases.values("country")).exists()
    )
    drives: list[Drive] = []
    if campaign.status == Campaign.Status.LIVE:
        today = timezone.localdate()
        drives = list(Drive.objects.filter(campaign=campaign, closes_on__gte=today))
    return {"campaign": campaign, "someone": someone, "drives": drives}


@register.inclusion_tag("registry/_status.html")
def case_status(case: Case) -> dict[str, Any]:
    release = None
    if case.status == Case.Status.RELEASED:
        releases = [e for e in case.events.all() if e.kind == CaseEvent.Kind.RELEASE]
        release = max(releases, key=lambda e: (e.date, e.pk)) if releases else None
    return {"case": case, "release": release}
