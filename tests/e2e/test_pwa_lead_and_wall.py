"""The lead's forms and the wall's over plain HTTP (no JavaScript): a request type created,
edited, retired (with its history); staff see the change; kudos sent, reacted to, reported,
and taken off the wall by a moderator."""

import re
from collections.abc import Callable

from tests.e2e import test_pwa_pages
from tests.e2e.conftest import Processes
from tests.e2e.test_pwa_pages import LEAD, MEMBER, STAFF, Person

people = test_pwa_pages.people  # the shared fixtures
system = test_pwa_pages.system


def english(person: Person, email: str) -> Person:
    person.http.cookies.set("secpool_lang", "en", domain="127.0.0.1")
    return person.sign_in(email)


def test_the_lead_keeps_the_catalogue_and_staff_see_it(system: Processes, people: Callable[..., Person]) -> None:
    lead, staff = english(people(), LEAD), english(people(), STAFF)
    assert staff.http.get("/lead/types").status_code == 403

    form = {
        "name_nl": "Juridisch advies inwinnen",
        "name_en": "Get legal advice",
        "description_nl": "",
        "description_en": "",
        "skill": "correspondence",
        "min_level": "3",
        "language": "any",
        "pickup_minutes": "240",
        "complete_minutes": "2880",
        "minutes_saved": "120",
        "work_minutes": "60",
    }
    bad = lead.post("/lead/types/new", {**form, "pickup_minutes": "soon"})
    assert bad.status_code == 422 and 'id="pickup_minutes-error"' in bad.text
    created = lead.post("/lead/types/new", form)
    assert created.status_code == 303
    type_path = created.headers["location"].split("?")[0]
    assert "Get legal advice" in staff.page("/requests/new").text

    assert lead.post(type_path, {**form, "pickup_minutes": "120"}).status_code == 303
    page = lead.page(type_path).text
    assert 'value="120"' in page and "Marloes Verhoeven changed it" in page
    assert lead.post(f"{type_path}/retire", {}).status_code == 303
    assert "Get legal advice" not in staff.page("/requests/new").text
    assert "Retired" in lead.page("/lead/types").text


def test_kudos_are_sent_reacted_to_reported_and_moderated(system: Processes, people: Callable[..., Person]) -> None:
    staff, member, lead = english(people(), STAFF), english(people(), MEMBER), english(people(), LEAD)
    picker = staff.page("/wall/new").text
    sanne = re.search(r'name="recipients" value="([^"]+)"[^>]*> Sanne de Vries', picker)
    assert sanne
    empty = staff.post("/wall/kudos", {"message": "  "}, token_from="/wall/new")
    assert empty.status_code == 422 and 'id="recipients-error"' in empty.text and 'id="message-error"' in empty.text
    sent = staff.post("/wall/kudos", {"recipients": sanne.group(1), "message": "Top geregeld!", "value_id": "samen"})
    assert sent.headers["location"] == "/wall?notice=kudos"

    wall = member.page("/wall").text
    kudos_id = re.search(r'id="kudos-([0-9a-f-]{36})"', wall)
    assert kudos_id and "Anna Vermeulen thanks Sanne de Vries" in wall and "Top geregeld!" in wall
    reacted = member.post(f"/wall/{kudos_id.group(1)}/reaction", {"emoji": "🎉"})
    assert reacted.status_code == 303
    assert re.search(r'aria-pressed="true"\s+aria-label="Celebrate: 1"', member.page("/wall").text)
    fragment = member.http.post(
        f"/wall/{kudos_id.group(1)}/reaction",
        headers={"hx-request": "true"},
        data={"emoji": "🎉", "_csrf_token": member.token("/wall")},
    )
    assert fragment.text.lstrip().startswith("<article") and 'aria-label="Celebrate: 0"' in fragment.text
    assert "Top geregeld!" in member.page("/wall/mine").text

    assert staff.post(f"/wall/{kudos_id.group(1)}/report", {"reason": "te veel"}).status_code == 303
    assert staff.http.get("/wall/moderation").status_code == 403
    queue = lead.page("/wall/moderation").text
    assert "te veel" in queue and "Top geregeld!" in queue
    assert (
        lead.post(f"/wall/moderation/{kudos_id.group(1)}/hide", {"reason": ""})
        .headers["location"]
        .endswith("notice=no_reason")
    )
    assert lead.post(f"/wall/moderation/{kudos_id.group(1)}/hide", {"reason": "per ongeluk"}).status_code == 303
    assert "Top geregeld!" not in member.page("/wall").text
