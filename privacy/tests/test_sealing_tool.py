"""The partner's own tool (lantern/sealing.py, downloadable from the partner area): it makes a
key pair and opens a supporters export on the partner's machine."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from conftest import Cast
from lantern import sealing
from lantern.testing import make_campaign
from partners.models import Membership
from partners.tests.helpers import member, signer

pytestmark = [pytest.mark.django_db, pytest.mark.offline_keys]


def test_a_partner_makes_a_key_and_opens_its_export(
    client: Client, cast: Cast, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key_file = tmp_path / "partner.key"
    sealing.main(["keygen", str(key_file)])
    cast.partner.contact_public_key = capsys.readouterr().out.strip()
    cast.partner.save(update_fields=["contact_public_key"])
    campaign = make_campaign(slug="w4r", partners=[cast.partner])
    signer(campaign, cast.partner, "Anna Nowak", "anna@example.org")
    client.force_login(member(cast.partner, Membership.Role.PARTNER_ADMIN))
    tool = client.get(reverse("partners:sealing_tool", args=[cast.partner.slug]))
    export = client.get(reverse("partners:export_supporters", args=[cast.partner.slug, "csv"]))
    export_file = tmp_path / "supporters.csv"
    export_file.write_bytes(export.content)

    sealing.main(["unseal", "--key", str(key_file), str(export_file)])

    assert tool.content == Path(sealing.__file__).read_bytes()
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split(",")[0] == "name" and lines[0].endswith(",email")
    assert lines[1].startswith("Anna Nowak,") and lines[1].endswith(",anna@example.org")


def test_the_tool_is_only_for_members_who_see_supporters(client: Client, cast: Cast) -> None:
    url = reverse("partners:sealing_tool", args=[cast.partner.slug])

    anonymous = client.get(url)
    client.force_login(cast.outsider)
    outsider = client.get(url)

    assert anonymous.status_code == 302
    assert outsider.status_code in (403, 404)
