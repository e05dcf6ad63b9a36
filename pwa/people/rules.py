"""What makes a person's details acceptable (pure): a real e-mail address, a name, known roles,
known pools, a language we speak. A secretary works in exactly one pool; a lead leads at least
one (and may lead several); for staff, pools are the pools that serve them."""

import re
from collections.abc import Iterable, Mapping

import msgspec

ROLES = ("staff", "secretary", "lead", "admin")
LANGUAGES = ("nl", "en")
EMAIL = re.compile(r"^[^@\s,;<>\"]+@[^@\s,;<>\"]+\.[^@\s,;<>\".]+$")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,49}$")


class PersonFields(msgspec.Struct, frozen=True, kw_only=True):
    email: str
    name: str
    roles: tuple[str, ...]
    pools: tuple[str, ...]
    language: str = "nl"


class Problem(msgspec.Struct, frozen=True):
    """One thing wrong: the field and a sentence in English (the pages translate by `code`)."""

    field: str
    code: str
    text: str


def normal_email(email: str) -> str:
    return email.strip().lower()


def problems(p: PersonFields, known_pools: Iterable[str]) -> list[Problem]:
    found = []
    known = set(known_pools)
    if len(p.email) > 254 or not EMAIL.match(p.email):
        found.append(Problem("email", "bad_email", f"'{p.email}' is not an e-mail address"))
    if not p.name.strip() or len(p.name) > 200:
        found.append(Problem("name", "bad_name", "a name is needed (at most 200 characters)"))
    unknown_roles = [r for r in p.roles if r not in ROLES]
    if unknown_roles:
        found.append(
            Problem("roles", "unknown_role", f"unknown role {', '.join(unknown_roles)} (use {', '.join(ROLES)})")
        )
    elif not p.roles:
        found.append(Problem("roles", "no_role", "give at least one role"))
    unknown_pools = [x for x in p.pools if x not in known]
    if unknown_pools:
        found.append(Problem("pools", "unknown_pool", f"unknown pool {', '.join(unknown_pools)}"))
    elif "secretary" in p.roles and len(p.pools) != 1:
        found.append(Problem("pools", "secretary_pools", "a secretary works in exactly one pool"))
    elif "lead" in p.roles and not p.pools:
        found.append(Problem("pools", "lead_pools", "a lead leads at least one pool"))
    if p.language not in LANGUAGES:
        found.append(Problem("language", "bad_language", f"unknown language '{p.language}' (use nl or en)"))
    return found


def pool_lookup(pools: Iterable[tuple[str, str, str]]) -> dict[str, str]:
    """(id, Dutch name, English name) → every way to name a pool (lower case) → its id."""
    found: dict[str, str] = {}
    for pool_id, name_nl, name_en in pools:
        for key in (pool_id, name_nl, name_en):
            found.setdefault(key.strip().lower(), pool_id)
    return found


def pool_ids(names: Iterable[str], lookup: Mapping[str, str]) -> tuple[str, ...]:
    """Pool names or ids as typed → ids; an unknown one is kept as typed (problems() names it)."""
    return tuple(dict.fromkeys(lookup.get(n.strip().lower(), n.strip()) for n in names if n.strip()))


def slug(name: str) -> str:
    """A pool id from its name: 'Secretariaat Noord' → 'secretariaat-noord'."""
    found = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:50].strip("-")
    return found if len(found) >= 2 else "pool"
