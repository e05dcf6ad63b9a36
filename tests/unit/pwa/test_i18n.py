"""Language choice and localised formats (Babel), without a server."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from pwa import i18n


def test_an_explicit_choice_beats_the_account_which_beats_the_browser():
    assert i18n.choose("en-GB,en;q=0.9", preferred="nl", cookie="en") == "en"
    assert i18n.choose("en-GB,en;q=0.9", preferred="nl") == "nl"
    assert i18n.choose("fr-FR,en;q=0.8") == "en"
    assert i18n.choose("fr-FR", cookie="de") == "nl"


NOW = datetime(2026, 11, 27, 13, 0, tzinfo=UTC)  # a Friday, 14:00 in Amsterdam
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def test_dates_and_times_are_written_the_way_each_language_writes_them():
    nl, en = i18n.formatters("nl", AMSTERDAM, lambda: NOW), i18n.formatters("en", AMSTERDAM, lambda: NOW)
    assert nl["due"]("2026-11-27T15:30:00Z") == "16:30" == en["due"]("2026-11-27T15:30:00Z")
    assert nl["due"](NOW + timedelta(days=1)) == "za 14:00" and en["due"](NOW + timedelta(days=1)) == "Sat 14:00"
    assert nl["when"](NOW) == "27 nov 2026, 14:00" and en["when"](NOW) == "27 Nov 2026, 14:00"
    assert nl["ago"](NOW - timedelta(minutes=5)) == "5 minuten geleden"
    assert en["ago"](NOW + timedelta(hours=2)) == "in 2 hours"
    assert nl["ago"](NOW) == "zojuist" and en["ago"](NOW) == "just now"


def test_numbers_and_durations_follow_the_language():
    nl, en = i18n.formatters("nl", AMSTERDAM), i18n.formatters("en", AMSTERDAM)
    assert nl["number"](1234.5, 1) == "1.234,5" and en["number"](1234.5, 1) == "1,234.5"
    assert nl["minutes"](90) == "1,5 uur" and en["minutes"](90) == "1.5 hours"
    assert nl["minutes"](30) == "30 min" and en["minutes"](2880) == "2 days"
    assert nl["percent"](0.93) == "93%"


def test_statuses_and_skills_have_words_in_both_languages():
    assert i18n.status_text("nl", "waiting_on_requester", for_requester=True) == "Vraag voor jou"
    assert i18n.status_text("en", "waiting_on_requester") == "Waiting for answer"
    assert i18n.skill_text("nl", "travel") == "Reizen" and i18n.skill_text("en", "new_skill") == "New skill"


def test_bad_timestamps_render_as_nothing():
    f = i18n.formatters("en", AMSTERDAM)
    assert f["when"](None) == f["due"]("not a date") == f["day"]("") == ""
