"""Hard rules: which junior-senior pairs may be made, and which rule blocks the others."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from mentormatch.config import Config, Rule
from mentormatch.matching.encoding import Side, overlap_counts

# Each hard rule's mask and how a person would name a pair that breaks it.
RULE_LABELS: tuple[tuple[str, str], ...] = (
    ("grade_ok", "grade gap"), ("department_ok", "same department"),
    ("profession_ok", "shared profession"), ("not_listed", "on a do-not-match list"),
)


@dataclass
class RuleMasks:
    """Per-rule pass/fail over all (junior, senior) pairs; `feasible` is their conjunction."""

    grade_ok: np.ndarray
    department_ok: np.ndarray
    profession_ok: np.ndarray
    not_listed: np.ndarray
    same_department: np.ndarray
    shared_profession: np.ndarray
    gap: np.ndarray
    unsure: np.ndarray  # pairs that only an unsure answer forbids ('0NS' may be ONS): every other rule allows them

    @cached_property
    def feasible(self) -> np.ndarray:
        """True where every hard rule allows the pair (computed once: callers read it row by row)."""
        return self.grade_ok & self.department_ok & self.profession_ok & self.not_listed

    def broken(self, *index: int) -> list[str]:
        """The hard rules that the pair at `index` ((junior, senior), or a position in a row) would break."""
        return [label for name, label in RULE_LABELS if not getattr(self, name)[index]]

    def pick(self, index: int | tuple[slice, int]) -> RuleMasks:
        """One row (`index`) or one column (`(slice(None), index)`) of a block, as a RuleMasks of 1-D arrays."""
        return RuleMasks(**{name: getattr(self, name)[index] for name in _FIELDS})


_FIELDS = ("grade_ok", "department_ok", "profession_ok", "not_listed", "same_department", "shared_profession",
           "gap", "unsure")


def do_not_match_pairs(juniors: Side, seniors: Side, extra: Iterable[tuple[str, str]] = ()) -> set[tuple[int, int]]:
    """Index pairs (junior, senior) that must never be made: either side's list, or `extra` emails."""
    junior_at = {p.email: i for i, p in enumerate(juniors.people)}
    senior_at = {p.email: i for i, p in enumerate(seniors.people)}
    pairs: set[tuple[int, int]] = set()
    for i, person in enumerate(juniors.people):
        pairs.update((i, senior_at[email]) for email in person.do_not_match if email in senior_at)
    for s, person in enumerate(seniors.people):
        pairs.update((junior_at[email], s) for email in person.do_not_match if email in junior_at)
    for a, b in extra:
        for first, second in ((a, b), (b, a)):
            if first in junior_at and second in senior_at:
                pairs.add((junior_at[first], senior_at[second]))
    return pairs


def rule_masks(juniors: Side, seniors: Side, config: Config, not_listed: np.ndarray, *,
               paired: bool = False) -> RuleMasks:
    """Evaluate every hard rule on every pair at once (numpy broadcasting, no Python loop over pairs).

    Pairs are juniors x seniors, or with `paired` juniors[i] with seniors[i]; `not_listed` says
    which of them no do-not-match list forbids (see PairSpace, which builds it).
    """
    settings = config.round
    if paired:
        junior_rank, senior_rank = juniors.rank, seniors.rank
        junior_department, senior_department = juniors.department, seniors.department
    else:
        junior_rank, senior_rank = juniors.rank[:, None], seniors.rank[None, :]
        junior_department, senior_department = juniors.department[:, None], seniors.department[None, :]
    gap = senior_rank.astype(np.int16) - junior_rank
    grade_ok = gap >= settings.min_grade_gap
    if settings.max_grade_gap:
        grade_ok &= gap <= settings.max_grade_gap
    same_department = junior_department == senior_department
    shared_profession = overlap_counts(juniors.professions, seniors.professions, paired) > 0
    everyone = np.ones(gap.shape, dtype=bool)
    nobody = np.zeros(gap.shape, dtype=bool)
    unsure = nobody
    if juniors.unsure or seniors.unsure:
        # An unsure answer counts as the same as every known name it may be, for the rules and the preferences.
        sure = (grade_ok & not_listed
                & (~same_department if config.rules.department is Rule.HARD else everyone)
                & (~shared_profession if config.rules.profession is Rule.HARD else everyone))
        same_department = same_department | (overlap_counts(juniors.could_be, seniors.could_be, paired) > 0)
        shared_profession = overlap_counts(juniors.compared_professions, seniors.compared_professions, paired) > 0
        unsure = sure & ((same_department if config.rules.department is Rule.HARD else nobody)
                         | (shared_profession if config.rules.profession is Rule.HARD else nobody))
    return RuleMasks(
        grade_ok=grade_ok,
        department_ok=~same_department if config.rules.department is Rule.HARD else everyone,
        profession_ok=~shared_profession if config.rules.profession is Rule.HARD else everyone,
        not_listed=not_listed,
        same_department=same_department,
        shared_profession=shared_profession,
        gap=gap,
        unsure=unsure,
    )
