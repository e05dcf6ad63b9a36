"""Template rules that hold for every page, read from the files (no rendering): each POST
form carries the CSRF field, no user text is marked safe, every hx- control sits on a
plain link or form that works without JavaScript, and nothing inline needs script."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[3] / "pwa" / "templates"
FILES = sorted(TEMPLATES.rglob("*.html"))
FORM = re.compile(r"<form\b[^>]*>.*?</form>", re.S | re.I)


def test_every_post_form_carries_the_csrf_field():
    for path in FILES:
        for form in FORM.findall(path.read_text(encoding="utf-8")):
            if re.search(r'method="post"', form, re.I):
                assert "{{ csrf_input | safe }}" in form, f"{path.name}: a POST form without the CSRF field"


def test_only_the_csrf_field_is_marked_safe():
    for path in FILES:
        uses = re.findall(r"\{\{[^}]*\|\s*safe[^}]*\}\}", path.read_text(encoding="utf-8"))
        assert all(u == "{{ csrf_input | safe }}" for u in uses), f"{path.name}: {uses}"


def test_hx_posts_sit_on_forms_that_post_without_javascript():
    for path in FILES:
        text = path.read_text(encoding="utf-8")
        for tag in re.findall(r"<(\w+)\b[^>]*\bhx-post=[^>]*>", text):
            assert tag == "form", f"{path.name}: hx-post on <{tag}> has no plain-form fallback"


def test_no_inline_script_style_or_handlers():
    for path in FILES:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), f"{path.name}: inline script"
        assert not re.search(r"\sstyle=|<style\b", text), f"{path.name}: inline style (the CSP blocks it)"
        assert not re.search(r"\son[a-z]+=", text), f"{path.name}: inline event handler"
