import datetime as dt
import gzip
import shutil

import pytest

from apps.regions.models import Region
from apps.regions.services import DATA_DIR, load_regions

pytestmark = pytest.mark.django_db


def test_full_load_has_every_region_of_the_decree_and_is_idempotent():
    load_regions()
    current = Region.objects.current()
    counts = {level: current.filter(level=level).count() for level in (1, 2, 3, 4)}
    assert counts == {1: 38, 2: 514, 3: 7285, 4: 83762}
    again = load_regions()
    assert (again.created, again.renamed, again.closed) == (0, 0, 0)
    assert again.unchanged == 91599


def test_kind_and_names_follow_the_codes():
    kota = Region.objects.get(code="17.71")
    assert (kota.kind, kota.title) == ("kota", "Kota Bengkulu")
    assert Region.objects.get(code="17.02").kind == "kabupaten"
    kel = Region.objects.get(code="17.71.02.1001")
    assert (kel.kind, kel.title, kel.parent_code) == ("kelurahan", "Kelurahan Padang Harapan", "17.71.02")


def test_a_renamed_region_keeps_its_history(tmp_path):
    for name in ("provinces", "regencies", "districts", "villages"):
        shutil.copy(DATA_DIR / f"{name}.csv.gz", tmp_path / f"{name}.csv.gz")
    with gzip.open(tmp_path / "villages.csv.gz", "rt", encoding="utf-8") as fh:
        text = fh.read()
    text = text.replace("17.71.02.1001,17.71.02,Padang Harapan", "17.71.02.1001,17.71.02,Padang Harapan Baru")
    text = text.replace("17.71.02.1002,17.71.02,Jalan Gedang\n", "")
    with gzip.open(tmp_path / "villages.csv.gz", "wt", encoding="utf-8") as fh:
        fh.write(text)
    result = load_regions(data_dir=tmp_path, prefixes=("17",), decree="Kepmendagri uji", valid_from=dt.date(2027, 1, 1))
    assert (result.renamed, result.created) == (1, 0)
    rows = Region.objects.filter(code="17.71.02.1001").order_by("valid_from")
    assert [(r.name, r.valid_to) for r in rows] == [
        ("Padang Harapan", dt.date(2026, 12, 31)), ("Padang Harapan Baru", None)]
    # Prefix loads never close regions outside their files; a full load would close 1002.
    assert Region.objects.current().filter(code="17.71.02.1002").exists()


def test_malformed_codes_in_a_file_stop_the_load_whole(tmp_path):
    for name in ("provinces", "regencies", "districts"):
        shutil.copy(DATA_DIR / f"{name}.csv.gz", tmp_path / f"{name}.csv.gz")
    with gzip.open(tmp_path / "villages.csv.gz", "wt", encoding="utf-8") as fh:
        fh.write("code,district_code,name\n17.71.02.9998,17.71.02,Baru\n17.71.02.12,17.71.02,Rusak\n")
    with pytest.raises(ValueError, match="kode wilayah tidak sah"):
        load_regions(data_dir=tmp_path, prefixes=("17",))
    assert not Region.objects.filter(code="17.71.02.9998").exists()
