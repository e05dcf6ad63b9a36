"""The pwa's composition root: settings, database (accounts, sessions), the gateway to the
services, templates, static files (hashed names, see assets.py), compression, CSRF and
security headers.

Run: `uvicorn --factory pwa.app:create_app`.
"""

import asyncio
from pathlib import Path

import asyncpg
import httpx
from litestar import Litestar
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.template.config import TemplateConfig

from pwa import accounts, challenges, integrations, limits, passwords, web
from pwa.assets import Assets
from pwa.clients import Clients
from pwa.files.config import FilesConfig
from pwa.gateway import Gateway
from pwa.live.api import events
from pwa.live.hub import LiveHub
from pwa.mail.config import MailConfig
from pwa.mail.worker import MailWorker
from pwa.notify.mail import Mailer
from pwa.oidc import OidcClient
from pwa.people import changes
from pwa.people.registry import PoolNames
from pwa.people.rules import PersonFields
from pwa.push.config import PushConfig
from pwa.push.wiring import PushWiring
from pwa.records import Pool
from pwa.sign_in_config import SignInConfig
from pwa.transfer import Transfer
from pwa.views import PAGES, errors
from services.demo import organisation
from services.platform import outbox
from services.platform.runtime import Runtime, service_app
from services.platform.settings import Settings
from services.platform.tokens import SigningKey, private_key

HERE = Path(__file__).parent


async def load_demo(rt: Runtime) -> None:
    """First start with SECPOOL_DEMO=1: the demo organisation's pool and accounts, each announced
    (PoolCreated, AccountCreated, in the same transaction) for the services that track them.
    The demo pool follows no holiday calendar, so the demo works on any day."""
    if not rt.settings.demo:
        return
    org = organisation()
    async with rt.pool.acquire() as conn, conn.transaction():
        if await accounts.count(conn) > 0:
            return
        for pool in org.pools:
            registered = Pool(
                id=pool["id"],
                name_nl=pool["name"],
                name_en=pool.get("name_en", pool["name"]),
                public_holidays="",
                version=1,
            )
            await changes.save_pool(conn, registered, actor=None)
        password_hash = await passwords.hash_password(org.password)
        for p in org.people:
            await accounts.upsert(
                conn,
                id=p.id,
                email=p.email,
                name=p.name,
                password_hash=password_hash,
                roles=p.roles,
                pools=p.pools,
                language=p.language,
            )
            person = PersonFields(
                email=p.email, name=p.name, roles=tuple(p.roles), pools=tuple(p.pools), language=p.language
            )
            await outbox.add(conn, changes.created_event(p.id, person))


async def prune_sign_in_state(rt: Runtime) -> None:
    """Every few minutes: forget rate-limit tries and sign-in challenges past any window."""
    while True:
        try:
            async with rt.pool.acquire() as conn:
                await limits.prune(conn)
                await challenges.prune(conn)
        except (OSError, asyncpg.PostgresError):
            pass  # the database is restarting: the next round catches up
        await asyncio.sleep(300)


def prepare_templates(jinja: JinjaTemplateEngine, assets: Assets) -> None:
    jinja.engine.globals.update(static_url=assets.url)
    # Templates change only with a deploy: without this every page asks the disk for the mtime
    # of each template it uses (base, page, partials), on every render.
    jinja.engine.auto_reload = False


def create_app(
    settings: Settings | None = None,
    push_config: PushConfig | None = None,
    mail_config: MailConfig | None = None,
    sign_in: SignInConfig | None = None,
    rate_limits: limits.Limits | None = None,
) -> Litestar:
    settings = settings or Settings.from_env("pwa")
    passwords.return_hash_memory()
    files = FilesConfig.from_env()
    mail = mail_config or MailConfig.from_env(settings.data_dir)
    sign_in = sign_in or SignInConfig.from_env()
    chosen_limits = rate_limits or limits.Limits.from_env()

    pool_names = PoolNames()
    assets = Assets(HERE / "static")  # read, hashed and compressed once, here
    mailer = Mailer(mail.public_url, settings.web_secret)

    async def refresh_pool_names(rt: Runtime) -> None:
        await pool_names.keep_fresh(rt.pool)

    async def send_mail(rt: Runtime) -> None:
        """Background task: the mail worker, woken by NOTIFY on `<schema>_mail`."""
        await MailWorker(rt.pool, mail, channel=f"{rt.schema}_mail").run()

    push = PushWiring(settings, push_config or PushConfig.from_env())
    live = LiveHub()
    gateway = Gateway(
        {"intake": settings.intake_url, "routing": settings.routing_url, "recognition": settings.recognition_url},
        SigningKey(
            private_key(settings.token_private_key),
            Path(settings.token_private_key_file) if settings.token_private_key_file else None,
        ),
    )

    clients = Clients.over(gateway)

    oidc_http = httpx.AsyncClient()
    oidc = OidcClient(sign_in.oidc, oidc_http) if sign_in.oidc else None

    async def close_gateway(_: Litestar) -> None:
        await gateway.close()
        await oidc_http.aclose()

    secure = settings.cookie_secure
    return service_app(
        settings=settings,
        schema="pwa",
        package="pwa",
        title="secpool pwa",
        authenticate=False,
        decode_json=True,
        route_handlers=[
            *PAGES,
            *push.route_handlers,
            events,
            *assets.route_handlers(),
        ],
        on_start=load_demo,
        consumers=lambda rt: [*push.consumers(rt), *mailer.consumers(rt), *integrations.consumers(rt)],
        background=[push.deliver, live.run, send_mail, refresh_pool_names, prune_sign_in_state],
        dependencies={
            "account": Provide(web.provide_account),
            "conn": Provide(web.request_conn),  # after `account`, see there
            "clients": Provide(lambda: clients, sync_to_thread=False),
            "live_hub": Provide(lambda: live, sync_to_thread=False),
            "files_config": Provide(lambda: files, sync_to_thread=False),
            "mail_config": Provide(lambda: mail, sync_to_thread=False),
            "sign_in_config": Provide(lambda: sign_in, sync_to_thread=False),
            "oidc": Provide(lambda: oidc, sync_to_thread=False),
            "rate_limits": Provide(lambda: chosen_limits, sync_to_thread=False),
            **push.dependencies,
        },
        template_config=TemplateConfig(
            directory=HERE / "templates",
            engine=JinjaTemplateEngine,
            engine_callback=lambda jinja: prepare_templates(jinja, assets),
        ),
        middleware=[Transfer],
        csrf_config=CSRFConfig(
            secret=settings.web_secret,
            cookie_name="__Host-csrftoken" if secure else "csrftoken",
            cookie_secure=secure,
            cookie_path="/",
            header_name="x-csrf-token",
            exclude=["/health", "/ready", "/metrics"],
        ),
        exception_handlers={**errors.HANDLERS, web.SignInRequired: web.to_sign_in},
        before_send=[web.security_headers],
        after_exception=[web.person_behind_error],
        on_shutdown=[close_gateway],
        state=State(
            {
                "zone": settings.zone,
                "vapid_public_key": push.public_key,
                "pool_names": pool_names,
                "max_file_mb": files.max_mb,
            }
        ),
    )
