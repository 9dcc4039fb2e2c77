from __future__ import annotations

from ninja import Field, Schema
from pydantic import field_validator

from actions.types import ActionType, Channel
from petitions.models import Signature


class ErrorOut(Schema):
    detail: str


class RowProblem(Schema):
    index: int = Field(description="Position of the item in `actions`, from 0.")
    message: str


class RowsRejectedOut(Schema):
    detail: str
    errors: list[RowProblem]


class CountryCount(Schema):
    country: str = Field(description="ISO 3166 alpha-2 code")
    name: str
    count: int


class TotalsOut(Schema):
    campaign: str
    total: int
    countries: int
    by_country: list[CountryCount]


class SignIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    email: str = Field(min_length=3, max_length=254)
    country: str = Field(description="ISO 3166 alpha-2 code or a common English name")
    city: str = Field("", max_length=100)
    name_display: Signature.NameDisplay = Signature.NameDisplay.FULL
    consent_letter: bool = False
    consent_contact: bool = False


class SignOut(Schema):
    outcome: str = Field(description="counted, confirmation_sent or already_signed")


class ActionIn(Schema):
    occurred_at: str = Field(description="ISO 8601 time with UTC offset")
    country: str = Field(description="ISO 3166 alpha-2 code or a common English name")
    city: str = ""
    action_type: ActionType
    count: int = Field(1, ge=1)
    channel: Channel = Channel.PARTNER
    external_id: str = Field(min_length=1, max_length=200)
    note: str = ""


class ActionsIn(Schema):
    actions: list[ActionIn] = Field(min_length=1, max_length=1000)


class ActionsOut(Schema):
    added: int
    already_recorded: int


class AuthErrorOut(Schema):
    detail: str = Field(description="Why the request was refused.")


class FieldProblem(Schema):
    type: str = ""
    loc: list[str | int] = Field(default_factory=list)
    msg: str = ""


class InvalidOut(Schema):
    """A 422: `detail` is a message, or the list of fields the schema refused."""

    detail: str | list[FieldProblem]
    errors: list[RowProblem] | None = None


class CaseNameOut(Schema):
    name: str
    language: str
    script: str


class CaseOut(Schema):
    slug: str
    name: str
    other_names: list[CaseNameOut]
    country: str = Field(description="ISO 3166 alpha-2 code")
    status: str
    headline: str
    story: str


class CampaignOut(Schema):
    slug: str
    title: str
    slogan: str
    summary: str
    status: str
    starts_on: str
    ends_on: str | None
    delivery_deadline: str | None
    action_types: list[str]
    languages: list[str]
    goal: int | None
    cases: list[str] = Field(description="Slugs of the cases the campaign supports.")
    partners: list[str] = Field(description="Slugs of the partners taking part.")
    accepts_signatures: bool


class WindowOut(Schema):
    count: int
    start: str


class PeakDayOut(Schema):
    day: str
    count: int


class ReportOut(Schema):
    campaign: str
    total: int
    countries: int
    by_country: dict[str, int]
    by_type: dict[str, int]
    by_partner: dict[str, int]
    by_case: dict[str, int]
    busiest_24h: dict[str, WindowOut]
    timeline: dict[str, int]
    peak_day: PeakDayOut | None
    partner_names: dict[str, str]
    case_names: dict[str, str]
    last_revised: str | None


class LetterIn(Schema):
    case: str = Field(description="Slug of one of the campaign's cases.")
    kind: str = Field("letter", pattern="^(letter|postcard)$")
    text: str = Field(min_length=1, max_length=20000)
    author_name: str = Field(min_length=1, max_length=200)
    author_country: str = Field(description="ISO 3166 alpha-2 code or a common English name")
    author_email: str = Field("", max_length=254)
    consent_contact: bool = False

    @field_validator("case", "text", "author_name", "author_country", "author_email")
    @classmethod
    def no_nul_character(cls, value: str) -> str:
        """PostgreSQL stores no NUL character in text (a 500 otherwise): refuse it (422)."""
        if "\x00" in value:
            raise ValueError("may not contain the NUL character")
        return value


class LetterOut(Schema):
    id: int
    status: str = Field(description="submitted, or needs_review when screening found issues")
    language: str


class PartnerActionOut(Schema):
    id: int
    campaign: str
    case: str | None
    action_type: str
    count: int
    country: str
    city: str
    occurred_at: str
    channel: str
    source: str
    external_id: str | None
    note: str
    recorded_at: str


class PartnerSignatureOut(Schema):
    id: int
    campaign: str
    name: str
    email_sealed: str | None = Field(
        description=(
            "The address sealed to the partner's public key (base64; only for tokens with the "
            "signatures:read scope, and only once the partner has set a key). The server "
            "cannot read it; open it with the private key (docs/PARTNERS.md)."
        )
    )
    sealed_to: str | None = Field(description="Fingerprint of the key it is sealed to.")
    country: str
    city: str
    consent_letter: bool
    signed_at: str
    confirmed_at: str | None


class Page(Schema):
    count: int
    limit: int
    offset: int


class PartnerActionsPage(Page):
    items: list[PartnerActionOut]


class PartnerSignaturesPage(Page):
    items: list[PartnerSignatureOut]
