"""One-time links: the first admin's `/setup/<token>` (only while no admin exists), choosing a
password from an invite or from `secpool admin create` (`/password/<token>`), and asking for a
password reset by e-mail. A used or expired link answers 404; choosing a password ends every
other session of that person and starts a fresh one here."""

import uuid
from typing import Any

import msgspec
from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, URLEncodedBody
from litestar.response import Redirect, Template

from pwa import accounts, audit, limits, links, mail, passwords, web
from pwa.mail.config import MailConfig
from pwa.people import changes, store
from pwa.people.rules import PersonFields, normal_email, problems
from pwa.views.common import AnyRequest, page
from pwa.views.shell import home_of
from pwa.views.sign_in_steps import after_sign_in, open_session, too_many
from services.platform import outbox
from services.platform.runtime import Runtime

MIN_PASSWORD = 10
Token = str


class PasswordForm(msgspec.Struct):
    password: str = ""
    password_again: str = ""


class SetupForm(msgspec.Struct):
    name: str = ""
    email: str = ""
    password: str = ""
    password_again: str = ""


class ResetForm(msgspec.Struct):
    email: str = ""


def password_problem(password: str, again: str) -> str | None:
    if len(password) < MIN_PASSWORD or len(password) > 200:
        return "password_length"
    if password != again:
        return "password_again"
    return None


def client_ip(request: AnyRequest) -> str | None:
    return request.client.host if request.client else None


def signed_in(request: AnyRequest, token: str, target: str) -> Redirect:
    response = Redirect(target, status_code=303)
    response.cookies.append(web.session_cookie(request.app.state, token))
    return response


# No request connection (`conn: RequestConn`) here: passwords are hashed with no connection held
# (hashing is slow on purpose), so each step acquires its own connection around its SQL.
class FirstRunPages(Controller):
    @get("/setup/{token:str}")
    async def setup(self, request: AnyRequest, runtime: NamedDependency[Runtime], token: FromPath[Token]) -> Template:
        async with runtime.pool.acquire() as conn:
            usable, _ = await links.valid(conn, token, "setup")
            if not usable or await store.count_admins(conn) > 0:
                raise NotFoundException()
        return page(request, "setup", None, token=token, form=SetupForm(), errors={})

    @post("/setup/{token:str}")
    async def create_first_admin(
        self,
        request: AnyRequest,
        runtime: NamedDependency[Runtime],
        token: FromPath[Token],
        data: URLEncodedBody[SetupForm],
    ) -> Template | Redirect:
        person = PersonFields(email=normal_email(data.email), name=data.name.strip(), roles=("admin",), pools=())
        errors = {p.field: p.code for p in problems(person, [])}
        if wrong := password_problem(data.password, data.password_again):
            errors["password"] = wrong
        if errors:
            return page(request, "setup", None, status_code=422, token=token, form=data, errors=errors)
        password_hash = await passwords.hash_password(data.password)
        async with runtime.pool.acquire() as conn, conn.transaction():
            if await store.count_admins(conn) > 0 or not (await links.use(conn, token, "setup"))[0]:
                raise NotFoundException()
            account_id = str(uuid.uuid4())
            await store.create_many(conn, [(account_id, person)])
            await store.set_password(conn, account_id, password_hash)
            await links.retire_setup(conn)
            await audit.record(
                conn,
                "admin.created",
                actor_id=account_id,
                subject_id=account_id,
                detail={"email": person.email, "via": "setup link"},
                ip=client_ip(request),
            )
            await outbox.add(conn, changes.created_event(account_id, person))
            session = await accounts.start_session(conn, account_id)
        return signed_in(request, session, "/admin")

    @get("/password/{token:str}")
    async def choose_password(
        self, request: AnyRequest, runtime: NamedDependency[Runtime], token: FromPath[Token]
    ) -> Template:
        async with runtime.pool.acquire() as conn:
            usable, account_id = await links.valid(conn, token, "password")
            person = await store.person(conn, account_id) if usable and account_id else None
        if person is None or person.disabled:
            raise NotFoundException()
        return page(request, "set_password", None, token=token, person=person, errors={})

    @post("/password/{token:str}")
    async def set_password(
        self,
        request: AnyRequest,
        runtime: NamedDependency[Runtime],
        token: FromPath[Token],
        data: URLEncodedBody[PasswordForm],
    ) -> Template | Redirect:
        if wrong := password_problem(data.password, data.password_again):
            async with runtime.pool.acquire() as conn:
                usable, account_id = await links.valid(conn, token, "password")
                person = await store.person(conn, account_id) if usable and account_id else None
            if person is None:
                raise NotFoundException()
            return page(
                request, "set_password", None, status_code=422, token=token, person=person, errors={"password": wrong}
            )
        password_hash = await passwords.hash_password(data.password)
        async with runtime.pool.acquire() as conn, conn.transaction():
            usable, account_id = await links.use(conn, token, "password")
            person = await store.person(conn, account_id) if usable and account_id else None
            if person is None or person.disabled:
                raise NotFoundException()
            await store.set_password(conn, person.id, password_hash)
            await accounts.end_all_sessions(conn, person.id)  # a reset locks out whoever knew the old one
            await links.retire_for(conn, person.id)
            await audit.record(conn, "password.set", actor_id=person.id, subject_id=person.id, ip=client_ip(request))
            account = await accounts.get(conn, person.id)
            assert account is not None
            # A reset link proves the mailbox, not the second factor: that step is still due.
            session, stage = await open_session(conn, request, account, method="password")
        if stage is not None:
            return after_sign_in(request, account, session, home_of(account), stage)
        return signed_in(request, session, home_of(account))

    @get("/password-reset")
    async def reset_form(self, request: AnyRequest) -> Template:
        return page(request, "password_reset", None, sent=False, email="")

    @post("/password-reset")
    async def send_reset(
        self,
        request: AnyRequest,
        runtime: NamedDependency[Runtime],
        mail_config: NamedDependency[MailConfig],
        data: URLEncodedBody[ResetForm],
    ) -> Response[Any]:
        """The same answer whether or not the address has an account (nobody learns who has one).
        Limited per address asked for and per network address (429 with Retry-After)."""
        async with runtime.pool.acquire() as conn:
            tries = await limits.take(conn, limits.PASSWORD_RESET, data.email) & await limits.take(
                conn, limits.PASSWORD_RESET_ADDRESS, client_ip(request) or "unknown"
            )
            if not tries.allowed:
                await limits.give_back(conn, tries)
                return too_many(request, None, tries.retry_after)
        async with runtime.pool.acquire() as conn, conn.transaction():
            person = await store.by_email(conn, data.email)
            if person is not None and not person.disabled:
                token = await links.issue(conn, "password", links.RESET_TTL, person.id)
                context = {
                    "name": person.name,
                    "link": f"{mail_config.public_url}/password/{token}",
                    "minutes": int(links.RESET_TTL.total_seconds() // 60),
                }
                await mail.queue(
                    conn, to=person.email, template="password_reset", language=person.language, context=context
                )
                await audit.record(
                    conn, "password.reset_requested", actor_id=None, subject_id=person.id, ip=client_ip(request)
                )
        return page(request, "password_reset", None, sent=True, email=data.email)
