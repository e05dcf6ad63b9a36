"""A one-route app for tests/e2e/test_forked.py: it answers with the settings it was given."""

import os

from litestar import Litestar, get


@get("/settings", sync_to_thread=False)
def settings() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k.startswith("SECPOOL_")}


def create_app() -> Litestar:
    return Litestar([settings])
