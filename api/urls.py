"""The REST API, /api/v1/, with its OpenAPI document at /api/v1/openapi.json."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import NinjaAPI
from ninja.security import HttpBearer

from actions.rows import InvalidRow, parse_action_fields
from actions.services import ActionsRejected, record_actions
from actions.tallies import read_totals
from actions.types import Source
from api.schemas import (
    ActionsIn,
    ActionsOut,
    CountryCount,
    ErrorOut,
    RowProblem,
    RowsRejectedOut,
    SignIn,
    SignOut,
    TotalsOut,
)
from campaigns.models import Campaign
from lantern.countries import country_name, resolve_country
from lantern.privacy import normalize_email
from partners.models import ApiToken
from partners.services import authenticate_token
from petitions.services import CampaignNotSignable, SignatureInput, SignOutcome, sign_petition

api = NinjaAPI(
    title="Lantern API",
    version="1",
    description="Cases, campaigns, totals, signing and partners' action reports.",
    openapi_url="/openapi.json",
    docs_url="/docs",
)


class PartnerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        return authenticate_token(token)


def _public_campaign(slug: str) -> Campaign:
    return get_object_or_404(Campaign.objects.exclude(status=Campaign.Status.DRAFT), slug=slug)


@api.get("/campaigns/{slug}/totals", response={200: TotalsOut, 404: ErrorOut}, tags=["totals"])
def totals(request: HttpRequest, slug: str) -> TotalsOut:
    """Live totals: every counted action, by country, largest first."""
    campaign = _public_campaign(slug)
    live = read_totals(campaign.pk)
    return TotalsOut(
        campaign=campaign.slug,
        total=live.total,
        countries=live.countries,
        by_country=[
            CountryCount(country=code, name=country_name(code), count=n)
            for code, n in live.by_country
        ],
    )


@api.post(
    "/campaigns/{slug}/signatures",
    response={
        200: SignOut,
        201: SignOut,
        202: SignOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
    },
    tags=["petitions"],
)
def sign(request: HttpRequest, slug: str, payload: SignIn) -> tuple[int, SignOut | ErrorOut]:
    """Sign a petition. 201: counted; 202: confirmation email sent; 200: already signed."""
    campaign = _public_campaign(slug)
    country = resolve_country(payload.country)
    if country is None:
        return 422, ErrorOut(detail=f"country {payload.country!r} is not a known country")
    try:
        normalize_email(payload.email)
    except Exception:  # noqa: BLE001 - ValidationError of any shape means the same here
        return 422, ErrorOut(detail="email is not a valid email address")
    data = SignatureInput(
        name=payload.name,
        email=payload.email,
        country=country,
        city=payload.city,
        name_display=payload.name_display,
        consent_letter=payload.consent_letter,
        consent_contact=payload.consent_contact,
    )
    try:
        outcome = sign_petition(campaign, data, source=Source.API)
    except CampaignNotSignable:
        return 409, ErrorOut(detail="this campaign is not taking signatures")
    status = {
        SignOutcome.COUNTED: 201,
        SignOutcome.CONFIRMATION_SENT: 202,
        SignOutcome.ALREADY_SIGNED: 200,
    }[outcome]
    return status, SignOut(outcome=outcome.value)


@api.post(
    "/campaigns/{slug}/actions",
    auth=PartnerToken(),
    response={200: ActionsOut, 403: ErrorOut, 404: ErrorOut, 422: RowsRejectedOut},
    tags=["actions"],
)
def record(
    request: HttpRequest, slug: str, payload: ActionsIn
) -> tuple[int, ActionsOut | ErrorOut | RowsRejectedOut]:
    """Record a batch of a partner's actions, all or nothing; idempotent by external_id."""
    token: ApiToken = request.auth  # type: ignore[attr-defined]  # set by PartnerToken
    if ApiToken.Scope.RECORD_ACTIONS not in token.scopes:
        return 403, ErrorOut(detail="this token may not record actions")
    campaign = get_object_or_404(Campaign, slug=slug)
    if not campaign.partners.filter(pk=token.partner_id).exists():
        return 403, ErrorOut(detail="your organization does not take part in this campaign")
    rows, problems = [], []
    for index, item in enumerate(payload.actions):
        try:
            rows.append(parse_action_fields(item.model_dump(mode="json")))
        except InvalidRow as exc:
            problems.append(RowProblem(index=index, message="; ".join(exc.problems)))
    if problems:
        return 422, RowsRejectedOut(detail="nothing recorded", errors=problems)
    try:
        result = record_actions(campaign, token.partner, rows, source=Source.API)
    except ActionsRejected as exc:
        errors = [RowProblem(index=i, message=m) for i, m in exc.problems]
        return 422, RowsRejectedOut(detail="nothing recorded", errors=errors)
    return 200, ActionsOut(added=result.added, already_recorded=result.already_recorded)
