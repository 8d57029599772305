import os
import time

from django.core.management.base import BaseCommand, CommandError

from apps.competency.demo import build_demo_competency
from apps.demo.services import DEFAULT_PASSWORD, DEMO_CITY, build_demo_area, ensure_demo_users
from apps.regions.models import Region
from apps.reports.services import compute_month, months_before


class Command(BaseCommand):
    help = (
        "Bangun data demo yang deterministik: Kota Bengkulu (17.71) dengan Posyandu, kader, pengurus, "
        "OPD, TP Posyandu dan akun demo per peran. --province membangun satu provinsi penuh (benchmark)."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--province", help="Kode provinsi untuk dibangun seluruhnya, mis. 17")
        parser.add_argument("--posyandu-per-village", type=int, default=3)
        parser.add_argument("--seed", type=int, default=2024)
        parser.add_argument("--no-visits", action="store_true", help="Tanpa data hari buka (balita, ibu hamil, lansia)")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]

        area = options["province"] or DEMO_CITY
        if not Region.objects.current().filter(code=area).exists():
            raise CommandError(f"Wilayah {area} belum dimuat. Jalankan dulu: manage.py load_regions")
        started = time.perf_counter()
        stats = build_demo_area(area, per_village=options["posyandu_per_village"], seed=options["seed"])
        if stats is None:
            self.stdout.write(f"Data demo untuk {area} sudah ada; tidak diubah.")
        else:
            self.stdout.write(
                f"Data demo {area}: {stats['posyandu']} Posyandu, {stats['kader']} kader, "
                f"{stats['people']} orang, {stats['opd']} OPD, {stats['teams']} TP Posyandu "
                f"({time.perf_counter() - started:.1f} detik)."
            )
        logins = ensure_demo_users()
        if not options["province"]:
            build_demo_competency(area)  # trainings and certifications: levels and gaps to look at
            from django.utils import timezone

            from apps.demo.tpposyandu import build_demo_tp

            started = time.perf_counter()
            made_tp = build_demo_tp(area, today=timezone.localdate(), seed=options["seed"])
            if made_tp:
                self.stdout.write(f"TP Posyandu demo: {made_tp['programmes']} program kerja, {made_tp['meetings']} rakor, "
                                  f"{made_tp['cases']} data bidang, {made_tp['followups']} tindak lanjut "
                                  f"({time.perf_counter() - started:.1f} detik).")
        if not options["province"] and not options["no_visits"]:
            from django.utils import timezone

            from apps.demo.visits import build_demo_visits

            started = time.perf_counter()
            made = build_demo_visits(area, today=timezone.localdate(), seed=options["seed"])
            if made:
                today = timezone.localdate()
                for back in range(6, 0, -1):  # the monthly report of each demo month
                    compute_month(months_before(today.replace(day=1), back).replace(day=1))
                self.stdout.write(f"Kunjungan demo: {made}, laporan bulanan 6 bulan "
                                  f"({time.perf_counter() - started:.1f} detik).")
        if logins:
            password = os.environ.get("DEMO_PASSWORD", DEFAULT_PASSWORD)
            self.stdout.write("\nAkun demo (kata sandi: %s):" % password)
            for login in logins:
                self.stdout.write(f"  {login.username:<22} {login.role:<34} {login.area} ({login.access})")
