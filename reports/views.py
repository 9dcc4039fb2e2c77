from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from actions.types import ActionType
from campaigns.access import get_public_campaign
from lantern.countries import country_name
from reports.services import campaign_report


@require_GET
def results(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = get_public_campaign(request, slug)
    report = campaign_report(campaign)
    type_labels = dict(ActionType.choices)
    context = {
        "campaign": campaign,
        "report": report,
        "countries": [
            (code, country_name(code), n, report.busiest_24h[code])
            for code, n in report.by_country.items()
        ],
        "types": [(type_labels.get(t, t), n) for t, n in report.by_type.items()],
        "partners": list(report.by_partner.items()),
        "cases": list(report.by_case.items()),
    }
    return render(request, "reports/results.html", context)
