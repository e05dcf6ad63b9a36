"""The pwa's static files, read once when the app is built (create_app) and served from memory.

Each file answers under a name that carries a hash of its content (`/static/app.3f2a9c1d.css`):
that address never changes content, so browsers keep it for a year without asking again
(`immutable`). Templates name a file with `static_url("app.css")`. Text files are compressed
once here (gzip, brotli), not on every answer.

Addresses that cannot carry a hash stay where they are and are checked on every use
(`no-cache` with an ETag, so an unchanged file costs a 304): the service worker at `/sw.js`
(it learns every hashed address when it is served, see `ASSETS_MARK`), the manifest's old
address `/manifest.webmanifest` and the plain `/static/<name>`, still answered for anyone
who asks by it. An old hash of a known file redirects to the current one, uncached: a page
still open from before a deploy, or a replica not yet updated, gets a working file rather
than a 404.
"""

import gzip
import hashlib
import json
import mimetypes
import re
from pathlib import Path
from typing import Any

import brotli
import msgspec
from litestar import HttpMethod, Request, Response, route
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect
from litestar.types import ControllerRouterHandler

from pwa import transfer

IMMUTABLE = "public, max-age=31536000, immutable"
# Brotli's top quality (11) saves another 9 % on these files but takes over a second of every
# start on a busy 2-core machine; 6 takes a tenth of that.
BROTLI_QUALITY = 6
REVALIDATE = "no-cache"
READ = [HttpMethod.GET, HttpMethod.HEAD]
# sw.js holds this line; the served worker has it filled with {name: hashed address}.
ASSETS_MARK = "const ASSETS = {};"
MANIFEST = "manifest.webmanifest"
HASHED = re.compile(r"^(?P<stem>.+)\.(?P<hash>[0-9a-f]{8})(?P<suffix>\.[^./]+)$")
MEDIA_TYPES = {
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".webmanifest": "application/manifest+json",
    ".txt": "text/plain; charset=utf-8",
}


class StaticFile(msgspec.Struct, frozen=True):
    """One file as it is sent: its bytes, and its compressed forms where they are smaller."""

    media_type: str
    body: bytes
    etag: str
    gzip: bytes | None = None
    br: bytes | None = None

    @classmethod
    def of(cls, body: bytes, media_type: str) -> "StaticFile":
        # A weak ETag: the same for every encoding of the same content (If-None-Match compares weakly).
        etag = f'W/"{hashlib.sha256(body).hexdigest()[:16]}"'
        if not transfer.compressible(media_type):
            return cls(media_type=media_type, body=body, etag=etag)
        zipped = gzip.compress(body, compresslevel=9, mtime=0)
        squeezed = brotli.compress(body, quality=BROTLI_QUALITY, mode=brotli.MODE_TEXT)
        return cls(
            media_type=media_type,
            body=body,
            etag=etag,
            gzip=zipped if len(zipped) < len(body) else None,
            br=squeezed if len(squeezed) < len(body) else None,
        )

    def answer(self, request: Request[Any, Any, Any], cache_control: str, **headers: str) -> Response[bytes]:
        """The form the request accepts; the 304 for a matching If-None-Match is transfer's."""
        accepted = transfer.accepted_encodings(request.headers.get("accept-encoding", ""))
        body, encoding = self.body, None
        if self.br is not None and "br" in accepted:
            body, encoding = self.br, "br"
        elif self.gzip is not None and "gzip" in accepted:
            body, encoding = self.gzip, "gzip"
        headers = {**headers, "Cache-Control": cache_control, "ETag": self.etag}
        if encoding:
            headers["Content-Encoding"] = encoding
        if transfer.compressible(self.media_type):
            headers["Vary"] = "Accept-Encoding"
        if request.method == HttpMethod.HEAD:  # the headers of the GET, without its body
            headers["Content-Length"] = str(len(body))
            body = b""
        return Response(content=body, media_type=self.media_type, headers=headers)


def media_type_of(path: Path) -> str:
    return MEDIA_TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def hashed_name(name: str, body: bytes) -> str:
    """`vendor/htmx.min.js` → `vendor/htmx.min.1a2b3c4d.js`: the hash goes before the last suffix."""
    digest = hashlib.sha256(body).hexdigest()[:8]
    stem, dot, suffix = name.rpartition(".")
    return f"{stem}.{digest}.{suffix}" if dot and "/" not in suffix else f"{name}.{digest}"


class Assets:
    """Every file under `root`, by its name relative to it (`icons/favicon.svg`)."""

    def __init__(self, root: Path) -> None:
        self.files: dict[str, StaticFile] = {}
        self.hashed: dict[str, str] = {}
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            name = path.relative_to(root).as_posix()
            body = path.read_bytes()
            self.files[name] = StaticFile.of(body, media_type_of(path))
            self.hashed[name] = hashed_name(name, body)
        # The manifest names its icons by their hashed addresses, so it is hashed as served; with
        # that it is immutable too and a repeat visit does not ask for it (its `id` keeps an
        # installed app the same app when the address changes).
        manifest = self.files[MANIFEST].body.decode()
        named = re.sub(r'"/static/([^"]+)"', lambda m: f'"{self.url(m[1])}"' if m[1] in self.hashed else m[0], manifest)
        self.manifest = StaticFile.of(named.encode(), MEDIA_TYPES[".webmanifest"])
        self.files[MANIFEST] = self.manifest
        self.hashed[MANIFEST] = hashed_name(MANIFEST, named.encode())
        self.by_hashed_name = {hashed: name for name, hashed in self.hashed.items()}
        worker = (root / "sw.js").read_text(encoding="utf-8")
        if worker.count(ASSETS_MARK) != 1:
            raise ValueError(f"sw.js must hold the line {ASSETS_MARK!r} exactly once")
        addresses = json.dumps({name: self.url(name) for name in self.hashed}, indent=2)
        filled = worker.replace(ASSETS_MARK, f"const ASSETS = {addresses};")
        self.service_worker = StaticFile.of(filled.encode(), MEDIA_TYPES[".js"])

    def url(self, name: str) -> str:
        """The hashed address of a static file; a name that is not there fails the page loudly."""
        return f"/static/{self.hashed[name]}"

    def route_handlers(self) -> list[ControllerRouterHandler]:
        assets = self

        @route("/static/{name:path}", http_method=READ, include_in_schema=False, sync_to_thread=False)
        def static_file(request: Request[Any, Any, Any], name: FromPath[str]) -> Response[bytes] | Redirect:
            name = name.lstrip("/")
            if name in assets.by_hashed_name:
                return assets.files[assets.by_hashed_name[name]].answer(request, IMMUTABLE)
            if name in assets.files:
                return assets.files[name].answer(request, REVALIDATE)
            old = HASHED.match(name)
            current = old and f"{old['stem']}{old['suffix']}"
            if current and current in assets.files:
                return Redirect(assets.url(current), status_code=302, headers={"Cache-Control": "no-store"})
            raise NotFoundException()

        @route("/sw.js", http_method=READ, include_in_schema=False, sync_to_thread=False)
        def service_worker(request: Request[Any, Any, Any]) -> Response[bytes]:
            # Checked on every visit: a new worker brings the new hashed addresses with it.
            return assets.service_worker.answer(request, REVALIDATE, **{"Service-Worker-Allowed": "/"})

        @route("/manifest.webmanifest", http_method=READ, include_in_schema=False, sync_to_thread=False)
        def manifest(request: Request[Any, Any, Any]) -> Response[bytes]:
            return assets.manifest.answer(request, REVALIDATE)

        return [static_file, service_worker, manifest]
