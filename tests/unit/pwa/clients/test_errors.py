"""A service's refusal comes back typed: its status, the field it names and a code, read
from the JSON error body (services.platform.errors and Litestar's validation errors)."""

import json

import pytest

from pwa.gateway import ServiceError, checked, raise_for


def answer(status: int, body: object) -> tuple[int, bytes]:
    return status, body if isinstance(body, bytes) else json.dumps(body).encode()


def refusal(status: int, body: object) -> ServiceError:
    with pytest.raises(ServiceError) as raised:
        raise_for(*answer(status, body))
    return raised.value


def test_a_success_raises_nothing() -> None:
    raise_for(*answer(200, {"id": "x"}))
    raise_for(204, b"")


def test_a_domain_refusal_names_its_field_as_its_own_key() -> None:
    body = {"status_code": 422, "detail": "wished_for: the date has passed", "field": "wished_for"}
    error = refusal(422, body)
    assert (error.status, error.field, error.code) == (422, "wished_for", "invalid")
    assert error.detail == "wished_for: the date has passed"


def test_a_validation_error_names_the_key_litestar_puts_in_extra() -> None:
    body = {
        "status_code": 400,
        "detail": "Validation failed for POST http://intake/v1/requests/",
        "extra": [{"message": "Expected `str`, got `int`", "key": "description", "source": "body"}],
    }
    error = refusal(400, body)
    assert (error.status, error.field, error.code) == (400, "description", "malformed")


@pytest.mark.parametrize(
    "detail",
    [
        "the request is already closed",
        "a value is out of range or malformed (numeric: too big)",
        "wished_for: no key",
        "",
    ],
)
def test_a_message_that_names_no_field_gives_none(detail: str) -> None:
    assert refusal(409, {"status_code": 409, "detail": detail}).field is None


@pytest.mark.parametrize(
    ("status", "code"),
    [(403, "forbidden"), (404, "not_found"), (409, "conflict"), (429, "too_many"), (500, "unavailable")],
)
def test_the_code_says_the_kind_of_refusal(status: int, code: str) -> None:
    assert refusal(status, {"status_code": status, "detail": "no"}).code == code


def test_a_body_that_is_not_json_keeps_its_text() -> None:
    error = refusal(502, b"<html>bad gateway</html>")
    assert (error.status, error.detail, error.field, error.down) == (502, "<html>bad gateway</html>", None, True)


def test_only_502_503_504_mean_down() -> None:
    assert [s for s in (400, 404, 500, 501, 502, 503, 504) if ServiceError(s, "").down] == [502, 503, 504]


@pytest.mark.parametrize("path", ["/v1/requests/abc?x=1", "/v1/requests/../people", "/v1/pools//queue", "v1/x"])
def test_a_path_with_a_segment_that_is_no_id_is_not_sent(path: str) -> None:
    with pytest.raises(ServiceError) as raised:
        checked(path)
    assert raised.value.status == 404
