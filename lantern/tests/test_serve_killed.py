"""The production server SIGKILLed twice while supporters sign and write: nothing answered
is lost, nothing is stored twice, and every total equals the ledger.

`manage.py serve` (granian, two worker processes) runs on its own PostgreSQL database.
Supporters' browsers (threads) fill the campaign page's sign form and the write page's
letter form. A browser that gets no answer sends the same form again, as a person pressing
reload does: the signature dedupes by email, the letter by the one-time key its form
carries. Bounded: a fixed number of forms, and a deadline.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from django.db.models import Sum
from django.urls import reverse

from actions.models import Action, Tally
from actions.tallies import read_totals
from actions.types import ActionType
from lantern.privacy import email_dedupe_hash, normalize_email
from lantern.testing import make_campaign, make_case
from lantern.tests.faults import (
    DEDUPE_KEY,
    Browser,
    FaultDatabase,
    LetterDraft,
    Server,
    Signer,
    letter_form_body,
    sign_form_body,
)
from letters.models import Letter
from petitions.models import Signature
from reports.services import campaign_report

pytestmark = pytest.mark.postgres_only

SLUG = "write-for-rights"
CLIENTS = 6
SIGNERS_PER_CLIENT = 8
LETTERS_PER_CLIENT = 3
KILL_WHEN_ANSWERED = (0.3, 0.65)  # of all forms: the server is SIGKILLed at each
DEADLINE_SECONDS = 150
LETTER = "Дорогой Алесь! Желаю вам здоровья и сил. У нас весна, цветут каштаны. Обнимаем."


@dataclass
class Drive:
    """What the browsers saw, shared between their threads."""

    total: int
    deadline: float
    lock: threading.Lock = field(default_factory=threading.Lock)
    signed: list[str] = field(default_factory=list)  # emails answered with success
    written: list[str] = field(default_factory=list)  # letter keys answered with success
    unanswered: int = 0  # requests that got no answer and were sent again
    wrong: list[str] = field(default_factory=list)  # answers that are not success

    @property
    def answered(self) -> int:
        with self.lock:
            return len(self.signed) + len(self.written)

    def note_unanswered(self) -> None:
        assert time.monotonic() < self.deadline, "the forms were not all answered in time"
        with self.lock:
            self.unanswered += 1
        time.sleep(0.2)


def until_answered(drive: Drive, send: Any) -> Any:
    """Send again (the same request) until the server answers."""
    while True:
        try:
            return send()
        except OSError:
            drive.note_unanswered()


def fill_and_send(
    drive: Drive, browser: Browser, page: str, action: str, body_for: Any
) -> tuple[str, dict[str, str]]:
    """Open the page, fill its form, send it until answered: where the answer redirects
    ("" if it is not a redirect), and the body sent."""
    while True:
        status, html = until_answered(drive, lambda: browser.get(page))
        if status == 200:
            break
        with drive.lock:
            drive.wrong.append(f"GET {page}: {status}")
        drive.note_unanswered()
    body = body_for(html)
    # Each sending solves a new proof-of-work, as the page's widget does (a solution is
    # accepted once: the one sent before may have been spent by a request that got no answer).
    status, location = until_answered(
        drive, lambda: browser.post(action, {**body, "altcha": browser.solve_pow()})
    )
    if status != 302:
        with drive.lock:
            drive.wrong.append(f"POST {action}: {status}")
        return "", body
    return str(location), body


def supporter(drive: Drive, base_url: str, n: int) -> None:
    """Sign, and write now and then, each form until it is answered."""
    browser = Browser(base_url, address=f"10.0.0.{n + 1}")
    sign_action = reverse("petitions:sign", args=[SLUG])
    write_page = reverse("letters:write", args=[SLUG])
    signing = (reverse("campaigns:detail", args=[SLUG]), sign_action, drive.signed)
    writing = (write_page, write_page, drive.written)
    done = {
        sign_action: reverse("petitions:signed", args=[SLUG]),
        write_page: reverse("letters:written", args=[SLUG]),
    }
    for i in range(SIGNERS_PER_CLIENT):
        signer = Signer(name=f"Signer {n}-{i}", email=f"Signer.{n}.{i}+w4r@Example.org")
        forms = [(signing, partial(sign_form_body, action=sign_action, signer=signer), "email")]
        if i < LETTERS_PER_CLIENT:
            draft = LetterDraft(text=f"{LETTER} ({n}-{i})", author_name=f"Writer {n}-{i}")
            body = partial(letter_form_body, action=write_page, letter=draft)
            forms.append((writing, body, "submission_key"))
        for (page, action, answered), body_for, key in forms:
            location, sent = fill_and_send(drive, browser, page, action, body_for)
            if location.startswith(done[action]):
                with drive.lock:
                    answered.append(sent[key])


def test_killed_server_loses_nothing_answered_and_stores_nothing_twice(
    fault_database: FaultDatabase, settings: Any, tmp_path: Path
) -> None:
    settings.DEDUPE_KEY = DEDUPE_KEY  # the server's: the test computes the stored hashes
    with fault_database.as_default():
        case = make_case(slug="ales-bialiatski", name="Ales Bialiatski")
        campaign = make_campaign(
            slug=SLUG,
            cases=[case],
            action_types=[ActionType.SIGNATURE, ActionType.LETTER],
        )
    # Behind a proxy on loopback, each browser from its own address; an easy proof-of-work.
    env = fault_database.env(TRUSTED_PROXIES="127.0.0.1", POW_DIFFICULTY="1000")
    server = Server(env, tmp_path / "server.log", workers=2, threads=4)
    probe = reverse("campaigns:detail", args=[SLUG])
    started = time.monotonic()
    total = CLIENTS * (SIGNERS_PER_CLIENT + LETTERS_PER_CLIENT)
    drive = Drive(total=total, deadline=started + DEADLINE_SECONDS)
    errors: list[BaseException] = []

    def run(n: int) -> None:
        try:
            supporter(drive, server.base_url, n)
        except BaseException as exc:  # noqa: BLE001 - reported to the test thread below
            errors.append(exc)

    kills = 0
    server.start_and_wait(probe)
    try:
        browsers = [threading.Thread(target=run, args=(n,)) for n in range(CLIENTS)]
        for thread in browsers:
            thread.start()
        for fraction in KILL_WHEN_ANSWERED:
            while drive.answered < fraction * total and not errors:
                assert time.monotonic() < drive.deadline, "too slow before the kill"
                time.sleep(0.02)
            server.kill()  # mid-request: six browsers are sending
            kills += 1
            time.sleep(0.5)  # the browsers find nobody there meanwhile
            server.start_and_wait(probe)
        for thread in browsers:
            thread.join(timeout=DEADLINE_SECONDS)
    finally:
        server.stop()
    elapsed = time.monotonic() - started

    assert not errors, errors
    assert drive.wrong == [], (drive.wrong, server.output()[-5000:])
    assert kills == 2 and drive.unanswered > 0, "the server was killed while being used"
    assert len(drive.signed) == CLIENTS * SIGNERS_PER_CLIENT
    assert len(drive.written) == CLIENTS * LETTERS_PER_CLIENT
    print(  # noqa: T201 - the figures of the run, shown with -s
        f"{total} forms answered, {drive.unanswered} requests sent again, "
        f"{kills} kills, {elapsed:.1f} s"
    )

    with fault_database.as_default():
        signatures = Signature.objects.filter(campaign=campaign)
        stored = set(signatures.values_list("email_hash", flat=True))
        answered = {email_dedupe_hash(normalize_email(email)) for email in drive.signed}
        assert stored == answered, "every signature answered is stored, and no other"
        assert signatures.count() == len(answered)

        letters = Letter.objects.filter(campaign=campaign)
        keys = Counter(letters.values_list("submission_key", flat=True))
        assert set(keys) == set(drive.written), "every letter answered is stored, and no other"
        assert max(keys.values()) == 1, "no letter is stored twice"

        actions = Action.objects.filter(campaign=campaign)
        counted = set(signatures.values_list("action_id", flat=True)) | set(
            letters.values_list("action_id", flat=True)
        )
        assert None not in counted, "every signature and letter is counted"
        assert counted == set(actions.values_list("pk", flat=True)), "no action without one"
        by_type = dict(actions.values_list("action_type").annotate(n=Sum("count")))
        assert by_type == {
            ActionType.SIGNATURE: len(answered),
            ActionType.LETTER: len(drive.written),
        }

        ledger = actions.aggregate(n=Sum("count"))["n"]
        assert read_totals(campaign.pk).total == ledger
        tallies = dict(
            Tally.objects.filter(campaign=campaign)
            .values_list("action_type")
            .annotate(n=Sum("count"))
        )
        assert tallies == by_type
        report = campaign_report(campaign)
        assert report.total == ledger
