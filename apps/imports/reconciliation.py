"""After an import: the system's SKDN next to e-PPGBM's own counts, per Posyandu and month, with
each difference explained row by row.

The system's side is read from what the reports show (the month recomputed at once, then the
monthly values), so the officer compares the report itself with e-PPGBM, not an estimate. The
source's side is counted from the file's own columns (Naik Berat Badan, BB/U, TB/U, BB/TB).
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from apps.reports.models import MonthlyValue
from apps.reports.services import compute_month
from apps.serviceday.imports import Compared, ImportResult, _chunks
from apps.serviceday.models import Visit

SKDN = ("D", "N", "T", "O", "B")
LABELS = (("bb_u", "BB/U", "zwei"), ("tb_u", "TB/U", "zlen"), ("bb_tb", "BB/TB", "zwfl"))
BALITA_MONTHS = 60  # 0-59 completed months: Permenkes 66/2014 (balita), as the S and D indicators count
MAX_DIFFERENCES = 5000


def reconcile(result: ImportResult) -> dict[str, Any]:
    compared = result.compared
    if not compared:
        return {}
    names = {p["posyandu_id"]: p["posyandu"] for p in result.parts}
    months = sorted({(c.posyandu_id, c.visit_date.replace(day=1)) for c in compared})
    by_period: dict[dt.date, list[int]] = defaultdict(list)
    for posyandu_id, period in months:
        by_period[period].append(posyandu_id)
    for period, ids in by_period.items():
        compute_month(period, ids)  # the report as it now stands, not after the next job run
    system: dict[tuple[int, dt.date], dict[str, int]] = defaultdict(lambda: dict.fromkeys(SKDN, 0))
    for pid, period, code, value in (MonthlyValue.objects.filter(posyandu_id__in={p for p, _ in months},
                                                                 period__in=list(by_period), sex="",
                                                                 indicator__code__in=SKDN)
                                     .values_list("posyandu_id", "period", "indicator__code", "numerator")):
        system[(pid, period)][code] = value

    visits = _visits(compared)
    source: dict[tuple[int, dt.date], dict[str, int]] = defaultdict(lambda: dict.fromkeys(SKDN, 0))
    extra: dict[tuple[int, dt.date], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    differences: list[dict[str, Any]] = []
    for c in compared:
        key = (c.posyandu_id, c.visit_date.replace(day=1))
        visit = visits.get((c.person_id, c.visit_date), {})
        if c.source_kms:
            source[key]["D"] += 1  # e-PPGBM writes N/T/O/B for every child it counts as weighed
            source[key][c.source_kms] += 1
        if visit.get("kms_from_source"):
            extra[key]["from_source"] += 1
        if c.age_months >= BALITA_MONTHS and c.source_kms:
            extra[key]["age_60"] += 1
        own = visit.get("kms_status", "")
        if c.source_kms and own != c.source_kms:
            differences.append(_difference(c, names, "Naik Berat Badan", c.source_kms, own or "-",
                                           _kms_reason(c, own)))
        for (name, label, z_field), theirs, their_z in zip(LABELS, c.source_labels, c.source_z):
            mine = visit.get(name, "")
            if not theirs:
                continue
            extra[key][f"{name}_compared"] += 1
            if theirs == mine:
                continue
            extra[key][f"{name}_differ"] += 1
            differences.append(_difference(c, names, label, theirs, mine or "-",
                                           _label_reason(theirs, mine, their_z, visit.get(z_field))))
    table = []
    for pid, period in months:
        key = (pid, period)
        table.append({"posyandu_id": pid, "posyandu": names.get(pid, str(pid)), "period": period.strftime("%Y-%m"),
                      "system": system.get(key, dict.fromkeys(SKDN, 0)), "source": source.get(key, dict.fromkeys(SKDN, 0)),
                      **{k: v for k, v in extra.get(key, {}).items()}})
    differences.sort(key=lambda d: d["row"])
    return {"months": table, "differences": differences[:MAX_DIFFERENCES], "differences_total": len(differences)}


def _visits(compared: list[Compared]) -> dict[tuple[int, dt.date], dict[str, Any]]:
    wanted = {(c.person_id, c.visit_date) for c in compared}
    found: dict[tuple[int, dt.date], dict[str, Any]] = {}
    for chunk in _chunks(sorted({p for p, _ in wanted}), 500):
        for v in (Visit.objects.filter(person_id__in=chunk).order_by("pk")
                  .values("person_id", "visit_date", "kms_status", "kms_from_source", "bb_u", "tb_u", "bb_tb",
                          "zwei", "zlen", "zwfl")):
            key = (v["person_id"], v["visit_date"])
            if key in wanted:
                found[key] = v
    return found


def _difference(c: Compared, names: dict[int, str], what: str, theirs: str, mine: str, reason: str) -> dict[str, Any]:
    return {"row": c.row, "posyandu": names.get(c.posyandu_id, ""), "date": c.visit_date.strftime("%d-%m-%Y"),
            "what": what, "source": theirs.lstrip("?"), "system": mine, "reason": reason}


def _kms_reason(c: Compared, own: str) -> str:
    if c.age_months >= BALITA_MONTHS:
        return (f"umur {c.age_months} bulan: e-PPGBM masih menghitung anak sampai 60 bulan dalam D, sistem menghitung "
                "balita 0-59 bulan (Permenkes 66/2014), jadi anak ini tidak diberi status KMS.")
    if own in ("N", "T") and c.source_kms in ("N", "T"):
        return ("sistem menghitung dari penimbangan bulan sebelumnya yang tercatat di sistem; e-PPGBM membaca "
                "penimbangan lain (dikoreksi, atau dicatat berbeda di e-PPGBM).")
    if own in ("N", "T"):
        return "sistem memiliki penimbangan bulan lalu anak ini, yang tidak dipakai e-PPGBM."
    if own in ("O", "B") and c.source_kms in ("O", "B"):
        return "riwayat penimbangan di sistem berbeda dengan e-PPGBM (tidak ada atau ada penimbangan sebelumnya)."
    if not own:
        return "kunjungan ini tidak diberi status KMS oleh sistem (bukan balita pada tanggal itu, atau bulan terkunci)."
    return "bulan laporan ini sudah terkunci; status KMS kunjungan lama tidak diubah."


def _label_reason(theirs: str, mine: str, their_z: float | None, my_z: float | None) -> str:
    if theirs.startswith("?"):
        return "label e-PPGBM ini tidak dikenal sistem; kategori sistem dihitung dari pengukuran."
    if theirs == "outlier":
        return "e-PPGBM menulis Outlier (|z| > 6); sistem menandai z-score ini tidak wajar dan tidak memberi kategori."
    if their_z is not None and my_z is not None and abs(their_z - my_z) > 0.011:
        return (f"z-score e-PPGBM {their_z:.2f}, hitungan sistem dari pengukuran yang sama {my_z:.2f}: z-score "
                "e-PPGBM tidak diperbarui setelah tanggal lahir atau pengukuran diubah di e-PPGBM.")
    if not mine:
        return "sistem tidak memberi kategori (pengukuran tidak lengkap atau z-score ditandai tidak wajar)."
    return "kategori berbeda pada z-score yang sama (pembulatan di batas kategori)."
