"""The README says what `secpool up` prints and who is in the demo: both follow the code and
services/demo/organisation.json."""

import re
from pathlib import Path

import pytest

from services.cli.up import _banner
from services.demo import organisation

README = (Path(__file__).parents[2] / "README.md").read_text()


def section(title: str) -> str:
    start = README.index(title)
    return README[start : README.index("\n## ", start + 1)]


def test_the_readme_shows_exactly_what_secpool_up_prints_with_the_demo(capsys: pytest.CaptureFixture[str]) -> None:
    _banner("http://127.0.0.1:8000", True, Path(".secpool"))
    printed = capsys.readouterr().out.strip("\n")
    shown = section("## What you see after `secpool up`").split("```")[1]
    assert shown.rstrip("\n").endswith(printed), f"the README should show:\n{printed}"


def test_the_readme_lists_everyone_in_the_demo_organisation_by_role() -> None:
    listed = dict(
        re.findall(r"^- (staff|secretaries|lead|admin)[^:]*: ((?:.|\n  )+)$", section("## What you see"), re.MULTILINE)
    )
    names = {role: [n.strip() for n in text.replace("\n", " ").split(",")] for role, text in listed.items()}
    people = organisation().people
    by_role = {
        "staff": [p for p in people if p.roles == ["staff"]],
        "secretaries": [p for p in people if "secretary" in p.roles],
        "lead": [p for p in people if "lead" in p.roles],
        "admin": [p for p in people if "admin" in p.roles],
    }
    for role, members in by_role.items():
        assert names[role] == [p.email.removesuffix("@example.org") for p in members], role
    assert organisation().password == "demo" and "`demo`" in section("## What you see")
