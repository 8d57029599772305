"""Generic scoped views: each model's pages are a few attributes (as NetBox's generic views).

Every view the URL walker finds must either derive from `ScopedViewMixin` or be marked public
with `public_view`; the test in apps/core/tests fails otherwise.
"""
from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.forms import ModelForm
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.views import generic
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from apps.core.scoping import CHANGE, VIEW, get_scope, is_in_scope, require_change


def public_view(view: Any) -> Any:
    """Mark a view as deliberately unscoped (login page, health check, static pages)."""
    view.is_public_view = True
    return view


def restrict_form_fields(form: ModelForm, user: Any) -> None:
    """Narrow every model-choice field to what the user may change (NetBox's restrict_form_fields).

    A forged POST naming an object outside the scope then fails validation like an unknown id.
    """
    for field in form.fields.values():
        queryset = getattr(field, "queryset", None)
        if queryset is not None and hasattr(queryset, "for_user"):
            action = getattr(queryset.model, "scope_choice_action", CHANGE)
            field.queryset = queryset.for_user(user, action)


class ScopedViewMixin(LoginRequiredMixin):
    """Base for every page that shows region-owned data."""

    model: type[models.Model]
    queryset: models.QuerySet | None = None
    action = VIEW

    def get_queryset(self) -> models.QuerySet:
        base = self.queryset if self.queryset is not None else self.model._default_manager.all()
        return base.for_user(self.request.user, VIEW)

    def can_change(self, obj: models.Model | None = None) -> bool:
        if obj is None:
            return get_scope(self.request.user, CHANGE).can_place_in_region
        return is_in_scope(obj, self.request.user, CHANGE)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_change"] = self.can_change(getattr(self, "object", None))
        model = getattr(self, "model", None)
        context["model_verbose_name"] = model._meta.verbose_name if model else ""
        return context


class ScopedListView(ScopedViewMixin, SingleTableMixin, FilterView):
    paginate_by = 50
    template_name = "core/object_list.html"
    title = ""
    create_url_name = ""

    def get_template_names(self) -> list[str]:
        if self.request.htmx:  # htmx filter requests swap only the table
            return ["core/_table.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = self.title or self.model._meta.verbose_name_plural.capitalize()
        context["create_url_name"] = self.create_url_name
        return context


class ScopedDetailView(ScopedViewMixin, generic.DetailView):
    """Outside the scope the object does not exist: 404, the same answer as a wrong id."""


class ScopedEditMixin(ScopedViewMixin):
    form_class: type[ModelForm]
    template_name = "core/object_form.html"
    success_message = "Data tersimpan."
    # Forms that check typed region codes against the user's scope take the user.
    form_takes_user = False

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()  # type: ignore[misc]
        if self.form_takes_user:
            kwargs["user"] = self.request.user
        return kwargs

    def get_form(self, form_class: Any = None) -> ModelForm:
        form = super().get_form(form_class)
        restrict_form_fields(form, self.request.user)
        return form

    def form_valid(self, form: ModelForm) -> HttpResponse:
        # Save and re-check inside one transaction: a write that lands outside the user's
        # writable scope is rolled back whole.
        with transaction.atomic():
            self.object = form.save()
            require_change(self.object, self.request.user, "Data ini di luar wilayah tugas Anda.")
            self.after_save(form)
        messages.success(self.request, self.success_message)
        return redirect(self.get_success_url())

    def after_save(self, form: ModelForm) -> None:
        """Hook for related writes that must share the transaction."""

    def get_success_url(self) -> str:
        return self.object.get_absolute_url()


class ScopedCreateView(ScopedEditMixin, generic.CreateView):
    # Rows created under a writable parent (a Posyandu's kader) set this to False: the parent
    # check in resolve_parent() is their write check.
    needs_region_write = True

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            self.resolve_parent()  # a parent out of scope is a 404 before anything else
            scope = get_scope(request.user, CHANGE)
            if scope.is_empty or (self.needs_region_write and not scope.can_place_in_region):
                raise PermissionDenied("Akun Anda tidak dapat menambah data di sini.")
        return super().dispatch(request, *args, **kwargs)

    def resolve_parent(self) -> None:
        """Views that create rows under a parent object look it up here."""


class WritableParentMixin:
    """Create/edit rows that belong to a parent named in the URL (a Posyandu's kader, a TP
    Posyandu's members, a woman's pregnancies). The parent must be readable (else 404) and
    writable (else 403); it is passed to the form under `parent_field` and is where a save returns."""

    parent_model: type[models.Model]
    parent_kwarg = ""
    parent_field = ""
    parent_read_only_message = "Anda hanya dapat membaca data ini."
    needs_region_write = False  # the parent check is the write check

    def get_parent(self) -> Any:
        if not hasattr(self, "_parent"):
            parent = get_scoped_or_404(self.parent_model._default_manager.all(), self.request.user,  # type: ignore[attr-defined]
                                       pk=self.kwargs[self.parent_kwarg])  # type: ignore[attr-defined]
            require_change(parent, self.request.user, self.parent_read_only_message)  # type: ignore[attr-defined]
            self._parent = parent
        return self._parent

    def resolve_parent(self) -> None:
        self.get_parent()

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(**{self.parent_field: self.get_parent()})  # type: ignore[misc]

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()  # type: ignore[misc]
        kwargs[self.parent_field] = self.get_parent()
        return kwargs

    def get_success_url(self) -> str:
        return self.get_parent().get_absolute_url()


class ScopedUpdateView(ScopedEditMixin, generic.UpdateView):
    def get_object(self, queryset: models.QuerySet | None = None) -> models.Model:
        obj = super().get_object(queryset)  # 404 outside the readable scope
        require_change(obj, self.request.user)
        return obj


class ScopedDeleteView(ScopedViewMixin, generic.DeleteView):
    template_name = "core/object_confirm_delete.html"

    def get_object(self, queryset: models.QuerySet | None = None) -> models.Model:
        obj = super().get_object(queryset)
        require_change(obj, self.request.user)
        return obj

    def form_valid(self, form: Any) -> HttpResponse:
        with transaction.atomic():
            response = super().form_valid(form)
        messages.success(self.request, "Data dihapus.")
        return response


def get_scoped_or_404(queryset: models.QuerySet, user: Any, **lookup: Any) -> models.Model:
    try:
        return queryset.for_user(user, VIEW).get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404("Data tidak ditemukan.") from exc
