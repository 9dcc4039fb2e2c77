"""The fair spread: over many draws, no one eligible starves, fewer letters weigh more, the
ineligible are never drawn, and a person's cap on letters per batch holds."""

from __future__ import annotations

import random
from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from campaigns.models import Campaign
from cases.models import Case, Facility
from letters.models import Letter
from letters.services import LetterInput
from registry import spread
from registry.models import Drive, Prisoner, Source
from registry.services import NoOneToWrite, send_card, write_to_someone
from registry.tests.conftest import add_prisoner, letters_to

pytestmark = pytest.mark.django_db

DRAWS = 3000


@pytest.fixture
def people(source: Source, colony: Facility, marathon: Campaign) -> dict[str, Case]:
    """Six people who may get a letter from Poland, with 0, 0, 1, 2, 4 and 9 letters lately;
    and one each of the reasons someone may not."""
    made = {
        name: add_prisoner(source, colony, key=name)
        for name in ("none-a", "none-b", "one", "two", "four", "nine")
    }
    for name, n in (("one", 1), ("two", 2), ("four", 4), ("nine", 9)):
        letters_to(made[name], n, campaign=marathon)
    not_listed = add_prisoner(source, colony, key="off-the-list")
    Prisoner.objects.filter(case=not_listed).update(listed=False)
    made |= {
        "unsafe": add_prisoner(source, colony, key="unsafe", may_be_written_to=False),
        "released": add_prisoner(source, colony, key="released", status=Case.Status.RELEASED),
        "dead": add_prisoner(source, colony, key="dead", status=Case.Status.DIED_IN_CUSTODY),
        "moving": add_prisoner(source, colony, key="moving", status=Case.Status.IN_TRANSIT),
        "no-address": add_prisoner(source, None, key="no-address"),
        "off-the-list": not_listed,
        "abroad-risky": add_prisoner(
            source, colony, key="abroad-risky", letters_from_abroad_risky=True
        ),
        "named-only": add_prisoner(
            source, colony, key="named-only", named_correspondents_only=True
        ),
        "full": add_prisoner(source, colony, key="full", max_letters_per_batch=2),
        "russian": add_prisoner(source, colony, key="russian", country="RU"),
    }
    letters_to(made["full"], 2, campaign=marathon)  # two letters waiting: the cap is reached
    return made


ELIGIBLE = {"none-a", "none-b", "one", "two", "four", "nine"}


def draws(writer: spread.Writer, seed: int = 7) -> Counter[str]:
    rng = random.Random(seed)
    choices = spread.candidates(spread.pool(countries=["BY"]), writer)
    return Counter(spread.draw(choices, rng).case.slug for _ in range(DRAWS))  # type: ignore[union-attr]


def test_over_many_draws_everyone_eligible_is_drawn_and_no_one_else(
    people: dict[str, Case],
) -> None:
    counted = draws(spread.Writer("PL", False))

    assert set(counted) == ELIGIBLE
    assert min(counted.values()) > 0  # the one with nine letters too: nobody starves


def test_fewer_letters_weigh_more(people: dict[str, Case]) -> None:
    counted = draws(spread.Writer("PL", False))

    ranked = [counted[name] for name in ("none-a", "one", "two", "four", "nine")]
    assert ranked == sorted(ranked, reverse=True)
    assert counted["none-a"] > 3 * counted["one"] > 3 * counted["four"]
    # Weights 1 / (1 + n)²: someone with no letter is drawn about 4 times as often as
    # someone with one, 100 times as often as someone with nine.
    expected = {name: 1 / (1 + n) ** 2 for name, n in (("none-a", 0), ("one", 1), ("nine", 9))}
    total = sum(1 / (1 + n) ** 2 for n in (0, 0, 1, 2, 4, 9))
    assert abs(counted["none-a"] / DRAWS - expected["none-a"] / total) < 0.05


def test_the_writers_country_and_name_open_the_limits_of_their_own(people: dict[str, Case]) -> None:
    from_belarus_with_full_name = draws(spread.Writer("BY", True))

    assert set(from_belarus_with_full_name) == ELIGIBLE | {"abroad-risky", "named-only"}


def test_old_and_rejected_letters_do_not_count(
    people: dict[str, Case], marathon: Campaign, settings: object
) -> None:
    none_a = people["none-a"]
    old = letters_to(none_a, 3, campaign=marathon)
    Letter.objects.filter(pk__in=[x.pk for x in old]).update(
        created_at=timezone.now() - timedelta(days=31)
    )
    letters_to(none_a, 2, campaign=marathon, status=Letter.Status.REJECTED)
    letters_to(none_a, 1, campaign=marathon)

    found = spread.candidates(spread.pool().filter(pk=none_a.pk), spread.Writer("PL", None))

    assert [c.letters for c in found] == [1]  # 30 days by default (FAIR_SPREAD_DAYS)


def test_the_cap_on_letters_per_batch_holds_for_letters_offered(
    source: Source, colony: Facility, marathon: Campaign
) -> None:
    capped = add_prisoner(source, colony, key="capped", max_letters_per_batch=2)
    letter = LetterInput(
        kind="letter", text="Дарагі сябра!", author_name="Zofia Nowak", author_country="PL"
    )

    write_to_someone(marathon, capped, letter)
    write_to_someone(marathon, capped, letter)
    with pytest.raises(NoOneToWrite, match="as many letters waiting"):
        write_to_someone(marathon, capped, letter)

    assert spread.unposted([capped.pk]) == {capped.pk: 2}
    Letter.objects.filter(case=capped).update(status=Letter.Status.POSTED)  # the batch went
    write_to_someone(marathon, capped, letter)
    assert Letter.objects.filter(case=capped).count() == 3


def test_a_drives_cards_spread_over_everyone_and_the_cap_holds(
    source: Source, colony: Facility, drive: Drive
) -> None:
    group = [add_prisoner(source, colony, key=f"p-{n}") for n in range(5)]
    capped = add_prisoner(source, colony, key="capped", max_letters_per_batch=1)
    rng = random.Random(21)
    card = LetterInput(
        kind="postcard", text="С Новым годом!", author_name="Anna Lindqvist", author_country="SE"
    )

    sent = [send_card(drive, card, rng=rng) for _ in range(18)]

    per_person = Counter(letter.case_id for letter in sent)
    assert set(per_person) == {c.pk for c in [*group, capped]}  # nobody left without a card
    assert per_person[capped.pk] == 1  # the cap: one card at a time
    # The fewest cards first: 17 cards over five people, three or four each.
    assert sorted(per_person[c.pk] for c in group) == [3, 3, 3, 4, 4]
    assert {letter.post_by for letter in sent} == {drive.post_by}
    assert {letter.kind for letter in sent} == {Letter.Kind.POSTCARD}
