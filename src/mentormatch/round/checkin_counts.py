"""What the board may be told of the pairs' check-ins: counts by month, by the junior's group and by status.

These are the counts before disclosure control. `checkin` computes them from the answers and keeps them
in the tracker workbook (a hidden sheet), so that `report --tracker` can protect them together with the
round's own figures: the check-ins' pairs by group are the board's juniors matched by group, and
suppressing the two apart would let one be worked out from the other.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from mentormatch.round.tracker import PairProgress, Tracker


@dataclass(frozen=True)
class MonthCounts:
    """One month of check-ins."""

    month: str
    meetings: int  # pairs where a partner reported meeting
    answers: int  # answers counted for a pair (at most two a pair)
    useful_total: int  # the usefulness marks given, added up
    useful_answers: int  # how many marks were given


@dataclass(frozen=True)
class GroupCounts:
    """The pairs of one group of juniors (a grade, department or profession) over every month."""

    breakdown: str
    group: str
    pairs: int
    meetings: int  # pair-months with a meeting
    answers: int
    useful_total: int
    useful_answers: int


@dataclass(frozen=True)
class CheckinCounts:
    """Every count of the check-in figures."""

    months: tuple[str, ...]
    pairs: int
    by_month: tuple[MonthCounts, ...]
    by_group: tuple[GroupCounts, ...]
    statuses: tuple[tuple[str, int], ...]  # status as the figures count it -> pairs

    @property
    def meetings(self) -> int:
        return sum(m.meetings for m in self.by_month)

    @property
    def answers(self) -> int:
        return sum(m.answers for m in self.by_month)


def status_group(status: str) -> str:
    """A status as the programme figures count it: the month or months and the side left out."""
    if status.startswith("not met"):
        return "not met lately"
    if status.startswith("no answer from"):
        return "with a partner silent in the latest month"
    if status.endswith("has not answered"):
        return "with a partner who has never answered"
    return status


def _marks(pairs: list[PairProgress], month: str | None = None) -> list[int]:
    return [a.usefulness for p in pairs for a in p.answers if a.usefulness and (month is None or a.month == month)]


def checkin_counts(tracker: Tracker) -> CheckinCounts:
    """Count the check-ins of a tracker."""
    pairs = tracker.pairs
    months = []
    for m in tracker.months:
        marks = _marks(pairs, m)
        months.append(MonthCounts(m, sum(m in p.met_months for p in pairs),
                                  sum(a.month == m for p in pairs for a in p.answers), sum(marks), len(marks)))
    members: dict[tuple[str, str], list[PairProgress]] = {}
    for pair in pairs:
        for key in pair.groups:
            members.setdefault(key, []).append(pair)
    groups = []
    for (breakdown, group), found in sorted(members.items()):
        marks = _marks(found)
        groups.append(GroupCounts(breakdown, group, len(found), sum(len(p.met_months) for p in found),
                                  sum(p.junior_answers + p.senior_answers for p in found), sum(marks), len(marks)))
    statuses = Counter(status_group(p.status) for p in pairs)
    return CheckinCounts(tuple(tracker.months), len(pairs), tuple(months), tuple(groups),
                         tuple(sorted(statuses.items())))
