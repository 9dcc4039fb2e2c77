"""The admin's address periods: a damaged form is shown again with its error, not a 500."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from cases.models import AddressPeriod
from conftest import Cast

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ["a\x00b", "abc", "99999999999999999999", "-1"])
def test_a_case_that_is_not_an_id_is_a_form_error(client: Client, cast: Cast, value: str) -> None:
    """Django's autocomplete widget looked such values up as they were, and failed."""
    client.force_login(cast.organizer)
    url = reverse("admin:cases_addressperiod_add")

    page = client.get(url, {"case": value})
    sent = client.post(url, {"case": value, "facility": value, "valid_from": "2023-05-01"})

    assert page.status_code == 200
    assert sent.status_code == 200
    assert "errorlist" in sent.content.decode(), "the form, with what is wrong"
    assert not AddressPeriod.objects.exists()
