"""The authorization matrix has a row for every endpoint of every service, and no row for an
endpoint that is gone: a new route cannot ship without saying who may call it."""

import pytest

from services.intake.app import create_app as intake_app
from services.platform.access_matrix import MATRIX, PLATFORM, ROLES, Reach, platform_route
from services.platform.settings import Settings
from services.platform.tokens import new_key_pair
from services.recognition.app import create_app as recognition_app
from services.routing.app import create_app as routing_app
from tests.support import endpoints

APPS = {"intake": intake_app, "routing": routing_app, "recognition": recognition_app}


@pytest.mark.parametrize("service", sorted(APPS))
def test_every_endpoint_has_a_row_and_every_row_an_endpoint(service):
    _, public = new_key_pair()
    settings = Settings(service=service, database_url="postgresql://x/y", nats_url="nats://x", token_public_key=public)
    routed = [e for e in endpoints(APPS[service](settings)) if not platform_route(e.split(" ", 1)[1])]
    missing = [e for e in routed if e not in MATRIX[service]]
    assert not missing, f"{service}: endpoint(s) with no row in the authorization matrix: {missing}"
    stale = [e for e in MATRIX[service] if e not in routed]
    assert not stale, f"{service}: matrix row(s) for endpoint(s) that do not exist: {stale}"


def test_every_row_answers_for_every_role():
    for service, rows in MATRIX.items():
        for endpoint, rule in rows.items():
            assert len(rule.reach) == len(ROLES), (service, endpoint)
            assert all(isinstance(r, Reach) for r in rule.reach), (service, endpoint)


def test_platform_routes_are_the_ones_outside_the_matrix():
    assert all(platform_route(e.split(" ", 1)[1]) for e in PLATFORM)
    assert not any(platform_route(e.split(" ", 1)[1]) for rows in MATRIX.values() for e in rows)
