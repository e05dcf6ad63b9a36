"""The documents name real files: every repository path in the README, CONTRIBUTING.md and
docs/ (`services/intake/api.py`, `tests/data/`, a relative link such as `durability.md`) exists,
so a file that moves or goes takes its mentions with it."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").glob("*.md"))]
TOP = ("services", "pwa", "tests", "docs", "deploy", "benchmarks")
# A path starts at a top-level folder; a placeholder (`<name>`, `{pages,partials}`, `*.json`)
# ends what can be checked, so such a mention is left alone.
PATH = re.compile(rf"(?<![\w./<>-])((?:{'|'.join(TOP)})/[\w./-]*+)(?![\w<{{*])")
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


def mentioned_paths(text: str) -> set[str]:
    return {m.rstrip(".,:;") for m in PATH.findall(text)}


def linked_paths(text: str) -> set[str]:
    return {link for link in LINK.findall(text) if not re.match(r"^[a-z]+:", link)}


def test_the_documents_exist_and_the_readme_points_to_them() -> None:
    readme = (ROOT / "README.md").read_text()
    assert (ROOT / "CONTRIBUTING.md").exists() and (ROOT / "docs" / "architecture.md").exists()
    assert "CONTRIBUTING.md" in readme and "docs/architecture.md" in readme


def test_a_placeholder_is_not_taken_for_a_path() -> None:
    text = "`services/<name>/app.py`, `pwa/templates/{pages,partials}`, `benchmarks/results/*.json`, `x/services/y`"
    assert mentioned_paths(text) == set()
    assert mentioned_paths("see `services/intake/api.py`, then tests/data/.") == {
        "services/intake/api.py",
        "tests/data/",
    }


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda d: str(d.relative_to(ROOT)))
def test_every_path_a_document_names_exists(document: Path) -> None:
    text = document.read_text()
    missing = sorted(p for p in mentioned_paths(text) if not (ROOT / p).exists())
    missing += sorted(p for p in linked_paths(text) if not (document.parent / p).exists())
    assert missing == [], f"{document.relative_to(ROOT)} names files that do not exist"
