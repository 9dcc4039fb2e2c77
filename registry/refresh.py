"""A refresh: compare a source's new list with what Lantern knows, and write the difference.

Called by `registry.services.import_registry` inside one transaction, after every row was
checked. For each row (`RegistryRow`):

- a person the source listed before (same key) is compared field by field (`Prisoner.FIELDS`)
  with what Lantern holds now. A field an organizer corrected by hand (`Prisoner.corrected`)
  is never written: if the list says otherwise, a `DISAGREES` change records both values. A
  field that changed in Lantern since the last import without going through the registry
  (a status set in the admin, an address period added by hand) counts as corrected by hand
  from then on. Every other difference is written and recorded as a change.
- a person not listed before is linked to an existing case when exactly one case of that
  country without a registry entry has the same name (in either script); else a case is made.
- a person listed before and missing now is marked not listed ("gone from the list"); the
  case itself is left as it is, for an organizer to decide.

A new facility (or address) is a transfer: the current address period ends the day before
the list was retrieved and a new one starts that day. A release ends the address period.
Unposted mail batches follow (`mail.services.reroute_unposted`).
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from cases.models import AddressPeriod, Case, CaseEvent, CaseName, Facility
from mail.services import reroute_unposted
from registry.models import Change, Correction, Observation, ObservedRow, Prisoner, Source
from registry.rows import RegistryRow

Values = dict[str, Any]
CHUNK = 500
# The fields whose change moves mail: their cases' unposted batches are looked at again.
MAIL_FIELDS = ("status", "facility")


def script_of(text: str) -> str:
    """ISO 15924 code of the first letter's script: Cyrl or Latn ("" for others)."""
    for char in text:
        if char.isalpha():
            name = unicodedata.name(char, "")
            if name.startswith("CYRILLIC"):
                return "Cyrl"
            if name.startswith("LATIN"):
                return "Latn"
            return ""
    return ""


def _facility_value(name: str, lines: Iterable[str]) -> dict[str, Any] | None:
    return {"name": name, "address": list(lines)} if name else None


def observed_values(values: dict[str, Any]) -> Values:
    """A row as stored in `ObservedRow.values`, in the shape `current_values` gives."""
    return {
        "name": values["name"],
        "name_latin": values["name_latin"],
        "country": values["country"],
        "birth_year": values["birth_year"],
        "status": values["status"],
        "arrested_on": values["arrested_on"],
        "articles": list(values["articles"]),
        "sentence": values["sentence"],
        "facility": _facility_value(values["facility"], values["facility_address"]),
        "release_on": values["release_on"],
    }


def current_values(
    prisoner: Prisoner, local: CaseName | None, period: AddressPeriod | None
) -> Values:
    """What Lantern holds now for each registry field of this prisoner."""
    case = prisoner.case
    return {
        "name": local.name if local else "",
        "name_latin": case.name,
        "country": case.country,
        "birth_year": prisoner.birth_year,
        "status": case.status,
        "arrested_on": prisoner.arrested_on.isoformat() if prisoner.arrested_on else None,
        "articles": list(prisoner.articles),
        "sentence": prisoner.sentence,
        "facility": _facility_value(period.facility.name, period.lines) if period else None,
        "release_on": prisoner.release_on.isoformat() if prisoner.release_on else None,
    }


def _key(name: str) -> str:
    return " ".join(name.casefold().split())


def same(field_name: str, ours: Any, theirs: Any) -> bool:
    """Whether two values of one field agree (a facility by name, and by address if both
    give one)."""
    if field_name != "facility":
        return bool(ours == theirs)
    if ours is None or theirs is None:
        return ours is None and theirs is None
    if _key(ours["name"]) != _key(theirs["name"]):
        return False
    return not (ours["address"] and theirs["address"]) or ours["address"] == theirs["address"]


def shown(field_name: str, value: Any) -> str:
    """A value as the change report prints it."""
    if value is None or value == "" or value == []:
        return ""
    if field_name == "facility":
        address = ", ".join(value["address"])
        return f"{value['name']} ({address})" if address else str(value["name"])
    if field_name == "articles":
        return "; ".join(value)
    return str(value)


@dataclass
class Known:
    """One prisoner of the source with what Lantern holds for them."""

    prisoner: Prisoner
    local: CaseName | None
    period: AddressPeriod | None
    previous: Values | None = None  # what the last import said, if it listed them


def known_now(prisoner: Prisoner, language: str, on: date) -> Known:
    """One prisoner with their local name and current address (for a hand correction)."""
    local = (
        CaseName.objects.filter(case_id=prisoner.case_id, language=language).order_by("pk").first()
    )
    return Known(prisoner, local, current_periods([prisoner.case_id], on).get(prisoner.case_id))


def values_now(prisoner: Prisoner) -> Values:
    """What Lantern holds today for each registry field of one prisoner (a correction form's
    starting point)."""
    known = known_now(prisoner, prisoner.source.language, timezone.localdate())
    return current_values(prisoner, known.local, known.period)


class Writer:
    """Writes one registry field where Lantern keeps it, with the steps that go with it: a
    transfer opens an address period, a release ends it, both leave a timeline event. Used
    by the refresh and by hand corrections alike; `moved` collects the cases whose mail must
    be looked at again (`mail.services.reroute_unposted`)."""

    def __init__(self, source: Source, day: date) -> None:
        self.source, self.day = source, day
        self.moved: set[int] = set()
        self._facilities: dict[tuple[str, str], Facility] | None = None
        self._lines: dict[int, list[str]] = {}

    def write(
        self,
        entry: Known,
        name: str,
        old: Any,
        new: Any,
        *,
        recipient: str = "",
        release_on: date | None = None,
    ) -> str:
        """Write `new` into field `name`; returns the kind of change it makes."""
        prisoner, case = entry.prisoner, entry.prisoner.case
        if name == "name":
            if entry.local is None:
                entry.local = CaseName.objects.create(
                    case=case, name=new, language=self.source.language, script=script_of(new)
                )
            else:
                entry.local.name = new
                entry.local.script = script_of(new)
                entry.local.save(update_fields=["name", "script"])
            return Change.Kind.DETAILS
        if name in ("name_latin", "country"):
            column = "name" if name == "name_latin" else name
            setattr(case, column, new)
            case.save(update_fields=[column, "updated_at"])
            return Change.Kind.DETAILS
        if name == "status":
            return self._status(entry, new, release_on)
        if name == "facility":
            moved = old is None or _key(old["name"]) != _key(new["name"])
            self.move(entry, new, recipient=recipient, event=moved and old is not None)
            return Change.Kind.TRANSFERRED if moved else Change.Kind.DETAILS
        value = new
        if name in ("arrested_on", "release_on"):
            value = date.fromisoformat(new) if new else None
        setattr(prisoner, name, value)
        prisoner.save(update_fields=[name])
        return Change.Kind.SENTENCE if name == "sentence" else Change.Kind.DETAILS

    def _status(self, entry: Known, status: str, release_on: date | None) -> str:
        case = entry.prisoner.case
        case.status = status
        case.save(update_fields=["status", "updated_at"])
        self.moved.add(case.pk)
        if status not in Case.NOT_IN_CUSTODY:
            return Change.Kind.STATUS
        on = release_on if status == Case.Status.RELEASED and release_on else self.day
        if entry.period is not None:
            entry.period.valid_to = max(min(on, self.day), entry.period.valid_from)
            entry.period.save(update_fields=["valid_to"])
            entry.period = None
        if status == Case.Status.RELEASED:
            CaseEvent.objects.create(
                case=case, date=on, kind=CaseEvent.Kind.RELEASE, description="Released."
            )
            return Change.Kind.RELEASED
        CaseEvent.objects.create(
            case=case, date=on, kind=CaseEvent.Kind.OTHER, description="Died in custody."
        )
        return Change.Kind.STATUS

    def facility(self, country: str, name: str) -> Facility:
        if self._facilities is None:
            self._facilities = {}
            for known in Facility.objects.order_by("pk"):
                self._facilities.setdefault((known.country, _key(known.name)), known)
        key = (country, _key(name))
        found = self._facilities.get(key)
        if found is None:
            found = Facility.objects.create(name=name, country=country, kind=facility_kind(name))
            self._facilities[key] = found
        return found

    def lines_for(self, facility: Facility, given: Iterable[str]) -> list[str]:
        """The address lines given, remembered for the facility; none given: the facility's
        address as Lantern knows it (its latest period's, or given earlier in this list)."""
        lines = list(given)
        if lines:
            self._lines[facility.pk] = lines
            return lines
        if facility.pk not in self._lines:
            latest = (
                AddressPeriod.objects.filter(facility=facility)
                .exclude(address_lines="")
                .order_by("-valid_from", "-pk")
                .first()
            )
            self._lines[facility.pk] = latest.lines if latest else []
        return self._lines[facility.pk]

    def move(
        self, entry: Known, value: dict[str, Any], *, recipient: str = "", event: bool
    ) -> None:
        """A new address period from the day; the current one ends the day before."""
        case = entry.prisoner.case
        facility = self.facility(case.country, value["name"])
        lines = self.lines_for(facility, value["address"])
        start = self.day
        old = entry.period
        if old is not None:
            end = max(start - timedelta(days=1), old.valid_from)
            old.valid_to = end
            old.save(update_fields=["valid_to"])
            start = max(start, end + timedelta(days=1))
        local = entry.local.name if entry.local else case.name
        year = entry.prisoner.birth_year
        entry.period = AddressPeriod.objects.create(
            case=case,
            facility=facility,
            valid_from=start,
            address_lines="\n".join(lines),
            recipient_line=recipient or (f"{local}, {year}" if year else local),
        )
        self.moved.add(case.pk)
        if event:
            CaseEvent.objects.create(
                case=case,
                date=start,
                kind=CaseEvent.Kind.TRANSFER,
                description=f"Transferred to {facility.name}.",
            )


class Refresh:
    """One import's reads and writes (inside the caller's transaction): `run`."""

    def __init__(
        self,
        source: Source,
        observation: Observation,
        rows: list[RegistryRow],
        lines: list[int],
        *,
        on_written: Callable[[int], object] | None = None,
    ) -> None:
        self.source, self.observation = source, observation
        self.rows, self.lines = rows, lines
        self.writer = Writer(source, observation.retrieved_at.date())
        self.on_written = on_written
        self.changes: list[Change] = []
        self._slugs: set[str] = set()

    # --- reading what Lantern holds ----------------------------------------------------

    def _known(self) -> dict[str, Known]:
        prisoners = list(
            Prisoner.objects.filter(source=self.source).select_related("case").order_by("pk")
        )
        case_ids = [p.case_id for p in prisoners]
        locals_: dict[int, CaseName] = {}
        for start in range(0, len(case_ids), CHUNK):
            for name in CaseName.objects.filter(
                case_id__in=case_ids[start : start + CHUNK], language=self.source.language
            ).order_by("-pk"):
                locals_[name.case_id] = name  # the oldest wins
        periods = current_periods(case_ids, self.writer.day)
        previous: dict[int, Values] = {}
        last = (
            Observation.objects.filter(source=self.source, state=Observation.State.DONE)
            .exclude(pk=self.observation.pk)
            .order_by("-retrieved_at", "-pk")
            .first()
        )
        if last is not None:
            for seen in ObservedRow.objects.filter(observation=last).only("prisoner_id", "values"):
                previous[seen.prisoner_id] = observed_values(seen.values)
        return {
            p.key: Known(p, locals_.get(p.case_id), periods.get(p.case_id), previous.get(p.pk))
            for p in prisoners
        }

    def _matching_cases(self, rows: list[RegistryRow]) -> dict[tuple[str, str], list[Case]]:
        """Cases not in the registry, by (country, name in any script), for linking."""
        countries = {row.country for row in rows}
        cases = Case.objects.filter(country__in=countries, prisoner__isnull=True).prefetch_related(
            "names"
        )
        by_name: dict[tuple[str, str], list[Case]] = defaultdict(list)
        for case in cases:
            names = {_key(case.name), *(_key(n.name) for n in case.names.all())}
            for name in names:
                by_name[(case.country, name)].append(case)
        return by_name

    # --- the run -----------------------------------------------------------------------

    def run(self) -> list[Change]:
        """Write the difference; returns the changes (saved)."""
        known = self._known()
        self._slugs = set(Case.objects.values_list("slug", flat=True))
        pairs = list(zip(self.rows, self.lines, strict=True))
        new_rows = [row for row, _ in pairs if row.key not in known]
        matches = self._matching_cases(new_rows) if new_rows else {}
        entries: dict[str, Known] = {}
        fresh: list[RegistryRow] = []
        for n, (row, _) in enumerate(pairs, start=1):
            entry = known.get(row.key)
            if entry is not None:
                self._compare(entry, row)
                entries[row.key] = entry
            else:
                linked = self._link(row, matches)
                if linked is None:
                    fresh.append(row)
                else:
                    entries[row.key] = self._add(row, linked)
            if self.on_written is not None and n % CHUNK == 0:
                self.on_written(CHUNK)
        entries |= self._add_fresh(fresh)
        listed = {row.key for row in self.rows}
        self._gone(
            [k for k in known.values() if k.prisoner.key not in listed and k.prisoner.listed]
        )
        seen = [
            ObservedRow(
                observation=self.observation,
                prisoner=entries[row.key].prisoner,
                line=line,
                values=row.as_json(),
            )
            for row, line in pairs
        ]
        ObservedRow.objects.bulk_create(seen, batch_size=CHUNK)
        ids = [entries[row.key].prisoner.pk for row in self.rows if row.key in known]
        for start in range(0, len(ids), CHUNK):
            Prisoner.objects.filter(pk__in=ids[start : start + CHUNK]).update(
                last_seen=self.observation, listed=True
            )
        Change.objects.bulk_create(self.changes, batch_size=CHUNK)
        if self.on_written is not None and len(pairs) % CHUNK:
            self.on_written(len(pairs) % CHUNK)
        if self.writer.moved:
            reroute_unposted(self.writer.moved)
        return self.changes

    def _change(
        self, prisoner: Prisoner, kind: str, field_name: str = "", old: str = "", new: str = ""
    ) -> None:
        self.changes.append(
            Change(
                observation=self.observation,
                prisoner=prisoner,
                kind=kind,
                field=field_name,
                old=old,
                new=new,
            )
        )

    # --- a person new to the source ----------------------------------------------------

    def _slug(self, name: str) -> str:
        base = (slugify(name) or "prisoner")[:40]
        slug, n = base, 2
        while slug in self._slugs:
            slug, n = f"{base}-{n}", n + 1
        self._slugs.add(slug)
        return slug

    @staticmethod
    def _link(row: RegistryRow, matches: dict[tuple[str, str], list[Case]]) -> Case | None:
        """The one case not yet in the registry with this person's name, if exactly one."""
        candidates = {
            case.pk: case
            for name in (row.name_latin, row.name)
            for case in matches.get((row.country, _key(name)), [])
        }
        if len(candidates) != 1:
            return None
        linked = next(iter(candidates.values()))
        for other in linked.names.all():  # one list row per case
            matches.pop((row.country, _key(other.name)), None)
        matches.pop((row.country, _key(linked.name)), None)
        return linked

    def _prisoner(self, case: Case, row: RegistryRow) -> Prisoner:
        return Prisoner(
            case=case,
            source=self.source,
            key=row.key,
            birth_year=row.birth_year,
            arrested_on=row.arrested_on,
            articles=list(row.articles),
            sentence=row.sentence,
            release_on=row.release_on,
            first_seen=self.observation,
            last_seen=self.observation,
        )

    def _add(self, row: RegistryRow, case: Case) -> Known:
        """A person new to the source whose case is already in Lantern: link, then compare."""
        prisoner = self._prisoner(case, row)
        prisoner.save()
        local = CaseName.objects.filter(case=case, name=row.name).first()
        if local is None and row.name != case.name:
            local = CaseName.objects.create(
                case=case, name=row.name, language=self.source.language, script=script_of(row.name)
            )
        self._change(prisoner, Change.Kind.NEW, new="linked")
        entry = Known(prisoner, local, current_periods([case.pk], self.writer.day).get(case.pk))
        self._compare(entry, row)  # the list may know more than the case did
        return entry

    def _add_fresh(self, rows: list[RegistryRow]) -> dict[str, Known]:
        """People new to Lantern: their cases, names, arrests and addresses, in bulk."""
        if not rows:
            return {}
        cases = Case.objects.bulk_create(
            [
                Case(
                    slug=self._slug(row.name_latin),
                    name=row.name_latin,
                    country=row.country,
                    status=row.status,
                )
                for row in rows
            ],
            batch_size=CHUNK,
        )
        prisoners = Prisoner.objects.bulk_create(
            [self._prisoner(case, row) for case, row in zip(cases, rows, strict=True)],
            batch_size=CHUNK,
        )
        names = CaseName.objects.bulk_create(
            [
                CaseName(
                    case=case,
                    name=row.name,
                    language=self.source.language,
                    script=script_of(row.name),
                )
                for case, row in zip(cases, rows, strict=True)
                if row.name != case.name
            ],
            batch_size=CHUNK,
        )
        local = {name.case_id: name for name in names}
        CaseEvent.objects.bulk_create(
            [
                CaseEvent(
                    case=case,
                    date=row.arrested_on,
                    kind=CaseEvent.Kind.ARREST,
                    description="Arrested.",
                )
                for case, row in zip(cases, rows, strict=True)
                if row.arrested_on
            ],
            batch_size=CHUNK,
        )
        periods = []
        for case, row in zip(cases, rows, strict=True):
            if row.facility and case.in_custody:
                facility = self.writer.facility(case.country, row.facility)
                lines = self.writer.lines_for(facility, row.facility_address)
                name = local[case.pk].name if case.pk in local else case.name
                recipient = row.recipient or (
                    f"{name}, {row.birth_year}" if row.birth_year else name
                )
                periods.append(
                    AddressPeriod(
                        case=case,
                        facility=facility,
                        valid_from=self.writer.day,
                        address_lines="\n".join(lines),
                        recipient_line=recipient,
                    )
                )
        made = AddressPeriod.objects.bulk_create(periods, batch_size=CHUNK)
        at = {period.case_id: period for period in made}
        entries = {}
        for case, prisoner, row in zip(cases, prisoners, rows, strict=True):
            self._change(prisoner, Change.Kind.NEW)
            entries[row.key] = Known(prisoner, local.get(case.pk), at.get(case.pk))
        return entries

    # --- a person listed before --------------------------------------------------------

    def _compare(self, entry: Known, row: RegistryRow) -> None:
        prisoner = entry.prisoner
        if not prisoner.listed:
            self._change(prisoner, Change.Kind.BACK)
        theirs = observed_values(row.as_json())
        ours = current_values(prisoner, entry.local, entry.period)
        corrected = set(prisoner.corrected)
        found: list[str] = []  # fields changed by hand outside the registry
        for name in Prisoner.FIELDS:
            if name == "facility":
                continue  # after the status: a person out of prison has no facility
            self._field(entry, name, ours, theirs, corrected, found, row)
        if prisoner.case.in_custody and theirs["facility"] is not None:
            self._field(entry, "facility", ours, theirs, corrected, found, row)
        if found:
            prisoner.corrected = sorted(corrected)
            prisoner.save(update_fields=["corrected"])
            Correction.objects.bulk_create(
                Correction(
                    prisoner=prisoner,
                    field=name,
                    old=shown(name, entry.previous[name] if entry.previous else None),
                    new=shown(name, ours[name]),
                    note="Changed in Lantern outside the registry; kept by the refresh.",
                )
                for name in found
            )

    def _field(
        self,
        entry: Known,
        name: str,
        ours: Values,
        theirs: Values,
        corrected: set[str],
        found: list[str],
        row: RegistryRow,
    ) -> None:
        if same(name, ours[name], theirs[name]):
            return
        previous = entry.previous
        drifted = previous is not None and not same(name, previous[name], ours[name])
        if (
            name == "facility"
            and previous is not None
            and (previous["facility"] is None or previous["status"] in Case.NOT_IN_CUSTODY)
        ):
            drifted = False  # the last list named no facility, or the release ended it
        if name in corrected or drifted:
            if name not in corrected:
                corrected.add(name)
                found.append(name)
            old, new = shown(name, ours[name]), shown(name, theirs[name])
            self._change(entry.prisoner, Change.Kind.DISAGREES, name, old, new)
            return
        kind = self.writer.write(
            entry,
            name,
            ours[name],
            theirs[name],
            recipient=row.recipient,
            release_on=row.release_on,
        )
        self._change(entry.prisoner, kind, name, shown(name, ours[name]), shown(name, theirs[name]))

    def _gone(self, entries: list[Known]) -> None:
        for entry in entries:
            self._change(entry.prisoner, Change.Kind.GONE)
        Prisoner.objects.filter(pk__in=[e.prisoner.pk for e in entries]).update(listed=False)


FACILITY_WORDS = (
    (Facility.Kind.PENAL_COLONY, ("colony", "калон", "колон", "ик-", "ік-", "пк-")),
    (Facility.Kind.PRE_TRIAL, ("pre-trial", "detention centre", "сизо", "сіза")),
    (Facility.Kind.PRISON, ("prison", "турма", "тюрьма")),
)


def facility_kind(name: str) -> str:
    """A guess from the facility's name, which an organizer can change in the admin."""
    lower = name.casefold()
    for kind, words in FACILITY_WORDS:
        if any(word in lower for word in words):
            return kind
    return Facility.Kind.OTHER


def current_periods(case_ids: list[int], on: date) -> dict[int, AddressPeriod]:
    """The address period valid on `on` for each case that has one."""
    found: dict[int, AddressPeriod] = {}
    for start in range(0, len(case_ids), CHUNK):
        periods = (
            AddressPeriod.objects.filter(
                case_id__in=case_ids[start : start + CHUNK], valid_from__lte=on
            )
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
            .select_related("facility")
            .order_by("case_id", "valid_from", "pk")
        )
        found.update({p.case_id: p for p in periods})  # the latest start wins
    return found
