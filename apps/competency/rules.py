"""The level computation: pure Python over skill ids, so the rule itself is easy to test."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from apps.competency.models import KaderLevel


@dataclass(frozen=True)
class Rule:
    level: str
    rank: int
    required_groups: frozenset[int]
    min_skills: int


def level_for(held: Iterable[int], group_skills: Mapping[int, frozenset[int]], rules: Iterable[Rule]) -> str:
    """The highest level whose rule, and the rules of every lower rank, hold for the held skills.

    `held` are the ids of the kader's valid certified skills, `group_skills` the current skill ids
    of each group. A required group with no current skill counts as met (nothing left to master).
    """
    held_set = set(held)
    level = KaderLevel.NONE.value
    for rule in sorted(rules, key=lambda r: r.rank):
        complete = all(group_skills.get(g, frozenset()) <= held_set for g in rule.required_groups)
        if not complete or len(held_set) < rule.min_skills:
            break  # levels are cumulative: one failed rule stops the climb
        level = rule.level
    return level


def missing_for(level: str, held: Iterable[int], group_skills: Mapping[int, frozenset[int]],
                rules: Iterable[Rule]) -> tuple[set[int], int]:
    """What a kader still lacks for `level`: the skills of its required groups (and those of lower
    ranks) not yet held, and how many further skills of any group the largest minimum asks for."""
    held_set = set(held)
    rules = list(rules)
    rank = next((r.rank for r in rules if r.level == level), 0)
    needed: set[int] = set()
    minimum = 0
    for rule in rules:
        if rule.rank <= rank:
            minimum = max(minimum, rule.min_skills)
            for g in rule.required_groups:
                needed |= group_skills.get(g, frozenset()) - held_set
    return needed, max(0, minimum - len(held_set | needed))
