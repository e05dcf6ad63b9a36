"""The pool registry's pages: every pool with its names in Dutch and English, whom it serves
and whose public holidays it follows (admins add and edit pools); a pool's members with their
shift today, and its public holidays (admins and the pool's leads)."""

from datetime import date
from typing import Annotated

import msgspec
from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import FromPath, FromQuery, PathParameter, URLEncodedBody
from litestar.response import Redirect, Template

from pwa.clients import Clients
from pwa.people import changes, store
from pwa.people.rules import SLUG, slug
from pwa.records import Account, Pool
from pwa.views.admin_people import actor_of, admin_only
from pwa.views.common import AnyRequest, act, audited, back_to, optional, page
from pwa.views.first_run import client_ip
from services.platform.runtime import Runtime
from services.platform.unit_of_work import RequestConn

PoolId = Annotated[str, PathParameter(pattern=r"^[a-z0-9][a-z0-9-]{1,99}$")]


class PoolForm(msgspec.Struct):
    id: str = ""
    name_nl: str = ""
    name_en: str = ""
    public_holidays: str = "NL"


class HolidayForm(msgspec.Struct):
    day: str = ""
    name: str = ""


def arranges(account: Account, pool_id: str) -> bool:
    return account.has("admin") or (account.has("lead") and pool_id in account.pools)


def pool_problems(form: PoolForm, *, new: bool, taken: bool) -> dict[str, str]:
    errors = {}
    if not form.name_nl.strip() or not form.name_en.strip() or max(len(form.name_nl), len(form.name_en)) > 100:
        errors["name"] = "pool_name"
    if new and not SLUG.match(form.id):
        errors["id"] = "pool_id"
    elif new and taken:
        errors["id"] = "pool_taken"
    return errors


class PoolPagesAdmin(Controller):
    path = "/pools"

    @get("/")
    async def pools(self, request: AnyRequest, account: NamedDependency[Account], conn: RequestConn) -> Template:
        if not (account.has("admin") or account.has("lead")):
            raise PermissionDeniedException("for admins and leads")
        found = [p for p in await store.pools(conn) if arranges(account, p.id)]
        return page(request, "pools", account, pools=found)

    @get("/new")
    async def new(self, request: AnyRequest, account: NamedDependency[Account]) -> Template:
        admin_only(account)
        return page(request, "pool_edit", account, form=PoolForm(), errors={}, pool=None)

    @post("/")
    async def create(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        runtime: NamedDependency[Runtime],
        data: URLEncodedBody[PoolForm],
    ) -> Template | Redirect:
        admin_only(account)
        form = msgspec.structs.replace(data, id=data.id.strip().lower() or slug(data.name_nl))
        async with runtime.pool.acquire() as conn:
            taken = await store.pool(conn, form.id) is not None
        if errors := pool_problems(form, new=True, taken=taken):
            return page(request, "pool_edit", account, status_code=422, form=form, errors=errors, pool=None)
        await self._save(request, account, runtime, form)
        return back_to(f"/pools/{form.id}", "pool_saved")

    async def _save(self, request: AnyRequest, account: Account, runtime: Runtime, form: PoolForm) -> None:
        async with runtime.pool.acquire() as conn:
            actor = await actor_of(conn, account)
        registered = Pool(
            id=form.id,
            name_nl=form.name_nl.strip(),
            name_en=form.name_en.strip(),
            public_holidays="NL" if form.public_holidays == "NL" else "",
            version=0,
        )
        async with runtime.pool.acquire() as conn, conn.transaction():
            await changes.save_pool(conn, registered, actor=actor, ip=client_ip(request))
        await request.app.state.pool_names.load(runtime.pool)  # this replica shows the new name at once

    @get("/{pool_id:str}")
    async def pool(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        conn: RequestConn,
        clients: NamedDependency[Clients],
        pool_id: FromPath[PoolId],
    ) -> Template:
        if not arranges(account, pool_id):
            raise PermissionDeniedException("for admins and the pool's leads")
        found = await store.pool(conn, pool_id)
        people = await store.members_of(conn, pool_id)
        if found is None:
            raise NotFoundException()
        members = await optional(clients.routing.members(account.caller(), pool_id))
        form = PoolForm(
            id=found.id,
            name_nl=found.name_nl,
            name_en=found.name_en,
            public_holidays=found.public_holidays,
        )
        leads = [p for p in people if "lead" in p.roles and not p.disabled]
        served = [p for p in people if p.roles == ["staff"] and not p.disabled]
        return page(
            request, "pool_edit", account, form=form, errors={}, pool=found, members=members, leads=leads, served=served
        )

    @post("/{pool_id:str}")
    async def save(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        runtime: NamedDependency[Runtime],
        pool_id: FromPath[PoolId],
        data: URLEncodedBody[PoolForm],
    ) -> Template | Redirect:
        admin_only(account)
        async with runtime.pool.acquire() as conn:
            found = await store.pool(conn, pool_id)
        if found is None:
            raise NotFoundException()
        form = msgspec.structs.replace(data, id=pool_id)
        if errors := pool_problems(form, new=False, taken=False):
            return page(
                request,
                "pool_edit",
                account,
                status_code=422,
                form=form,
                errors=errors,
                pool=found,
                members=None,
                leads=[],
                served=[],
            )
        await self._save(request, account, runtime, form)
        return back_to(f"/pools/{pool_id}", "pool_saved")

    @get("/{pool_id:str}/holidays")
    async def holidays(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        clients: NamedDependency[Clients],
        conn: RequestConn,
        pool_id: FromPath[PoolId],
        year: FromQuery[int] = 0,
    ) -> Template:
        if not arranges(account, pool_id):
            raise PermissionDeniedException("for admins and the pool's leads")
        found = await store.pool(conn, pool_id)
        if found is None:
            raise NotFoundException()
        shown = year if 2000 <= year <= 2100 else date.today().year
        days = await clients.routing.holidays(account.caller(), pool_id, shown)
        return page(request, "holidays", account, pool=found, days=days, year=shown, errors={})

    @post("/{pool_id:str}/holidays")
    async def add_holiday(
        self,
        account: NamedDependency[Account],
        clients: NamedDependency[Clients],
        conn: RequestConn,
        pool_id: FromPath[PoolId],
        data: URLEncodedBody[HolidayForm],
    ) -> Redirect:
        try:
            day = date.fromisoformat(data.day.strip())
        except ValueError:
            return back_to(f"/pools/{pool_id}/holidays", "bad_day")
        call = clients.routing.set_holiday(account.caller(), pool_id, day, data.name.strip()[:100])
        detail = {"day": day.isoformat(), "name": data.name.strip()[:100]}
        return await act(
            audited(call, conn, account, "pool.holiday_added", pool_id, detail),
            f"/pools/{pool_id}/holidays?year={day.year}",
            "holiday_saved",
        )

    @post("/{pool_id:str}/holidays/{day:date}/remove")
    async def remove_holiday(
        self,
        account: NamedDependency[Account],
        clients: NamedDependency[Clients],
        conn: RequestConn,
        pool_id: FromPath[PoolId],
        day: FromPath[date],
    ) -> Redirect:
        call = clients.routing.remove_holiday(account.caller(), pool_id, day)
        return await act(
            audited(call, conn, account, "pool.holiday_removed", pool_id, {"day": day.isoformat()}),
            f"/pools/{pool_id}/holidays?year={day.year}",
            "holiday_saved",
        )
