"""The admin's CSV upload (admin:actions_action_import) and the read-only ledger admin."""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytest_django import DjangoAssertNumQueries

from actions.models import Action, ImportBatch
from actions.rows import parse_action_fields
from actions.services import record_actions
from actions.tallies import read_totals
from actions.types import Source
from campaigns.models import Campaign
from conftest import PASSWORD, Cast
from lantern.testing import make_campaign, make_partner

if TYPE_CHECKING:  # the test client's response type, as django-stubs names it
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

pytestmark = pytest.mark.django_db

HEADER = "occurred_at,country,city,action_type,count,channel,external_id,note"
GOOD = (
    f"{HEADER}\n"
    "2012-12-10T09:00:00+01:00,Poland,Warsaw,letter,14250,event,pl-2012-0001,Schools\n"
    "2012-12-15T11:00:00Z,the Czech Republic,Prague,signature,312,paper,pl-2012-0003,\n"
)
BAD = (
    f"{HEADER}\n"
    "2012-12-10T09:00:00+01:00,Poland,Warsaw,letter,14250,event,pl-2012-0001,Schools\n"
    "2012-12-10T09:00:00+01:00,Atlantis,,letter,0,paper,pl-2012-0002,\n"
    "2012-12-10T09:00:00,PL,,letter,5,paper,pl-2012-0003,\n"
    "2012-12-10T09:00:00+01:00,PL,,letter,5,paper,pl-2012-0001,\n"
)


@pytest.fixture
def campaign(cast: Cast) -> Campaign:
    return make_campaign(partners=[cast.partner])


def upload(
    client: Client, campaign: Campaign, partner_pk: int, content: str, name: str = "results.csv"
) -> Response:
    file = SimpleUploadedFile(name, content.encode("utf-8"), content_type="text/csv")
    data = {"campaign": campaign.pk, "partner": partner_pk, "file": file}
    return client.post(reverse("admin:actions_action_import"), data)


def listed_errors(response: Response) -> list[str]:
    page = response.content.decode()
    listing = re.search(r'<ul class="errorlist" id="import-errors">(.*?)</ul>', page, re.DOTALL)
    assert listing is not None, page
    return [html.unescape(item) for item in re.findall(r"<li>(.*?)</li>", listing.group(1))]


def test_organizer_uploads_a_good_file_and_is_redirected_with_rows_added(
    client: Client, cast: Cast, campaign: Campaign
) -> None:
    client.force_login(cast.organizer)

    response = upload(client, campaign, cast.partner.pk, GOOD)

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:actions_action_changelist")
    page = client.get(response["Location"]).content.decode()
    assert "Imported 2 new row(s); 0 were already recorded." in page
    assert Action.objects.filter(campaign=campaign, partner=cast.partner).count() == 2
    batch = ImportBatch.objects.get()
    assert (batch.filename, batch.imported_by, batch.rows_added) == (
        "results.csv",
        cast.organizer,
        2,
    )
    assert read_totals(campaign.pk).total == 14562


def test_uploading_the_same_file_again_adds_nothing(
    client: Client, cast: Cast, campaign: Campaign
) -> None:
    client.force_login(cast.organizer)
    upload(client, campaign, cast.partner.pk, GOOD)

    response = upload(client, campaign, cast.partner.pk, GOOD)

    page = client.get(response["Location"]).content.decode()
    assert "Imported 0 new row(s); 2 were already recorded." in page
    assert Action.objects.count() == 2
    assert read_totals(campaign.pk).total == 14562


def test_bad_file_shows_every_error_with_its_line_and_writes_nothing(
    client: Client, cast: Cast, campaign: Campaign
) -> None:
    client.force_login(cast.organizer)

    response = upload(client, campaign, cast.partner.pk, BAD)

    assert response.status_code == 400
    assert "Nothing imported: 3 bad rows." in response.content.decode()
    assert listed_errors(response) == [
        "line 3: country 'Atlantis' is not an ISO 3166 code or a known name; "
        "count '0' is not a positive whole number",
        "line 4: occurred_at '2012-12-10T09:00:00' has no UTC offset (add e.g. +01:00 or Z)",
        "line 5: external_id 'pl-2012-0001' repeats line 2",
    ]
    assert not Action.objects.exists()
    assert not ImportBatch.objects.exists()
    assert read_totals(campaign.pk).total == 0


def test_changed_values_for_a_recorded_external_id_are_shown_and_nothing_written(
    client: Client, cast: Cast, campaign: Campaign
) -> None:
    client.force_login(cast.organizer)
    upload(client, campaign, cast.partner.pk, GOOD)

    response = upload(client, campaign, cast.partner.pk, GOOD.replace("14250", "14251"))

    assert response.status_code == 400
    assert listed_errors(response) == [
        "line 2: external_id 'pl-2012-0001' was already recorded with different values"
    ]
    assert read_totals(campaign.pk).total == 14562


def test_anonymous_user_is_sent_to_the_admin_login(client: Client, campaign: Campaign) -> None:
    url = reverse("admin:actions_action_import")

    for response in (client.get(url), upload(client, campaign, 0, GOOD)):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login") + "?next=")
    assert not Action.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "reporter"])
def test_users_who_are_not_staff_are_sent_to_the_admin_login(
    client: Client, cast: Cast, campaign: Campaign, who: str
) -> None:
    client.force_login(getattr(cast, who))

    response = upload(client, campaign, cast.partner.pk, GOOD)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert not Action.objects.exists()


def staff(*permissions: str) -> User:
    user = User.objects.create_user("staff", "s@example.org", PASSWORD, is_staff=True)
    for codename in permissions:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    return user


def test_staff_without_the_import_permission_is_forbidden(
    client: Client, cast: Cast, campaign: Campaign
) -> None:
    client.force_login(staff("view_action"))

    assert client.get(reverse("admin:actions_action_import")).status_code == 403
    response = upload(client, campaign, cast.partner.pk, GOOD)

    assert response.status_code == 403
    assert not Action.objects.exists()


def test_staff_with_the_import_permission_may_import(
    client: Client, cast: Cast, campaign: Campaign
) -> None:
    client.force_login(staff("add_importbatch", "view_action"))

    response = upload(client, campaign, cast.partner.pk, GOOD)

    assert response.status_code == 302
    assert Action.objects.count() == 2


def test_partner_not_taking_part_in_the_campaign_is_refused_with_a_form_error(
    client: Client, cast: Cast, campaign: Campaign
) -> None:
    stranger = make_partner(name="Partner Elsewhere")
    client.force_login(cast.organizer)

    response = upload(client, campaign, stranger.pk, GOOD)

    page = html.unescape(response.content.decode())
    assert f"Partner Elsewhere does not take part in {campaign.title}." in page
    assert 'id="import-errors"' not in page
    assert not Action.objects.exists()
    assert not ImportBatch.objects.exists()


def test_upload_form_is_shown_to_the_organizer(client: Client, cast: Cast) -> None:
    client.force_login(cast.organizer)

    response = client.get(reverse("admin:actions_action_import"))

    assert response.status_code == 200
    page = response.content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert 'name="file"' in page


def record_some(campaign: Campaign, n: int) -> None:
    partners = [make_partner() for _ in range(3)]
    campaign.partners.add(*partners)
    for i, partner in enumerate(partners):
        rows = [
            parse_action_fields(
                {
                    "occurred_at": f"2012-12-{10 + k % 5}T10:00:00+01:00",
                    "country": ["PL", "JP", "BR"][k % 3],
                    "action_type": "letter",
                    "count": str(k + 1),
                    "external_id": f"{i}-{k}",
                }
            )
            for k in range(n)
        ]
        record_actions(campaign, partner, rows, source=Source.API)


def test_ledger_changelist_loads_for_the_organizer_with_bounded_queries(
    client: Client,
    cast: Cast,
    campaign: Campaign,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    record_some(campaign, 20)
    client.force_login(cast.organizer)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("admin:actions_action_changelist"))

    assert response.status_code == 200
    page = response.content.decode()
    assert reverse("admin:actions_action_import") in page
    assert "60 actions" in page


def test_ledger_admin_offers_no_add_change_or_delete(
    client: Client, cast: Cast, campaign: Campaign
) -> None:
    record_some(campaign, 1)
    action = Action.objects.first()
    assert action is not None
    client.force_login(cast.organizer)

    page = client.get(reverse("admin:actions_action_changelist")).content.decode()

    assert reverse("admin:actions_action_add") not in page
    assert "delete_selected" not in page
    assert client.get(reverse("admin:actions_action_add")).status_code == 403
    change = reverse("admin:actions_action_change", args=[action.pk])
    assert client.post(change, {"count": "999"}).status_code == 403
    delete = reverse("admin:actions_action_delete", args=[action.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    action.refresh_from_db()
    assert action.count == 1
    assert Action.objects.count() == 3


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.binary(max_size=400)
    | st.text(max_size=300).map(lambda t: f"{HEADER}\n{t}".encode("utf-8", "surrogatepass"))
    | st.sampled_from([BAD.encode(), GOOD.encode("utf-16"), b"\xff\xfe\x00", b""])
)
def test_any_uploaded_file_is_imported_whole_or_refused_at_its_lines(
    client: Client, cast: Cast, campaign: Campaign, content: bytes
) -> None:
    client.force_login(cast.organizer)
    with transaction.atomic():
        before = Action.objects.count()
        file = SimpleUploadedFile("any.csv", content, content_type="text/csv")
        data = {"campaign": campaign.pk, "partner": cast.partner.pk, "file": file}
        response = client.post(reverse("admin:actions_action_import"), data)

        if response.status_code == 302:  # every row imported
            assert Action.objects.count() >= before
        else:
            assert response.status_code == 400
            page = response.content.decode()
            if 'id="import-errors"' in page:  # the file was read: its bad lines
                assert all(re.match(r"line \d+: ", error) for error in listed_errors(response))
            else:  # the form refused the file itself (empty)
                assert 'class="errorlist' in page
            assert Action.objects.count() == before
            assert not ImportBatch.objects.exists()
        transaction.set_rollback(True)
