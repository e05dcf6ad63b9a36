"""Identity: the pwa announces the accounts it creates, so services that track people learn
of them from the IDENTITY stream."""

from pathlib import Path

import nats
from litestar.testing import AsyncTestClient

from pwa.app import create_app
from services.demo import organisation
from tests.support import eventually


async def test_the_demo_accounts_are_announced_on_the_identity_stream(make_settings, nats_url: str, tmp_path: Path):
    app = create_app(make_settings("pwa", demo=True, data_dir=str(tmp_path)))
    async with AsyncTestClient(app=app):
        nc = await nats.connect(nats_url)
        try:
            js = nc.jetstream()
            await eventually(
                lambda: js.stream_info("IDENTITY"),
                lambda i: i.state.messages == len(organisation().people) + len(organisation().pools),
            )
            last = await js.get_last_msg("IDENTITY", "secpool.identity.account.created")
            assert b'"roles"' in last.data and b"password" not in last.data
        finally:
            await nc.close()
