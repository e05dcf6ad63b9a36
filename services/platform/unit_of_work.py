"""One database connection per HTTP request, the `conn` every route takes instead of acquiring
its own: a request that changes something runs in one transaction, committed before the answer
leaves and rolled back when the handler raises; a read (GET, HEAD) gets a plain connection, and
so does a route marked `opt={OWN_TRANSACTION: True}`, which opens one itself when it needs it."""

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from asyncpg.pool import PoolConnectionProxy
from litestar import Request
from litestar.datastructures import State
from litestar.di import NamedDependency

READS = frozenset({"GET", "HEAD"})
# A route whose usual change is one statement (atomic by itself) saves BEGIN and COMMIT: it
# opens a transaction itself for the rest.
OWN_TRANSACTION = "own_transaction"

# What a route declares to get the request's connection: `conn: RequestConn`. (One class, not
# the `Conn` union: Litestar checks dependencies against their type, and a union of two classes
# is more than it can check.)
if TYPE_CHECKING:
    PooledConn = PoolConnectionProxy[Any]
else:
    PooledConn = PoolConnectionProxy
RequestConn = NamedDependency[PooledConn]


async def unit_of_work(request: Request[Any, Any, Any], state: State) -> AsyncIterator[PooledConn]:
    # Litestar closes this generator after the handler has built its response and before it is
    # sent, and throws the handler's exception into it: so a caller never reads an answer whose
    # change is not yet committed, and a refused change leaves nothing behind.
    async with state.runtime.pool.acquire() as conn:
        if request.method in READS or request.route_handler.opt.get(OWN_TRANSACTION):
            yield conn
        else:
            async with conn.transaction():
                yield conn
