"""Service path ids: a UUID or a slug, and nothing a person typed; every path parameter of
every service is typed (a UUID, a date, one of a few words, or such an id)."""

import uuid

import pytest

from services.intake.app import create_app as intake_app
from services.platform.ids import PATTERN, is_id
from services.platform.settings import Settings
from services.platform.tokens import new_key_pair
from services.recognition.app import create_app as recognition_app
from services.routing.app import create_app as routing_app

PROBES = ["abc?x=1", "abc#frag", "..", ".", "%2e%2e", "a%2Fb", "a/b", "a b", "", "-a", "a.b", "a\n", "x" * 101]


# The uuid's test id is fixed: parallel test workers must collect the same names.
@pytest.mark.parametrize(
    "good",
    [pytest.param(str(uuid.uuid4()), id="uuid"), "secretariaat-noord", "letter", "acct-1a2b", "2026-12-25", "a_b"],
)
def test_uuids_and_slugs_are_ids(good):
    assert is_id(good)


@pytest.mark.parametrize("probe", PROBES)
def test_anything_user_shaped_is_not_an_id(probe):
    assert not is_id(probe)


def test_every_service_path_parameter_is_typed():
    _, public = new_key_pair()
    apps = {"intake": intake_app, "routing": routing_app, "recognition": recognition_app}
    checked = 0
    for name, create in apps.items():
        settings = Settings(service=name, database_url="postgresql://x/y", nats_url="nats://x", token_public_key=public)
        doc = create(settings).openapi_schema.to_schema()
        for path, operations in doc["paths"].items():
            for method, operation in operations.items():
                for parameter in operation.get("parameters", []):
                    if parameter["in"] != "path":
                        continue
                    schema, where = parameter["schema"], (name, method, path, parameter["name"])
                    typed = schema.get("format") in ("uuid", "date") or "enum" in schema
                    slug = schema.get("pattern") in (PATTERN, "^[a-z0-9][a-z0-9-]*$") and schema.get("maxLength")
                    assert typed or slug, where
                    checked += 1
    assert checked > 50
