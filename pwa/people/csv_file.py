"""The people CSV (pure): columns `email,name,roles,pools,language`, roles and pools separated
by `;` (pools by name or id). Parsing reports every bad line with its number, and the import is
all or nothing; `changes` says what importing would do, so a second run of the same file does nothing."""

import csv
import io
from collections.abc import Mapping

import msgspec

from pwa.people.rules import PersonFields, normal_email, pool_ids, problems

COLUMNS = ("email", "name", "roles", "pools", "language")


class Line(msgspec.Struct, frozen=True):
    number: int
    person: PersonFields


class LineProblem(msgspec.Struct, frozen=True):
    number: int
    text: str


class Change(msgspec.Struct, frozen=True, kw_only=True):
    """One line's effect: "create", "update" (with the fields that change) or "unchanged"."""

    kind: str
    person: PersonFields
    fields: tuple[str, ...] = ()
    account_id: str | None = None


def _split(value: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v.strip() for v in value.split(";") if v.strip()))


def parse(text: str, pool_lookup: Mapping[str, str]) -> tuple[list[Line], list[LineProblem]]:
    """The file's people, and every problem with its line number (the header is line 1)."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip().lower() for h in next(reader, [])]
    if tuple(header) != COLUMNS:
        return [], [LineProblem(1, f"the first line must be: {','.join(COLUMNS)}")]
    lines: list[Line] = []
    found: list[LineProblem] = []
    first_seen: dict[str, int] = {}
    known = set(pool_lookup.values())
    for row in reader:
        number = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(COLUMNS):
            found.append(LineProblem(number, f"expected {len(COLUMNS)} columns, found {len(row)}"))
            continue
        email, name, roles, pools, language = (cell.strip() for cell in row)
        person = PersonFields(
            email=normal_email(email),
            name=name,
            roles=_split(roles.lower()) or ("staff",),
            pools=pool_ids(_split(pools), pool_lookup),
            language=language.lower() or "nl",
        )
        wrong = [p.text for p in problems(person, known)]
        if person.email in first_seen:
            wrong.append(f"{person.email} is already on line {first_seen[person.email]}")
        first_seen.setdefault(person.email, number)
        if wrong:
            found.extend(LineProblem(number, text) for text in wrong)
        else:
            lines.append(Line(number, person))
    return lines, found


def changes(lines: list[Line], existing: Mapping[str, tuple[str, PersonFields]]) -> list[Change]:
    """What importing does, given the accounts that exist (e-mail → (id, fields))."""
    found = []
    for line in lines:
        p = line.person
        if p.email not in existing:
            found.append(Change(kind="create", person=p))
            continue
        account_id, now = existing[p.email]
        differs = tuple(
            f
            for f in ("name", "roles", "pools", "language")
            if (sorted(getattr(p, f)) if f in ("roles", "pools") else getattr(p, f))
            != (sorted(getattr(now, f)) if f in ("roles", "pools") else getattr(now, f))
        )
        found.append(Change(kind="update" if differs else "unchanged", person=p, fields=differs, account_id=account_id))
    return found
