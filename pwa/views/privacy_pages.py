"""Your data (AVG/GDPR): download everything secpool holds about you as JSON (the pwa's part and
each service's, over their APIs), or have your account erased: you are anonymised everywhere
(`AccountErased`), the pool's figures stay the same. Admins can erase someone who left, and set
how long closed requests keep their text."""

import uuid
from datetime import UTC, datetime
from typing import Any

import msgspec
from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, URLEncodedBody
from litestar.response import Redirect, Template

from pwa import audit, factors, privacy_store, sessions
from pwa.clients import Clients
from pwa.push import store as push_store
from pwa.records import Account
from pwa.views.admin_security import admin_only
from pwa.views.auth import signed_out
from pwa.views.common import AnyRequest, back_to, page
from pwa.views.sign_in_steps import client_ip
from services.contracts.identity import AccountErased
from services.platform import outbox
from services.platform.db import Conn
from services.platform.ids import Id
from services.platform.runtime import Runtime
from services.platform.unit_of_work import RequestConn


class Erasure(msgspec.Struct):
    confirm: str = ""


class RetentionForm(msgspec.Struct):
    days: str = ""


async def my_data(runtime: Runtime, clients: Clients, account: Account) -> dict[str, Any]:
    async with runtime.pool.acquire() as conn:
        held = await privacy_store.account(conn, account.id)
        keys = await factors.passkeys(conn, account.id)
        pwa_part = {
            "account": held,
            "settings": {
                "language": account.language,
                "muted_notifications": sorted(await push_store.muted_kinds(conn, account.id)),
                "devices_with_notifications": await privacy_store.push_devices(conn, account.id),
                "authenticator_app": (await factors.of_account(conn, account.id)).totp,
                "passkeys": [{"name": k.name, "added": k.created_at, "last_used": k.last_used_at} for k in keys],
            },
            "sessions": await sessions.of_account(conn, account.id),
            "sign_in_history": await privacy_store.trail(conn, account.id),
        }
    return {
        "exported_at": datetime.now(UTC),
        **pwa_part,
        "requests": await clients.intake.my_data(account.caller()),
        "thanks": await clients.recognition.my_data(account.caller()),
        "pool_membership": await clients.routing.my_data(account.caller()),
    }


async def erase_account(conn: Conn, account_id: str, *, actor_id: str, ip: str) -> bool:
    """Erase in one transaction with the event that tells every service. Idempotent."""
    async with conn.transaction():
        version = await privacy_store.erase(conn, account_id)
        if version is None:
            return False
        await outbox.add(
            conn,
            AccountErased(event_id=uuid.uuid4(), occurred_at=datetime.now(UTC), account_id=account_id, version=version),
        )
        await audit.record(conn, "account.erased", actor_id=actor_id, subject_id=account_id, ip=ip)
    return True


class PrivacyPages(Controller):
    @get("/settings/data")
    async def data_page(self, request: AnyRequest, account: NamedDependency[Account]) -> Template:
        return page(request, "my_data", account, error=None)

    @get("/settings/data/export")
    async def export(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        runtime: NamedDependency[Runtime],
        clients: NamedDependency[Clients],
    ) -> Response[bytes]:
        data = await my_data(runtime, clients, account)
        async with runtime.pool.acquire() as conn:
            await audit.record(conn, "data.exported", actor_id=account.id, subject_id=account.id, ip=client_ip(request))
        day = datetime.now(UTC).date().isoformat()
        return Response(
            msgspec.json.format(msgspec.json.encode(data), indent=2),
            media_type="application/json",
            headers={
                "Content-Disposition": f'attachment; filename="secpool-my-data-{day}.json"',
                "Cache-Control": "no-store",
            },
        )

    @post("/settings/data/erase")
    async def erase(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        conn: RequestConn,
        data: URLEncodedBody[Erasure],
    ) -> Template | Redirect:
        if data.confirm.strip().lower() != account.email.lower():
            return page(request, "my_data", account, status_code=400, error="confirm")
        await erase_account(conn, account.id, actor_id=account.id, ip=client_ip(request))
        return signed_out(request)

    @post("/admin/people/{person_id:str}/erase")
    async def erase_someone(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        conn: RequestConn,
        person_id: FromPath[Id],
    ) -> Redirect:
        admin_only(account)
        erased = await erase_account(conn, person_id, actor_id=account.id, ip=client_ip(request))
        return back_to(f"/admin/audit?person={person_id}", "erased" if erased else "refused")

    @post("/admin/retention")
    async def set_retention(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        clients: NamedDependency[Clients],
        data: URLEncodedBody[RetentionForm],
    ) -> Redirect:
        admin_only(account)
        days = int(data.days) if data.days.strip().isdigit() else None
        if days is not None and not 1 <= days <= 3650:
            return back_to("/admin/sign-in", "retention_range")
        await clients.intake.set_retention(account.caller(), days)
        return back_to("/admin/sign-in", "retention")
