"""Static files under hashed names (pwa/assets.py), served by a small inline app with the
transfer middleware: immutable caching on hashed names, no-cache with ETag/304 on the fixed
ones (/sw.js, the manifest's old address, plain names), an old hash redirected, and the service worker
served knowing every hashed address."""

import hashlib
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from pwa.assets import IMMUTABLE, Assets
from pwa.transfer import Transfer

STATIC = Path(__file__).resolve().parents[3] / "pwa" / "static"
BROWSER = {"Accept-Encoding": "gzip, deflate, br"}


@pytest.fixture(scope="module")
def assets() -> Assets:
    return Assets(STATIC)


def client(assets: Assets) -> AsyncTestClient[Litestar]:
    return AsyncTestClient(Litestar(assets.route_handlers(), middleware=[Transfer]))


def filled_assets_map(worker: str) -> dict[str, str]:
    found = re.search(r"^const ASSETS = (\{.*?\});$", worker, re.S | re.M)
    assert found, "the served worker has no ASSETS map"
    addresses: dict[str, str] = json.loads(found.group(1))
    return addresses


def test_a_hashed_name_carries_the_hash_of_the_content_before_the_suffix(assets: Assets) -> None:
    digest = hashlib.sha256((STATIC / "vendor" / "htmx.min.js").read_bytes()).hexdigest()[:8]
    assert assets.url("vendor/htmx.min.js") == f"/static/vendor/htmx.min.{digest}.js"
    assert re.fullmatch(r"/static/icons/favicon\.[0-9a-f]{8}\.svg", assets.url("icons/favicon.svg"))
    with pytest.raises(KeyError):
        assets.url("no-such.css")


def test_a_changed_file_gets_a_new_name_and_a_new_worker(tmp_path: Path, assets: Assets) -> None:
    copy = tmp_path / "static"
    shutil.copytree(STATIC, copy)
    (copy / "app.css").write_text((STATIC / "app.css").read_text(encoding="utf-8") + "\n.new { color: red; }\n")
    changed = Assets(copy)
    assert changed.url("app.css") != assets.url("app.css")
    assert changed.url("app.js") == assets.url("app.js")
    assert changed.service_worker.etag != assets.service_worker.etag


async def test_a_hashed_file_is_kept_for_a_year_and_sent_compressed(assets: Assets) -> None:
    async with client(assets) as http:
        response = await http.get(assets.url("vendor/htmx.min.js"), headers=BROWSER)
    assert response.status_code == 200
    assert response.headers["cache-control"] == IMMUTABLE == "public, max-age=31536000, immutable"
    assert response.headers["content-encoding"] == "br"
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.headers["vary"] == "Accept-Encoding"
    assert response.content == (STATIC / "vendor" / "htmx.min.js").read_bytes()
    assert int(response.headers["content-length"]) < len(response.content) / 3


async def test_head_gives_the_headers_of_get_without_the_body(assets: Assets) -> None:
    async with client(assets) as http:
        got = await http.get(assets.url("app.js"), headers=BROWSER)
        head = await http.head(assets.url("app.js"), headers=BROWSER)
    assert head.status_code == 200 and head.content == b""
    for name in ("content-length", "content-encoding", "etag", "cache-control", "content-type"):
        assert head.headers[name] == got.headers[name], name


async def test_gzip_for_a_browser_without_brotli_and_the_plain_file_for_one_without_either(assets: Assets) -> None:
    async with client(assets) as http:
        zipped = await http.get(assets.url("app.css"), headers={"Accept-Encoding": "gzip"})
        plain = await http.get(assets.url("app.css"), headers={"Accept-Encoding": "identity"})
    assert zipped.headers["content-encoding"] == "gzip"
    assert "content-encoding" not in plain.headers
    assert zipped.content == plain.content == (STATIC / "app.css").read_bytes()


async def test_an_image_is_sent_as_it_is(assets: Assets) -> None:
    async with client(assets) as http:
        response = await http.get(assets.url("icons/icon-192.png"), headers=BROWSER)
    assert response.headers["content-type"] == "image/png"
    assert "content-encoding" not in response.headers and "vary" not in response.headers
    assert response.headers["cache-control"] == IMMUTABLE


@pytest.mark.parametrize("name", ["app.css", "icons/icon-192.png"])
async def test_every_static_address_answers_304_to_its_etag(assets: Assets, name: str) -> None:
    async with client(assets) as http:
        for address in (assets.url(name), f"/static/{name}"):
            first = await http.get(address, headers=BROWSER)
            again = await http.get(address, headers={**BROWSER, "If-None-Match": first.headers["etag"]})
            assert again.status_code == 304 and again.content == b"", address
            assert again.headers["etag"] == first.headers["etag"]
            assert again.headers["cache-control"] == first.headers["cache-control"]


async def test_a_plain_name_still_answers_but_is_checked_each_time(assets: Assets) -> None:
    async with client(assets) as http:
        response = await http.get("/static/icons/icon-512.png")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-cache" and response.headers["etag"]


async def test_an_old_hash_redirects_uncached_to_the_current_file_and_an_unknown_name_is_404(assets: Assets) -> None:
    async with client(assets) as http:
        old = await http.get("/static/app.0123abcd.css", follow_redirects=False)
        unknown = await http.get("/static/nothing.0123abcd.css", follow_redirects=False)
        missing = await http.get("/static/nothing.css", follow_redirects=False)
    assert old.status_code == 302
    assert old.headers["location"] == assets.url("app.css")
    assert old.headers["cache-control"] == "no-store"
    assert unknown.status_code == missing.status_code == 404


async def test_the_worker_stays_at_its_fixed_address_checked_each_time(assets: Assets) -> None:
    async with client(assets) as http:
        worker = await http.get("/sw.js", headers=BROWSER)
        unchanged = await http.get("/sw.js", headers={**BROWSER, "If-None-Match": worker.headers["etag"]})
    assert worker.headers["cache-control"] == "no-cache"
    assert worker.headers["service-worker-allowed"] == "/"
    assert worker.headers["content-type"].startswith("text/javascript")
    assert worker.headers["content-encoding"] == "br"
    assert unchanged.status_code == 304
    assert filled_assets_map(worker.text) == {name: assets.url(name) for name in assets.hashed}


async def test_the_manifest_is_hashed_immutable_and_names_its_icons_by_hash(assets: Assets) -> None:
    address = assets.url("manifest.webmanifest")
    assert re.fullmatch(r"/static/manifest\.[0-9a-f]{8}\.webmanifest", address), address
    async with client(assets) as http:
        manifest = await http.get(address, headers=BROWSER)
        old_address = await http.get("/manifest.webmanifest", headers=BROWSER)
    assert manifest.headers["cache-control"] == IMMUTABLE
    assert manifest.headers["content-type"] == "application/manifest+json"
    assert manifest.headers["content-encoding"] == "br"
    assert old_address.headers["cache-control"] == "no-cache"
    assert old_address.content == manifest.content
    icons = [icon["src"] for icon in manifest.json()["icons"]]
    assert assets.url("icons/icon-192.png") in icons
    assert all(re.fullmatch(r"/static/icons/[\w-]+\.[0-9a-f]{8}\.(png|svg)", src) for src in icons), icons
    assert manifest.json()["id"] == "/", "the id keeps an installed app the same app when the address changes"


def test_the_served_worker_is_valid_javascript_and_precaches_only_known_files(assets: Assets, tmp_path: Path) -> None:
    worker = assets.service_worker.body.decode()
    precached = re.search(r"const PRECACHE = \[(.*?)\]\.map\(asset\);", worker, re.S)
    assert precached, "sw.js lists what it precaches in PRECACHE"
    names = re.findall(r"'([^']+)'", precached.group(1))
    assert {"app.css", "app.js", "vendor/htmx.min.js", "vendor/htmx-ext-sse.js"} <= set(names)
    assert set(names) <= set(assets.hashed)
    node = shutil.which("node")
    assert node is not None, "node is needed to check the served worker's syntax"
    served = tmp_path / "sw.js"
    served.write_text(worker, encoding="utf-8")
    result = subprocess.run([node, "--check", str(served)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_every_file_the_base_page_loads_is_named_by_static_url() -> None:
    base = (STATIC.parent / "templates" / "base.html").read_text(encoding="utf-8")
    assert "/static/" not in base
    for name in re.findall(r"static_url\('([^']+)'\)", base):
        assert (STATIC / name).is_file(), name
