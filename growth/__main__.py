"""``python -m growth data.csv -o hasil.csv``: z-skor WHO dan status gizi
Permenkes 2/2020 untuk seluruh baris berkas CSV atau XLSX."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from growth.batch import COLUMN_ALIASES, format_summary, run
from growth.csvio import default_jobs
from growth.fileio import InputError


def _parser() -> argparse.ArgumentParser:
    aliases = "\n".join(f"  {role:<11} {', '.join(names)}" for role, names in COLUMN_ALIASES.items())
    parser = argparse.ArgumentParser(
        prog="python -m growth",
        description="Menghitung z-skor WHO (metode anthro/anthroplus), flag, dan kategori "
        "status gizi Permenkes 2/2020 untuk setiap baris berkas CSV atau XLSX. Baris yang "
        "bermasalah tetap ditulis dengan alasannya di kolom 'kesalahan'.",
        epilog="Nama kolom yang dikenali (tidak peka huruf besar/kecil):\n" + aliases,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("input", type=Path, help="berkas masukan (.csv atau .xlsx)")
    parser.add_argument("-o", "--output", type=Path,
                        help="berkas hasil (.csv atau .xlsx); bawaan: <masukan>_zskor.csv")
    parser.add_argument("--sheet", help="nama lembar pada berkas XLSX (bawaan: lembar pertama)")
    parser.add_argument("--delimiter", help="pemisah kolom CSV (bawaan: dikenali otomatis)")
    parser.add_argument("-j", "--jobs", type=int, default=None, metavar="N",
                        help="jumlah proses untuk berkas CSV (bawaan: semua inti CPU mesin ini, "
                        f"yaitu {default_jobs()})")
    parser.add_argument("-q", "--quiet", action="store_true", help="jangan cetak ringkasan")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    output = args.output or args.input.with_name(args.input.stem + "_zskor.csv")
    if output.resolve() == args.input.resolve():
        print("galat: berkas hasil tidak boleh sama dengan berkas masukan", file=sys.stderr)
        return 2
    started = time.perf_counter()
    try:
        result = run(args.input, output, sheet=args.sheet, delimiter=args.delimiter, jobs=args.jobs)
    except InputError as exc:
        print(f"galat: {exc}", file=sys.stderr)
        return 2
    if not args.quiet:
        print(format_summary(result))
        print(f"\nHasil ditulis ke {output} ({time.perf_counter() - started:.1f} detik)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
