"""Transient or poison: a dependency being down is told apart from a failure of the event."""

import aiohttp
import asyncpg
import nats.errors
import pytest

from services.platform.errors import Invalid
from services.platform.failures import is_transient, retry_delay


@pytest.mark.parametrize(
    "exc",
    [
        ConnectionRefusedError(111, "Connection refused"),
        ConnectionResetError(104, "Connection reset by peer"),
        BrokenPipeError(),
        TimeoutError(),
        asyncpg.ConnectionDoesNotExistError("connection was closed in the middle of operation"),
        asyncpg.CannotConnectNowError("the database system is starting up"),
        asyncpg.AdminShutdownError("terminating connection due to administrator command"),
        asyncpg.CrashShutdownError("terminating connection because of crash of another server process"),
        asyncpg.TooManyConnectionsError("sorry, too many clients already"),
        asyncpg.DeadlockDetectedError("deadlock detected"),
        asyncpg.SerializationError("could not serialize access"),
        asyncpg.InterfaceError("connection is closed"),
        asyncpg.InterfaceError("pool is closing"),
        nats.errors.ConnectionClosedError(),
        nats.errors.ConnectionReconnectingError(),
        nats.errors.NoServersError(),
        nats.errors.TimeoutError(),
        aiohttp.ServerDisconnectedError(),
    ],
    ids=lambda e: type(e).__name__,
)
def test_an_unavailable_dependency_is_transient(exc: BaseException):
    assert is_transient(exc)


@pytest.mark.parametrize(
    "exc",
    [
        ValueError("this event always fails"),
        KeyError("member"),
        Invalid("skill: unknown skill 'juggling'"),
        asyncpg.UniqueViolationError("duplicate key value"),
        asyncpg.ForeignKeyViolationError("violates foreign key constraint"),
        asyncpg.NotNullViolationError("null value in column"),
        asyncpg.UndefinedTableError("relation does not exist"),
        asyncpg.InterfaceError("cannot perform operation: another operation is in progress"),
        AssertionError("a rule was broken"),
    ],
    ids=lambda e: type(e).__name__,
)
def test_a_failure_of_the_event_itself_is_poison(exc: BaseException):
    assert not is_transient(exc)


def test_a_poison_error_raised_from_a_lost_connection_is_transient():
    try:
        try:
            raise ConnectionResetError(104, "reset")
        except ConnectionResetError as lost:
            raise RuntimeError("could not record the offer") from lost
    except RuntimeError as wrapped:
        assert is_transient(wrapped)


def test_a_group_is_transient_only_when_every_failure_in_it_is():
    assert is_transient(ExceptionGroup("all down", [OSError(), TimeoutError()]))
    assert not is_transient(ExceptionGroup("one real", [OSError(), ValueError("bad")]))


def test_retry_delays_grow_and_stay_short():
    delays = [retry_delay(n) for n in range(1, 10)]
    assert delays == sorted(delays) and delays[0] == pytest.approx(0.2)
    assert max(delays) == pytest.approx(1.0)
