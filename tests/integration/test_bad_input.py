"""Bad input gets a 4xx with a readable message from every service, never a 5xx: NUL in
every text field, path and query; non-finite and out-of-range numbers. Other control
characters in free text are kept as typed (never a 5xx either). Then Schemathesis against all three services, its calls taking turns with a token
for each role.

Bodies start from a valid example of each operation (Schemathesis' positive mode), then one
kind of bad value is put into every field of its kind.
"""

import contextlib
import itertools
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode, checks
from schemathesis.python import asgi

from services.intake.app import create_app as intake_app
from services.intake.config import IntakeConfig
from services.platform.settings import Settings
from services.platform.tokens import Caller, sign
from services.recognition.app import create_app as recognition_app
from services.routing.app import create_app as routing_app
from tests.support import PRIVATE_KEY

POOL = "pool-secretariaat"
APPS: dict[str, Callable[[Settings], Any]] = {
    "intake": lambda s: intake_app(s, IntakeConfig()),
    "routing": routing_app,
    "recognition": recognition_app,
}
ROLES = ("staff", "secretary", "lead", "admin")
BAD_TEXT = ["a\x00b", "\x00"]
ODD_TEXT = ["bell\x07", "esc\x1b[31m", "del\x7f"]  # stored as typed where the field takes free text
BAD_NUMBERS = [2**70, -(2**63), 1.7e308]  # non-finite ones are not JSON: see the raw-body test


def token(service: str, *roles: str) -> dict[str, str]:
    who = Caller(account_id=f"fuzz-{'-'.join(roles)}", roles=roles, pools=(POOL,))
    return {"authorization": f"Bearer {sign(who, audience=service, key=PRIVATE_KEY, ttl_seconds=3600)}"}


@pytest.fixture(params=list(APPS))
def schema(request: pytest.FixtureRequest, make_settings: Callable[..., Settings]) -> Iterator[tuple[str, Any]]:
    name = request.param
    app = APPS[name](make_settings(name, demo=True))
    spec = schemathesis.openapi.from_asgi("/schema/openapi.json", app, headers=token(name, "staff"))
    spec.config.generation.update(with_security_parameters=False)  # each call carries a role's token
    yield name, spec
    asgi.shutdown_lifespans()


def spoil(value: Any, bad: Any, kind: type) -> Any:
    """`value` with every leaf of `kind` replaced by `bad`."""
    if isinstance(value, dict):
        return {k: spoil(v, bad, kind) for k, v in value.items()}
    if isinstance(value, list):
        return [spoil(v, bad, kind) for v in value]
    if isinstance(value, kind) and not isinstance(value, bool):
        return bad
    return value


def readable_4xx(response: Any) -> None:
    assert 400 <= response.status_code < 500, f"{response.status_code}: {response.text[:300]}"
    detail = response.json().get("detail")
    assert isinstance(detail, str) and len(detail.split()) >= 2, response.text[:300]


def example_of(operation: Any) -> Any:
    found: list[Any] = []

    @given(case=operation.as_strategy(GenerationMode.POSITIVE))
    @settings(max_examples=1, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def take(case: Any) -> None:
        found.append(case)

    take()
    return found[0]


def test_control_characters_and_bad_numbers_are_refused_with_a_readable_4xx(schema: tuple[str, Any]) -> None:
    name, spec = schema
    headers = token(name, "staff", "secretary", "lead", "admin")
    tried = 0
    for result in spec.get_all_operations():
        operation = result.ok()
        case = example_of(operation)
        attempts: list[tuple[str, Any]] = []
        if isinstance(case.body, dict | list):
            attempts += [("body", spoil(case.body, bad, str)) for bad in BAD_TEXT]
            for odd in ODD_TEXT:
                answer = operation.Case(
                    body=spoil(case.body, odd, str),
                    query=case.query,
                    path_parameters=case.path_parameters,
                    media_type=case.media_type,
                ).call(headers=headers)
                assert answer.status_code < 500, f"{answer.status_code}: {answer.text[:300]}"
            attempts += [("body", spoil(case.body, bad, int | float)) for bad in BAD_NUMBERS]
        if case.query:
            attempts += [("query", spoil(case.query, bad, str)) for bad in BAD_TEXT[:1]]
        if case.path_parameters:
            attempts += [("path", spoil(case.path_parameters, "x\x00y", str))]
        for where, spoiled in attempts:
            if spoiled == {"body": case.body, "query": case.query, "path": case.path_parameters}[where]:
                continue  # nothing of that kind to spoil
            changed = {
                "body": {"body": spoiled},
                "query": {"query": spoiled},
                "path": {"path_parameters": spoiled},
            }[where]
            bad_case = operation.Case(
                body=changed.get("body", case.body),
                query=changed.get("query", case.query),
                path_parameters=changed.get("path_parameters", case.path_parameters),
                media_type=case.media_type,
            )
            response = bad_case.call(headers=headers)
            if response.status_code == 404 and where != "path":
                continue  # the example's ids do not exist: nothing reached the text
            readable_4xx(response)
            tried += 1
    assert tried >= 5


def test_schemathesis_finds_no_server_error_with_a_token_for_each_role(schema: tuple[str, Any]) -> None:
    """Positive and negative cases for every operation; the calls take turns with a staff,
    secretary, lead and admin token, so each role's paths (and refusals) are exercised."""
    name, spec = schema
    tokens = itertools.cycle([token(name, role) for role in ROLES])
    for result in spec.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(mode))
            @settings(max_examples=2, deadline=None, suppress_health_check=list(HealthCheck), database=None)
            def call(case: Any) -> None:
                case.call_and_validate(headers=next(tokens), checks=[checks.not_a_server_error])

            with contextlib.suppress(Unsatisfiable):  # nothing invalid to make of this operation
                call()
