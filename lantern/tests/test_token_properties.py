"""Properties of the signed tokens supporters' browsers send back (hypothesis): the email
confirmation link and the widget's form token. Any text is the object it names or the one
documented refusal; a token changed by one character is refused."""

from __future__ import annotations

import pytest
from django.core import signing
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from campaigns.models import Campaign
from lantern.testing import make_campaign
from petitions.models import Signature
from petitions.services import (
    TOKEN_SALT,
    InvalidToken,
    SignatureInput,
    confirmation_token,
    sign_petition,
    signature_for_token,
)
from widgets.services import FORM_TOKEN_SALT, InvalidFormToken, issue_form_token, read_form_token

pytestmark = pytest.mark.django_db
DB = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
# Ours, but naming what does not exist or is not a ticket.
FORGED = st.sampled_from(
    [
        signing.dumps(10**30, salt=TOKEN_SALT, compress=True),
        signing.dumps({"c": "x"}, salt=FORM_TOKEN_SALT),
        signing.dumps({"c": 1, "p": "2"}, salt=FORM_TOKEN_SALT),
        signing.dumps([1, 2], salt=FORM_TOKEN_SALT),
    ]
)


@pytest.fixture
def campaign() -> Campaign:
    return make_campaign(requires_confirmation=True)


def with_one_change(token: str, position: int, character: str) -> str:
    """The token with one character changed; never its last, which base64 may decode to the
    same signature bytes."""
    i = position % (len(token) - 1)
    changed = token[:i] + character + token[i + 1 :]
    return changed if changed != token else token[:i] + "~" + token[i + 1 :]


@DB
@given(st.text(max_size=200) | FORGED, st.integers(min_value=0), st.characters())
@example("", 0, "a")
@example("x" * 5000, 0, "a")
def test_a_confirmation_token_names_its_signature_or_is_refused(
    campaign: Campaign, text: str, position: int, character: str
) -> None:
    sign_petition(campaign, SignatureInput(name="Anna", email="anna@example.org", country="PL"))
    signature = Signature.objects.get()
    token = confirmation_token(signature)
    assert signature_for_token(token) == signature
    for sent in (text, with_one_change(token, position, character)):
        with pytest.raises(InvalidToken):
            signature_for_token(sent)


@DB
@given(st.text(max_size=200) | FORGED, st.integers(min_value=0), st.characters())
def test_a_widget_form_token_is_for_its_campaign_or_refused(
    campaign: Campaign, text: str, position: int, character: str
) -> None:
    token = issue_form_token(campaign, None)
    assert read_form_token(token, campaign).campaign_id == campaign.pk
    other = make_campaign()
    for sent, target in ((text, campaign), (with_one_change(token, position, character), campaign),
                         (token, other)):  # fmt: skip
        with pytest.raises(InvalidFormToken):
            read_form_token(sent, target)
