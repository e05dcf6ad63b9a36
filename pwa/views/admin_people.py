"""Admin pages for people: the list, inviting someone (an e-mail with a one-time link), editing
name, e-mail, language, roles and pools, disabling (sessions end at once, open work goes back to
the pool; requests and thanks stay) and enabling again. Every change is in the audit log."""

from typing import Annotated

import msgspec
from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import FromPath, FromQuery, PathParameter
from litestar.response import Redirect, Template

from pwa import audit
from pwa.mail.config import MailConfig
from pwa.people import changes, store
from pwa.people.rules import LANGUAGES, ROLES, PersonFields, normal_email
from pwa.records import Account, Person
from pwa.views.common import AnyRequest, back_to, form_data, page
from pwa.views.first_run import client_ip
from services.platform.db import Conn
from services.platform.unit_of_work import RequestConn

AccountId = Annotated[str, PathParameter(pattern=r"^[A-Za-z0-9-]{1,64}$")]


def admin_only(account: Account) -> None:
    if not account.has("admin"):
        raise PermissionDeniedException("for admins")


class PersonForm(msgspec.Struct, kw_only=True):
    name: str = ""
    email: str = ""
    language: str = "nl"
    roles: tuple[str, ...] = ("staff",)
    pools: tuple[str, ...] = ()


async def person_form(request: AnyRequest) -> PersonForm:
    form = await form_data(request)
    return PersonForm(
        name=str(form.get("name", "")).strip(),
        email=normal_email(str(form.get("email", ""))),
        language=str(form.get("language", "nl")),
        roles=tuple(r for r in form.getall("roles", []) if r),
        pools=tuple(p for p in form.getall("pools", []) if p),
    )


def fields_of(form: PersonForm) -> PersonFields:
    return PersonFields(email=form.email, name=form.name, roles=form.roles, pools=form.pools, language=form.language)


async def actor_of(conn: Conn, account: Account) -> Person:
    actor = await store.person(conn, account.id)
    assert actor is not None
    return actor


class AdminPeople(Controller):
    path = "/admin"

    @get("/")
    async def home(self, account: NamedDependency[Account]) -> Redirect:
        admin_only(account)
        return Redirect("/admin/people")

    @get("/people")
    async def people(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        conn: RequestConn,
        q: FromQuery[str] = "",
    ) -> Template:
        admin_only(account)
        found = await store.people(conn, search=q.strip()[:100])
        pools = await store.pools(conn)
        return page(request, "admin_people", account, people=found, q=q, pools={p.id: p for p in pools})

    async def _form(
        self,
        request: AnyRequest,
        account: Account,
        conn: Conn,
        form: PersonForm,
        errors: dict[str, str],
        person: Person | None,
        status: int = 200,
    ) -> Template:
        pools = await store.pools(conn)
        history = await audit.recent(conn, limit=20, subject_id=person.id) if person else []
        return page(
            request,
            "admin_person",
            account,
            status_code=status,
            form=form,
            errors=errors,
            person=person,
            pools=pools,
            roles=ROLES,
            languages=LANGUAGES,
            history=history,
        )

    @get("/people/new")
    async def new(self, request: AnyRequest, account: NamedDependency[Account], conn: RequestConn) -> Template:
        admin_only(account)
        return await self._form(request, account, conn, PersonForm(), {}, None)

    @post("/people")
    async def invite(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        conn: RequestConn,
        mail_config: NamedDependency[MailConfig],
    ) -> Template | Redirect:
        admin_only(account)
        form = await person_form(request)
        actor = await actor_of(conn, account)
        try:
            async with conn.transaction():  # a refused change leaves nothing; the form is shown again
                new_id = await changes.invite(
                    conn, fields_of(form), actor=actor, public_url=mail_config.public_url, ip=client_ip(request)
                )
        except changes.Refused as exc:
            errors = {p.field: p.code for p in exc.problems}
            return await self._form(request, account, conn, form, errors, None, 422)
        return back_to(f"/admin/people/{new_id}", "invited")

    @get("/people/{person_id:str}")
    async def person(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        conn: RequestConn,
        person_id: FromPath[AccountId],
    ) -> Template:
        admin_only(account)
        found = await store.person(conn, person_id)
        if found is None:
            raise NotFoundException()
        form = PersonForm(
            name=found.name,
            email=found.email,
            language=found.language,
            roles=tuple(found.roles),
            pools=tuple(found.pools),
        )
        return await self._form(request, account, conn, form, {}, found)

    @post("/people/{person_id:str}")
    async def save(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        conn: RequestConn,
        person_id: FromPath[AccountId],
    ) -> Template | Redirect:
        admin_only(account)
        form = await person_form(request)
        actor = await actor_of(conn, account)
        try:
            async with conn.transaction():  # a refused change leaves nothing; the form is shown again
                await changes.edit(conn, person_id, fields_of(form), actor=actor, ip=client_ip(request))
        except changes.Refused as exc:
            found = await store.person(conn, person_id)
            if found is None:
                raise NotFoundException() from exc
            return await self._form(request, account, conn, form, {p.field: p.code for p in exc.problems}, found, 422)
        return back_to(f"/admin/people/{person_id}", "person_saved")

    @post("/people/{person_id:str}/disable")
    async def disable(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        conn: RequestConn,
        person_id: FromPath[AccountId],
    ) -> Redirect:
        admin_only(account)
        actor = await actor_of(conn, account)
        try:
            async with conn.transaction():  # a refused change leaves nothing
                await changes.disable(conn, person_id, actor=actor, ip=client_ip(request))
        except changes.Refused:
            return back_to(f"/admin/people/{person_id}", "refused")
        return back_to(f"/admin/people/{person_id}", "disabled")

    @post("/people/{person_id:str}/enable")
    async def enable(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        conn: RequestConn,
        person_id: FromPath[AccountId],
    ) -> Redirect:
        admin_only(account)
        actor = await actor_of(conn, account)
        await changes.enable(conn, person_id, actor=actor, ip=client_ip(request))
        return back_to(f"/admin/people/{person_id}", "enabled")
