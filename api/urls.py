"""The REST API, /api/v1/, with its OpenAPI document at /api/v1/openapi.json.

Public: cases, campaigns, totals, reports, signing. With a partner's token (`Authorization:
Bearer lnt_...`): recording actions, submitting letters and the partner's own data. Every
error is JSON `{"detail": ...}`; every status an endpoint can answer is in the document.
"""

from __future__ import annotations

from typing import Any, Literal

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import NinjaAPI, Query, Schema, Status
from ninja.errors import HttpError
from ninja.security import HttpBearer
from pydantic import Field

from actions.models import Action
from actions.rows import InvalidRow, parse_action_fields
from actions.services import ActionsRejected, record_actions
from actions.tallies import live_totals
from actions.types import Source
from api.schemas import (
    ActionsIn,
    ActionsOut,
    AuthErrorOut,
    CampaignOut,
    CaseNameOut,
    CaseOut,
    ChallengeOut,
    CountryCount,
    ErrorOut,
    InvalidOut,
    LetterIn,
    LetterOut,
    PartnerActionOut,
    PartnerActionsPage,
    PartnerSignatureOut,
    PartnerSignaturesPage,
    ReportOut,
    RowProblem,
    SignIn,
    SignOut,
    TotalsOut,
)
from campaigns.models import Campaign
from cases.models import Case, CaseName
from lantern.countries import country_name, resolve_country
from lantern.guard import Kind, Refused, screen_request
from lantern.guard.emails import is_disposable
from lantern.guard.pow import issue_challenge
from lantern.privacy import normalize_email, sealed_for_transport
from lantern.responses import keep_response
from lantern.sealing import sealed_fingerprint
from partners import exports
from partners.models import ApiToken
from partners.services import authenticate_token, record_data_access
from petitions.models import Signature
from petitions.services import CampaignNotSignable, SignatureInput, SignOutcome, sign_petition
from reports.services import campaign_report

api = NinjaAPI(
    title="Lantern API",
    version="1",
    description=(
        "Cases, campaigns, totals, reports and signing are public. Partners' endpoints take "
        "`Authorization: Bearer <token>`; each needs the scope it names. Errors are JSON "
        '`{"detail": ...}`.'
    ),
    openapi_url="/openapi.json",
    docs_url="/docs",
)

Scope = ApiToken.Scope
AUTH_ERRORS: dict[int, Any] = {401: AuthErrorOut, 403: ErrorOut}
NOT_FOUND: dict[int, Any] = {404: ErrorOut}
BAD_BODY: dict[int, Any] = {400: ErrorOut, 422: InvalidOut}


class PartnerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        return authenticate_token(token)


def _token(request: HttpRequest, scope: str | None = None) -> ApiToken:
    token: ApiToken = request.auth  # type: ignore[attr-defined]  # set by PartnerToken
    if scope is not None and scope not in token.scopes:
        raise HttpError(403, f"this token lacks the {scope} scope")
    return token


def _public_campaigns() -> QuerySet[Campaign]:
    return Campaign.objects.exclude(status=Campaign.Status.DRAFT)


def _public_campaign(slug: str) -> Campaign:
    return get_object_or_404(_public_campaigns(), slug=slug)


def _public_cases() -> QuerySet[Case]:
    """Cases of a published campaign, unless their safety profile says not to publish."""
    return (
        Case.objects.filter(campaigns__in=_public_campaigns(), may_be_published=True)
        .distinct()
        .prefetch_related(Prefetch("names", queryset=CaseName.objects.order_by("language")))
        .order_by("name", "pk")
    )


class PageParams(Schema):
    limit: int = Field(100, ge=1, le=1000)
    offset: int = Field(0, ge=0, le=10_000_000)


# --- Public --------------------------------------------------------------------------------


def _case_out(case: Case) -> CaseOut:
    return CaseOut(
        slug=case.slug,
        name=case.name,
        other_names=[
            CaseNameOut(name=n.name, language=n.language, script=n.script) for n in case.names.all()
        ],
        country=case.country,
        status=case.status,
        headline=case.headline,
        story=case.story,
    )


@api.get("/cases", response={200: list[CaseOut]}, tags=["cases"])
def cases(request: HttpRequest) -> list[CaseOut]:
    """The people at risk of published campaigns (public fields only)."""
    return [_case_out(case) for case in _public_cases()]


@api.get("/cases/{slug}", response={200: CaseOut, **NOT_FOUND}, tags=["cases"])
def case_detail(request: HttpRequest, slug: str) -> CaseOut:
    return _case_out(get_object_or_404(_public_cases(), slug=slug))


def _campaign_out(campaign: Campaign) -> CampaignOut:
    return CampaignOut(
        slug=campaign.slug,
        title=campaign.title,
        slogan=campaign.slogan,
        summary=campaign.summary,
        status=campaign.status,
        starts_on=campaign.starts_on.isoformat(),
        ends_on=campaign.ends_on.isoformat() if campaign.ends_on else None,
        delivery_deadline=(
            campaign.delivery_deadline.isoformat() if campaign.delivery_deadline else None
        ),
        action_types=list(campaign.action_types),
        languages=list(campaign.languages),
        goal=campaign.goal,
        cases=[c.slug for c in campaign.cases.all()],
        partners=[p.slug for p in campaign.partners.all()],
        accepts_signatures=campaign.accepts_signatures,
    )


@api.get("/campaigns", response={200: list[CampaignOut]}, tags=["campaigns"])
def campaigns(request: HttpRequest) -> list[CampaignOut]:
    """Published campaigns, newest first."""
    rows = _public_campaigns().prefetch_related("cases", "partners").order_by("-starts_on", "pk")
    return [_campaign_out(c) for c in rows]


@api.get("/campaigns/{slug}", response={200: CampaignOut, **NOT_FOUND}, tags=["campaigns"])
def campaign_detail(request: HttpRequest, slug: str) -> CampaignOut:
    return _campaign_out(_public_campaign(slug))


@api.get("/campaigns/{slug}/totals", response={200: TotalsOut, **NOT_FOUND}, tags=["totals"])
def totals(request: HttpRequest, slug: str) -> HttpResponse:
    """Live totals: every counted action, by country, largest first.

    What every open campaign page polls: the answer is kept for `COUNTER_CACHE_SECONDS` per
    campaign and language (`lantern.responses`), so most reads run none of the stack."""
    campaign = _public_campaign(slug)
    live = live_totals(campaign.pk)
    body = TotalsOut(
        campaign=campaign.slug,
        total=live.total,
        countries=live.countries,
        by_country=[
            CountryCount(country=code, name=country_name(code), count=n)
            for code, n in live.by_country
        ],
    ).model_dump_json()
    response = HttpResponse(body, content_type="application/json")
    return keep_response(response, settings.COUNTER_CACHE_SECONDS)


@api.get("/campaigns/{slug}/report", response={200: ReportOut, **NOT_FOUND}, tags=["totals"])
def report(request: HttpRequest, slug: str) -> dict[str, Any]:
    """The results from the ledger: by country (with each country's busiest 24 hours), type,
    partner, case and day; the same as `manage.py campaign_report SLUG --format json`."""
    return campaign_report(_public_campaign(slug)).as_json()


@api.get("/challenge", response={200: ChallengeOut}, tags=["petitions"], url_name="challenge")
def challenge(request: HttpRequest, response: HttpResponse) -> dict[str, Any]:
    """A fresh proof-of-work challenge (ALTCHA v2, SHA-256), signed and expiring. Solve it
    and send the solution as `altcha` with a signature; each is accepted once."""
    response["Access-Control-Allow-Origin"] = "*"  # the widget on partners' pages asks too
    response["Cache-Control"] = "no-store"
    return issue_challenge()


@api.post(
    "/campaigns/{slug}/signatures",
    response={
        200: SignOut,
        201: SignOut,
        202: SignOut,
        **NOT_FOUND,
        409: ErrorOut,
        **BAD_BODY,
        413: ErrorOut,
        429: ErrorOut,
    },
    tags=["petitions"],
    exclude_none=True,  # `errors` only where a batch was refused
)
def sign(
    request: HttpRequest, slug: str, payload: SignIn, response: HttpResponse
) -> Status[SignOut | ErrorOut]:
    """Sign a petition. 201: counted; 202: confirmation email sent, or held for review
    (`outcome` "held": sent past a rate limit); 200: already signed. 400: the proof-of-work
    (`altcha`, from `GET /challenge`) is missing, wrong, expired or spent; 429: too many
    signatures from this client or for this campaign just now (nothing stored; see
    `Retry-After`)."""
    try:
        admission = screen_request(
            request, Kind.SIGN, slug, pow_payload=payload.altcha, form_fields=False
        )
    except Refused as refused:
        if refused.retry_after:
            response["Retry-After"] = str(refused.retry_after)
        return Status(refused.status, ErrorOut(detail=refused.message))
    campaign = _public_campaign(slug)
    country = resolve_country(payload.country)
    if country is None:
        return Status(422, ErrorOut(detail=f"country {payload.country!r} is not a known country"))
    try:
        normalize_email(payload.email)
    except Exception:  # noqa: BLE001 - ValidationError of any shape means the same here
        return Status(422, ErrorOut(detail="email is not a valid email address"))
    if is_disposable(payload.email):
        return Status(422, ErrorOut(detail="email is at a disposable-mail service"))
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
        outcome = sign_petition(campaign, data, source=Source.API, held=admission.held)
    except CampaignNotSignable:
        return Status(409, ErrorOut(detail="this campaign is not taking signatures"))
    status = {
        SignOutcome.COUNTED: 201,
        SignOutcome.CONFIRMATION_SENT: 202,
        SignOutcome.ALREADY_SIGNED: 200,
        SignOutcome.HELD: 202,
    }[outcome]
    return Status(status, SignOut(outcome=outcome.value))


# --- Partners, with a token ------------------------------------------------------------------


@api.post(
    "/campaigns/{slug}/actions",
    auth=PartnerToken(),
    response={200: ActionsOut, **AUTH_ERRORS, **NOT_FOUND, **BAD_BODY},
    tags=["actions"],
    exclude_none=True,  # `errors` only where a batch was refused
)
def record(request: HttpRequest, slug: str, payload: ActionsIn) -> Status[Any]:
    """Record a batch of a partner's actions, all or nothing; idempotent by external_id.

    Scope `actions:write`; the partner must take part in the campaign."""
    token = _token(request)
    if Scope.RECORD_ACTIONS not in token.scopes:
        return Status(403, ErrorOut(detail="this token may not record actions"))
    campaign = get_object_or_404(Campaign, slug=slug)
    if not campaign.partners.filter(pk=token.partner_id).exists():
        return Status(403, ErrorOut(detail="your organization does not take part in this campaign"))
    rows, problems = [], []
    for index, item in enumerate(payload.actions):
        try:
            rows.append(parse_action_fields(item.model_dump(mode="json")))
        except InvalidRow as exc:
            problems.append(RowProblem(index=index, message="; ".join(exc.problems)))
    if problems:
        return Status(422, InvalidOut(detail="nothing recorded", errors=problems))
    try:
        result = record_actions(campaign, token.partner, rows, source=Source.API, token=token)
    except ActionsRejected as exc:
        errors = [RowProblem(index=i, message=m) for i, m in exc.problems]
        return Status(422, InvalidOut(detail="nothing recorded", errors=errors))
    return Status(200, ActionsOut(added=result.added, already_recorded=result.already_recorded))


@api.post(
    "/campaigns/{slug}/letters",
    auth=PartnerToken(),
    response={201: LetterOut, **AUTH_ERRORS, **NOT_FOUND, 409: ErrorOut, **BAD_BODY},
    tags=["letters"],
    exclude_none=True,  # `errors` only where a batch was refused
)
def submit_letter(request: HttpRequest, slug: str, payload: LetterIn) -> Status[Any]:
    """Submit a supporter's letter or postcard to one of the campaign's cases; it is screened
    and waits for a moderator. Scope `letters:write`. 409: the case or campaign takes no
    letters now (the detail says why)."""
    from letters.services import LetterInput, WritingRefused
    from letters.services import submit_letter as submit

    token = _token(request, Scope.SUBMIT_LETTERS)
    campaign = _public_campaign(slug)
    case = campaign.cases.filter(slug=payload.case).first()
    if case is None:
        return Status(422, InvalidOut(detail=f"case {payload.case!r} is not in this campaign"))
    country = resolve_country(payload.author_country)
    if country is None:
        detail = f"author_country {payload.author_country!r} is not a known country"
        return Status(422, InvalidOut(detail=detail))
    if payload.author_email:
        try:
            normalize_email(payload.author_email)
        except Exception:  # noqa: BLE001 - ValidationError of any shape means the same here
            return Status(422, InvalidOut(detail="author_email is not a valid email address"))
    if not payload.text.strip() or not payload.author_name.strip():
        return Status(422, InvalidOut(detail="text and author_name may not be blank"))
    data = LetterInput(
        kind=payload.kind,
        text=payload.text,
        author_name=payload.author_name.strip(),
        author_country=country,
        author_email=payload.author_email,
        consent_contact=payload.consent_contact,
        # Namespaced by partner: one partner's key can never name another's letter.
        submission_key=(
            f"api-{token.partner_id}:{payload.idempotency_key}" if payload.idempotency_key else ""
        ),
    )
    try:
        letter = submit(campaign, case, data, partner=token.partner, source=Source.API)
    except WritingRefused as exc:
        return Status(409, ErrorOut(detail=str(exc)))
    return Status(201, LetterOut(id=letter.pk, status=letter.status, language=letter.language))


def _time(value: Any) -> str | None:
    return value.isoformat() if value else None


def _action_out(a: Action) -> PartnerActionOut:
    return PartnerActionOut(
        id=a.pk,
        campaign=a.campaign.slug,
        case=a.case.slug if a.case else None,
        action_type=a.action_type,
        count=a.count,
        country=a.country,
        city=a.city,
        occurred_at=a.occurred_at.isoformat(),
        channel=a.channel,
        source=a.source,
        external_id=a.external_id,
        note=a.note,
        recorded_at=a.created_at.isoformat(),
    )


@api.get(
    "/partner/actions",
    auth=PartnerToken(),
    response={200: PartnerActionsPage, **AUTH_ERRORS, 422: InvalidOut},
    tags=["partner data"],
)
def partner_actions(request: HttpRequest, page: Query[PageParams]) -> PartnerActionsPage:
    """The token's partner's own actions, newest first. Any scope."""
    actions = exports.partner_actions(_token(request).partner)
    items = [_action_out(a) for a in actions[page.offset : page.offset + page.limit]]
    return PartnerActionsPage(
        count=actions.count(), limit=page.limit, offset=page.offset, items=items
    )


def _signature_out(s: Signature, with_email: bool) -> PartnerSignatureOut:
    sealed = s.partner_email_sealed if with_email else None
    return PartnerSignatureOut(
        id=s.pk,
        campaign=s.campaign.slug,
        name=s.name,
        email_sealed=sealed_for_transport(sealed) or None,
        sealed_to=sealed_fingerprint(sealed) if sealed else None,
        country=s.country,
        city=s.city,
        consent_letter=s.consent_letter,
        signed_at=s.created_at.isoformat(),
        confirmed_at=_time(s.confirmed_at),
    )


@api.get(
    "/partner/signatures",
    auth=PartnerToken(),
    response={200: PartnerSignaturesPage, **AUTH_ERRORS, 422: InvalidOut},
    tags=["partner data"],
)
def partner_signatures(request: HttpRequest, page: Query[PageParams]) -> PartnerSignaturesPage:
    """Counted signatures that came through the partner and agreed to be contacted, newest
    first. Tokens with `signatures:read` also get the address, sealed to the partner's key."""
    token = _token(request)
    with_email = Scope.READ_SIGNATURES in token.scopes
    signatures = exports.consenting_signatures(token.partner)
    items = [
        _signature_out(s, with_email) for s in signatures[page.offset : page.offset + page.limit]
    ]
    if items:
        record_data_access(token.partner, "API: signatures", len(items), token=token)
    return PartnerSignaturesPage(
        count=signatures.count(), limit=page.limit, offset=page.offset, items=items
    )


FILE_RESPONSES = {
    "200": {
        "description": "The file.",
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                "schema": {"type": "string", "format": "binary"}
            },
        },
    }
}


@api.get(
    "/partner/exports/{table}",
    auth=PartnerToken(),
    response={**AUTH_ERRORS, 422: InvalidOut},
    openapi_extra={"responses": FILE_RESPONSES},
    tags=["partner data"],
)
def partner_export(
    request: HttpRequest,
    table: Literal["actions", "supporters"],
    format: Literal["csv", "xlsx"] = "csv",  # noqa: A002 - the query parameter's name
) -> HttpResponse:
    """The partner's actions, or its consenting supporters (scope `signatures:read`), as a
    CSV or XLSX file."""
    token = _token(request, Scope.READ_SIGNATURES if table == "supporters" else None)
    data = (
        exports.supporters_table(token.partner)
        if table == "supporters"
        else exports.actions_table(token.partner)
    )
    if table == "supporters":
        records = exports.consenting_signatures(token.partner).count()
        record_data_access(token.partner, "supporters export", records, exported=True, token=token)
    content_type = {
        "csv": "text/csv; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }[format]
    write = exports.to_csv if format == "csv" else exports.to_xlsx
    response = HttpResponse(write(data), content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{token.partner.slug}-{data.name}.{format}"'
    )
    return response


def osdi_base() -> str:
    return f"{settings.SITE_URL}/api/v1/partner/osdi"


@api.get(
    "/partner/osdi/petitions",
    auth=PartnerToken(),
    response={200: dict[str, Any], **AUTH_ERRORS},
    tags=["partner data"],
)
def osdi_petitions(request: HttpRequest) -> dict[str, Any]:
    """The partner's petitions as an OSDI collection (`_embedded["osdi:petitions"]`)."""
    return exports.osdi_petitions(_token(request).partner, osdi_base())


@api.get(
    "/partner/osdi/signatures",
    auth=PartnerToken(),
    response={200: dict[str, Any], **AUTH_ERRORS},
    tags=["partner data"],
)
def osdi_signatures(request: HttpRequest) -> dict[str, Any]:
    """The partner's consenting signers as OSDI signatures, each embedding its
    `osdi:person`. Scope `signatures:read`."""
    token = _token(request, Scope.READ_SIGNATURES)
    document = exports.osdi_signatures(token.partner, osdi_base())
    record_data_access(
        token.partner, "OSDI export", document["total_records"], exported=True, token=token
    )
    return document


@api.get(
    "/partner/osdi/petitions/{slug}/signatures",
    auth=PartnerToken(),
    response={200: dict[str, Any], **AUTH_ERRORS, **NOT_FOUND},
    tags=["partner data"],
)
def osdi_petition_signatures(request: HttpRequest, slug: str) -> dict[str, Any]:
    """One petition's consenting signers as OSDI signatures. Scope `signatures:read`."""
    token = _token(request, Scope.READ_SIGNATURES)
    campaign = get_object_or_404(token.partner.campaigns.all(), slug=slug)
    document = exports.osdi_signatures(token.partner, osdi_base(), campaign)
    record_data_access(
        token.partner, "OSDI export", document["total_records"], exported=True, token=token
    )
    return document
