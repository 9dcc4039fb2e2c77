"""Uploading a list in the admin: kept, imported by the real task worker, with its progress
on the import's page, then what changed or every bad row."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from conftest import Cast
from lantern.testing import run_task_worker
from registry.models import Observation, Prisoner, Source
from registry.services import import_registry
from registry.tests.conftest import FIRST, ROWS_WITH_A_BAD_ONE

pytestmark = pytest.mark.django_db(transaction=True)  # the import is enqueued on commit

UPLOAD = reverse("admin:registry_observation_upload")


def upload(client: Client, source: Source, name: str, data: bytes) -> str:
    response = client.post(
        UPLOAD,
        {
            "source": source.pk,
            "file": SimpleUploadedFile(name, data),
            "retrieved_at": timezone.now().strftime("%Y-%m-%d %H:%M:%S"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    return str(response["Location"])


def test_an_uploaded_list_is_imported_in_the_background_with_its_progress(
    client: Client, cast: Cast, source: Source
) -> None:
    client.force_login(cast.organizer)
    assert client.get(UPLOAD).status_code == 200

    page_url = upload(client, source, "viasna.csv", FIRST.read_bytes())

    waiting = client.get(page_url).content.decode()
    assert "The import is waiting for the worker." in waiting
    assert "window.location.reload()" in waiting and "<progress" in waiting
    assert "Reload the page to see the progress." in waiting  # without JavaScript
    job = Observation.objects.get()
    assert (job.state, job.file.name.endswith(".csv")) == ("queued", True)
    assert not Prisoner.objects.exists()

    run_task_worker()

    done = client.get(page_url).content.decode()
    assert "20 people on the list." in done and "New on the list: 20" in done
    assert "window.location.reload()" not in done
    job.refresh_from_db()
    assert (job.state, job.done, job.total, job.rows) == ("done", 20, 20, 20)
    assert job.imported_by == cast.organizer


def test_an_uploaded_list_with_bad_rows_imports_nothing_and_lists_them(
    client: Client, cast: Cast, source: Source
) -> None:
    client.force_login(cast.organizer)

    page_url = upload(client, source, "viasna.csv", ROWS_WITH_A_BAD_ONE)
    run_task_worker()

    page = client.get(page_url).content.decode()
    assert "Nothing imported: 1 problem." in page
    assert "line 3: status is missing" in page
    assert not Case.objects.exists()
    assert Observation.objects.get().state == "failed"


def test_a_file_of_another_kind_is_refused_at_once(
    client: Client, cast: Cast, source: Source
) -> None:
    client.force_login(cast.organizer)
    response = client.post(
        UPLOAD,
        {
            "source": source.pk,
            "file": SimpleUploadedFile("list.xlsx", b"PK"),
            "retrieved_at": "2024-05-01 10:00:00",
        },
    )
    assert response.status_code == 400
    assert "The file must be .csv or .json." in response.content.decode()
    assert not Observation.objects.exists()


def test_only_organizers_upload(client: Client, cast: Cast, source: Source) -> None:
    client.force_login(cast.moderator)
    assert client.get(UPLOAD).status_code == 302  # the admin's own sign-in
    assert not Observation.objects.exists()


def test_the_checking_progress_is_written_as_it_goes(source: Source) -> None:
    job = Observation.objects.create(
        source=source,
        retrieved_at=timezone.now(),
        filename="viasna.csv",
        sha256="",
        format="csv",
    )
    seen: list[tuple[str, int, int]] = []

    def look() -> None:
        row = Observation.objects.get(pk=job.pk)
        seen.append((row.state, row.done, row.total))

    import_registry(
        FIRST.read_bytes(), source=source, filename="viasna.csv", job=job, on_checked=look
    )

    assert {state for state, _, _ in seen} == {"checking"}
    assert {total for _, _, total in seen} == {20}
    done = [d for _, d, _ in seen]
    assert done == sorted(done) and done[0] == 0 and done[-1] == 19
    job.refresh_from_db()
    assert (job.state, job.done) == ("done", 20)
