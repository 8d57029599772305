import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from apps.people.validators import mask_nik, nik_warnings, validate_nik_format


def test_format_is_sixteen_digits():
    validate_nik_format("1771024101900001")
    for bad in ["177102410190000", "17710241019000011", "177102410190000X", "1.77102410190E+15"]:
        with pytest.raises(ValidationError, match="16 angka"):
            validate_nik_format(bad)


def test_a_woman_encodes_day_plus_forty():
    assert nik_warnings("1771024101900001", sex="P", birth_date=dt.date(1990, 1, 1)) == []
    warnings = nik_warnings("1771020101900001", sex="P", birth_date=dt.date(1990, 1, 1))
    assert any("Jenis kelamin" in w for w in warnings)


def test_a_mismatched_birth_date_is_a_warning_not_an_error():
    assert nik_warnings("1771021203850002", sex="L", birth_date=dt.date(1985, 3, 13)) == [
        "Tanggal lahir tidak cocok dengan NIK."]


def test_mask_keeps_only_the_region_prefix():
    assert mask_nik("1771024101900001") == "177102••••••••••"
    assert mask_nik("") == ""


@pytest.mark.django_db
def test_demo_niks_are_consistent_with_their_people():
    from apps.people.models import Person

    for person in Person.objects.exclude(nik="")[:200]:
        assert nik_warnings(person.nik, sex=person.sex, birth_date=person.birth_date) == [], person.nik
