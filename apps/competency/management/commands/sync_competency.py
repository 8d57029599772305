"""Re-load the skills catalogue and missing level rules, then recompute every stored kader level
(run after editing data/skills.json, e.g. when a skill is retired)."""
from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from apps.competency.catalogue import sync_levels, sync_skills
from apps.competency.services import levels_recompute_all


class Command(BaseCommand):
    help = "Muat ulang katalog keterampilan kader dan hitung ulang tingkat kader."

    def handle(self, *args: Any, **options: Any) -> None:
        skills = sync_skills()
        rules = sync_levels()
        changed = levels_recompute_all()
        self.stdout.write(f"{skills} keterampilan, {rules} aturan baru, {changed} tingkat kader berubah.")
