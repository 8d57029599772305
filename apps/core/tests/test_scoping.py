"""The one scoping method, exercised per persona on real demo data."""
import pytest

from apps.core.scoping import CHANGE, VIEW, get_scope
from apps.organisations.models import Opd, TimPembinaMember
from apps.people.models import Person
from apps.posyandu.models import Kader, Posyandu
from apps.regions.models import Region

pytestmark = pytest.mark.django_db


def codes(qs):
    return set(qs.values_list("region_code", flat=True))


def test_a_user_without_assignment_sees_nothing(persona):
    user = persona("unassigned")
    assert get_scope(user).is_empty
    for model in (Posyandu, Kader, Person, Opd, Region, TimPembinaMember):
        assert not model.objects.for_user(user).exists(), model


def test_anonymous_sees_nothing():
    from django.contrib.auth.models import AnonymousUser

    assert not Posyandu.objects.for_user(AnonymousUser()).exists()


def test_kader_sees_only_their_posyandu(persona, demo_posyandu):
    user = persona("kader")
    assert list(Posyandu.objects.for_user(user)) == [demo_posyandu]
    assert set(Kader.objects.for_user(user).values_list("posyandu_id", flat=True)) == {demo_posyandu.pk}
    # People the Posyandu serves (its kader and pengurus) are visible, nobody else's.
    assert Person.objects.for_user(user).exists()
    assert set(Person.objects.for_user(user).values_list("posyandu_id", flat=True)) == {demo_posyandu.pk}


def test_village_operator_sees_every_posyandu_of_the_village_and_nothing_next_door(persona):
    user = persona("village_operator")
    visible = Posyandu.objects.for_user(user)
    assert codes(visible) == {"17.71.02.1001"}
    assert visible.count() == Posyandu.objects.filter(region_code="17.71.02.1001").count()


def test_kecamatan_viewer_reads_the_kecamatan_but_cannot_write(persona):
    user = persona("kecamatan_viewer")
    assert all(c.startswith("17.71.02.") for c in codes(Posyandu.objects.for_user(user)))
    assert Posyandu.objects.for_user(user).count() == Posyandu.objects.filter(district_code="17.71.02").count()
    assert not Posyandu.objects.for_user(user, CHANGE).exists()


def test_kabupaten_officer_sees_the_whole_city_and_not_the_outsiders_kabupaten(persona):
    user = persona("kabupaten_officer")
    visible = Posyandu.objects.for_user(user)
    assert visible.count() == Posyandu.objects.filter(regency_code="17.71").count() > 100
    assert not visible.filter(regency_code="17.02").exists()


def test_outsider_sees_none_of_kota_bengkulu(persona):
    user = persona("outsider")
    assert Posyandu.objects.for_user(user).exists()
    assert not Posyandu.objects.for_user(user).filter(regency_code="17.71").exists()
    assert not Person.objects.for_user(user).filter(regency_code="17.71").exists()
    assert not Opd.objects.for_user(user).filter(region_code="17.71").exists()


def test_national_viewer_reads_everything_and_writes_nothing(persona):
    user = persona("national_viewer")
    assert get_scope(user, VIEW).everything
    assert Posyandu.objects.for_user(user).count() == Posyandu.objects.count()
    assert get_scope(user, CHANGE).is_empty


def test_regions_above_the_area_are_visible_for_navigation_but_siblings_are_not(persona):
    user = persona("kecamatan_viewer")
    visible = set(Region.objects.for_user(user).values_list("code", flat=True))
    assert {"17", "17.71", "17.71.02", "17.71.02.1001"} <= visible
    assert "17.71.01" not in visible  # a sibling kecamatan
    assert "17.02" not in visible


def test_ancestor_rows_are_readable_but_never_writable_from_below(persona):
    user = persona("village_operator")
    city_opd = Opd.objects.filter(region_code="17.71")
    assert Opd.objects.for_user(user).filter(pk__in=city_opd).exists()
    assert not Opd.objects.for_user(user, CHANGE).exists()
    assert not Region.objects.for_user(user, CHANGE).filter(code="17.71").exists()


def test_inactive_assignments_grant_nothing(persona):
    user = persona("village_operator")
    user.assignments.update(is_active=False)
    assert not Posyandu.objects.for_user(persona("village_operator")).exists()


def test_scope_ranges_do_not_leak_to_codes_sharing_a_prefix(persona, db):
    """'17.71' must not match a hypothetical '17.710…': the range is '17.71.' to '17.71/'."""
    user = persona("kabupaten_officer")
    assert not Region.objects.for_user(user).filter(code__startswith="17.7").exclude(
        code__startswith="17.71"
    ).exists()


def test_a_blank_assignment_grants_the_country_only_to_the_national_role(persona):
    from apps.accounts.models import Assignment, User

    kader = User.objects.create(username="kader.keliru", role="kader")
    Assignment.objects.create(user=kader, can_write=True)  # neither region nor Posyandu, bypassing clean()
    assert get_scope(kader).is_empty
    assert not Posyandu.objects.for_user(kader).exists()
    assert get_scope(persona("national_viewer")).everything


@pytest.mark.parametrize("name", ["kader", "village_operator", "kecamatan_viewer", "kabupaten_officer", "outsider",
                                  "national_viewer", "unassigned"])
def test_write_check_without_a_query_agrees_with_the_database(persona, name, django_assert_max_num_queries):
    """is_in_scope(CHANGE) answers from the row's own fields when it can; it must never say yes
    where the scoped queryset says no (and it says yes without a query for a kader's own rows)."""
    from apps.core.scoping import _in_change_scope_in_memory, is_in_scope

    user = persona(name)
    get_scope(user, CHANGE)  # computed once per request in real use
    rows = list(Posyandu.objects.order_by("pk"))[::7] + list(Person.objects.order_by("pk"))[::50] \
        + list(Posyandu.objects.filter(region_code__startswith="17.71.02.").order_by("pk")[:5])
    for obj in rows:
        in_db = type(obj).objects.for_user(user, CHANGE).filter(pk=obj.pk).exists()
        assert is_in_scope(obj, user, CHANGE) == in_db, (name, obj)
        if _in_change_scope_in_memory(obj, user):
            assert in_db, (name, obj)
    writable = Posyandu.objects.for_user(user, CHANGE).first()
    if writable is not None and get_scope(user, CHANGE).posyandu_ids:
        with django_assert_max_num_queries(0):
            assert is_in_scope(writable, user, CHANGE)


def test_write_check_without_a_query_keeps_code_prefixes_apart(persona):
    """A grant on 17.71.02 must not cover 17.71.020x-like codes that merely share the characters."""
    from apps.core.scoping import Scope, _in_change_scope_in_memory

    user = persona("village_operator")
    user.__dict__["_scope_cache"] = {VIEW: Scope(region_codes=("17.71.0",)), CHANGE: Scope(region_codes=("17.71.0",))}
    posyandu = Posyandu.objects.filter(region_code__startswith="17.71.02.").first()
    assert not _in_change_scope_in_memory(posyandu, user)
    user.__dict__["_scope_cache"] = {VIEW: Scope(region_codes=("17.71.02",)), CHANGE: Scope(region_codes=("17.71.02",))}
    assert _in_change_scope_in_memory(posyandu, user)
