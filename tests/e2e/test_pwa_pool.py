"""The pool's own forms over plain HTTP (no JavaScript): presence, learning goals, a policy
change that shows up in the history with who and why, and a skill level proposed by one
member and confirmed by another."""

import re
from collections.abc import Callable

from tests.e2e import test_pwa_pages
from tests.e2e.conftest import Processes
from tests.e2e.test_pwa_pages import Person

people = test_pwa_pages.people  # the shared fixture
system = test_pwa_pages.system


def test_the_pool_sets_presence_goals_policy_and_levels(system: Processes, people: Callable[..., Person]) -> None:
    sanne, emma = people("en"), people("en")
    for person in (sanne, emma):
        person.http.cookies.set("secpool_lang", "en", domain="127.0.0.1")
    sanne.sign_in("sanne@example.org")
    emma.sign_in("emma@example.org")

    assert sanne.post("/offers/presence", {"presence": "away"}).headers["location"] == "/offers?notice=presence"
    assert 'value="away" aria-pressed="true"' in sanne.page("/offers").text

    sanne.post("/pool/learning", {"skills": ["events", "minutes"]})
    pool = sanne.page("/pool").text
    assert re.search(r'value="events" checked', pool) and re.search(r'value="minutes" checked', pool)

    refused = sanne.post("/pool/policy", {"skill_weight": "99", "why": ""})
    assert refused.status_code == 422 and 'aria-invalid="true"' in refused.text
    policy = sanne.page("/pool/policy").text
    form = dict(re.findall(r'name="(\w+)" inputmode="decimal" value="([^"]*)"', policy))
    changed = sanne.post("/pool/policy", {**form, "development_share": "25", "why": "Meer ruimte om te leren"})
    assert changed.status_code == 303
    history = sanne.page("/pool/policy").text
    assert "Sanne de Vries changed the policy" in history and "Meer ruimte om te leren" in history
    assert 'value="25"' in history

    emma_id = re.search(r'<option value="([^"]+)">Emma Smit</option>', pool)
    assert emma_id
    proposed = sanne.post("/pool/skill-proposals", {"member_id": emma_id.group(1), "skill": "travel", "level": "3"})
    assert proposed.headers["location"] == "/pool?notice=proposed#levels"
    confirm = re.search(r'action="(/pool/skill-proposals/[^"]+/confirm)"', emma.page("/pool").text)
    assert confirm, "another member sees the proposal to confirm"
    assert confirm.group(1) not in sanne.page("/pool").text  # nobody confirms their own proposal
    assert emma.post(confirm.group(1), {}).headers["location"] == "/pool?notice=confirmed#levels"
    emma_row = emma.page("/pool").text.split('<span class="card__title">Emma Smit</span>', 1)[1].split("</ul>", 1)[0]
    assert "Travel · level 3" in emma_row
