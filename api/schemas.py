from __future__ import annotations

from ninja import Field, Schema

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
