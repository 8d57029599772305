import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError

from apps.core.scoping import code_q
from apps.posyandu.models import Posyandu
from apps.reports.services import compute_month


class Command(BaseCommand):
    help = "Hitung ulang nilai indikator bulanan per Posyandu (idempoten)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--bulan", required=True, help="Bulan, mis. 2026-03")
        parser.add_argument("--wilayah", default="", help="Kode wilayah (kosong: seluruh data)")
        parser.add_argument("--antrean", action="store_true",
                            help="Masukkan ke antrean tugas (django-q2), satu tugas per kabupaten/kota, "
                                 "alih-alih menghitung sekarang")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        try:
            period = dt.date.fromisoformat(options["bulan"] + "-01")
        except ValueError as exc:
            raise CommandError("Format bulan: YYYY-MM, mis. 2026-03.") from exc
        area = options["wilayah"]
        if area and not Posyandu.objects.filter(code_q("region_code", area)).exists():
            raise CommandError(f"Tidak ada Posyandu di wilayah {area}.")
        if options["antrean"]:
            from apps.reports.jobs import enqueue_month, group_name

            tasks = enqueue_month(period, area)
            self.stdout.write(f"Masuk antrean: {period:%m/%Y} {area or 'semua wilayah'}, {len(tasks)} tugas "
                              f"(satu per kabupaten/kota, grup {group_name(period, area)}).")
            return
        started = time.perf_counter()
        rows = compute_month(period, area=area)
        self.stdout.write(f"{rows} nilai indikator untuk {period:%m/%Y} ({time.perf_counter() - started:.1f} detik).")
