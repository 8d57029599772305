"""The offline hari buka: the page (an installable web app), its service worker and manifest, the
day's data and the rules as JSON, and the sync endpoint. Every view with data is scoped like the
rest of the site (ScopedViewMixin; another area's Posyandu is a 404, a read-only one a 403)."""
from __future__ import annotations

import functools
import gzip
import hashlib
import json
import re
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.gzip import gzip_page
from django.views.generic import TemplateView

from apps.core.scoping import CHANGE, require_change
from apps.core.views import ScopedViewMixin, get_scoped_or_404, public_view
from apps.offline import bundle, services
from apps.offline.models import SyncRecord, SyncStatus
from apps.posyandu.models import Posyandu

# The files the page needs with no signal; the service worker precaches them. Only these: the
# page loads no htmx and no app.js (it has no hx- markup, and offline.js shows its own
# data-show-when fields), and its icons are the cut-down font of scripts/offline_assets.py
# rather than the whole Bootstrap Icons font (131 KB on a 3G first load, twice with the precache).
SHELL_STATIC = [
    "vendor/bootstrap-5.3.9/css/bootstrap.min.css",
    "offline/icons.css",
    "offline/bootstrap-icons-luring.woff2",
    "css/app.css",
    "offline/growth.js",
    "offline/offline.js",
    "offline/icon.svg",
]
# Loaded by offline.js once the day is ready (the menu), and kept by the worker's runtime route
# for /static/ then: precaching it would put 21 KB more between a 3G first load and "ready".
MENU_SCRIPT = "vendor/bootstrap-5.3.9/js/bootstrap.bundle.min.js"
WORKBOX = "vendor/workbox-7.4.1/"
WORKBOX_MODULES = ["workbox-core", "workbox-routing", "workbox-strategies", "workbox-precaching"]

try:  # brotli is pinned (requirements.txt) for whitenoise's .br files; gzip where it is missing
    import brotli
except ImportError:  # pragma: no cover - the pinned environment has it
    brotli = None


def _revision(path: str) -> str | None:
    """Where static names are hashed (production's manifest storage) the URL is the revision, and
    Workbox then fetches with the browser's HTTP cache, which already holds what the page loaded
    (one download, not two). Unhashed names (tests, DEBUG) get a content hash, so a changed file
    is fetched again."""
    if static(path) != settings.STATIC_URL + path:
        return None
    found = finders.find(path)
    if not found:
        return "0"
    with open(found, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()[:12]


@functools.cache
def _workbox_code() -> str:
    """The four Workbox modules, inlined into the service worker: four importScripts in a row are
    four round trips before the precache starts (2 s at 3G latency). Their source-map comments
    would point at /offline/, so they go."""
    parts = []
    for name in WORKBOX_MODULES:
        with open(finders.find(WORKBOX + f"{name}.prod.js"), encoding="utf-8") as handle:
            parts.append(re.sub(r"^//# sourceMappingURL=.*$", "", handle.read(), flags=re.M).strip())
    return "\n".join(parts)


@functools.lru_cache(maxsize=16)
def _encodings(body: bytes) -> dict[str, bytes]:
    """A body that is the same for everyone (rules, service worker), compressed once per process."""
    variants = {"gzip": gzip.compress(body, 9, mtime=0)}
    if brotli is not None:
        variants["br"] = brotli.compress(body, quality=11)
    return variants


def _accepted(request: HttpRequest) -> set[str]:
    accepted = set()
    for item in request.headers.get("Accept-Encoding", "").split(","):
        token, _, params = item.strip().partition(";")
        if token and not re.fullmatch(r"\s*q=0(\.0*)?\s*", params):
            accepted.add(token.strip().lower())
    return accepted


def _shared_response(request: HttpRequest, body: bytes, content_type: str, cache_control: str) -> HttpResponse:
    """A body without user data, with a strong ETag: 304 when the phone has it, else brotli or
    gzip as the browser accepts."""
    etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponse(status=304)
    else:
        accepted, variants = _accepted(request), _encodings(body)
        encoding = next((e for e in ("br", "gzip") if e in accepted and e in variants), None)
        response = HttpResponse(variants[encoding] if encoding else body, content_type=content_type)
        if encoding:
            response["Content-Encoding"] = encoding
    response["ETag"] = etag
    response["Cache-Control"] = cache_control
    patch_vary_headers(response, ("Accept-Encoding",))
    return response


class OfflineMixin(ScopedViewMixin):
    model = Posyandu

    def get_posyandu(self) -> Posyandu:
        posyandu = get_scoped_or_404(Posyandu.objects.select_related("village"), self.request.user,
                                     pk=self.kwargs["posyandu_pk"])
        require_change(posyandu, self.request.user, "Hari buka luring hanya untuk akun yang dapat mencatat "
                                                    "data Posyandu ini.")
        return posyandu  # type: ignore[return-value]


class OfflineIndexView(OfflineMixin, TemplateView):
    """Which Posyandu's offline hari buka to open (the Posyandu the user may record for)."""

    template_name = "offline/index.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        writable = list(Posyandu.objects.for_user(self.request.user, CHANGE).order_by("name")[:101])
        context.update(title="Hari buka luring", posyandu_list=writable[:100], more=len(writable) > 100)
        return context


@method_decorator(gzip_page, name="dispatch")  # Django's gzip, with its BREACH padding (the page holds a CSRF token)
class OfflineAppView(OfflineMixin, TemplateView):
    """The page the kader installs and works in all day; it runs from the phone's cache offline."""

    template_name = "offline/app.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        posyandu = self.get_posyandu()
        context.update(posyandu=posyandu, title=f"Hari buka luring · {posyandu.name}",
                       rules_version=bundle.rules_bundle()["version"], menu_script=MENU_SCRIPT)
        return context


@method_decorator(gzip_page, name="dispatch")
class DayDataView(OfflineMixin, View):
    """The day's roster for the phone (fetched whenever there is a signal, kept in IndexedDB)."""

    def get(self, request: HttpRequest, posyandu_pk: int) -> HttpResponse:
        posyandu = self.get_posyandu()
        data = bundle.day_bundle(posyandu=posyandu, user=request.user, today=timezone.localdate())
        response = JsonResponse(data, json_dumps_params={"separators": (",", ":")})
        response["Cache-Control"] = "private, no-store"  # people's data: the phone keeps it in IndexedDB only
        return response


class RulesView(ScopedViewMixin, View):
    """The rules and tables the phone scores with (no region data)."""

    model = Posyandu

    def get(self, request: HttpRequest) -> HttpResponse:
        body, version = _rules_body()
        # The page asks for ?v=<version>: that URL never changes its content, so the browser may
        # keep it; any other URL is checked each time (ETag, 304).
        current = request.GET.get("v") == version
        return _shared_response(request, body, "application/json",
                                "private, max-age=31536000, immutable" if current else "private, no-cache")


@functools.cache
def _rules_body() -> tuple[bytes, str]:
    rules = bundle.rules_bundle()
    return json.dumps(rules, separators=(",", ":")).encode(), rules["version"]


@method_decorator(gzip_page, name="dispatch")
class SyncView(OfflineMixin, View):
    """POST {"records": [...]}: each saved or refused on its own, answered per UUID.
    GET ?uuid=a,b: what the server already has for these records (a phone that lost the answer)."""

    def get(self, request: HttpRequest, posyandu_pk: int) -> HttpResponse:
        posyandu = self.get_posyandu()
        keys = [k.strip() for k in request.GET.get("uuid", "").split(",") if k.strip()][:services.MAX_RECORDS_PER_REQUEST]
        valid = []
        for key in keys:
            try:
                valid.append(str(services.uuidlib.UUID(key)))
            except ValueError:
                continue
        rows = SyncRecord.objects.filter(posyandu=posyandu, uuid__in=valid)
        return JsonResponse({"results": [
            {"uuid": str(r.uuid), "status": r.status, "message": r.message, "errors": r.errors,
             "object_id": r.object_id, "result": r.result if r.status != SyncStatus.REFUSED else {}}
            for r in rows]})

    def post(self, request: HttpRequest, posyandu_pk: int) -> HttpResponse:
        posyandu = self.get_posyandu()
        if request.content_type != "application/json":
            return JsonResponse({"results": [], "message": "Kirim rekaman sebagai JSON."}, status=400)
        try:
            body = json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError):
            return JsonResponse({"results": [], "message": "Data kiriman tidak terbaca (bukan JSON)."}, status=400)
        records = body.get("records") if isinstance(body, dict) else None
        if not isinstance(records, list):
            return JsonResponse({"results": [], "message": "Data kiriman tidak berisi daftar rekaman."}, status=400)
        if len(records) > services.MAX_RECORDS_PER_REQUEST:
            return JsonResponse({"results": [], "message": f"Paling banyak {services.MAX_RECORDS_PER_REQUEST} "
                                 "rekaman per kiriman."}, status=400)
        outcomes = services.sync_records(posyandu=posyandu, records=records, acting_user=request.user)
        return JsonResponse({"results": [o.as_json() for o in outcomes]})


def _service_worker_body() -> bytes:
    precache = [{"url": static(path), "revision": _revision(path)} for path in SHELL_STATIC]
    return render_to_string("offline/sw.js", {
        "workbox": _workbox_code(),
        "precache": json.dumps(precache),
        "version": hashlib.sha256(json.dumps(precache).encode()).hexdigest()[:12],
        "static_url": settings.STATIC_URL,
    }).encode()


def warm_shared_bodies() -> None:
    """Build and compress the rules and the service worker before the first request: brotli's
    best setting takes most of a second for the 233 KB of rules, which the first phone to ask
    would wait for. config/wsgi.py calls this in gunicorn's master, so the workers share it."""
    _encodings(_rules_body()[0])
    try:
        _encodings(_service_worker_body())
    except ValueError:  # no collectstatic manifest (an API-only server): the first request builds it
        pass


@public_view
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker (code only, no data): served from /offline/ so that it controls the
    offline pages and nothing else. `no-cache` with an ETag: the browser checks for a new worker
    on every visit, and an unchanged one costs a 304."""
    response = _shared_response(request, _service_worker_body(), "application/javascript; charset=utf-8", "no-cache")
    response["Service-Worker-Allowed"] = "/offline/"
    return response


@public_view
def manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest; `start` names the Posyandu page the installed app opens (the page is
    scoped itself: a wrong number is a 404 there)."""
    start = request.GET.get("start", "")
    start_url = f"/offline/posyandu/{int(start)}/" if start.isdigit() else "/offline/"
    body = {
        "name": "Hari buka Posyandu (luring)", "short_name": "Hari buka", "lang": "id",
        "start_url": start_url, "scope": "/offline/", "display": "standalone",
        "background_color": "#ffffff", "theme_color": "#198754",
        "icons": manifest_icons(),
    }
    response = HttpResponse(json.dumps(body), content_type="application/manifest+json")
    response["Cache-Control"] = "public, max-age=3600"
    return response


def manifest_icons() -> list[dict[str, str]]:
    """PNGs for Android's install prompt (192 and 512, and maskable ones that fill the launcher's
    shape; drawn by scripts/offline_assets.py), and the SVG for browsers that take any size."""
    icons = [{"src": static(f"offline/icon-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png",
              "purpose": "any"} for size in (192, 512)]
    icons += [{"src": static(f"offline/icon-maskable-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png",
               "purpose": "maskable"} for size in (192, 512)]
    icons.append({"src": static("offline/icon.svg"), "sizes": "any", "type": "image/svg+xml", "purpose": "any"})
    return icons
