"""The offline hari buka: the page (an installable web app), its service worker and manifest, the
day's data and the rules as JSON, and the sync endpoint. Every view with data is scoped like the
rest of the site (ScopedViewMixin; another area's Posyandu is a 404, a read-only one a 403)."""
from __future__ import annotations

import hashlib
import json
from typing import Any

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import timezone
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from apps.core.scoping import CHANGE, require_change
from apps.core.views import ScopedViewMixin, get_scoped_or_404, public_view
from apps.offline import bundle, services
from apps.offline.models import SyncRecord, SyncStatus
from apps.posyandu.models import Posyandu

# The files the page needs with no signal; the service worker precaches them.
SHELL_STATIC = [
    "vendor/bootstrap-5.3.9/css/bootstrap.min.css",
    "vendor/bootstrap-icons-1.13.2/font/bootstrap-icons.min.css",
    "vendor/bootstrap-icons-1.13.2/font/fonts/bootstrap-icons.woff2",
    "vendor/bootstrap-5.3.9/js/bootstrap.bundle.min.js",
    "django_htmx/htmx-2.min.js",
    "css/app.css",
    "js/app.js",
    "offline/growth.js",
    "offline/offline.js",
    "offline/icon.svg",
]
WORKBOX = "vendor/workbox-7.4.1/"
WORKBOX_MODULES = ["workbox-core", "workbox-routing", "workbox-strategies", "workbox-precaching"]


def _revision(path: str) -> str:
    """A content hash, so a changed file is fetched again even where static names are not hashed."""
    found = finders.find(path)
    if not found:
        return "0"
    with open(found, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()[:12]


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


class OfflineAppView(OfflineMixin, TemplateView):
    """The page the kader installs and works in all day; it runs from the phone's cache offline."""

    template_name = "offline/app.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        posyandu = self.get_posyandu()
        context.update(posyandu=posyandu, title=f"Hari buka luring · {posyandu.name}")
        return context


class DayDataView(OfflineMixin, View):
    """The day's roster for the phone (fetched whenever there is a signal, kept in IndexedDB)."""

    def get(self, request: HttpRequest, posyandu_pk: int) -> HttpResponse:
        posyandu = self.get_posyandu()
        data = bundle.day_bundle(posyandu=posyandu, user=request.user, today=timezone.localdate())
        return JsonResponse(data, json_dumps_params={"separators": (",", ":")})


class RulesView(ScopedViewMixin, View):
    """The rules and tables the phone scores with (no region data)."""

    model = Posyandu

    def get(self, request: HttpRequest) -> HttpResponse:
        body = bundle.rules_bundle()
        response = HttpResponse(json.dumps(body, separators=(",", ":")), content_type="application/json")
        response["ETag"] = f'"{body["version"]}"'
        return response


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


@public_view
@never_cache
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker (code only, no data): served from /offline/ so that it controls the
    offline pages and nothing else."""
    precache = [{"url": static(path), "revision": _revision(path)} for path in SHELL_STATIC]
    body = render_to_string("offline/sw.js", {
        "workbox": [static(WORKBOX + f"{name}.prod.js") for name in WORKBOX_MODULES],
        "precache": json.dumps(precache),
        "version": hashlib.sha256(json.dumps(precache).encode()).hexdigest()[:12],
    })
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
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
        "icons": [{"src": static("offline/icon.svg"), "sizes": "any", "type": "image/svg+xml", "purpose": "any"}],
    }
    return HttpResponse(json.dumps(body), content_type="application/manifest+json")
