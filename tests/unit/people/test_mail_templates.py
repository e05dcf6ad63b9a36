"""Mail templates: every template exists in Dutch and English, starts with its subject, and
renders only with every value it uses (a missing one fails when queueing)."""

import jinja2
import pytest

from pwa.mail import templates

SAMPLES = {
    "invite": {
        "name": "Sanne",
        "email": "sanne@example.org",
        "inviter": "Admin",
        "link": "https://x/password/t",
        "days": 7,
    },
    "password_reset": {"name": "Sanne", "link": "https://x/password/t", "minutes": 30},
}


def test_every_template_has_both_languages_and_a_sample_here():
    assert set(templates.names()) >= set(SAMPLES)
    for name in templates.names():
        assert {p.name for p in (templates.FOLDER / name).iterdir()} >= {"nl.txt", "en.txt"}, name


@pytest.mark.parametrize("name", sorted(SAMPLES))
@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_template_renders_its_subject_and_body_with_the_link(name, language):
    subject, body = templates.render(name, language, SAMPLES[name])
    assert subject and "\n" not in subject
    assert "https://x/password/t" in body and "Sanne" in body


def test_a_missing_value_or_template_is_an_error_not_a_blank():
    with pytest.raises(jinja2.UndefinedError):
        templates.render("invite", "nl", {"name": "Sanne"})
    with pytest.raises(templates.UnknownTemplate):
        templates.render("no-such-template", "nl", {})
    with pytest.raises(templates.UnknownTemplate):
        templates.render("invite", "de", SAMPLES["invite"])
