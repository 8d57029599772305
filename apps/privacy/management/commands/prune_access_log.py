from django.conf import settings
from django.core.management.base import BaseCommand

from apps.privacy.services import prune_access_log


class Command(BaseCommand):
    help = "Hapus log akses data pribadi yang lebih tua dari masa simpannya (ACCESS_LOG_RETENTION_DAYS)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--hari", type=int, default=None,
                            help=f"Masa simpan dalam hari (bawaan {settings.ACCESS_LOG_RETENTION_DAYS})")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        days = options["hari"] if options["hari"] is not None else settings.ACCESS_LOG_RETENTION_DAYS
        deleted = prune_access_log(days=days)
        self.stdout.write(f"{deleted} baris log akses yang lebih tua dari {days} hari dihapus.")
