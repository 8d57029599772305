"""Loading the skills catalogue and the default level rules from data/*.json (idempotent).

Both functions take the models as arguments so the data migration can pass historical models;
tests that flush the database (live_server) call them again.
"""
from __future__ import annotations

import datetime as dt
import functools
import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"


@functools.cache
def skills_data() -> dict[str, Any]:
    return json.loads((DATA / "skills.json").read_text(encoding="utf-8"))


@functools.cache
def levels_data() -> dict[str, Any]:
    return json.loads((DATA / "levels.json").read_text(encoding="utf-8"))


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def sync_skills(group_model: Any = None, skill_model: Any = None) -> int:
    """Create or update the groups and one skill row per (code, valid_from); the file is the
    authority, so a corrected name replaces the old one."""
    if group_model is None:
        from apps.competency.models import Skill as skill_model  # noqa: N813
        from apps.competency.models import SkillGroup as group_model  # noqa: N813
    data = skills_data()
    groups = {}
    for item in data["groups"]:
        groups[item["code"]], _ = group_model.objects.update_or_create(
            code=item["code"], defaults={"name": item["name"], "order": item["order"]})
    counters: dict[str, int] = {}
    for item in data["skills"]:
        counters[item["group"]] = counters.get(item["group"], 0) + 1
        skill_model.objects.update_or_create(
            code=item["code"], valid_from=_date(item["valid_from"]),
            defaults={"name": item["name"], "group": groups[item["group"]], "order": counters[item["group"]],
                      "valid_to": _date(item.get("valid_to"))},
        )
    return len(data["skills"])


def sync_levels(rule_model: Any = None, group_model: Any = None) -> int:
    """Create the default level rules that are missing; rules a region edited stay as they are."""
    if rule_model is None:
        from apps.competency.models import LevelRule as rule_model  # noqa: N813
        from apps.competency.models import SkillGroup as group_model  # noqa: N813
    created = 0
    for item in levels_data()["levels"]:
        if rule_model.objects.filter(level=item["level"]).exists():
            continue
        rule = rule_model.objects.create(level=item["level"], rank=item["rank"], min_skills=item["min_skills"],
                                         description=item.get("description", ""))
        rule.required_groups.set(group_model.objects.filter(code__in=item["required_groups"]))
        created += 1
    return created


def sync_all() -> None:
    sync_skills()
    sync_levels()
