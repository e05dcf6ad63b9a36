"""Static web assets: installable manifest, icon sizes, vendored htmx, colour contrast,
and that the hand-written JavaScript parses and avoids eval (strict CSP).

No network and no browser: files are read from pwa/static; `node --check` parses JS.
"""

import json
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parents[3] / "pwa" / "static"


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", f"{path.name} is not a PNG"
    return struct.unpack(">II", data[16:24])


def static_path(url: str) -> Path:
    assert url.startswith("/static/"), url
    return STATIC / url.removeprefix("/static/")


@pytest.fixture(scope="module")
def manifest() -> dict:
    return json.loads((STATIC / "manifest.webmanifest").read_text(encoding="utf-8"))


def test_manifest_has_what_chromium_installability_needs(manifest: dict) -> None:
    assert manifest["name"] == manifest["short_name"] == "secpool"
    assert manifest["id"] == manifest["start_url"] == manifest["scope"] == "/"
    assert manifest["display"] in {"standalone", "fullscreen", "minimal-ui"}
    assert manifest.get("prefer_related_applications") is not True
    png_any = {i["sizes"] for i in manifest["icons"] if i["type"] == "image/png" and i.get("purpose", "any") == "any"}
    assert {"192x192", "512x512"} <= png_any
    assert any(i.get("purpose") == "maskable" and i["sizes"] == "512x512" for i in manifest["icons"])


def test_manifest_colours_match_the_stylesheet(manifest: dict) -> None:
    light = css_tokens()[0]
    assert manifest["theme_color"] == light["--color-primary"]
    assert manifest["background_color"] == light["--color-bg"]


def test_manifest_shortcuts_open_new_request_and_wall(manifest: dict) -> None:
    assert {s["url"] for s in manifest["shortcuts"]} == {"/requests/new", "/wall"}


def test_every_manifest_png_exists_with_its_declared_size(manifest: dict) -> None:
    icons = manifest["icons"] + [i for s in manifest["shortcuts"] for i in s.get("icons", [])]
    for icon in icons:
        path = static_path(icon["src"])
        assert path.is_file(), icon["src"]
        if icon["type"] == "image/png":
            width, height = png_size(path)
            assert f"{width}x{height}" == icon["sizes"], icon["src"]


def test_apple_touch_icon_is_180_px_and_favicon_is_svg() -> None:
    assert png_size(STATIC / "icons" / "apple-touch-icon.png") == (180, 180)
    assert (STATIC / "icons" / "favicon.svg").read_text(encoding="utf-8").lstrip().startswith("<svg")


def test_vendored_htmx_is_2_0_x_with_the_sse_extension() -> None:
    htmx = (STATIC / "vendor" / "htmx.min.js").read_text(encoding="utf-8")
    versions = re.findall(r'version:"([^"]+)"', htmx)
    assert versions and all(re.fullmatch(r"2\.0\.\d+", v) for v in versions), versions
    sse = (STATIC / "vendor" / "htmx-ext-sse.js").read_text(encoding="utf-8")
    assert "htmx.defineExtension('sse'" in sse
    notes = (STATIC / "vendor" / "VERSIONS.txt").read_text(encoding="utf-8")
    assert f"htmx.org {versions[0]}" in notes


# ---------- colour contrast (WCAG 2.2: 4.5:1 for text, 3:1 for UI outlines) ----------

TEXT_PAIRS = [
    ("--color-text", "--color-bg"),
    ("--color-text", "--color-surface"),
    ("--color-text", "--color-surface-sunken"),
    ("--color-text", "--color-primary-soft"),
    ("--color-text-muted", "--color-bg"),
    ("--color-text-muted", "--color-surface"),
    ("--color-primary", "--color-bg"),  # links, current tab
    ("--color-primary", "--color-surface"),
    ("--color-primary", "--color-primary-soft"),  # quiet button hover
    ("--color-primary-strong", "--color-surface"),
    ("--color-on-primary", "--color-primary"),
    ("--color-on-primary", "--color-primary-strong"),
    ("--color-on-danger", "--color-danger"),
    ("--color-danger", "--color-surface"),  # .field-error
    ("--color-danger", "--color-bg"),
]
UI_PAIRS = [
    ("--color-field-border", "--color-surface"),
    ("--color-focus", "--color-bg"),
    ("--color-focus", "--color-surface"),
]


def css_tokens() -> tuple[dict[str, str], dict[str, str]]:
    """Hex custom properties of the light :root and of the dark-scheme :root."""
    css = (STATIC / "app.css").read_text(encoding="utf-8")
    light = re.search(r"^:root\s*\{(.*?)\}", css, re.S | re.M)
    dark = re.search(r"prefers-color-scheme:\s*dark\)\s*\{\s*:root\s*\{(.*?)\}", css, re.S)
    assert light and dark, "app.css needs a light :root and a dark-scheme :root block"

    def hexes(block: str) -> dict[str, str]:
        return dict(re.findall(r"(--[\w-]+):\s*(#[0-9a-fA-F]{6})\b", block))

    return hexes(light.group(1)), hexes(dark.group(1))


def contrast(a: str, b: str) -> float:
    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def fg_bg_pairs(tokens: dict[str, str]) -> list[tuple[str, str]]:
    """Each --x-fg token (chips, banners) is text on its --x-bg partner."""
    return [(name, name.removesuffix("-fg") + "-bg") for name in tokens if name.endswith("-fg")]


def below(minimum: float, pairs: list[tuple[str, str]], tokens: dict[str, str]) -> dict[tuple[str, str], float]:
    ratios = {(fg, bg): contrast(tokens[fg], tokens[bg]) for fg, bg in pairs}
    return {pair: round(ratio, 2) for pair, ratio in ratios.items() if ratio < minimum}


def test_contrast_calculation_matches_known_values() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("theme", [0, 1], ids=["light", "dark"])
def test_text_colour_pairs_meet_4_5_to_1(theme: int) -> None:
    tokens = css_tokens()[theme]
    pairs = TEXT_PAIRS + fg_bg_pairs(tokens)
    assert len(fg_bg_pairs(tokens)) >= 10  # six status chips + four banners
    assert below(4.5, pairs, tokens) == {}


@pytest.mark.parametrize("theme", [0, 1], ids=["light", "dark"])
def test_input_borders_and_focus_ring_meet_3_to_1(theme: int) -> None:
    tokens = css_tokens()[theme]
    assert below(3.0, UI_PAIRS, tokens) == {}


def test_stylesheet_has_every_status_chip_and_respects_user_preferences() -> None:
    css = (STATIC / "app.css").read_text(encoding="utf-8")
    for status in ("submitted", "offered", "in_progress", "waiting_on_requester", "done", "cancelled"):
        assert f"chip--{status}" in css
    assert "prefers-reduced-motion: reduce" in css
    assert "[hidden] { display: none !important; }" in css  # install/push buttons rely on it


# ---------- JavaScript: parses, and never evaluates strings ----------


@pytest.mark.parametrize("name", ["app.js", "sw.js"])
def test_script_has_no_eval_or_function_constructor(name: str) -> None:
    source = (STATIC / name).read_text(encoding="utf-8")
    assert not re.search(r"\beval\s*\(|new\s+Function\b", source)


@pytest.mark.parametrize("name", ["app.js", "sw.js"])
def test_script_is_valid_javascript(name: str) -> None:
    node = shutil.which("node")
    assert node is not None, "node is needed to check the scripts' syntax"
    result = subprocess.run([node, "--check", str(STATIC / name)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_service_worker_precaches_the_shell_and_never_caches_events() -> None:
    """The worker names static files by their plain names; the pwa fills in their hashed
    addresses when it serves it (tests/unit/pwa_static/test_hashed_assets.py)."""
    sw = (STATIC / "sw.js").read_text(encoding="utf-8")
    assert "const OFFLINE_URL = '/offline';" in sw
    assert sw.count("const ASSETS = {};") == 1
    for name in ("app.css", "app.js", "vendor/htmx.min.js", "vendor/htmx-ext-sse.js", "icons/icon-192.png"):
        assert f"'{name}'" in sw, name
    for name in re.findall(r"asset\('([^']+)'\)", sw):
        assert (STATIC / name).is_file(), name
    assert "'/events'" in sw and "text/event-stream" in sw
