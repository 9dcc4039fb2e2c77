"""The proof-of-work challenge: signed, expiring, accepted once, and solvable as tests do."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import altcha
import pytest

from lantern.guard.pow import PowError, issue_challenge, verify_solution
from lantern.testing import solve_pow


def _payload(challenge: dict[str, Any], derived_key: str | None = None) -> str:
    parsed = altcha.Challenge.from_dict(challenge)
    solution = altcha.solve_challenge(parsed, timeout=30)
    assert solution is not None
    if derived_key is not None:
        solution.derived_key = derived_key
    return str(altcha.Payload(parsed, solution).to_base64())


def test_a_solved_challenge_is_accepted_once() -> None:
    payload = solve_pow()
    verify_solution(payload)
    with pytest.raises(PowError) as again:
        verify_solution(payload)
    assert again.value.code == "spent"


def test_the_difficulty_sets_how_many_hashes_a_solution_takes(settings: Any) -> None:
    settings.POW_DIFFICULTY = 2000
    counters = [
        altcha.solve_challenge(altcha.Challenge.from_dict(issue_challenge())).counter  # type: ignore[union-attr]
        for _ in range(5)
    ]
    assert all(1000 <= c < 2000 for c in counters)


@pytest.mark.parametrize("payload", ["", "not base64!", base64.b64encode(b"[1, 2]").decode()])
def test_junk_is_refused(payload: str) -> None:
    with pytest.raises(PowError) as refused:
        verify_solution(payload)
    assert refused.value.code in {"missing", "invalid"}


def test_a_key_that_was_not_found_by_hashing_is_refused() -> None:
    challenge = issue_challenge()
    with pytest.raises(PowError) as refused:
        verify_solution(_payload(challenge, derived_key="00" * 32))
    assert refused.value.code == "invalid"


def test_a_challenge_changed_by_the_client_is_refused() -> None:
    data = json.loads(base64.b64decode(solve_pow()))
    data["challenge"]["parameters"]["expiresAt"] += 3600  # more time, it hopes
    with pytest.raises(PowError) as refused:
        verify_solution(base64.b64encode(json.dumps(data).encode()).decode())
    assert refused.value.code == "invalid"


def test_a_challenge_signed_by_another_installation_is_refused(settings: Any) -> None:
    payload = solve_pow()
    settings.SECRET_KEY = "an entirely different secret key of another Lantern server, long"
    with pytest.raises(PowError) as refused:
        verify_solution(payload)
    assert refused.value.code == "invalid"


def test_an_expired_challenge_is_refused(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.POW_MAX_AGE_SECONDS = 60
    payload = solve_pow()
    later = time.time() + 61
    monkeypatch.setattr(time, "time", lambda: later)
    with pytest.raises(PowError) as refused:
        verify_solution(payload)
    assert refused.value.code == "expired"


def test_the_challenge_says_when_it_expires(settings: Any) -> None:
    settings.POW_MAX_AGE_SECONDS = 600
    challenge = issue_challenge()
    assert 590 <= challenge["parameters"]["expiresAt"] - time.time() <= 600
    assert challenge["parameters"]["algorithm"] == "SHA-256"
    assert challenge["signature"]
