"""Admin → API keys: admins (every pool) and leads (their own pools) list the integrations'
keys (name, pool, read or write, made when and by whom, last used, revoked), make one — its whole key shown
once on the answer, never again — and revoke one. Services learn of both through identity events."""

from typing import Any

import msgspec
from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import FromPath, URLEncodedBody
from litestar.response import Redirect, Template

from pwa import integrations
from pwa.people import store as people
from pwa.records import Account
from pwa.views.common import AnyRequest, back_to, names, page
from pwa.views.sign_in_steps import client_ip
from services.platform import api_key_store, api_keys
from services.platform.db import Conn
from services.platform.ids import Id
from services.platform.unit_of_work import RequestConn

HERE = "/admin/api-keys"


class KeyForm(msgspec.Struct):
    name: str = ""
    pool_id: str = ""
    scope: str = api_keys.READ


def keeper(account: Account) -> tuple[str, ...] | None:
    pools = integrations.kept_pools(account)
    if pools == ():
        raise PermissionDeniedException("only admins and leads keep API keys")
    return pools


async def _page(
    request: AnyRequest, account: Account, conn: Conn, *, status_code: int = 200, **context: Any
) -> Template:
    pools = keeper(account)
    keys = await api_key_store.listed(conn, list(pools) if pools is not None else None)
    choosable = [p.id for p in await people.pools(conn) if pools is None or p.id in pools]
    issuers = await names(conn, [k.issued_by for k in keys])
    response = page(
        request,
        "admin_api_keys",
        account,
        status_code,
        keys=keys,
        pools=choosable,
        issuers=issuers,
        form=context.pop("form", KeyForm()),
        **context,
    )
    response.headers["Cache-Control"] = "no-store"  # the page may hold a whole key
    return response


class ApiKeyPages(Controller):
    path = HERE

    @get("/")
    async def listing(self, request: AnyRequest, account: NamedDependency[Account], conn: RequestConn) -> Template:
        return await _page(request, account, conn)

    @post("/")
    async def make(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        conn: RequestConn,
        data: URLEncodedBody[KeyForm],
    ) -> Template:
        keeper(account)
        name = data.name.strip()
        problem = (
            "name"
            if not 1 <= len(name) <= integrations.NAME_MAX
            else "pool"
            if not data.pool_id or not integrations.keeps(account, data.pool_id)
            else "scope"
            if data.scope not in api_keys.SCOPES
            else None
        )
        if problem:
            return await _page(request, account, conn, status_code=400, error=problem, form=data)
        if await people.pool(conn, data.pool_id) is None:
            problem = "pool"
        else:
            whole = await integrations.issue(
                conn, name=name, pool_id=data.pool_id, scope=data.scope, by=account.id, ip=client_ip(request)
            )
        if problem:
            return await _page(request, account, conn, status_code=400, error=problem, form=data)
        return await _page(request, account, conn, status_code=201, made=whole, made_name=name)

    @post("/{key_id:str}/revoke")
    async def revoke(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        conn: RequestConn,
        key_id: FromPath[Id],
    ) -> Redirect:
        keeper(account)
        key = await api_key_store.get(conn, key_id)
        if key is None or not integrations.keeps(account, key.pool_id):
            raise NotFoundException("no such API key")
        await integrations.revoke(conn, key, by=account.id, ip=client_ip(request))
        return back_to(HERE, "api_key_revoked")
