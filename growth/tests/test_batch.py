"""The batch command: CSV/XLSX in, WHO's output names and Indonesian reasons out."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import numpy as np
import pytest
from openpyxl import Workbook
from python_calamine import CalamineWorkbook

from growth import score
from growth.__main__ import main
from growth.batch import OUTPUT_COLUMNS, format_summary, run, score_table, summarize
from growth.fileio import Table

SURVEY = Path(__file__).parent / "data" / "MySurvey_z_st.csv"
WHO_OUTPUT_NAMES = ("clenhei", "cbmi", "zlen", "flen", "zwei", "fwei", "zwfl", "fwfl", "zbmi",
                    "fbmi", "zhc", "fhc", "zac", "fac")


def _write_csv(path: Path, rows: list[list[str]], delimiter: str = ",") -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


def _read_csv(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


def _number(text: str) -> float:
    return float(text) if text else np.nan


def test_who_anthro_column_names_in_who_output_names_out(tmp_path):
    source = _write_csv(tmp_path / "in.csv", [
        ["sex", "age", "weight", "lenhei", "measure", "oedema", "headc", "armc"],
        ["1", "400", "9.2", "74.5", "l", "n", "45", "14.5"],
        ["2", "1200", "13.1", "92.0", "h", "n", "", ""],
        ["2", "800", "10.0", "83.0", "l", "y", "", ""],
    ])
    run(source, tmp_path / "out.csv")
    out = _read_csv(tmp_path / "out.csv")
    assert list(out[0])[:8] == ["sex", "age", "weight", "lenhei", "measure", "oedema", "headc",
                                "armc"]
    assert list(out[0])[8:] == list(OUTPUT_COLUMNS)
    assert set(WHO_OUTPUT_NAMES) <= set(out[0])
    expected = score([1, 2, 2], [400, 1200, 800], [9.2, 13.1, 10.0], [74.5, 92.0, 83.0],
                     ["l", "h", "l"], ["n", "n", "y"], [45, None, None], [14.5, None, None])
    for name in ("zlen", "zwei", "zwfl", "zbmi", "zhc", "zac", "flen", "fwei"):
        got = np.array([_number(r[name]) for r in out])
        assert np.array_equal(got, expected[name], equal_nan=True), name
    assert out[2]["zwei"] == "" and out[2]["bb_pb_tb"] == "gizi buruk"  # oedema
    assert out[0]["zwei"] == f"{expected['zwei'][0]:.2f}"
    assert [r["kesalahan"] for r in out] == ["", "", ""]


def test_indonesian_columns_semicolons_decimal_commas_and_dates(tmp_path):
    source = _write_csv(tmp_path / "posyandu.csv", [
        ["Nama", "JK", "Tgl Lahir", "Tanggal Pengukuran", "Berat", "Tinggi", "Cara Ukur", "LiLA"],
        ["Ani", "P", "15/01/2022", "20/03/2024", "10,4", "84,5", "Berdiri", "14,2"],
        ["Budi", "L", "2023-06-01", "2024-03-20", "8,1", "70", "Terlentang", "-"],
    ], delimiter=";")
    result = run(source, tmp_path / "hasil.csv")
    assert result.column_roles == {"sex": "JK", "dob": "Tgl Lahir",
                                   "visit_date": "Tanggal Pengukuran", "weight": "Berat",
                                   "lenhei": "Tinggi", "measure": "Cara Ukur", "armc": "LiLA"}
    out = _read_csv(tmp_path / "hasil.csv", delimiter=";")
    ages = [(dt.date(2024, 3, 20) - dt.date(2022, 1, 15)).days,
            (dt.date(2024, 3, 20) - dt.date(2023, 6, 1)).days]
    expected = score([2, 1], ages, [10.4, 8.1], [84.5, 70], ["h", "l"], None, None, [14.2, None])
    assert [int(r["umur_hari"]) for r in out] == ages
    for name in ("zlen", "zwei", "zwfl", "zac"):
        assert np.array_equal([_number(r[name]) for r in out], expected[name], equal_nan=True)
    assert out[0]["cmeasure"] == "h" and out[1]["cmeasure"] == "l"
    assert out[0]["pb_tb_u"] in {"sangat pendek", "pendek", "normal", "tinggi"}
    assert [r["kesalahan"] for r in out] == ["", ""]


def test_bad_rows_get_indonesian_reasons_and_never_stop_the_run(tmp_path):
    rows = [
        ["sex", "dob", "dov", "weight", "lenhei", "measure"],
        ["1", "2023-01-01", "2024-01-01", "9.5", "75", "l"],  # good
        ["X", "2023-01-01", "2024-01-01", "9.5", "75", "l"],
        ["2", "2023-01-01", "2024-01-01", "abc", "75", "l"],
        ["2", "2023-01-01", "2024-01-01", "9500", "75", "l"],
        ["2", "31/02/2023", "2024-01-01", "9.5", "75", "l"],
        ["2", "2024-02-01", "2024-01-01", "9.5", "75", "l"],
        ["1", "2023-01-01", "2024-01-01", "9.5", "750", "l"],
        ["1", "2023-01-01", "2024-01-01", "9.5", "75", "duduk"],
        ["", "2023-01-01", "2024-01-01", "9.5", "75", "l"],
        ["1", "2023-10-01", "2024-01-01", "6.5", "62", "h"],
        ["1", "2023-01-01", "2024-01-01", "9.5", "130", "l"],
        ["1", "2023-01-01", "2024-01-01", "9.5"],  # too few fields
        ["1", "2023-01-01", "2024-01-01", "9.5", "75", "l"],  # good again
    ]
    source = _write_csv(tmp_path / "bad.csv", rows)
    result = run(source, tmp_path / "out.csv")
    out = _read_csv(tmp_path / "out.csv")
    assert len(out) == len(rows) - 1 and result.rows_with_errors == 11
    reasons = [r["kesalahan"] for r in out]
    assert reasons[0] == "" and reasons[-1] == ""
    assert "jenis kelamin tidak dikenal: 'X'" in reasons[1]
    assert "berat badan bukan angka: 'abc'" in reasons[2]
    assert "berat badan tidak wajar (9500; mungkin dalam gram?)" in reasons[3]
    assert "tanggal lahir tidak valid: '31/02/2023'" in reasons[4]
    assert "tanggal ukur sebelum tanggal lahir" in reasons[5]
    assert "panjang/tinggi badan tidak wajar (750; mungkin dalam mm?)" in reasons[6]
    assert "cara ukur tidak dikenal: 'duduk'" in reasons[7]
    assert reasons[8] == "jenis kelamin kosong"
    assert "diukur berdiri pada umur di bawah 9 bulan" in reasons[9]
    assert "di luar tabel BB/PB" in reasons[10]
    assert "jumlah kolom" in reasons[11]
    # what can still be computed is computed
    assert out[2]["zlen"] != "" and out[2]["zwei"] == ""
    assert out[7]["zlen"] != ""  # an unknown position is just "no position"
    assert out[1]["zlen"] == ""  # unknown sex: no z at all


def test_xlsx_in_e_ppgbm_layout_and_xlsx_out(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Application List"
    sheet.append(["No", "NIK", "Nama", "JK", "Tgl Lahir", "BB Lahir", "Tanggal Pengukuran",
                  "Berat", "Tinggi", "Cara Ukur", "LiLA", "ZS BB/U"])
    sheet.append([1, "3273014101990001", "Ani", "P\xa0", dt.datetime(2022, 1, 15), 3.1,
                  dt.datetime(2024, 3, 20), 10.4, 84.5, "Berdiri\xa0", "-", "-"])
    sheet.append([2, "3273014101990002", "Budi", "L", "2023-06-01", 3.3, "2024-03-20",
                  "8,1", 70, "Terlentang", 13.5, "-"])
    workbook.save(tmp_path / "eppgbm.xlsx")

    result = run(tmp_path / "eppgbm.xlsx", tmp_path / "hasil.xlsx")
    assert result.column_roles["weight"] == "Berat"  # not "BB Lahir"
    data = CalamineWorkbook.from_path(str(tmp_path / "hasil.xlsx")).get_sheet_by_name(
        "Hasil").to_python()
    header, rows = data[0], data[1:]
    col = {name: header.index(name) for name in header}
    ages = [(dt.date(2024, 3, 20) - dt.date(2022, 1, 15)).days,
            (dt.date(2024, 3, 20) - dt.date(2023, 6, 1)).days]
    expected = score([2, 1], ages, [10.4, 8.1], [84.5, 70], ["h", "l"], None, None, [None, 13.5])
    for name in ("zlen", "zwei", "zwfl"):
        got = [row[col[name]] for row in rows]
        assert all(isinstance(v, float) for v in got)  # numbers, not text, in Excel
        assert got == expected[name].tolist()
    assert rows[0][col["NIK"]] == "3273014101990001"  # NIK kept as text
    assert [row[col["kesalahan"]] for row in rows] == ["", ""]


def test_xlsx_in_csv_out(tmp_path):
    workbook = Workbook()
    workbook.active.append(["sex", "age", "weight"])
    workbook.active.append([2, 1522, 17])
    workbook.save(tmp_path / "in.xlsx")
    run(tmp_path / "in.xlsx", tmp_path / "out.csv")
    out = _read_csv(tmp_path / "out.csv")
    assert out[0]["zwei"] == "0.24" and out[0]["sex"] == "2" and out[0]["age"] == "1522"


def test_cli_on_whos_survey(tmp_path, capsys):
    output = tmp_path / "survey_z.csv"
    assert main([str(SURVEY), "-o", str(output)]) == 0
    printed = capsys.readouterr().out
    assert "Stunting" in printed and "Anak 0-59 bulan" in printed and "498" in printed
    out = _read_csv(output)
    header = list(out[0])
    # the survey already holds igrowup's z-scores: kept, renamed, next to ours
    assert "zlen_asli" in header and "zlen" in header and header.count("zlen") == 1
    assert len(out) == 498
    with open(SURVEY, newline="") as handle:
        raw = list(csv.reader(handle))
    h = raw[0]
    survey = [dict(zip(h, row, strict=False)) for row in raw[1:]]  # first "oedema" wins below
    oedema = [row[h.index("oedema")] for row in raw[1:]]
    expected = score([r["GENDER"] for r in survey], [float(r["age.days"]) for r in survey],
                     [_number(r["WEIGHT"]) for r in survey], [_number(r["HEIGHT"]) for r in survey],
                     [r["measure"] for r in survey], oedema,
                     [_number(r["HEAD"]) for r in survey], [_number(r["MUAC"]) for r in survey])
    for name in WHO_OUTPUT_NAMES[2:]:
        assert np.array_equal([_number(r[name]) for r in out], expected[name], equal_nan=True)


def test_cli_refuses_a_file_without_sex_column(tmp_path, capsys):
    source = _write_csv(tmp_path / "in.csv", [["age", "weight"], ["100", "6"]])
    assert main([str(source), "-o", str(tmp_path / "out.csv")]) == 2
    assert "kolom jenis kelamin tidak ditemukan" in capsys.readouterr().err


def test_cli_refuses_to_overwrite_its_input(tmp_path, capsys):
    source = _write_csv(tmp_path / "in.csv", [["sex", "age", "weight"], ["1", "100", "6"]])
    assert main([str(source), "-o", str(source)]) == 2
    assert "tidak boleh sama" in capsys.readouterr().err


def test_cli_default_output_name(tmp_path):
    source = _write_csv(tmp_path / "data.csv", [["sex", "age", "weight"], ["1", "100", "6"]])
    assert main([str(source), "-q"]) == 0
    assert (tmp_path / "data_zskor.csv").exists()


def test_summary_excludes_flagged_and_counts_oedema_as_severe():
    header = ["sex", "age", "weight", "lenhei", "measure", "oedema"]
    rows = [
        ["1", "400", "9.5", "75", "l", "n"],  # normal
        ["1", "400", "7.2", "75", "l", "n"],  # wasted (WHZ < -3)
        ["1", "400", "1.0", "75", "l", "n"],  # WHZ < -5: flagged, left out
        ["1", "400", "", "75", "l", "y"],  # oedema: counted as < -3 SD, no weight needed
    ]
    result = score_table(Table(header, rows))
    wasting = result.balita[2]
    assert (wasting.cases, wasting.denominator) == (2, 3)
    underweight = result.balita[4]
    assert underweight.denominator == 4 - 1  # the 1 kg child is flagged on WAZ too
    text = format_summary(result)
    assert "Wasting" in text and "66,7 %" in text


def test_summarize_on_scores():
    r = score([1, 2], [100 * 30.4375, 400], weight=[30, 9], lenhei=[135, 75], measure="h")
    balita, older = summarize(r)
    assert balita[0].denominator == 1 and older[0].denominator == 1


@pytest.mark.parametrize("header", [["GENDER", "AGE", "WEIGHT"], ["Jenis Kelamin", "Umur Hari",
                                                                   "Berat Badan"]])
def test_header_matching_ignores_case_and_punctuation(header):
    result = score_table(Table(header, [["1", "1522", "17"]]))
    assert set(result.column_roles) == {"sex", "age", "weight"}


def test_quoted_csv_fields_go_through_the_csv_module(tmp_path):
    source = tmp_path / "quoted.csv"
    source.write_text('nama,sex,age,weight\n"Budi, Jr.",1,400,9.5\n"Ani ""Kecil""",2,1522,17\n',
                      encoding="utf-8")
    run(source, tmp_path / "out.csv")
    out = _read_csv(tmp_path / "out.csv")
    assert [r["nama"] for r in out] == ["Budi, Jr.", 'Ani "Kecil"']
    assert out[1]["zwei"] == "0.24"


def test_reasons_with_the_delimiter_are_quoted_in_the_fast_path(tmp_path):
    source = _write_csv(tmp_path / "in.csv", [["sex", "age", "weight"], ["1", "400", "9500"],
                                              ["2", "1522", "17"]], delimiter=";")
    run(source, tmp_path / "out.csv")
    out = _read_csv(tmp_path / "out.csv", delimiter=";")
    assert out[0]["kesalahan"] == "berat badan tidak wajar (9500; mungkin dalam gram?)"
    assert out[1]["zwei"] == "0.24" and out[1]["kesalahan"] == ""


def test_lines_with_the_wrong_width_are_not_misaligned(tmp_path):
    # one line with a field too many, the next with one too few: totals agree
    source = tmp_path / "in.csv"
    source.write_text("sex,age,weight\n1,400,9.5,x\n2,1522\n2,1522,17\n", encoding="utf-8")
    run(source, tmp_path / "out.csv")
    out = _read_csv(tmp_path / "out.csv")
    assert ["jumlah kolom" in r["kesalahan"] for r in out] == [True, True, False]
    assert out[2]["zwei"] == "0.24" and out[1]["zwei"] == ""
