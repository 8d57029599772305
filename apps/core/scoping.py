"""Region scoping: the one place that decides which rows a user may see or change.

Every scoped model uses `ScopedQuerySet` (via `ScopedManager`) and declares where its region code
lives (`scope_code_field`) and, when a Posyandu assignment should grant it, the path to its
Posyandu (`scope_posyandu_field`). Views, API viewsets, form choices, exports and the admin all
call `for_user(user, action)`; a user with no assignment sees nothing (fail closed).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q

from apps.core.regioncodes import ancestors_of

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

VIEW = "view"
CHANGE = "change"
# Bringing a Posyandu's past records in from a file (e-PPGBM): granted by write access, or on its own
# by an assignment's `can_import`, so a Puskesmas nutrition officer can import for the Posyandu of
# their area without being able to change everything else there.
IMPORT = "import"


@dataclass(frozen=True)
class Scope:
    """What one user may reach for one action."""

    everything: bool = False
    region_codes: tuple[str, ...] = ()
    posyandu_ids: tuple[int, ...] = ()
    # Village codes of the assigned Posyandu: ancestors-visible models (regions, OPD) need them.
    posyandu_village_codes: tuple[str, ...] = field(default=())

    @property
    def is_empty(self) -> bool:
        return not (self.everything or self.region_codes or self.posyandu_ids)

    @property
    def can_place_in_region(self) -> bool:
        """New top-level rows (Posyandu, persons, OPD) are placed in a region: a write grant on one
        Posyandu is not enough to create them."""
        return self.everything or bool(self.region_codes)

    def anchor_codes(self) -> tuple[str, ...]:
        return self.region_codes + self.posyandu_village_codes


def code_q(field_name: str, code: str) -> Q:
    """Rows whose code is `code` or lies under it, as an index-friendly range."""
    return Q(**{field_name: code}) | Q(**{f"{field_name}__gte": code + ".", f"{field_name}__lt": code + "/"})


def get_scope(user: AbstractBaseUser | AnonymousUser | None, action: str = VIEW) -> Scope:
    """The user's scope, cached on the user object for the length of a request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Scope()
    cache: dict[str, Scope] = user.__dict__.setdefault("_scope_cache", {})
    if not cache:
        cache.update(_compute_scopes(user))  # both actions from one query: every request needs them
    return cache[action if action in (VIEW, IMPORT) else CHANGE]


def _compute_scopes(user: Any) -> dict[str, Scope]:
    if user.is_superuser:
        return {VIEW: Scope(everything=True), CHANGE: Scope(everything=True), IMPORT: Scope(everything=True)}
    # Plain tuples, not model instances: every API request computes this, and building three model
    # objects per assignment cost more than the query.
    assignments = list(user.assignments.filter(is_active=True).values_list(
        "posyandu_id", "posyandu__region_code", "region__code", "can_write", "can_import"))
    national = getattr(user, "role", "") in NATIONAL_ROLES
    return {VIEW: _scope_of(assignments, national),
            CHANGE: _scope_of([a for a in assignments if a[3]], national),
            IMPORT: _scope_of([a for a in assignments if a[3] or a[4]], national)}


# Only these roles may hold a whole-country assignment; for anyone else a blank assignment (no
# region, no Posyandu) grants nothing, so a half-filled grant fails closed.
NATIONAL_ROLES = ("nasional", "admin")


def _scope_of(assignments: list[tuple[int | None, str | None, str | None, bool, bool]], national: bool) -> Scope:
    """`assignments`: (Posyandu id, its village code, region code, can_write, can_import) per active grant."""
    regions: list[str] = []
    posyandu_ids: list[int] = []
    village_codes: list[str] = []
    for posyandu_id, village_code, region_code, *_ in assignments:
        if posyandu_id:
            posyandu_ids.append(posyandu_id)
            village_codes.append(village_code or "")
        elif region_code:
            regions.append(region_code)
        elif national:  # no region and no Posyandu: the whole country (national viewer)
            return Scope(everything=True)
    return Scope(
        region_codes=tuple(sorted(set(regions))),
        posyandu_ids=tuple(sorted(set(posyandu_ids))),
        posyandu_village_codes=tuple(sorted(set(village_codes))),
    )


class ScopedQuerySet(models.QuerySet):
    def for_user(self, user: Any, action: str = VIEW) -> ScopedQuerySet:
        scope = get_scope(user, action)
        if scope.everything:
            return self
        q = scope_q(self.model, scope, action)
        if action == VIEW:
            q |= owner_q(self.model, user)
        return self.filter(q)


def owner_q(model: type[models.Model], user: Any) -> Q:
    """Rows the user answers for, readable whatever their area (a follow-up owned by the user or by
    their OPD: an OPD with a read-only area, or none, must still see what it has to answer). A model
    names the paths in `scope_owner_fields`: (path to a user, path to an OPD)."""
    fields: tuple[str, str] | None = getattr(model, "scope_owner_fields", None)
    if not fields or user is None or not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    user_field, opd_field = fields
    q = Q(**{user_field: user.pk})
    if getattr(user, "opd_id", None):
        q |= Q(**{opd_field: user.opd_id})
    return q


def scope_q(model: type[models.Model], scope: Scope, action: str = VIEW) -> Q:
    code_field: str | None = getattr(model, "scope_code_field", None)
    posyandu_field: str | None = getattr(model, "scope_posyandu_field", None)
    include_ancestors: bool = getattr(model, "scope_include_ancestors", False)
    if code_field is None:
        raise TypeError(f"{model.__name__} must declare scope_code_field to be scoped")
    q = Q(pk__in=[])
    for code in scope.region_codes:
        q |= code_q(code_field, code)
    if scope.posyandu_ids and posyandu_field:
        q |= Q(**{f"{posyandu_field}__in": scope.posyandu_ids})
    if scope.posyandu_ids and action == VIEW:
        # Extra read paths, e.g. a person's earlier visits elsewhere for the Posyandu that now
        # serves them (history moves with the person; writing stays with the Posyandu that owns it).
        for extra in getattr(model, "scope_posyandu_view_extra", ()):
            q |= Q(**{f"{extra}__in": scope.posyandu_ids})
    if getattr(model, "scope_include_national", False) and action == VIEW and not scope.is_empty:
        # Rows that belong to no region (national reference such as regulations) are readable by
        # every assigned user, writable only with a national scope.
        q |= Q(**{code_field: ""})
    if include_ancestors and action == VIEW:
        # Reference rows above the user's area (its province, kab/kota, their OPD) are visible
        # for navigation and routing, never their siblings, and never writable from below.
        above = {a for code in scope.anchor_codes() for a in ancestors_of(code)}
        above |= set(scope.posyandu_village_codes)
        if above:
            q |= Q(**{f"{code_field}__in": sorted(above)})
    return q


class ScopedManager(models.Manager.from_queryset(ScopedQuerySet)):  # type: ignore[misc]
    pass


def is_in_scope(obj: models.Model, user: Any, action: str = VIEW) -> bool:
    if action in (CHANGE, IMPORT) and _in_change_scope_in_memory(obj, user, action):
        return True
    return type(obj)._default_manager.for_user(user, action).filter(pk=obj.pk).exists()


def _in_change_scope_in_memory(obj: models.Model, user: Any, action: str = CHANGE) -> bool:
    """The write scope decided from the object's own fields, without a query, when its model keeps
    the region code or the Posyandu on the row itself (not through a relation). Only a True is
    trusted: it is exactly what `scope_q(CHANGE)` would match for these values; anything else
    (a relation path, no match) is left to the database. Saves one query on every save."""
    if obj.pk is None:
        return False
    scope = get_scope(user, action)
    if scope.everything:
        return True
    model = type(obj)
    posyandu_field: str | None = getattr(model, "scope_posyandu_field", None)
    if scope.posyandu_ids and posyandu_field and "__" not in posyandu_field:
        value = obj.pk if posyandu_field == "pk" else getattr(obj, f"{posyandu_field}_id", None)
        if value in scope.posyandu_ids:
            return True
    code_field: str | None = getattr(model, "scope_code_field", None)
    if scope.region_codes and code_field and "__" not in code_field:
        code = getattr(obj, code_field, None) or ""
        if any(code == c or code.startswith(c + ".") for c in scope.region_codes):
            return True
    return False


def require_change(obj: models.Model, user: Any, message: str = "Anda hanya dapat membaca data ini.") -> None:
    """403 unless the user may change `obj` (call it after the object was found in the readable
    scope, so an outsider has already had a 404)."""
    if not is_in_scope(obj, user, CHANGE):
        raise PermissionDenied(message)


def require_import(obj: models.Model, user: Any, message: str = "Anda tidak berwenang mengimpor data Posyandu ini.") -> None:
    """403 unless the user may import records into `obj` (a Posyandu): write access, or an
    assignment with `can_import` covering it."""
    if not is_in_scope(obj, user, IMPORT):
        raise PermissionDenied(message)
