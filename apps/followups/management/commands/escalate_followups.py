"""Raise the escalation level of overdue follow-ups (run daily from the job queue)."""
from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from apps.followups.services import escalate_overdue


class Command(BaseCommand):
    help = "Naikkan tingkat eskalasi tindak lanjut yang melewati batas waktu."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None,
                            help="Tanggal acuan (YYYY-MM-DD); bawaan: hari ini.")

    def handle(self, *args: Any, **options: Any) -> None:
        raised = escalate_overdue(today=options["today"])
        self.stdout.write(f"{raised} tindak lanjut dieskalasi.")
