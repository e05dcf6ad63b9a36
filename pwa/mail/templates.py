"""Mail templates: `templates/<name>/<language>.txt` rendered with Jinja (plain text, strict:
every value the template uses must be in the context)."""

from pathlib import Path
from typing import Any

import jinja2

FOLDER = Path(__file__).parent / "templates"
LANGUAGES = ("nl", "en")
_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(FOLDER),
    undefined=jinja2.StrictUndefined,
    autoescape=False,  # plain text; no HTML mail is sent
    keep_trailing_newline=True,
)


class UnknownTemplate(ValueError):
    """No such template, or not in that language."""


def names() -> list[str]:
    return sorted(p.name for p in FOLDER.iterdir() if p.is_dir())


def render(template: str, language: str, context: dict[str, Any]) -> tuple[str, str]:
    """(subject, body) of the template in the language."""
    if template not in names() or language not in LANGUAGES:
        raise UnknownTemplate(f"no mail template {template!r} in {language!r}")
    text = _env.get_template(f"{template}/{language}.txt").render(**context)
    head, _, body = text.partition("\n\n")
    if not head.startswith("Subject: "):
        raise UnknownTemplate(f"{template}/{language}.txt must start with 'Subject: '")
    return head.removeprefix("Subject: ").strip(), body.strip() + "\n"
