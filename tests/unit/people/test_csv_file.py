"""The people CSV, checked and compared without a database: every bad line is named with its
number, and a file already imported changes nothing."""

import pytest

from pwa.people import csv_file
from pwa.people.csv_file import Change
from pwa.people.rules import PersonFields, pool_lookup

POOLS = pool_lookup([("secretariaat", "Secretariaat", "Secretariat"), ("hr", "Personeelszaken", "HR")])
HEADER = "email,name,roles,pools,language\n"


def test_a_good_file_reads_roles_and_pools_by_name_or_id():
    text = (
        HEADER
        + "Sanne@Example.org,Sanne de Vries,secretary,Secretariaat,nl\n"
        + "bram@example.org,Bram,staff;lead,hr;Secretariat,en\n"
    )
    lines, problems = csv_file.parse(text, POOLS)
    assert problems == []
    assert [line.number for line in lines] == [2, 3]
    assert lines[0].person == PersonFields(
        email="sanne@example.org", name="Sanne de Vries", roles=("secretary",), pools=("secretariaat",), language="nl"
    )
    assert lines[1].person.roles == ("staff", "lead") and lines[1].person.pools == ("hr", "secretariaat")


def test_empty_roles_mean_staff_and_an_empty_language_means_dutch():
    lines, problems = csv_file.parse(HEADER + "anna@example.org,Anna,,,\n", POOLS)
    assert problems == [] and lines[0].person.roles == ("staff",) and lines[0].person.language == "nl"


def test_every_bad_line_is_reported_with_its_number():
    text = (
        HEADER
        + "anna@example.org,Anna,staff,,nl\n"
        + "not-an-address,Bram,staff,,nl\n"
        + "carla@example.org,Carla,boss,,nl\n"
        + "dirk@example.org,Dirk,secretary,Finance,nl\n"
        + "ANNA@example.org,Anna again,staff,,nl\n"
        + "emma@example.org,Emma,secretary,secretariaat;hr,nl\n"
        + "fleur@example.org,Fleur,staff,,de\n"
        + "gijs@example.org,Gijs\n"
    )
    _lines, problems = csv_file.parse(text, POOLS)
    by_line = {p.number: p.text for p in problems}
    assert sorted(by_line) == [3, 4, 5, 6, 7, 8, 9]
    assert "not an e-mail address" in by_line[3]
    assert "unknown role boss" in by_line[4]
    assert "unknown pool Finance" in by_line[5]
    assert "already on line 2" in by_line[6]
    assert "exactly one pool" in by_line[7]
    assert "unknown language" in by_line[8]
    assert "expected 5 columns" in by_line[9]


def test_a_wrong_header_stops_at_line_one():
    lines, problems = csv_file.parse("mail,naam\nanna@example.org,Anna\n", POOLS)
    assert lines == [] and problems[0].number == 1 and "email,name,roles,pools,language" in problems[0].text


def test_changes_compare_with_the_accounts_that_exist():
    lines, _ = csv_file.parse(
        HEADER
        + "anna@example.org,Anna,staff,,nl\n"
        + "bram@example.org,Bram Bos,staff;lead,hr,nl\n"
        + "new@example.org,New,staff,,en\n",
        POOLS,
    )
    existing = {
        "anna@example.org": (
            "a1",
            PersonFields(email="anna@example.org", name="Anna", roles=("staff",), pools=(), language="nl"),
        ),
        "bram@example.org": (
            "b1",
            PersonFields(email="bram@example.org", name="Bram", roles=("lead", "staff"), pools=("hr",), language="nl"),
        ),
    }
    found = csv_file.changes(lines, existing)
    assert [c.kind for c in found] == ["unchanged", "update", "create"]
    assert found[1] == Change(kind="update", person=lines[1].person, fields=("name",), account_id="b1")


@pytest.mark.parametrize("bom", ["", "\ufeff"])
def test_a_spreadsheet_export_with_a_byte_order_mark_and_blank_lines_reads_the_same(bom):
    lines, problems = csv_file.parse(bom + HEADER + "\n" + "anna@example.org,Anna,staff,,nl\n\n", POOLS)
    assert problems == [] and [line.number for line in lines] == [3]
