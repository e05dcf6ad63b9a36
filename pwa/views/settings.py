"""Settings: language, which notifications to get (the push engineer's preferences store),
installing the app, and signing out here or everywhere."""

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect, Template

from pwa import calendar_feeds
from pwa.notify import store as notify_store
from pwa.push import store as push_store
from pwa.push.notices import KINDS
from pwa.records import Account
from pwa.views import notifications
from pwa.views.common import AnyRequest, back_to, form_data, page
from services.platform.unit_of_work import RequestConn


def kinds_for(account: Account) -> list[str]:
    """The push-only kinds of notification that can reach this person (by role). Offers,
    questions, done and thanks are chosen per channel instead (pwa/views/notifications.py):
    one control per notice, never two that disagree."""
    shown = ["request"]
    if account.has("secretary"):
        shown = ["buddy", *shown]
    if account.has("lead"):
        shown.append("lead_queue")
    return [k for k in shown if k in KINDS]


class SettingsPages(Controller):
    path = "/settings"

    @get("/")
    async def settings(self, request: AnyRequest, account: NamedDependency[Account], conn: RequestConn) -> Template:
        muted = await push_store.muted_kinds(conn, account.id)
        feed = await calendar_feeds.feed_of(conn, account.id)
        channels = await notify_store.choices_of(conn, account.id)
        wanted = notifications.kinds_for(account)
        return page(
            request,
            "settings",
            account,
            kinds=kinds_for(account),
            muted=muted,
            calendar_feed=feed,
            channel_choices={k: channels[k] for k in wanted},
        )

    @post("/notifications")
    async def notifications(
        self, request: AnyRequest, account: NamedDependency[Account], conn: RequestConn
    ) -> Redirect:
        wanted = set((await form_data(request)).getall("kinds", []))
        muted = [k for k in kinds_for(account) if k not in wanted]
        await push_store.set_muted_kinds(conn, account.id, muted)
        return back_to("/settings", "preferences")
