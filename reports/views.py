from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from campaigns.access import get_public_campaign
from campaigns.models import Campaign
from events.services import campaign_photos
from reports import exports
from reports.page import ResultsPage, results_page
from reports.services import campaign_report

DOWNLOADS = {
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


def _page(request: HttpRequest, campaign: Campaign, *, photos: bool) -> ResultsPage:
    report = campaign_report(campaign)
    gallery = list(campaign_photos(campaign)) if photos else []
    return results_page(campaign, report, get_language() or "en", gallery)


@require_GET
def results(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = get_public_campaign(request, slug)
    page = _page(request, campaign, photos=True)
    return render(request, "reports/results.html", {"campaign": campaign, "page": page})


@require_GET
def download(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """The same report as a file: results.pdf, .csv, .xlsx or .json."""
    if fmt not in DOWNLOADS:
        raise Http404("No such format.")
    campaign = get_public_campaign(request, slug)
    page = _page(request, campaign, photos=False)
    body: str | bytes
    if fmt == "pdf":
        body = exports.as_pdf(page, campaign)
    elif fmt == "csv":
        body = exports.as_csv(page)
    elif fmt == "xlsx":
        body = exports.as_xlsx(page, campaign)
    else:
        body = exports.as_json(page)
    response = HttpResponse(body, content_type=DOWNLOADS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{campaign.slug}-results.{fmt}"'
    return response
