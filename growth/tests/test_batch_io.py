"""The batch command's CSV path (growth.csvio): pyarrow, blocks, worker processes.

The output must not depend on how the file is cut into blocks, on how many
processes score them, or on which path (pyarrow or the csv module) a block
takes; and it must be byte for byte what the command wrote before (issue 15).
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import numpy as np
import pytest
from python_calamine import CalamineWorkbook

from growth import csvio, fileio
from growth.__main__ import main
from growth.batch import OUTPUT_COLUMNS, run

DATA = Path(__file__).parent / "data"
SURVEY = DATA / "MySurvey_z_st.csv"
SURVEY_BEFORE = DATA / "MySurvey_z_st_zskor.csv"  # written by the code before pyarrow


@pytest.fixture
def small_blocks(monkeypatch):
    """Blocks of 16 KB: a small file then takes many blocks and the worker pool."""
    monkeypatch.setattr(csvio, "BLOCK_BYTES", 16 << 10)


@pytest.mark.parametrize("jobs", [1, 2])
def test_who_survey_output_is_byte_identical_to_before(tmp_path, jobs):
    output = tmp_path / "survey_zskor.csv"
    assert main([str(SURVEY), "-o", str(output), "-q", "--jobs", str(jobs)]) == 0
    assert output.read_bytes() == SURVEY_BEFORE.read_bytes()


@pytest.mark.parametrize("jobs", [1, 2])
def test_who_survey_in_many_blocks_is_byte_identical_to_before(tmp_path, small_blocks, jobs):
    output = tmp_path / "survey_zskor.csv"
    result = run(SURVEY, output, jobs=jobs)
    assert output.read_bytes() == SURVEY_BEFORE.read_bytes()
    assert result.rows == 498
    assert not list(tmp_path.glob(".zskor-*"))  # the workers' part files are gone


def _register(path: Path, rows: int, delimiter: str = ",", decimal: str = ".", seed: int = 1) -> Path:
    """A register with the bad rows a real one has."""
    rng = np.random.default_rng(seed)
    visit = dt.date(2025, 1, 1).toordinal() + rng.integers(0, 365, rows)
    dob = visit - rng.integers(-5, 7000, rows)
    weight = np.round(rng.normal(12, 4, rows), 1)
    weight[rng.random(rows) < 0.01] *= 1000  # grams
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=delimiter, lineterminator="\n")
        writer.writerow(["nama", "JK", "Tgl Lahir", "Tanggal Pengukuran", "Berat", "Tinggi",
                         "Cara Ukur", "Edema", "LiLA"])
        for i in range(rows):
            writer.writerow([
                f"Anak {i}", rng.choice(["L", "P", "l", "x", ""], p=[.48, .48, .02, .01, .01]),
                dt.date.fromordinal(int(dob[i])).strftime("%d/%m/%Y" if i % 3 else "%Y-%m-%d"),
                dt.date.fromordinal(int(visit[i])).isoformat(),
                f"{weight[i]:g}".replace(".", decimal) if i % 50 else "abc",
                f"{rng.normal(90, 20):.1f}".replace(".", decimal),
                rng.choice(["terlentang", "berdiri", "duduk"], p=[.5, .49, .01]),
                rng.choice(["n", "y", "?"], p=[.98, .01, .01]),
                "" if i % 4 else f"{rng.normal(14, 2):.1f}".replace(".", decimal),
            ])
    return path


@pytest.mark.parametrize(("delimiter", "decimal"), [(",", "."), (";", ",")])
def test_blocks_and_processes_do_not_change_the_output(tmp_path, monkeypatch, delimiter, decimal):
    source = _register(tmp_path / "register.csv", 3000, delimiter, decimal)
    whole = tmp_path / "whole.csv"
    run(source, whole, jobs=1)
    monkeypatch.setattr(csvio, "BLOCK_BYTES", 8 << 10)
    for jobs in (1, 2):
        cut = tmp_path / f"cut{jobs}.csv"
        result = run(source, cut, jobs=jobs)
        assert cut.read_bytes() == whole.read_bytes()
        assert result.rows == 3000 and result.rows_with_errors > 0
    with open(whole, newline="", encoding="utf-8") as handle:
        out = list(csv.DictReader(handle, delimiter=delimiter))
    reasons = [r["kesalahan"] for r in out]
    assert any("tidak wajar" in r and "; mungkin dalam gram?" in r for r in reasons)
    assert any("berat badan bukan angka: 'abc'" in r for r in reasons)


@pytest.mark.parametrize("quoted", [False, True])
def test_the_pyarrow_path_writes_what_the_csv_module_path_writes(tmp_path, quoted):
    # the survey quotes its text fields: the pyarrow path re-quotes them as csv does
    source = SURVEY if quoted else _register(tmp_path / "register.csv", 2000, ";", ",")
    layout = csvio.read_layout(source)
    data = csvio._clean(b"".join(csvio.blocks(source, layout.data_start)))
    fast = csvio._arrow_block(data, layout)
    assert fast is not None  # this block does take the fast path
    slow = csvio._python_block(data, layout, for_xlsx=False)
    assert b"".join(bytes(p) for p in fast.csv) == b"".join(slow.csv)
    assert (fast.rows, fast.rows_with_errors) == (slow.rows, slow.rows_with_errors)


def test_quoted_fields_with_newlines_are_not_cut_between_blocks(tmp_path, small_blocks):
    rows = [["nama", "alamat", "sex", "age", "weight"]]
    rows += [[f'Anak "{i}"', f"Jl. Mawar {i},\nRT {i % 9}", "1" if i % 2 else "2", str(100 + i),
              f"{6 + (i % 50) / 10:.1f}"] for i in range(2000)]
    source = tmp_path / "quoted.csv"
    with open(source, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    for jobs in (1, 2):
        output = tmp_path / f"out{jobs}.csv"
        run(source, output, jobs=jobs)
        with open(output, newline="", encoding="utf-8") as handle:
            out = list(csv.reader(handle))
        assert len(out) == len(rows)
        assert [r[:5] for r in out[1:]] == rows[1:]  # quotes and newlines kept
        assert all(r[-1] == "" and r[5 + OUTPUT_COLUMNS.index("zwei")] for r in out[1:])


def test_ragged_and_blank_lines_inside_a_big_file(tmp_path, small_blocks):
    lines = ["sex,age,weight"] + [f"{1 + i % 2},{100 + i},{6 + (i % 30) / 10:.1f}" for i in range(3000)]
    lines[1500] = "1,400,9.5,x"  # a field too many
    lines[1501] = "2,1522"  # one too few
    lines[2000] = " , ,"  # blank: left out
    lines[2500] = ""
    source = tmp_path / "in.csv"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run(source, tmp_path / "out.csv", jobs=2)
    with open(tmp_path / "out.csv", newline="", encoding="utf-8") as handle:
        out = list(csv.DictReader(handle))
    assert result.rows == len(out) == 2998
    ragged = [i for i, r in enumerate(out) if "jumlah kolom" in r["kesalahan"]]
    assert ragged == [1499, 1500]
    assert out[1499]["weight"] == "9.5" and out[1499]["zwei"] != ""
    assert out[1500]["weight"] == "" and out[1500]["zwei"] == ""


def test_encodings_and_line_ends(tmp_path):
    source = tmp_path / "excel.csv"
    source.write_bytes("\ufeffnama;sex;age;weight\r\nJos\xe9;1;400;9,5\r\nRen\xe9e;2;1522;17\r\n"
                       .encode("cp1252", errors="ignore"))
    run(source, tmp_path / "out.csv")
    text = (tmp_path / "out.csv").read_text(encoding="utf-8")
    assert text.startswith("nama;sex;age;weight;umur_hari") and "\r" not in text
    assert text.splitlines()[1].startswith("José;1;400;9,5;400;")
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbfsex,age,weight\r\n2,1522,17\r\n")
    run(bom, tmp_path / "out2.csv")
    out = (tmp_path / "out2.csv").read_text(encoding="utf-8").splitlines()
    assert out[0].startswith("sex,age,weight,") and out[1].split(",")[11] == "0.24"


def test_csv_in_xlsx_out_streams_and_types_numbers(tmp_path, small_blocks):
    source = _register(tmp_path / "register.csv", 1500)
    run(source, tmp_path / "hasil.xlsx")
    run(source, tmp_path / "hasil.csv")
    sheet = CalamineWorkbook.from_path(str(tmp_path / "hasil.xlsx")).get_sheet_by_name("Hasil").to_python()
    with open(tmp_path / "hasil.csv", newline="", encoding="utf-8") as handle:
        text = list(csv.reader(handle))
    assert len(sheet) == len(text) == 1501 and sheet[0] == text[0]
    z = text[0].index("zwei")
    assert [r[z] for r in sheet[1:]] == [float(r[z]) if r[z] else "" for r in text[1:]]


def test_too_big_for_xlsx_is_said_in_indonesian_and_leaves_no_file(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(fileio, "XLSX_MAX_ROWS", 1000)
    source = _register(tmp_path / "register.csv", 1000)  # 1000 data rows + header > 1000
    output = tmp_path / "hasil.xlsx"
    assert main([str(source), "-o", str(output)]) == 2
    err = capsys.readouterr().err
    assert "terlalu besar untuk XLSX" in err and "paling banyak 999 baris data" in err
    assert ".csv" in err and not output.exists()


def test_jobs_option_and_its_default(tmp_path, capsys):
    source = _register(tmp_path / "register.csv", 200)
    assert main([str(source), "-o", str(tmp_path / "a.csv"), "-j", "3", "-q"]) == 0
    assert main([str(source), "-o", str(tmp_path / "b.csv"), "-q"]) == 0
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "--jobs" in capsys.readouterr().out


def test_number_columns_read_as_numbers_or_as_text_give_the_same_output(tmp_path, monkeypatch):
    # plain decimals are parsed by pyarrow itself; a block with a decimal comma, "nan",
    # "-nan", "abc" or a space sends the number columns back to text (and cells.numbers)
    lines = ["sex,age,weight,lenhei"]
    odd = {1500: "9,5", 1700: "nan", 1900: "-nan", 2100: "abc", 2300: " 9.5", 2500: "1e1", 2700: "-"}
    for i in range(3000):
        lines.append(f"{1 + i % 2},{100 + i},{odd.get(i, f'{6 + (i % 30) / 10:.1f}')},{60 + i % 40}")
    source = tmp_path / "in.csv"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    layout = csvio.read_layout(source)
    data = csvio._clean(b"".join(csvio.blocks(source, layout.data_start)))
    slow = b"".join(csvio._python_block(data, layout, for_xlsx=False).csv)
    monkeypatch.setattr(csvio, "BLOCK_BYTES", 4 << 10)
    for jobs in (1, 2):
        output = tmp_path / f"out{jobs}.csv"
        run(source, output, jobs=jobs)
        assert output.read_bytes().split(b"\n", 1)[1] == slow
    with open(tmp_path / "out1.csv", newline="", encoding="utf-8") as handle:
        out = list(csv.DictReader(handle))
    assert "berat badan bukan angka: '-nan'" in out[1900]["kesalahan"]
    assert "berat badan bukan angka: 'abc'" in out[2100]["kesalahan"]
    assert out[1700]["kesalahan"] == out[2700]["kesalahan"] == "" and out[1700]["zwei"] == ""
    assert all(out[i]["zwei"] != "" and "berat" not in out[i]["kesalahan"] for i in (1500, 2300, 2500))
