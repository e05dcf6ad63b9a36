"""Dutch and English: which language a person gets, the gettext catalogue for it, and
localised dates, relative times and numbers for templates (Babel).

Catalogues are gettext `.po` files in `pwa/locales/<lang>/LC_MESSAGES/messages.po`, read
once per process (no compiled `.mo` to keep in step; see pwa/babel.cfg); a missing catalogue
falls back to the English source strings.
"""

import io
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel import dates, numbers, units
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LANGUAGES = ("nl", "en")
DEFAULT = "nl"
LOCALES = Path(__file__).parent / "locales"
# English as written in a Dutch organisation: 24-hour clock, day before month.
FORMAT_LOCALES = {"nl": "nl_NL", "en": "en_GB"}


@cache
def translations(language: str) -> NullTranslations:
    path = LOCALES / language / "LC_MESSAGES" / "messages.po"
    if not path.exists():
        return NullTranslations()
    with path.open("rb") as po:
        catalog = read_po(po, locale=language)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain="messages")


def choose(accept_language: str | None, preferred: str | None = None, cookie: str | None = None) -> str:
    """The person's explicit choice, else their account's, else the browser's, else Dutch."""
    for candidate in (cookie, preferred):
        if candidate in LANGUAGES:
            return candidate
    for part in (accept_language or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return DEFAULT


def moment(value: Any) -> datetime | None:
    """A timestamp from a service's JSON (ISO 8601 text) as an aware datetime."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def day_of(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def formatters(
    language: str, zone: ZoneInfo, now: Callable[[], datetime] = lambda: datetime.now(UTC)
) -> dict[str, Any]:
    """Template helpers that write dates, times and numbers the way the language does, times
    on the wall clock of `zone` (the organisation's time zone, a platform setting)."""
    locale = FORMAT_LOCALES.get(language, language)

    def when(value: Any) -> str:
        at = moment(value)
        if at is None:
            return ""
        local = at.astimezone(zone)
        time = dates.format_time(local, "short", locale=locale)
        return f"{dates.format_date(local.date(), 'medium', locale=locale)}, {time}"

    def clock(value: Any) -> str:
        at = moment(value)
        return dates.format_time(at, "short", tzinfo=zone, locale=locale) if at else ""

    def due(value: Any) -> str:
        """A moment near now: "14:30" today, "vr 14:30" this week, else a short date and time."""
        at = moment(value)
        if at is None:
            return ""
        local, today = at.astimezone(zone), now().astimezone(zone)
        if local.date() == today.date():
            return dates.format_time(at, "short", tzinfo=zone, locale=locale)
        if abs((local.date() - today.date()).days) < 7:
            return dates.format_skeleton("EEEHm", at, tzinfo=zone, locale=locale)
        return dates.format_datetime(at, "short", tzinfo=zone, locale=locale)

    def day(value: Any, style: str = "medium") -> str:
        d = day_of(value)
        return dates.format_date(d, style, locale=locale) if d else ""

    def ago(value: Any) -> str:
        at = moment(value)
        if at is None:
            return ""
        delta = at - now()
        if abs(delta) < timedelta(seconds=45):
            return translations(language).gettext("just now")
        return dates.format_timedelta(delta, add_direction=True, threshold=1.1, locale=locale)

    def minutes(value: float) -> str:
        """A duration: "45 min", "1,5 uur", "2 days"."""
        if value < 60:
            return units.format_unit(round(value), "duration-minute", length="short", locale=locale)
        if value < 1440:
            hours = round(value / 60, 1)
            return units.format_unit(hours, "duration-hour", length="long", locale=locale, format="#,##0.#")
        return units.format_unit(round(value / 1440, 1), "duration-day", length="long", locale=locale, format="#,##0.#")

    def number(value: float, digits: int = 0) -> str:
        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        return numbers.format_decimal(value, format=pattern, locale=locale)

    def percent(value: float) -> str:
        return numbers.format_percent(value, locale=locale)

    def file_size(size: int) -> str:
        """A file's size: "820 kB", "2,4 MB"."""
        if size < 1000 * 1000:
            return units.format_unit(max(1, round(size / 1000)), "digital-kilobyte", length="short", locale=locale)
        return units.format_unit(
            round(size / 1e6, 1), "digital-megabyte", length="short", locale=locale, format="#,##0.#"
        )

    return {
        "when": when,
        "clock": clock,
        "due": due,
        "day": day,
        "ago": ago,
        "minutes": minutes,
        "number": number,
        "percent": percent,
        "file_size": file_size,
        "iso": lambda v: a.isoformat() if (a := moment(v)) else "",
    }


def status_text(language: str, status: str, for_requester: bool = False) -> str:
    """A request's status in words (the chip, and what #live-status announces)."""
    _ = translations(language).gettext
    labels = {
        "submitted": _("Waiting"),
        "offered": _("Offered"),
        "in_progress": _("In progress"),
        "waiting_on_requester": _("Question for you") if for_requester else _("Waiting for answer"),
        "done": _("Done"),
        "cancelled": _("Cancelled"),
    }
    return labels.get(status, status.replace("_", " "))


def skill_text(language: str, skill: str) -> str:
    """A skill's name; skills the catalogue does not know yet read as their id."""
    _ = translations(language).gettext
    labels = {
        "agenda": _("Diary and meetings"),
        "travel": _("Travel"),
        "correspondence": _("Correspondence"),
        "minutes": _("Minute-taking"),
        "documents": _("Documents"),
        "events": _("Events"),
        "expenses": _("Expenses"),
        "onboarding": _("Onboarding"),
    }
    return labels.get(skill, skill.replace("_", " ").replace("-", " ").capitalize())


def template_helpers(language: str, zone: ZoneInfo) -> dict[str, Any]:
    t = translations(language)
    return {
        "_": t.gettext,
        "ngettext": t.ngettext,
        "lang": language,
        "timezone": zone.key,
        "status_label": lambda status, for_requester=False: status_text(language, status, for_requester),
        "skill_label": lambda skill: skill_text(language, skill),
        **formatters(language, zone),
    }
