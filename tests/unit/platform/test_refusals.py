"""A domain refusal carries the input it refuses, and the service's 422 says so in its own key."""

from typing import Any

import msgspec
import pytest
from litestar import Litestar, post
from litestar.testing import TestClient

from services.platform.errors import exception_handlers
from services.platform.refusals import Invalid


@pytest.mark.parametrize(
    ("refusal", "field"),
    [
        (Invalid("wished_for: the date has passed"), "wished_for"),
        (Invalid("the date has passed", field="wished_for"), "wished_for"),
        (Invalid("the pool is full"), None),
        (Invalid("two words: not a field name"), None),
    ],
)
def test_a_refusal_names_the_field_it_was_given_or_that_leads_its_message(refusal: Invalid, field: str | None):
    assert refusal.field == field


def test_the_422_carries_the_field_as_its_own_key():
    @post("/dates", status_code=200)
    async def refuse() -> None:
        raise Invalid("wished_for: the date has passed")

    with TestClient(Litestar([refuse], exception_handlers=exception_handlers())) as client:
        answer = client.post("/dates")
    body: dict[str, Any] = msgspec.json.decode(answer.content)
    assert answer.status_code == 422
    assert body == {"status_code": 422, "detail": "wished_for: the date has passed", "field": "wished_for"}
