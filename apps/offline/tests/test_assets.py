"""What the phone downloads for the offline hari buka, over real HTTP (Django's test client): the
manifest's icons exist with the sizes they declare, the page's icon font holds every icon the page
shows, the first load carries only what the page needs, and the shared bodies (service worker,
rules) are compressed, cacheable and answered 304 when unchanged."""
from __future__ import annotations

import gzip
import importlib.util
import json
import re
from pathlib import Path
from typing import Any

import brotli
import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse
from PIL import Image

from apps.offline import views

pytestmark = pytest.mark.django_db
ROOT = Path(settings.BASE_DIR)
OFFLINE_STATIC = ROOT / "static" / "offline"


def assets_script() -> Any:
    spec = importlib.util.spec_from_file_location("offline_assets", ROOT / "scripts" / "offline_assets.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def static_file(url: str) -> Path:
    assert url.startswith(settings.STATIC_URL), url
    found = finders.find(url.removeprefix(settings.STATIC_URL))
    assert found, f"{url} is not a static file"
    return Path(found)


def test_the_manifest_names_png_icons_of_the_sizes_they_are(client, demo_posyandu):
    answer = client.get(reverse("offline:manifest"), {"start": demo_posyandu.pk})
    manifest = json.loads(answer.content)
    assert manifest["start_url"] == f"/offline/posyandu/{demo_posyandu.pk}/"
    pngs = [icon for icon in manifest["icons"] if icon["type"] == "image/png"]
    # Android's install prompt: a 192 and a 512 PNG, and a maskable icon for its launcher shapes.
    assert {(i["sizes"], i["purpose"]) for i in pngs} == {
        ("192x192", "any"), ("512x512", "any"), ("192x192", "maskable"), ("512x512", "maskable")}
    for icon in pngs:
        with Image.open(static_file(icon["src"])) as image:
            assert image.format == "PNG"
            assert f"{image.width}x{image.height}" == icon["sizes"], icon
            corner = image.convert("RGBA").getpixel((0, 0))
            if icon["purpose"] == "maskable":  # the launcher cuts its shape from a full square
                assert corner[3] == 255, f"{icon['src']}: a maskable icon needs an opaque background"
            else:  # the rounded square of icon.svg
                assert corner[3] == 0, icon["src"]
            centre = image.convert("RGB").getpixel((image.width // 2, image.height * 3 // 4))
            assert centre == (255, 255, 255), "the white heart of icon.svg"  # drawn, not an empty canvas
    svg = [icon for icon in manifest["icons"] if icon["type"] == "image/svg+xml"]
    assert len(svg) == 1 and static_file(svg[0]["src"]).read_text().startswith("<svg")


def shown_icons(html: str) -> set[str]:
    return set(re.findall(r"\bbi-([a-z0-9-]+)", html)) - {""}


@pytest.mark.parametrize("name", ["kader", "pengurus", "village_operator", "kabupaten_officer", "admin"])
def test_the_page_font_holds_every_icon_the_page_shows(client_as, demo_posyandu, name):
    page = client_as(name).get(reverse("offline:app", args=[demo_posyandu.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    script = (OFFLINE_STATIC / "offline.js").read_text(encoding="utf-8")
    wanted = shown_icons(html) | shown_icons(script)
    css = (OFFLINE_STATIC / "icons.css").read_text(encoding="utf-8")
    in_css = set(re.findall(r"\.bi-([a-z0-9-]+)::before", css))
    missing = wanted - in_css
    assert not missing, f"add {sorted(missing)} to ICONS in scripts/offline_assets.py and run it"
    from fontTools.ttLib import TTFont

    cmap = TTFont(OFFLINE_STATIC / "bootstrap-icons-luring.woff2").getBestCmap()
    for icon, code in re.findall(r'\.bi-([a-z0-9-]+)::before\{content:"\\([0-9a-f]+)"\}', css):
        assert int(code, 16) in cmap, f"{icon} is in icons.css but not in the font"


def test_the_icon_files_are_what_the_script_makes():
    script = assets_script()
    assert (OFFLINE_STATIC / "icons.css").read_text(encoding="utf-8") == script.icons_css(script.ICONS)
    # The cut-down font keeps the vendored font's glyphs for those icons, no more.
    from fontTools.ttLib import TTFont

    codes = script.codepoints()
    assert set(TTFont(OFFLINE_STATIC / "bootstrap-icons-luring.woff2").getBestCmap()) == {
        codes[n] for n in script.ICONS}


def test_the_first_load_carries_only_what_the_page_needs(client_as, demo_posyandu):
    page = client_as("kader").get(reverse("offline:app", args=[demo_posyandu.pk]), HTTP_ACCEPT_ENCODING="gzip, br")
    assert page["Content-Encoding"] == "gzip"
    html = gzip.decompress(page.content).decode()
    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', html)
    assert not [a for a in assets if "htmx" in a or "bootstrap-icons.min.css" in a or a.endswith("js/app.js")]
    assert "offline/icons.css" in " ".join(assets)
    # No script blocks the first paint: the page's own are deferred, Bootstrap's comes after ready.
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts and all(" defer" in s for s in scripts if "src=" in s), scripts
    assert "bootstrap.bundle.min.js" not in " ".join(scripts)
    assert 'data-menu-script="/static/vendor/bootstrap-5.3.9/js/bootstrap.bundle.min.js"' in html
    # Everything the page links is precached, so it reloads with no signal.
    precache = {e["url"] for e in service_worker_precache(client_as("kader"))}
    assert {a for a in assets} <= precache


def service_worker_precache(client: Any) -> list[dict[str, Any]]:
    body = client.get(reverse("offline:service_worker")).content.decode()
    return json.loads(re.search(r"precacheAndRoute\((\[.*?\])\)", body).group(1))


def test_the_service_worker_is_one_compressed_file_answered_304_when_unchanged(client):
    url = reverse("offline:service_worker")
    plain = client.get(url)
    body = plain.content
    assert plain["Cache-Control"] == "no-cache" and plain["Service-Worker-Allowed"] == "/offline/"
    assert b"importScripts" not in body and b"workbox.precaching" in body  # Workbox inlined, no round trips
    assert b"sourceMappingURL" not in body
    entries = service_worker_precache(client)
    assert [e["url"] for e in entries] == [settings.STATIC_URL + p for p in views.SHELL_STATIC]
    # Bootstrap's script (the menu, loaded after ready) is kept by the runtime route, not precached.
    assert views.MENU_SCRIPT not in views.SHELL_STATIC
    assert b'pathname.indexOf("/static/")' in body and b"StaleWhileRevalidate" in body
    # Unhashed names here (test storage): a content revision makes a changed file fetched again.
    assert all(re.fullmatch(r"[0-9a-f]{12}", e["revision"]) for e in entries)
    br = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert br["Content-Encoding"] == "br" and brotli.decompress(br.content) == body
    assert len(br.content) < len(body) / 2
    gz = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert gz["Content-Encoding"] == "gzip" and gzip.decompress(gz.content) == body
    assert "Accept-Encoding" in gz["Vary"]
    unchanged = client.get(url, HTTP_IF_NONE_MATCH=plain["ETag"])
    assert unchanged.status_code == 304 and not unchanged.content


def test_the_rules_are_cached_by_version_and_sent_compressed(client_as, demo_posyandu):
    client = client_as("kader")
    page = client.get(reverse("offline:app", args=[demo_posyandu.pk])).content.decode()
    rules_url = re.search(r'data-rules-url="([^"]+)"', page).group(1)
    version = re.search(r'data-rules-version="([0-9a-f]+)"', page).group(1)
    assert rules_url == reverse("offline:rules") + f"?v={version}"
    current = client.get(rules_url, HTTP_ACCEPT_ENCODING="br")
    assert current["Cache-Control"] == "private, max-age=31536000, immutable"
    rules = json.loads(brotli.decompress(current.content))
    assert rules["version"] == version
    assert len(current.content) < 40_000  # 230 KB of tables, about 30 KB on the wire
    other = client.get(reverse("offline:rules") + "?v=old")
    assert other["Cache-Control"] == "private, no-cache" and json.loads(other.content) == rules
    assert client.get(rules_url, HTTP_IF_NONE_MATCH=current["ETag"]).status_code == 304
    client.logout()
    assert client.get(rules_url).status_code == 302  # still behind the login


def test_the_day_data_is_compressed_and_never_kept_by_http_caches(client_as, demo_posyandu):
    answer = client_as("kader").get(reverse("offline:data", args=[demo_posyandu.pk]), HTTP_ACCEPT_ENCODING="gzip")
    assert answer["Content-Encoding"] == "gzip" and answer["Cache-Control"] == "private, no-store"
    day = json.loads(gzip.decompress(answer.content))
    assert day["persons"] and len(answer.content) < len(json.dumps(day)) / 3
