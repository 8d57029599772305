"""Reads for the competency pages: training needs per area and per Posyandu, a kader's skills.

Everything is aggregated in SQL over a scoped Posyandu queryset (a handful of GROUP BY queries
whatever the number of Posyandu), then arranged in Python over the small results.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce

from apps.competency.models import Certification, KaderLevel, Skill, SkillGroup, TrainingParticipant
from apps.competency.rules import missing_for
from apps.competency.services import current_rules
from apps.posyandu.models import Kader, Posyandu
from apps.spm.models import SpmField

LEVELS = [str(level.value) for level in KaderLevel]  # plain strings: they key dicts read from SQL rows


def active_kader(posyandu_ids: Any) -> QuerySet:
    """Active kader of the given Posyandu (ids or a subquery), with `certified`, `trained` and
    `level_code` annotations computed in SQL."""
    valid = Certification.objects.valid().filter(kader=OuterRef("pk"))
    attended = TrainingParticipant.objects.filter(kader=OuterRef("pk"), attended=True)
    return (Kader.objects.filter(posyandu__in=posyandu_ids, end_date__isnull=True)
            .annotate(certified=Exists(valid), attended_training=Exists(attended),
                      level_code=Coalesce("competency__level", Value(KaderLevel.NONE.value))))


@dataclass
class FieldCell:
    """One SPM field at one Posyandu (or summed over an area)."""

    kader: int = 0
    trained: int = 0  # attended a training or holds a certification
    certified: int = 0

    @property
    def status(self) -> str:
        if not self.kader:
            return "tidak ada kader"
        if not self.trained:
            return "belum ada kader terlatih"
        return "ada kader terlatih"


def _field_level_counts(posyandu_ids: Any) -> tuple[dict[int, dict[int, FieldCell]], dict[int, dict[str, int]]]:
    """Per Posyandu: a FieldCell per SPM field and kader counts per level (one GROUP BY)."""
    rows = (active_kader(posyandu_ids)
            .values("posyandu_id", "field_id", "level_code")
            .annotate(n=Count("id"),
                      n_cert=Count("id", filter=Q(certified=True)),
                      n_trained=Count("id", filter=Q(certified=True) | Q(attended_training=True)))
            .order_by())
    fields: dict[int, dict[int, FieldCell]] = defaultdict(lambda: defaultdict(FieldCell))
    levels: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(LEVELS, 0))
    for r in rows:
        cell = fields[r["posyandu_id"]][r["field_id"]]
        cell.kader += r["n"]
        cell.certified += r["n_cert"]
        cell.trained += r["n_trained"]
        levels[r["posyandu_id"]][r["level_code"]] += r["n"]
    return fields, levels


def _valid_active(posyandu_ids: Any) -> QuerySet:
    return Certification.objects.valid().filter(kader__posyandu__in=posyandu_ids, kader__end_date__isnull=True)


@dataclass
class SkillGap:
    skill: Skill
    posyandu_lacking: int
    kader_holding: int


@dataclass
class PosyanduRow:
    posyandu: Posyandu
    kader: int
    levels: dict[str, int]
    skills_held: int
    skills_lacking: int
    fields_without_kader: list[SpmField]
    fields_without_trained: list[SpmField]


@dataclass
class AreaNeeds:
    posyandu_count: int
    kader_count: int
    levels: dict[str, int]
    skill_count: int
    skills: list[SkillGap]
    fields: list[tuple[SpmField, int, int, int, int]]  # field, kader, Posyandu without kader / trained / certified
    posyandu_rows: list[PosyanduRow] = field(default_factory=list)


def area_needs(posyandu_qs: QuerySet) -> AreaNeeds:
    """Training needs over the Posyandu of `posyandu_qs` (already scoped and filtered to an area)."""
    ids = posyandu_qs.values("pk")
    posyandu_count = posyandu_qs.count()
    skills = list(Skill.objects.current().select_related("group"))
    held = dict(_valid_active(ids).values("skill_id").annotate(n=Count("kader__posyandu_id", distinct=True))
                .values_list("skill_id", "n").order_by())
    holders = dict(_valid_active(ids).values("skill_id").annotate(n=Count("kader_id", distinct=True))
                   .values_list("skill_id", "n").order_by())
    gaps = [SkillGap(s, posyandu_count - held.get(s.pk, 0), holders.get(s.pk, 0)) for s in skills]

    # Per field over the area: how many Posyandu have no kader / no trained / no certified kader.
    per_posyandu_field = (active_kader(ids).values("posyandu_id", "field_id")
                          .annotate(n=Count("id"), n_cert=Count("id", filter=Q(certified=True)),
                                    n_trained=Count("id", filter=Q(certified=True) | Q(attended_training=True)))
                          .order_by())
    with_kader: dict[int, int] = defaultdict(int)
    with_trained: dict[int, int] = defaultdict(int)
    with_cert: dict[int, int] = defaultdict(int)
    kader_per_field: dict[int, int] = defaultdict(int)
    for r in per_posyandu_field:
        kader_per_field[r["field_id"]] += r["n"]
        with_kader[r["field_id"]] += 1
        with_trained[r["field_id"]] += 1 if r["n_trained"] else 0
        with_cert[r["field_id"]] += 1 if r["n_cert"] else 0
    fields = [(f, kader_per_field[f.pk], posyandu_count - with_kader[f.pk], posyandu_count - with_trained[f.pk],
               posyandu_count - with_cert[f.pk]) for f in SpmField.objects.all()]

    levels = dict.fromkeys(LEVELS, 0)
    for r in active_kader(ids).values("level_code").annotate(n=Count("id")).order_by():
        levels[r["level_code"]] += r["n"]
    return AreaNeeds(posyandu_count=posyandu_count, kader_count=sum(levels.values()), levels=levels,
                     skill_count=len(skills), skills=gaps, fields=fields)


def posyandu_rows(posyandu_list: list[Posyandu], skill_count: int) -> list[PosyanduRow]:
    """One row per Posyandu of a page: kader, levels, skills lacking, fields uncovered (3 queries)."""
    ids = [p.pk for p in posyandu_list]
    fields_by_posyandu, levels = _field_level_counts(ids)
    held = dict(_valid_active(ids).values("kader__posyandu_id").annotate(n=Count("skill_id", distinct=True))
                .values_list("kader__posyandu_id", "n").order_by())
    spm_fields = list(SpmField.objects.all())
    rows = []
    for p in posyandu_list:
        cells = fields_by_posyandu.get(p.pk, {})
        lv = levels.get(p.pk, dict.fromkeys(LEVELS, 0))
        rows.append(PosyanduRow(
            posyandu=p, kader=sum(lv.values()), levels=lv, skills_held=held.get(p.pk, 0),
            skills_lacking=skill_count - held.get(p.pk, 0),
            fields_without_kader=[f for f in spm_fields if not cells.get(f.pk, FieldCell()).kader],
            fields_without_trained=[f for f in spm_fields
                                    if cells.get(f.pk, FieldCell()).kader and not cells[f.pk].trained],
        ))
    return rows


def posyandu_needs(posyandu: Posyandu) -> dict[str, Any]:
    """One Posyandu: its active kader with level, each skill with the kader who hold it, fields."""
    kader = list(active_kader([posyandu.pk]).select_related("person", "field", "competency")
                 .order_by("field__order", "person__name"))
    holders: dict[int, list[Kader]] = defaultdict(list)
    by_id = {k.pk: k for k in kader}
    for kader_id, skill_id in _valid_active([posyandu.pk]).values_list("kader_id", "skill_id").order_by("kader__person__name"):
        holders[skill_id].append(by_id[kader_id])
    groups = _skills_by_group()
    skill_rows = [(group, [(s, holders.get(s.pk, [])) for s in skills]) for group, skills in groups]
    fields_by_posyandu, levels = _field_level_counts([posyandu.pk])
    cells = fields_by_posyandu.get(posyandu.pk, {})
    fields = [(f, cells.get(f.pk, FieldCell())) for f in SpmField.objects.all()]
    lacking = sum(1 for _, rows in skill_rows for _, who in rows if not who)
    return {"kader": kader, "skill_rows": skill_rows, "fields": fields,
            "levels": levels.get(posyandu.pk, dict.fromkeys(LEVELS, 0)), "skills_lacking": lacking}


def _skills_by_group() -> list[tuple[SkillGroup, list[Skill]]]:
    groups: dict[int, tuple[SkillGroup, list[Skill]]] = {}
    for s in Skill.objects.current().select_related("group"):
        groups.setdefault(s.group_id, (s.group, []))[1].append(s)
    return list(groups.values())


def kader_competency(kader: Kader, user: Any) -> dict[str, Any]:
    """A kader's skills by group (held or missing), certifications, trainings and next level."""
    certs = list(Certification.objects.for_user(user).filter(kader=kader)
                 .select_related("skill", "skill__group", "training").order_by("skill__group__order", "skill__order",
                                                                                "-certified_on"))
    valid_ids = set(Certification.objects.valid().filter(kader=kader).values_list("pk", flat=True))
    held = {c.skill_id: c for c in certs if c.pk in valid_ids}
    groups = [(group, [(s, held.get(s.pk)) for s in skills]) for group, skills in _skills_by_group()]
    rules, group_skills = current_rules()
    record = getattr(kader, "competency", None)
    level = record.level if record else KaderLevel.NONE
    next_rule = next((r for r in sorted(rules, key=lambda r: r.rank)
                      if r.rank > {x.level: x.rank for x in rules}.get(level, 0)), None)
    next_level = None
    if next_rule is not None:
        needed, more = missing_for(next_rule.level, held.keys(), group_skills, rules)
        names = {s.pk: s for _, skills in _skills_by_group() for s in skills}
        next_level = {"label": KaderLevel(next_rule.level).label, "skills": sorted((names[i] for i in needed),
                                                                                    key=lambda s: (s.group.order, s.order)),
                      "more": more}
    participations = (TrainingParticipant.objects.for_user(user).filter(kader=kader)
                      .select_related("training").order_by("-training__start_date"))
    return {"groups": groups, "total_skills": sum(len(rows) for _, rows in groups), "certifications": certs,
            "valid_ids": valid_ids, "level": level,
            "skill_count": len(held), "next_level": next_level, "participations": participations}
