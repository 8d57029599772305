from apps.core import regioncodes as rc


def test_it_derives_level_parent_and_ancestors():
    assert rc.level_of("17") == 1
    assert rc.level_of("17.71.02.1001") == 4
    assert rc.parent_of("17.71.02") == "17.71"
    assert rc.parent_of("17") == ""
    assert rc.ancestors_of("17.71.02.1001") == ["17", "17.71", "17.71.02"]


def test_it_derives_the_kind_from_the_code():
    assert rc.kind_of("17.01") == "kabupaten"
    assert rc.kind_of("17.69") == "kabupaten"
    assert rc.kind_of("17.71") == "kota"
    assert rc.kind_of("17.71.02.1001") == "kelurahan"
    assert rc.kind_of("17.02.01.2001") == "desa"
    assert rc.kind_of("91.01.01.3001") == "desa_adat"


def test_it_fills_path_codes_down_to_the_codes_level():
    assert rc.path_codes("17.71.02") == {
        "province_code": "17", "regency_code": "17.71", "district_code": "17.71.02", "village_code": ""
    }


def test_within_does_not_confuse_siblings_sharing_a_prefix():
    assert rc.within("17.71.02.1001", "17.71")
    assert rc.within("17.71", "17.71")
    assert not rc.within("17.710", "17.71")
    assert not rc.within("17.7", "17.71")


def test_it_rejects_malformed_codes():
    for bad in ["", "1", "17.7", "17.71.2", "17.71.02.101", "aa.bb", "17.71.02.1001.001"]:
        assert not rc.is_valid_code(bad), bad
