"""The Dutch catalogue: it holds every message the current code uses, each translated with its
placeholders intact, and the pwa reads it as written. No I/O beyond reading files."""

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from pwa.i18n import translations

PWA = Path(__file__).resolve().parents[3] / "pwa"
LOCALES = PWA / "locales"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def key(message_id: str | tuple[str, ...]) -> str:
    return message_id if isinstance(message_id, str) else message_id[0]


@pytest.fixture(scope="module")
def dutch():
    with (LOCALES / "nl" / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f, locale="nl")


def test_the_catalogue_holds_every_message_the_code_uses(dutch):
    with (PWA / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    in_code = {key(m[2]) for m in extract_from_dir(str(PWA), method_map, options_map)}
    in_catalogue = {key(m.id) for m in dutch if m.id}
    assert in_code - in_catalogue == set(), "run the pybabel commands in pwa/babel.cfg"


def test_every_message_has_a_dutch_translation_with_the_same_placeholders(dutch):
    for m in dutch:
        if not m.id:
            continue
        strings = [m.string] if isinstance(m.string, str) else list(m.string)
        ids = [m.id] if isinstance(m.id, str) else list(m.id)
        assert all(strings), f"no Dutch for {m.id!r}"
        assert not m.fuzzy, f"fuzzy translation for {m.id!r}"
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        for s in strings:
            assert set(PLACEHOLDER.findall(s)) == wanted, f"placeholders differ in {m.id!r}: {s!r}"


def test_the_pwa_speaks_what_the_catalogue_says(dutch):
    spoken = translations("nl")
    for m in dutch:
        if m.id and isinstance(m.id, str):
            assert spoken.gettext(m.id) == m.string, m.id
