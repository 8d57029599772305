"""The Posyandu registers on screen and as Excel and PDF downloads.

The Posyandu is looked up in the user's scope first, so an out-of-scope Posyandu is a 404 for the
page and both downloads alike. The year is a query parameter (`?tahun=2026`) defaulting to this year.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from apps.core.scoping import CHANGE, is_in_scope
from apps.core.views import ScopedViewMixin, get_scoped_or_404
from apps.posyandu.models import Posyandu
from apps.regions.breadcrumbs import region_breadcrumbs
from apps.serviceday import exporters
from apps.serviceday.registers import REGISTERS, Register, build_register

FIRST_YEAR = 2000
YEARS_OFFERED = 6


class RegisterMixin(ScopedViewMixin):
    model = Posyandu
    kind = ""  # a key of REGISTERS, set in the URLconf

    def get_posyandu(self) -> Posyandu:
        if not hasattr(self, "_posyandu"):
            self._posyandu = get_scoped_or_404(Posyandu.objects.select_related("village"), self.request.user,
                                               pk=self.kwargs["posyandu_pk"])  # type: ignore[attr-defined]
        return self._posyandu  # type: ignore[return-value]

    def get_year(self) -> int:
        """`?tahun=`; anything unusable falls back to this year rather than erroring."""
        this_year = dt.date.today().year
        try:
            year = int(self.request.GET.get("tahun", this_year))
        except (TypeError, ValueError):
            return this_year
        return year if FIRST_YEAR <= year <= this_year + 1 else this_year

    def build(self, *, reveal_nik: bool = False) -> Register:
        return build_register(self.kind, self.get_posyandu(), self.get_year(), self.request.user,
                              reveal_nik=reveal_nik)

    def generated_by(self) -> str:
        user = self.request.user
        return getattr(user, "display_name", "") or user.get_username()


class RegisterPageMixin(RegisterMixin):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        posyandu = self.get_posyandu()
        self.object = posyandu  # can_change in the base context then speaks of this Posyandu
        context = super().get_context_data(**kwargs)
        year = self.get_year()
        this_year = dt.date.today().year
        years = sorted({*range(this_year, this_year - YEARS_OFFERED, -1), year}, reverse=True)
        context.update(
            posyandu=posyandu, year=year, years=years,
            registers=[(key, kind, reverse(f"registers:{key}", args=[posyandu.pk])) for key, kind in REGISTERS.items()],
            breadcrumbs=region_breadcrumbs(posyandu.village, self.request.user)[:-1] + [
                (posyandu.village.title, reverse("regions:detail", args=[posyandu.village.code])),
                (posyandu.name, posyandu.get_absolute_url()),
                ("Register", reverse("registers:index", args=[posyandu.pk]) if self.kind else ""),
            ],
        )
        return context


class RegisterIndexView(RegisterPageMixin, TemplateView):
    template_name = "serviceday/registers/index.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = f"Register {exporters.posyandu_label(context['posyandu'])}"
        return context


class RegisterPageView(RegisterPageMixin, TemplateView):
    template_name = "serviceday/registers/register.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        register = self.build()
        pk, year = register.posyandu.pk, register.year
        context.update(
            register=register, kind=self.kind, place_line=exporters.place_line(register),
            title=f"{register.title} · {register.posyandu.name} · {year}",
            xlsx_url=reverse(f"registers:{self.kind}_xlsx", args=[pk]) + f"?tahun={year}",
            pdf_url=reverse(f"registers:{self.kind}_pdf", args=[pk]) + f"?tahun={year}",
        )
        context["breadcrumbs"][-1:] = [context["breadcrumbs"][-1], (register.title, "")]
        return context


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Health data: no shared cache may keep a copy (UU 27/2022).
    response["Cache-Control"] = "private, no-store"
    return response


class RegisterExcelView(RegisterMixin, View):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        posyandu = self.get_posyandu()
        # The full NIK leaves the system only for those who keep this Posyandu's records; readers
        # (kecamatan, OPD) get the masked number, as on screen.
        reveal = is_in_scope(posyandu, request.user, CHANGE)
        register = self.build(reveal_nik=reveal)
        content = exporters.register_to_xlsx(register, generated_by=self.generated_by())
        return _attachment(content, exporters.XLSX_CONTENT_TYPE, exporters.download_name(register, "xlsx"))


class RegisterPdfView(RegisterMixin, View):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        register = self.build(reveal_nik=False)  # paper travels: the PDF always masks the NIK
        content = exporters.register_to_pdf(register, generated_by=self.generated_by())
        return _attachment(content, "application/pdf", exporters.download_name(register, "pdf"))
