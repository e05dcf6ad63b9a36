"""What every page handler needs: the page's template context (language, person, CSRF)."""

from typing import Any

from litestar import Request
from litestar.response import Template

from pwa import i18n
from pwa.accounts import Account

LANG_COOKIE = "secpool_lang"


def language_of(request: Request[Any, Any, Any], account: Account | None) -> str:
    return i18n.choose(
        request.headers.get("accept-language"),
        preferred=account.language if account else None,
        cookie=request.cookies.get(LANG_COOKIE),
    )


def page(
    request: Request[Any, Any, Any], name: str, account: Account | None, status_code: int = 200, **context: Any
) -> Template:
    """Render `pages/<name>.html`, or only its fragment when htmx asks for one."""
    lang = language_of(request, account)
    ctx = {**i18n.template_helpers(lang), "account": account, "path": request.url.path,
           "vapid_key": getattr(request.app.state, "vapid_public_key", ""), **context}  # fmt: skip
    return Template(template_name=f"pages/{name}.html", context=ctx, status_code=status_code)
