"""The admin's view of outgoing mail: what waits, what failed, and — with no SMTP server
configured — the messages written to the data folder, each readable (links included)."""

from typing import Annotated

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, PathParameter
from litestar.response import Template

from pwa.mail import folder, store
from pwa.mail.config import MailConfig
from pwa.records import Account
from pwa.views.admin_people import admin_only
from pwa.views.common import AnyRequest, page
from services.platform.unit_of_work import RequestConn

MailName = Annotated[str, PathParameter(pattern=r"^\d{8}-\d{6}-\d+\.eml$")]


class AdminMail(Controller):
    path = "/admin/mail"

    @get("/")
    async def mail(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        conn: RequestConn,
        mail_config: NamedDependency[MailConfig],
    ) -> Template:
        admin_only(account)
        counts = await store.counts(conn)
        messages = folder.listing(mail_config.folder) if mail_config.writes_to_folder else []
        return page(request, "admin_mail", account, counts=counts, messages=messages, config=mail_config, message=None)

    @get("/{name:str}")
    async def one(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        mail_config: NamedDependency[MailConfig],
        name: FromPath[MailName],
    ) -> Template:
        admin_only(account)
        found = folder.read(mail_config.folder, name)
        if found is None:
            raise NotFoundException()
        return page(request, "admin_mail", account, counts={}, messages=[], config=mail_config, message=found)
