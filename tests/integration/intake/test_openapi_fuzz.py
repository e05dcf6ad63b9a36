"""Schemathesis against intake's own OpenAPI, in-process on real PostgreSQL and NATS, with a
valid token (staff, member and lead of the demo pool): no 5xx, answers as documented, invalid
input refused, and every 4xx carries a readable `detail`.

Each operation gets negative and positive examples; the positive ones twice: with generated
path parameters (mostly unknown ids), and pinned to things that exist (the demo pool, a demo
type, a request the caller submitted), so the code paths behind the 404s are fuzzed too.
"""

import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode, checks
from schemathesis.python import asgi

from services.intake.app import create_app
from services.intake.config import IntakeConfig
from services.platform.settings import Settings
from services.platform.tokens import Caller, sign
from tests.support import PRIVATE_KEY

POOL = "pool-secretariaat"
EXAMPLES = 8  # per operation, mode and pinning: the whole run stays well under a minute
EVERYONE = Caller(account_id="fuzz-person", roles=("staff", "secretary", "lead"), pools=(POOL,))
HEADERS = {"authorization": f"Bearer {sign(EVERYONE, audience='intake', key=PRIVATE_KEY, ttl_seconds=3600)}"}


def readable_4xx(ctx: Any, response: Any, case: Any) -> bool | None:
    """Every refusal says what is wrong in a sentence, not just a status code."""
    if 400 <= response.status_code < 500:
        body = response.json()
        detail = body.get("detail") if isinstance(body, dict) else None
        assert isinstance(detail, str) and len(detail.split()) >= 2, f"unreadable {response.status_code}: {body}"
    return None


# Operations whose only input is one text path parameter (any printable text up to 100
# characters): an invalid call needs a NUL or 101+ characters in the URL, which the generator
# may fail to produce within its budget.
UNBREAKABLE = {
    "GET /v1/pools/{pool_id}/queue",
    "GET /v1/request-types/{type_id}",
    "GET /v1/request-types/{type_id}/history",
    "POST /v1/request-types/{type_id}/retire",
    "POST /v1/request-types/{type_id}/reinstate",
    # No declared input for a negative case to break: the raw body is the file itself; a list of mine.
    "POST /v1/uploads",
    "GET /v1/recurring",
    # No input at all: what intake holds about the caller, and the organisation's retention.
    "GET /v1/people/me/data",
    "GET /v1/retention",
}

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.negative_data_rejection,
    readable_4xx,
]


@pytest.fixture
def intake_schema(make_settings: Callable[..., Settings]) -> Iterator[Any]:
    """Intake's schema, bound to the app that schemathesis runs (lifespan included)."""
    app = create_app(make_settings("intake", demo=True), IntakeConfig())
    schema = schemathesis.openapi.from_asgi("/schema/openapi.json", app, headers=HEADERS)
    # The token is ours to give (HEADERS): a negative case that only "drops" it would get it back.
    schema.config.generation.update(with_security_parameters=False)
    yield schema
    asgi.shutdown_lifespans()  # stop the app before its database and NATS go


def submit_one(schema: Any) -> str:
    operation = schema["/v1/requests"]["POST"]
    body = {"type_id": "letter", "description": "Fuzz target", "idempotency_key": str(uuid.uuid4())}
    response = operation.Case(body=body, media_type="application/json").call(headers=HEADERS)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def test_intake_api_answers_every_generated_call_without_server_errors(intake_schema: Any) -> None:
    existing = {"pool_id": POOL, "type_id": "letter", "request_id": submit_one(intake_schema)}
    operations = [result.ok() for result in intake_schema.get_all_operations()]
    unbreakable: list[str] = []
    assert len(operations) >= 20
    for operation in operations:
        names = {p.name for p in operation.path_parameters}
        pinned = {name: value for name, value in existing.items() if name in names}
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            # Negative cases must break something: a GET pinned to real ids has nothing left to break.
            for path_parameters in [None, pinned] if pinned and mode == GenerationMode.POSITIVE else [None]:

                @given(case=operation.as_strategy(mode, path_parameters=path_parameters))
                @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
                def call(case: Any) -> None:
                    case.call_and_validate(headers=HEADERS, checks=CHECKS)

                try:
                    call()
                except Unsatisfiable:
                    if mode == GenerationMode.POSITIVE:
                        raise
                    unbreakable.append(operation.label)
    assert set(unbreakable) <= UNBREAKABLE, unbreakable
