"""The level rule as a pure function."""
from __future__ import annotations

from apps.competency.rules import Rule, level_for, missing_for

GROUPS = {1: frozenset({1, 2}), 2: frozenset({3, 4}), 3: frozenset({5})}
RULES = [Rule("purwa", 1, frozenset({1}), 3), Rule("madya", 2, frozenset({1, 2}), 0), Rule("utama", 3, frozenset({1, 2, 3}), 0)]


def test_levels_are_cumulative() -> None:
    assert level_for({1, 2}, GROUPS, RULES) == "belum"  # group 1 complete, but fewer than 3 skills
    assert level_for({1, 2, 5}, GROUPS, RULES) == "purwa"
    assert level_for({1, 2, 3, 4}, GROUPS, RULES) == "madya"
    assert level_for({1, 2, 3, 4, 5}, GROUPS, RULES) == "utama"
    # Groups 2 and 3 complete without group 1: no level at all.
    assert level_for({3, 4, 5}, GROUPS, RULES) == "belum"


def test_missing_for_names_the_skills_and_the_count() -> None:
    assert missing_for("purwa", {1}, GROUPS, RULES) == ({2}, 1)
    assert missing_for("utama", {1, 2, 3}, GROUPS, RULES) == ({4, 5}, 0)
