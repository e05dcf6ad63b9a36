"""Importing people from a CSV on the admin page: check it first (what would change, every bad
line with its number), then import it whole — or nothing, if any line is wrong. The same file
twice changes nothing the second time. (`secpool people import` does the same on the command line.)"""

from litestar import Controller, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.response import Redirect, Template

from pwa.mail.config import MailConfig
from pwa.people import csv_file, importer, rules, store
from pwa.records import Account
from pwa.views.admin_people import actor_of, admin_only
from pwa.views.common import AnyRequest, back_to, form_data, page
from services.platform.unit_of_work import RequestConn

MAX_BYTES = 5_000_000


async def uploaded_text(request: AnyRequest) -> str | None:
    form = await form_data(request)
    upload = form.get("file")
    if isinstance(upload, UploadFile):
        raw = await upload.read()
        if raw:
            return raw[:MAX_BYTES].decode("utf-8-sig", errors="replace")
    text = form.get("csv_text")
    return text if isinstance(text, str) and text.strip() else None


class AdminImport(Controller):
    path = "/admin/people/import"

    @get("/")
    async def form(self, request: AnyRequest, account: NamedDependency[Account]) -> Template:
        admin_only(account)
        return page(request, "admin_import", account, problems=[], changes=None, csv_text="", errors={})

    @post("/")
    async def check_or_import(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        conn: RequestConn,
        mail_config: NamedDependency[MailConfig],
    ) -> Template | Redirect:
        admin_only(account)
        text = await uploaded_text(request)
        action = str((await form_data(request)).get("action", "check"))
        if text is None:
            return page(
                request,
                "admin_import",
                account,
                status_code=422,
                problems=[],
                changes=None,
                csv_text="",
                errors={"file": "csv"},
            )
        lookup = rules.pool_lookup((p.id, p.name_nl, p.name_en) for p in await store.pools(conn))
        lines, problems = csv_file.parse(text, lookup)
        existing = await importer.existing(conn, [line.person.email for line in lines])
        if problems:
            return page(
                request,
                "admin_import",
                account,
                status_code=422,
                problems=problems,
                changes=None,
                csv_text="",
                errors={},
            )
        found = csv_file.changes(lines, existing)
        if action != "import":
            return page(request, "admin_import", account, problems=[], changes=found, csv_text=text, errors={})
        actor = await actor_of(conn, account)
        summary = await importer.apply(
            conn, found, actor_id=actor.id, inviter=actor.name, public_url=mail_config.public_url
        )
        return back_to(f"/admin/people?created={summary.created}&updated={summary.updated}", "imported")
