"""Walk every registered URL and API endpoint with named personas.

Fails when a view is added without scoping (neither a scoped base class nor marked public), and
when any page or endpoint shows a record of another kabupaten. The outsider's own requests are the
positive control: the same URLs answer 200 for them, so a 404 elsewhere means scoping, not a typo.
"""
from __future__ import annotations

from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from apps.core.api import ScopedViewSetMixin
from apps.core.views import ScopedViewMixin
from apps.organisations.models import Opd, TimPembina, TimPembinaMember
from apps.people.models import Household, Person, Pregnancy
from apps.posyandu.models import Kader, Pengurus, Pos, Posyandu
from apps.regions.models import Region
from apps.serviceday.models import Immunisation, Referral, ServiceSession, Visit

pytestmark = pytest.mark.django_db

OUTSIDER_MARKERS = ["Rejang Lebong", "17.02."]
CITY_PERSONAS = ["kader", "pengurus", "village_operator", "kecamatan_viewer", "kabupaten_officer", "opd_dinsos"]
# Views that show no region-owned data and are reviewed by hand.
UNSCOPED_ALLOWED = {"APIRootView"}


def walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> list[tuple[str, URLPattern, str]]:
    found = []
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or namespace
            found += walk(p.url_patterns, prefix + str(p.pattern), ns)
        else:
            found.append((prefix + str(p.pattern), p, namespace))
    return found


def view_class(pattern: URLPattern) -> Any:
    cb = pattern.callback
    return getattr(cb, "view_class", None) or getattr(cb, "cls", None)


def app_patterns() -> list[tuple[str, URLPattern, str]]:
    return [(route, p, ns) for route, p, ns in walk(get_resolver().url_patterns)
            if ns != "admin" and "format" not in route]


def test_every_view_is_scoped_or_explicitly_public():
    unscoped = []
    for route, pattern, _ in app_patterns():
        cls = view_class(pattern)
        if getattr(pattern.callback, "is_public_view", False):
            continue
        if cls is not None and (issubclass(cls, (ScopedViewMixin, ScopedViewSetMixin)) or cls.__name__ in UNSCOPED_ALLOWED):
            continue
        unscoped.append(route)
    assert unscoped == [], f"views without scoping: {unscoped}"


def test_every_admin_for_a_scoped_model_is_scoped():
    from django.contrib import admin

    from apps.core.admin import ScopedAdmin

    for model, model_admin in admin.site._registry.items():
        if hasattr(model._default_manager, "for_user") and model is not Region:
            assert isinstance(model_admin, ScopedAdmin), model


def outsider_objects() -> dict[str, Any]:
    posyandu = Posyandu.objects.filter(regency_code="17.02").order_by("pk").first()
    team = TimPembina.objects.filter(region_code="17.02").first()
    objs = {
        "posyandu": posyandu,
        "pos": Pos.objects.filter(posyandu=posyandu).first(),
        "kader": Kader.objects.filter(posyandu=posyandu).first(),
        "pengurus": Pengurus.objects.filter(posyandu=posyandu).first(),
        "opd": Opd.objects.filter(region_code="17.02").first(),
        "team": team,
        "member": TimPembinaMember.objects.filter(team=team).first(),
        "village": posyandu.village,
        "person": Person.objects.filter(posyandu=posyandu).first(),
        **_outsider_service_day(posyandu),
    }
    for hook in app_hooks():  # each app adds its own objects (apps/<app>/tests/url_walk.py)
        objs.update(hook.outsider_objects(objs))
    return objs


def app_hooks() -> list[Any]:
    """The url_walk modules of the apps that have one."""
    from importlib import import_module

    from django.apps import apps as django_apps

    hooks = []
    for config in django_apps.get_app_configs():
        if not config.name.startswith("apps."):
            continue
        try:
            hooks.append(import_module(f"{config.name}.tests.url_walk"))
        except ModuleNotFoundError as exc:
            if exc.name not in (f"{config.name}.tests", f"{config.name}.tests.url_walk"):
                raise
    return hooks


def _outsider_service_day(posyandu: Posyandu) -> dict[str, Any]:
    """A hari buka with one visit and one referral proposal in the outsider's Posyandu."""
    import datetime as dt
    from decimal import Decimal

    from apps.accounts.models import User
    from apps.serviceday import services
    from apps.serviceday.models import Visit

    user = User.objects.get(username="kab.rejanglebong")
    elder = Person.objects.filter(posyandu=posyandu).first()
    session = services.open_session(posyandu=posyandu, date=dt.date(2026, 3, 2), acting_user=user)
    visit = Visit.objects.filter(session=session, person=elder).first() or services.record_visit(
        visit=Visit(session=session, posyandu=posyandu, person=elder, visit_date=session.date,
                    weight_kg=Decimal("60"), systolic=170, diastolic=100), acting_user=user).visit
    household = Household.objects.filter(posyandu=posyandu).first() or Household.objects.create(
        head_name="Keluarga Luar", region=posyandu.village, posyandu=posyandu)
    mother = Person.objects.filter(posyandu=posyandu, sex="P").first()
    pregnancy = Pregnancy.objects.filter(person=mother).first() or Pregnancy.objects.create(
        person=mother, lmp_date=dt.date(2026, 1, 5))
    immunisation = Immunisation.objects.filter(person=elder).first() or Immunisation.objects.create(
        person=elder, vaccine="TD", given_on=session.date, visit=visit)
    return {"session": session, "visit": visit, "referral": visit.referrals.first(), "household": household,
            "pregnancy": pregnancy, "immunisation": immunisation}


def concrete_url(route: str, pattern: URLPattern, objs: dict[str, Any]) -> str | None:
    """Fill the route's parameters with the outsider's objects (the model named by the view)."""
    cls = view_class(pattern)
    model = getattr(cls, "model", None) or getattr(getattr(cls, "queryset", None), "model", None)
    by_model = {Posyandu: objs["posyandu"], Pos: objs["pos"], Kader: objs["kader"], Pengurus: objs["pengurus"],
                Opd: objs["opd"], TimPembina: objs["team"], TimPembinaMember: objs["member"], Region: objs["village"],
                Person: objs["person"], ServiceSession: objs["session"], Visit: objs["visit"],
                Referral: objs["referral"], Household: objs["household"], Pregnancy: objs["pregnancy"],
                Immunisation: objs["immunisation"]}
    values: dict[str, Any] = {
        "pk": getattr(by_model.get(model), "pk", None),
        "posyandu_pk": objs["posyandu"].pk,
        "team_pk": objs["team"].pk,
        "person_pk": objs["pregnancy"].person_id,  # the pregnancy routes nest under the mother
        "code": objs["village"].code,
    }
    for hook in app_hooks():
        by_model.update(hook.by_model(objs))
        values.update(hook.url_values(objs))
    values["pk"] = getattr(by_model.get(model), "pk", None)
    url = "/" + route
    for name in pattern.pattern.regex.groupindex:
        if values.get(name) is None:
            return None
        url = _substitute(url, name, str(values[name]))
    return url.replace("^", "").replace("$", "").replace("\\.", ".")


def _substitute(route: str, name: str, value: str) -> str:
    import re

    route = re.sub(rf"\(\?P<{name}>[^)]*\)", value, route)  # regex routes (DRF routers) first
    return re.sub(rf"<(?:\w+:)?{name}>", value, route)


def fetch(client: Any, url: str) -> Any:
    """GET, or POST for views that only take POST (a forged POST must not work either)."""
    match = get_resolver().resolve(url)
    cls = getattr(match.func, "view_class", None)
    actions = getattr(match.func, "actions", None)  # DRF viewset routes: {method: action}
    if (cls is not None and not hasattr(cls, "get")) or (actions is not None and "get" not in actions):
        # "refer": "1" leaves the referral dirujuk, so the API's feedback action can answer it.
        objs = outsider_objects()
        data = {"person": objs["person"].pk, "refer": "1", "feedback": "Balasan uji"}
        for hook in app_hooks():
            data.update(getattr(hook, "post_data", lambda o: {})(objs))
        return client.post(url, data)
    return client.get(url)


def all_urls() -> list[tuple[str, bool]]:
    objs = outsider_objects()
    urls = []
    for route, pattern, _ in app_patterns():
        if getattr(pattern.callback, "is_public_view", False):
            continue
        url = concrete_url(route, pattern, objs)
        assert url is not None, f"cannot build {route}: teach concrete_url its parameters"
        urls.append((url, bool(pattern.pattern.regex.groupindex)))
    return urls


def test_the_walk_covers_pages_and_api():
    urls = [u for u, _ in all_urls()]
    assert any(u.startswith("/api/posyandu/") for u in urls)
    assert any(u.startswith("/posyandu/") for u in urls)
    assert len(urls) >= 25


def test_outsider_reaches_every_url_of_their_own_area(client_as):
    """Positive control: the objects used below are real and reachable by their owner."""
    client = client_as("outsider")
    for url, _ in all_urls():
        response = fetch(client, url)
        assert response.status_code in (200, 302), (url, response.status_code)
        if response.status_code == 302:
            assert "/masuk/" not in response["Location"], url


@pytest.mark.parametrize("name", CITY_PERSONAS)
def test_no_url_leaks_another_kabupaten(client_as, name):
    client = client_as(name)
    for url, has_object in all_urls():
        response = fetch(client, url)
        if has_object:
            assert response.status_code in (403, 404), (name, url, response.status_code)
            if response.status_code == 403:  # only for writes into an object they cannot read? never
                pytest.fail(f"{url} answered 403 to {name}: out of scope must be 404")
        else:
            assert response.status_code in (200, 403), (name, url, response.status_code)
            body = response.content.decode()
            for marker in OUTSIDER_MARKERS:
                assert marker not in body, (name, url, marker)


def test_anonymous_is_sent_to_login_or_refused_everywhere(client):
    for url, _ in all_urls():
        response = fetch(client, url)
        if url.startswith("/api/"):
            assert response.status_code in (401, 403), url
        else:
            assert response.status_code == 302 and "/masuk/" in response["Location"], url


def test_a_user_without_assignment_sees_no_records(client_as):
    client = client_as("unassigned")
    for url, has_object in all_urls():
        response = fetch(client, url)
        if has_object:
            assert response.status_code in (403, 404), url
        else:
            body = response.content.decode()
            assert "17.71." not in body and "17.02." not in body, url
