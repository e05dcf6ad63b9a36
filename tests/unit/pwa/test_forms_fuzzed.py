"""Hypothesis against the pwa's form rules: whatever a person (or a script) types — control
characters, "nan", "inf", huge or negative numbers, Dutch decimals — each form either names
the fields that are wrong or sends only values the services accept; nothing raises."""

import math
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from pwa.views import lead, offers, policy, pool, requests

NUMBERISH = st.one_of(
    st.sampled_from(["nan", "NaN", "inf", "-inf", "Infinity", "1e999", "-1e999", "1e308", "0", "-1", "3", "2,5", ""]),
    st.integers(min_value=-(2**80), max_value=2**80).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.text(max_size=12),
)
TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=60)


@given(st.dictionaries(st.sampled_from([*policy.POLICY_FIELDS, "why"]), NUMBERISH))
def test_a_policy_form_names_bad_fields_and_sends_only_finite_numbers_in_range(form: dict[str, str]):
    current: dict[str, Any] = {name: 1.0 for name in policy.WEIGHTS}
    current.update(development_share=0.1, offer_timeout_seconds=120, auto_accept=False)
    change, _ = policy.policy_change(form, current)
    for name, value in change.items():
        if name in policy.WEIGHTS:
            assert math.isfinite(value) and 0 <= value <= 10
    assert 0 <= change.get("development_share", 0) <= 0.5
    assert 15 <= change.get("offer_timeout_seconds", 120) <= 86400


@given(
    minutes=st.lists(NUMBERISH, min_size=len(lead.MINUTE_FIELDS), max_size=len(lead.MINUTE_FIELDS)),
    level=NUMBERISH,
    name=TEXT,
    skill=TEXT,
)
def test_a_request_type_form_names_bad_fields_and_sends_whole_numbers_in_range(
    minutes: list[str], level: str, name: str, skill: str
):
    typed = dict(zip(lead.MINUTE_FIELDS, minutes, strict=True))
    form = lead.TypeForm(name_nl=name, name_en=name, skill=skill, min_level=level, **typed)
    fields, errors = lead.type_fields(form, [])
    for field in lead.MINUTE_FIELDS:
        if field not in errors:
            assert isinstance(fields[field], int) and 0 <= fields[field] <= 100_000
    if "min_level" not in errors:
        assert fields["min_level"] in (1, 2, 3, 4, 5)


@given(text=NUMBERISH)
def test_a_typed_number_is_finite_or_none(text: str):
    value = pool.number(text)
    assert value is None or math.isfinite(value)


@given(type_id=TEXT, description=TEXT, urgency=TEXT, key=TEXT, wished_for=TEXT, on_behalf_of=TEXT)
def test_a_new_request_form_never_raises_and_sends_only_checked_fields(
    type_id: str, description: str, urgency: str, key: str, wished_for: str, on_behalf_of: str
):
    form = requests.RequestForm(
        type_id=type_id,
        description=description,
        urgency=urgency,
        idempotency_key=key,
        wished_for=wished_for,
        on_behalf_of=on_behalf_of,
    )
    problems = requests.problems(form)
    if not problems:
        body: dict[str, Any] = requests.payload(form, "nl")
        # Whether the type may be asked for is intake's to say; the form sends a chosen one.
        assert body["type_id"] == type_id != "" and body["urgency"] in requests.URGENCIES


@given(reason=TEXT, detail=TEXT)
def test_a_decline_reason_is_bounded_text(reason: str, detail: str):
    said = offers.decline_reason(offers.DeclineForm(reason=reason, detail=detail), "nl")
    assert isinstance(said, str) and len(said) <= 500
