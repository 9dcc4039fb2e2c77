"""The demo's mail: seed 003's petition letter posted at the end of July, a Babruysk batch."""

from __future__ import annotations

from datetime import date

import pytest
from django.db.models import Sum

from actions.models import Action
from lantern.demo import load_demo
from lantern.tests.pdftools import flat, pdf_text
from letters.demo import RECIPIENT_LINE
from mail.models import MailBatch
from petitions.models import PetitionDelivery

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def read(job) -> str:
    with job.pdf.open("rb") as handle:
        return flat(pdf_text(bytes(handle.read())))


def test_the_demo_posts_the_seed_petition_and_a_batch_to_babruysk(client):
    load_demo()

    delivery = PetitionDelivery.objects.get(campaign__slug="message-to-ales-2013")
    ledger = Action.objects.filter(campaign=delivery.campaign).aggregate(n=Sum("count"))["n"]
    assert delivery.posted_on == date(2013, 7, 29)
    assert delivery.signatures_total == ledger == 420
    letter = read(delivery)
    assert "Stockholm, 12 July 2013" in letter
    assert "420 signatures" in letter
    page = client.get("/campaigns/message-to-ales-2013/").content.decode()
    assert "was sent by post on 29 July 2013" in page

    batch = MailBatch.objects.get()
    assert batch.facility.name == "Penal colony No. 2, Babruysk"
    assert batch.posted_on == date(2013, 1, 9)
    text = read(batch)
    assert RECIPIENT_LINE in text
    assert "アレシュさん、東京から千のランタンの光を送ります。" in text
    assert set(batch.items.values_list("outcome", flat=True)) == {
        "delivered",
        "censored",
        "returned",
    }
