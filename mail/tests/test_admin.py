"""The batch admin shows a batch and its letters to organizers, and makes no batches."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mail.services import build_batch
from mail.tests.factories import make_case_at, make_facility, make_letter

pytestmark = pytest.mark.django_db


def test_organizer_sees_a_batch_with_its_letters_and_cannot_add_one(client, cast):
    facility = make_facility()
    make_letter(make_case_at(facility), author_name="Zofia Nowak")
    batch = build_batch(facility, None)
    client.force_login(cast.organizer)

    listing = client.get(reverse("admin:mail_mailbatch_changelist"))
    page = client.get(reverse("admin:mail_mailbatch_change", args=[batch.pk]))

    assert listing.status_code == 200 and facility.name in listing.content.decode()
    assert page.status_code == 200 and "Zofia Nowak" in page.content.decode()
    assert client.get(reverse("admin:mail_mailbatch_add")).status_code == 403
