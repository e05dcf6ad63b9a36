"""Dutch and English: which language a person gets, and the gettext catalogue for it.

Catalogues are Babel/gettext files in `pwa/locales/<lang>/LC_MESSAGES/messages.mo`; a missing
catalogue falls back to the English source strings.
"""

from functools import cache
from pathlib import Path
from typing import Any

from babel.support import NullTranslations, Translations

LANGUAGES = ("nl", "en")
DEFAULT = "nl"
LOCALES = Path(__file__).parent / "locales"


@cache
def translations(language: str) -> NullTranslations:
    return Translations.load(str(LOCALES), [language], domain="messages")


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


def template_helpers(language: str) -> dict[str, Any]:
    t = translations(language)
    return {"_": t.gettext, "ngettext": t.ngettext, "lang": language}
