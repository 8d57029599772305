import datetime as dt
import time

from django.core.management.base import BaseCommand

from apps.regions.services import DEFAULT_DECREE, DEFAULT_VALID_FROM, load_regions


class Command(BaseCommand):
    help = "Muat (atau mutakhirkan) seluruh wilayah Kemendagri. Aman dijalankan berulang."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--decree", default=DEFAULT_DECREE, help="Dasar hukum kode wilayah")
        parser.add_argument("--valid-from", type=dt.date.fromisoformat, default=DEFAULT_VALID_FROM)

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        result = load_regions(decree=options["decree"], valid_from=options["valid_from"])
        self.stdout.write(
            f"Wilayah: {result.created} baru, {result.renamed} berganti nama, "
            f"{result.closed} ditutup, {result.unchanged} tetap "
            f"({time.perf_counter() - started:.1f} detik)."
        )
