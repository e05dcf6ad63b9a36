"""Transient or poison: is a failure the fault of a dependency that is down for a while
(retry it for as long as it takes) or of the event itself (count it towards a dead letter)?

Pure classification, no I/O. A failure is transient when it, or anything in its chain of
causes, is a lost or refused connection, a timeout, a database starting up or shutting
down, a closed pool, or a conflict between concurrent transactions (deadlock, serialization).
"""

import aiohttp
import asyncpg
import nats.errors
import nats.js.errors

# PostgreSQL error classes that say "not now" rather than "not this": connection
# exceptions (08), transaction rollback (40), insufficient resources (53), operator
# intervention (57: shutting down, starting up, cancelled) and system errors (58).
_TRANSIENT_SQLSTATE_CLASSES = frozenset({"08", "40", "53", "57", "58"})

_TRANSIENT_TYPES: tuple[type[BaseException], ...] = (
    OSError,  # refused, reset, broken pipe, unreachable
    TimeoutError,  # also asyncio's and nats' timeouts
    EOFError,
    asyncpg.PostgresConnectionError,
    asyncpg.CannotConnectNowError,
    nats.errors.ConnectionClosedError,
    nats.errors.ConnectionReconnectingError,
    nats.errors.ConnectionDrainingError,
    nats.errors.StaleConnectionError,
    nats.errors.NoServersError,
    nats.errors.NoRespondersError,
    nats.errors.OutboundBufferLimitError,
    nats.js.errors.ServiceUnavailableError,
    aiohttp.ClientConnectionError,  # a call that got no answer (pwa/gateway.py wraps its own)
)


def _transient_itself(exc: BaseException) -> bool:
    if isinstance(exc, _TRANSIENT_TYPES):
        return True
    if isinstance(exc, asyncpg.PostgresError):
        sqlstate = getattr(exc, "sqlstate", None) or ""
        return sqlstate[:2] in _TRANSIENT_SQLSTATE_CLASSES
    if isinstance(exc, asyncpg.InterfaceError):
        # "connection is closed", "pool is closing", "the connection pool is closed".
        text = str(exc).lower()
        return "closed" in text or "closing" in text
    return False


def is_transient(exc: BaseException) -> bool:
    """True when `exc` (or one of its causes) is a dependency being unavailable."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if _transient_itself(current):
            return True
        if isinstance(current, BaseExceptionGroup):
            return all(is_transient(inner) for inner in current.exceptions)
        current = current.__cause__ or current.__context__
    return False


def retry_delay(attempt: int, *, first: float = 0.2, most: float = 1.0) -> float:
    """Growing delay between retries of a transient failure: 0.2, 0.4, 0.8, then `most`
    (kept short so work resumes within a second of the dependency coming back)."""
    return float(min(first * 2.0 ** max(attempt - 1, 0), most))
