"""What `pwa.app.create_app` plugs in for push: the VAPID key (created on first start), the
routes, the consumers and the delivery worker."""

from pathlib import Path
from typing import Any

from litestar.di import Provide

from pwa.push import api, handlers, vapid
from pwa.push.config import PushConfig
from pwa.push.sender import Handover, Sender
from services.platform.inbox import Consumer
from services.platform.runtime import Runtime
from services.platform.settings import Settings


class PushWiring:
    def __init__(self, settings: Settings, config: PushConfig) -> None:
        self.config = config
        self.keys = vapid.VapidKeys(vapid.load_or_create(Path(settings.data_dir)), config.vapid_subject)
        self.public_key = self.keys.public_key
        self.route_handlers = [api.PushSubscriptions]
        self.dependencies = {"push_config": Provide(lambda: config, sync_to_thread=False)}
        self.handover = Handover()

    def consumers(self, rt: Runtime) -> list[Consumer[Any]]:
        return handlers.consumers(rt, self.handover)

    async def deliver(self, rt: Runtime) -> None:
        """Background task: the delivery worker, handed what this process's consumers queue and
        woken by NOTIFY on `<schema>_push` for the rest."""
        await Sender(rt.pool, self.keys, self.config, channel=f"{rt.schema}_push", handover=self.handover).run()
