"""The round's figures, computed once.

Every output renders these and nothing else: the terminal, the Summary and Breakdown sheets, the
board workbook and HTML page (read back from those sheets) and `compare`. The counts reconcile by
construction: rows read = eligible juniors + eligible seniors + rows left out + rows superseded, and
eligible juniors = juniors paired + juniors without a partner (by reason).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from mentormatch.matching.pipeline import MatchResult
from mentormatch.matching.reasons import professions_text
from mentormatch.models import Applicant, Role
from mentormatch.outcomes import CODES

BREAKDOWNS: tuple[tuple[str, Callable[[Applicant], str]], ...] = (
    ("Grade", lambda a: a.grade_label), ("Department", lambda a: a.department), ("Profession", professions_text))


@dataclass(frozen=True)
class GroupFigures:
    """One group of a breakdown (a grade, a department or a profession)."""

    breakdown: str  # "Grade", "Department" or "Profession"
    group: str
    juniors: int
    juniors_shortlisted: int | None  # None when the round was not shortlisted
    juniors_paired: int
    seniors: int
    seniors_paired: int


@dataclass(frozen=True)
class RoundFigures:
    """The headline counts of one round; labels for them live in `outputs.summary`."""

    rows_read: int
    rows_left_out: int  # rows with errors, not taken into matching
    rows_superseded: int  # earlier submissions set aside for a later one from the same email
    juniors: int  # eligible juniors
    seniors: int  # eligible seniors
    shortlisted: int | None  # juniors on the shortlist, None when the round was not shortlisted
    senior_places: int
    pairs: int
    most_pairs: int
    held: int  # pairs held from before the solve (locked, or kept by a rematch)
    juniors_unpaired: dict[str, int]  # reason code -> eligible juniors without a partner
    seniors_unpaired: dict[str, int]  # reason code -> eligible seniors with no partner at all
    cross_department: int
    cross_profession: int
    mean_score: float | None  # mean score of the pairs, to one decimal place (None with no pairs)
    score_gap: float = 0.0  # proven bound on the total score a better pairing could add
    history_pairs: int = 0
    repeats_avoided: int = 0
    unsure_pairs: int = 0  # pairs only an unsure answer ruled out
    priority: tuple[tuple[str, str, int, int], ...] = ()  # (earlier round, role, eligible now, paired now)
    groups: tuple[GroupFigures, ...] = field(default=(), repr=False)

    @property
    def juniors_without_partner(self) -> int:
        """Eligible juniors without a partner, whatever the reason."""
        return sum(self.juniors_unpaired.values())

    @property
    def seniors_without_partner(self) -> int:
        """Eligible seniors with no partner, whatever the reason."""
        return sum(self.seniors_unpaired.values())

    def share(self, count: int) -> float | None:
        """`count` pairs as a percentage of all pairs, to one decimal place (None with no pairs)."""
        return round(100 * count / self.pairs, 1) if self.pairs else None


def _reason_order(counts: Counter[str]) -> dict[str, int]:
    """Reasons most common first, in registry order on ties."""
    order = list(CODES)
    return {code: counts[code] for code in sorted(counts, key=lambda c: (-counts[c], order.index(c)))}


def _groups(result: MatchResult, shortlisted: bool) -> tuple[GroupFigures, ...]:
    paired = {p.junior.email for p in result.pairings} | {p.senior.email for p in result.pairings}
    passed_over = {u.email for u in result.unmatched if u.code == "not-shortlisted"}
    found: list[GroupFigures] = []
    for label, key in BREAKDOWNS:
        counts: dict[str, list[int]] = {}  # group -> [juniors, shortlisted, juniors paired, seniors, seniors paired]
        lowest: dict[str, int] = {}
        for a in result.validation.applicants:
            group = key(a)
            line = counts.setdefault(group, [0, 0, 0, 0, 0])
            lowest[group] = min(lowest.get(group, a.rank), a.rank)
            matched = a.email in paired
            if a.role is Role.JUNIOR:
                line[0] += 1
                line[1] += a.email not in passed_over
                line[2] += matched
            else:
                line[3] += 1
                line[4] += matched
        order = sorted(counts, key=lambda g: (lowest[g], g)) if label == "Grade" else sorted(counts)
        found += [GroupFigures(label, g, c[0], c[1] if shortlisted else None, c[2], c[3], c[4])
                  for g, c in ((g, counts[g]) for g in order)]
    return tuple(found)


def _priority(result: MatchResult) -> tuple[tuple[str, str, int, int], ...]:
    """People an earlier round left unpaired who applied again, and how many of them are paired now, by round and role."""
    if result.priority.mode == "off" or not result.priority.earlier:
        return ()
    paired = {p.junior.email for p in result.pairings} | {p.senior.email for p in result.pairings}
    counts: dict[tuple[str, str], list[int]] = {}
    for person in result.validation.applicants:
        label = result.priority.earlier.get(person.email)
        if label is not None:
            line = counts.setdefault((label, person.role.value), [0, 0])
            line[0] += 1
            line[1] += person.email in paired
    return tuple((label, role, n, made) for (label, role), (n, made) in sorted(counts.items()))


def round_figures(result: MatchResult) -> RoundFigures:
    """Count everything the round's outputs show, once."""
    validation, pairs = result.validation, result.pairings
    shortlisted = result.inputs.shortlisted is not None
    junior_reasons = Counter(u.code for u in result.unmatched if u.role == "junior" and u.code != "left-out")
    senior_reasons = Counter(u.code for u in result.unmatched if u.role == "senior" and u.code != "left-out")
    return RoundFigures(
        rows_read=validation.rows_read,
        rows_left_out=len(validation.left_out),
        rows_superseded=len(validation.superseded),
        juniors=len(validation.juniors),
        seniors=len(validation.seniors),
        shortlisted=len(validation.juniors) - junior_reasons["not-shortlisted"] if shortlisted else None,
        senior_places=result.senior_places,
        pairs=len(pairs),
        most_pairs=result.maximum_pairs,
        held=sum(p.locked or p.kept for p in pairs),
        juniors_unpaired=_reason_order(junior_reasons),
        seniors_unpaired=_reason_order(senior_reasons),
        cross_department=sum(p.junior.department_key != p.senior.department_key for p in pairs),
        cross_profession=sum(not set(p.junior.professions) & set(p.senior.professions) for p in pairs),
        mean_score=round(sum(p.score for p in pairs) / len(pairs), 1) if pairs else None,
        score_gap=result.score_gap,
        history_pairs=result.history_pairs,
        repeats_avoided=result.repeats_avoided,
        unsure_pairs=result.unsure_pairs,
        priority=_priority(result),
        groups=_groups(result, shortlisted),
    )
