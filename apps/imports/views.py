"""Pages of the Puskesmas-wide e-PPGBM import: upload, confirm the Posyandu of each group of rows,
see the result (every error, paged; the reconciliation) and take the file back with its errors."""
from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views import View
from django.views.generic import TemplateView

from apps.core.scoping import IMPORT, get_scope
from apps.core.views import ScopedViewMixin
from apps.imports import services
from apps.imports.errorfile import error_workbook
from apps.imports.models import ImportRun, RunStatus

PER_PAGE = 100


class _RunMixin(ScopedViewMixin):
    """A run is its uploader's: anyone else gets a 404, whatever their area (the file holds a
    whole Puskesmas's names and NIKs)."""

    model = ImportRun

    def get_queryset(self) -> models.QuerySet:
        return ImportRun.objects.filter(user=self.request.user)

    def get_run(self) -> ImportRun:
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def may_import(self) -> bool:
        return not get_scope(self.request.user, IMPORT).is_empty


class ImportIndexView(_RunMixin, TemplateView):
    template_name = "imports/index.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(title="Impor e-PPGBM", runs=self.get_queryset()[:20], may_import=self.may_import())
        return context

    def post(self, request: HttpRequest) -> HttpResponse:
        if not self.may_import():
            raise PermissionDenied("Anda tidak berwenang mengimpor data.")
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, "Pilih berkas ekspor e-PPGBM (XLSX atau CSV).")
            return redirect("imports:index")
        try:
            run = services.start_run(upload, request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("imports:index")
        return redirect("imports:run", pk=run.pk)


class ImportRunView(_RunMixin, TemplateView):
    template_name = "imports/run.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        run = self.get_run()
        chosen = run.mapping or services.proposed_mapping(run)
        groups = [dict(g, chosen=chosen.get(g["key"], "")) for g in run.groups]
        errors = Paginator(run.errors, PER_PAGE).get_page(self.request.GET.get("hal"))
        warnings = Paginator(run.warnings, PER_PAGE).get_page(self.request.GET.get("hal_p"))
        differences = Paginator((run.reconciliation or {}).get("differences", []), PER_PAGE).get_page(
            self.request.GET.get("hal_r"))
        context.update(title=f"Impor e-PPGBM · {run.filename}", run=run, groups=groups, errors=errors,
                       warnings=warnings, differences=differences, can_run=run.status != RunStatus.DONE,
                       unmapped=sum(1 for g in groups if not g["chosen"]))
        return context

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        run = self.get_run()
        if run.status == RunStatus.DONE:
            messages.info(request, "Berkas ini sudah diimpor. Unggah ekspor berikutnya untuk menambah data.")
            return redirect("imports:run", pk=run.pk)
        choices = {g["key"]: request.POST.get(f"map_{i}", "") for i, g in enumerate(run.groups)}
        result = services.run_import(run, choices, request.user, dry_run=request.POST.get("dry_run") == "1")
        if result.errors:
            messages.error(request, f"Impor dibatalkan: {len(result.errors)} kesalahan; tidak ada data yang disimpan.")
        elif result.dry_run:
            messages.info(request, "Uji coba berhasil: tidak ada kesalahan. Tekan Impor untuk menyimpan.")
        else:
            messages.success(request, f"Impor selesai: {result.visits_created} kunjungan dicatat.")
        return redirect("imports:run", pk=run.pk)


class ErrorFileView(_RunMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        run = self.get_run()
        response = HttpResponse(error_workbook(run), content_type=(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
        stem = re.sub(r"[^\w.-]+", "_", run.filename.rsplit(".", 1)[0])[:80] or "impor"
        response["Content-Disposition"] = f'attachment; filename="{stem}-kesalahan.xlsx"'
        return response
