import datetime as dt

from apps.serviceday import immunisation as imm

BIRTH = dt.date(2025, 1, 10)


def test_a_newborn_is_due_hb0_and_nothing_is_late():
    rows = imm.next_due(BIRTH, BIRTH, {})
    assert [r.code for r in rows] == ["HB0"]
    assert rows[0].state == "jatuh_tempo"


def test_at_two_months_without_doses_hb0_and_bcg_are_overdue_and_listed_first():
    rows = imm.next_due(BIRTH, dt.date(2025, 3, 10), {})
    codes = [r.code for r in rows]
    assert codes[:1] == ["HB0"] and rows[0].state == "terlambat"
    assert {"DPT1", "PCV1"} <= set(codes)


def test_grace_period_boundary():
    given = {"HB0": BIRTH}
    at_two = {r.code: r.state for r in imm.doses_for(BIRTH, dt.date(2025, 3, 10), given)}
    assert at_two["BCG"] == "jatuh_tempo"  # due at 1 month, one month of grace
    at_two_plus = {r.code: r.state for r in imm.doses_for(BIRTH, dt.date(2025, 4, 10), given)}
    assert at_two_plus["BCG"] == "terlambat"


def test_when_everything_due_is_given_the_next_age_is_shown():
    given = {c: BIRTH for c in ("HB0", "BCG", "OPV1")}
    rows = imm.next_due(BIRTH, dt.date(2025, 2, 15), given)
    assert {r.code for r in rows} == {"DPT1", "OPV2", "PCV1", "RV1"}
    assert all(r.state == "belum_waktunya" for r in rows)


def test_complete_basic_immunisation_needs_every_idl_dose():
    idl = imm.schedule()["complete_basic"]
    assert imm.is_complete_basic({c: BIRTH for c in idl})
    assert not imm.is_complete_basic({c: BIRTH for c in idl[:-1]})
