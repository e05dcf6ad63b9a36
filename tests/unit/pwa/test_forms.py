"""The pages' own form rules (no I/O): what a person gets told next to a field, and what is
sent on to the services."""

import msgspec

from pwa.gateway import ServiceError
from pwa.views import lead, offers, policy, reasons, request_page, requests
from pwa.views.common import back_to, names_of, safe_path
from services.contracts.intake_api import RequestView
from services.contracts.routing_api import Comparison, PolicyChangeView, ReasonView


def test_a_new_request_names_each_missing_part():
    form = requests.RequestForm(type_id="", description="  ", urgency="asap", idempotency_key="short")
    assert requests.problems(form) == {
        "type_id": "pick_type",
        "description": "describe",
        "urgency": "pick_urgency",
        "form": "stale_form",
    }
    ok = requests.RequestForm(type_id="letter", description=" Brief ", idempotency_key="k" * 36)
    assert requests.problems(ok) == {}
    assert requests.payload(ok, "en") == {
        "type_id": "letter",
        "description": "Brief",
        "urgency": "normal",
        "idempotency_key": "k" * 36,
        "language": "en",
    }


def test_intake_refusing_the_type_asks_to_pick_one_again_and_other_refusals_name_their_field():
    assert requests.refusal(ServiceError(422, "type_id: no such type", field="type_id")) == {"type_id": "pick_type"}
    assert requests.refusal(ServiceError(403, "type_id: another pool's")) == {"type_id": "pick_type"}
    assert requests.refusal(ServiceError(422, "wished_for: in the past", field="wished_for")) == {
        "wished_for": "refused"
    }
    assert requests.refusal(ServiceError(422, "no")) == {"form": "refused"}


def test_a_policy_change_sends_only_what_changed_and_reads_dutch_decimals():
    current = {
        "skill_weight": 0.5,
        "capacity_weight": 3.0,
        "continuity_weight": 0.3,
        "fairness_weight": 3.0,
        "growth_weight": 0.2,
        "development_share": 0.15,
        "offer_timeout_seconds": 120,
        "auto_accept": False,
    }
    form = {
        "skill_weight": "0,75",
        "capacity_weight": "3",
        "continuity_weight": "0.3",
        "fairness_weight": "3",
        "growth_weight": "0.2",
        "development_share": "20",
        "offer_timeout_seconds": "120",
        "why": "meer groei",
    }
    change, errors = policy.policy_change(form, current)
    assert errors == {} and change == {"skill_weight": 0.75, "development_share": 0.2}
    bad = {**form, "skill_weight": "11", "development_share": "x", "offer_timeout_seconds": "5", "why": ""}
    _, errors = policy.policy_change(bad, current)
    assert errors == {
        "skill_weight": "range_weight",
        "development_share": "range_share",
        "offer_timeout_seconds": "range_timeout",
        "why": "why",
    }


def test_the_policy_form_writes_decimals_as_the_language_does_and_reads_them_back():
    current = {"skill_weight": 1.25, "fairness_weight": 2.0, "development_share": 0.155, "offer_timeout_seconds": 86400}
    dutch, english = policy.form_of(current, "nl"), policy.form_of(current, "en")
    fields = ("skill_weight", "development_share", "offer_timeout_seconds", "fairness_weight")
    assert [dutch[f] for f in fields] == ["1,25", "15,5", "86400", "2"]
    assert [english[f] for f in fields] == ["1.25", "15.5", "86400", "2"]
    for form in (dutch, english):
        change, _ = policy.policy_change(
            {**form, "growth_weight": "0", "continuity_weight": "0", "capacity_weight": "0", "why": "same"}, current
        )
        assert change == {"growth_weight": 0.0, "continuity_weight": 0.0, "capacity_weight": 0.0}


def test_the_policy_history_says_what_each_change_changed():
    changes = [
        {"at": "2026-11-02T10:00:00Z", "changed_by": "b", "why": "later", "policy": {"skill_weight": 1.0}},
        {"at": "2026-11-01T10:00:00Z", "changed_by": "a", "why": "first", "policy": {"skill_weight": 0.5}},
    ]
    newest, first = policy.history(msgspec.convert(changes, list[PolicyChangeView]))
    assert newest["diff"] == [("skill_weight", 0.5, 1.0)] and first["first"] and first["diff"] == []


def test_a_request_type_needs_names_skill_level_and_whole_minutes():
    form = lead.TypeForm(
        name_nl="Brief",
        name_en="",
        skill="",
        min_level="7",
        pickup_minutes="1.5",
        complete_minutes="60",
        minutes_saved="-1",
        work_minutes="30",
    )
    _, errors = lead.type_fields(form, [])
    assert errors == {
        "name": "name",
        "skill": "skill",
        "min_level": "level",
        "pickup_minutes": "range_minutes",
        "minutes_saved": "range_minutes",
    }
    good = lead.TypeForm(
        name_nl="Brief",
        name_en="Letter",
        skill="Correspondence",
        min_level="2",
        pickup_minutes="60",
        complete_minutes="240",
        minutes_saved="20",
        work_minutes="15",
    )
    fields, errors = lead.type_fields(good, ["agenda"])
    assert errors == {} and fields["skill"] == "correspondence" and fields["extra_skills"] == ["agenda"]


def test_a_decline_reason_is_the_quick_choice_and_the_own_words_in_the_members_language():
    assert offers.decline_reason(offers.DeclineForm(reason="busy", detail=" tot 15 uur "), "nl") == (
        "Nu te druk: tot 15 uur"
    )
    assert offers.decline_reason(offers.DeclineForm(reason="skill"), "en") == "Not my skill"
    assert offers.decline_reason(offers.DeclineForm(), "en") == ""


def request_view(**fields: object) -> RequestView:
    """Intake's answer for one request, with these fields set (the rest as a fresh request)."""
    at = "2026-11-30T09:00:00Z"
    fresh = {
        "id": "6f1c7a52-3f6e-4d8e-9b1a-2c3d4e5f6a7b",
        "pool_id": "p",
        "requester_id": "r",
        "on_behalf_of": None,
        "type_id": "letter",
        "type_name": {"nl": "Brief", "en": "Letter"},
        "description": "a letter",
        "urgency": "normal",
        "wished_for": None,
        "language": "nl",
        "status": "submitted",
        "member_id": None,
        "buddy_id": None,
        "helper_ids": [],
        "version": 1,
        "submitted_at": at,
        "pickup_due_at": at,
        "done_due_at": at,
        "picked_up_at": None,
        "done_at": None,
        "cancelled_at": None,
        "waiting_since": None,
        "rating": None,
        "rating_comment": None,
        "pickup_at_risk": False,
        "done_at_risk": False,
        "pickup_breached": False,
        "done_breached": False,
    }
    return msgspec.convert({**fresh, **fields}, RequestView)


def test_the_live_part_names_its_state_and_says_what_changed():
    queue = {"position": 2, "waiting": 3, "expected_pickup_at": "2026-11-30T10:00:00Z", "basis": "queue"}
    item = request_view(version=4, queue=queue)
    assert request_page.shown_state(item) == "4-2" and request_page.shown_state(request_view(version=1)) == "1-0"
    assert request_page.live_message(item, "nl", True) == "Brief: Wacht · Nummer 2 in de wachtrij"


def test_redirect_targets_stay_on_this_site_and_names_are_listed_once():
    assert [safe_path(p) for p in ("/offers", "//evil.example", "https://evil.example", "/\\\\evil")] == [
        "/offers",
        "/",
        "/",
        "/",
    ]
    assert names_of(["a", None, "b", "a", "x"], {"a": "Anna", "b": "Bram"}) == ["Anna", "Bram"]


def test_routings_reasons_read_in_the_persons_language_and_the_others_are_only_counted():
    assert reasons.because_text("nl", ReasonView(code="knows_skill", skill="events", level=4)) == (
        "kent Evenementen goed (niveau 4)"
    )
    assert reasons.because_text("en", ReasonView(code="finishes_soonest", minutes=34.4)) == (
        "could have it done soonest: in about 34 minutes"
    )
    assert reasons.because_text("en", ReasonView(code="something_new")) == "a reason routing gives (something_new)"
    assert reasons.others_list("nl", {"away": 3, "declined": 1, "eligible": 2, "at_capacity": 0}) == [
        "2 hadden het ook kunnen oppakken",
        "1 sloeg het af of liet het aanbod verlopen",
        "3 niet beschikbaar",
    ]
    assert reasons.others_list("en", {"language": 1, "new_code": 2}) == [
        "1 does not speak the request's language",
        "2 for another reason",
    ]


def test_a_notice_goes_before_the_fragment():
    assert back_to("/pool#levels", "proposed").url == "/pool?notice=proposed#levels"
    assert back_to("/wall?before=x", "kudos").url == "/wall?before=x&notice=kudos"
    assert back_to("/offers").url == "/offers"


def test_the_policy_history_prefers_what_routing_recorded_and_orders_it_like_the_form():
    changes = [
        {
            "at": "2026-11-01T10:00:00Z",
            "changed_by": "a",
            "why": "first",
            "policy": {"fairness_weight": 2.0},
            "changes": {"fairness_weight": [4.0, 2.0], "skill_weight": [0.5, 1.0]},
        }
    ]
    [only] = policy.history(msgspec.convert(changes, list[PolicyChangeView]))
    assert only["diff"] == [("skill_weight", 0.5, 1.0), ("fairness_weight", 4.0, 2.0)] and not only["first"]


def test_a_trial_chart_shows_both_policies_per_week_and_nothing_before_it_is_done():
    fmt = {"lang": "nl", "number": lambda v, digits=0: f"{v:.{digits}f}"}
    assert policy.trial_chart(None, fmt) is None
    weeks = [
        {"week": 0, "requests": 4, "current_mean_minutes": 60.0, "proposed_mean_minutes": 45.0},
        {"week": 1, "requests": 2, "current_mean_minutes": 30.0, "proposed_mean_minutes": 40.0},
    ]
    figures = {
        "mean_minutes": None,
        "p90_minutes": None,
        "on_time_share": None,
        "busy_gini": 0.0,
        "development_share": 0.0,
        "unfinished": 0,
    }
    result = {"requests": 6, "members": 2, "current": figures, "proposed": figures, "weeks": weeks}
    chart = policy.trial_chart(msgspec.convert(result, Comparison), fmt)
    assert chart is not None
    assert chart.rows == [("week 1", ["60", "45"]), ("week 2", ["30", "40"])]


def test_the_one_tap_thanks_is_the_usual_text_with_the_persons_line_after_it():
    assert request_page.thanks_message("Dank je wel!", "") == "Dank je wel!"
    assert request_page.thanks_message("Dank je wel!", "  Top\n geregeld ") == "Dank je wel! Top geregeld"
    assert len(request_page.thanks_message("Thanks!", "x" * 2000)) <= 500
