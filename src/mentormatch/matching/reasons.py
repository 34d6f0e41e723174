"""Plain-words reasons: why each pair was made, and why someone was left unmatched."""

from __future__ import annotations

from dataclasses import dataclass

from mentormatch.config import Config, Rule
from mentormatch.matching.priority import Priority
from mentormatch.matching.rules import RuleMasks
from mentormatch.models import Applicant
from mentormatch.outcomes import Kind, outcome
from mentormatch.vocab.grades import BY_RANK
from mentormatch.vocab.professions import short_name
from mentormatch.vocab.text import vocab_key


def professions_text(person: Applicant) -> str:
    """The applicant's professions, abbreviated ('GSS; GSR')."""
    return "; ".join(short_name(p) for p in person.professions)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def shared_aims(junior: Applicant, senior: Applicant) -> list[str]:
    """The junior's development aims that the senior shares, as the junior wrote them."""
    senior_aims = {vocab_key(a) for a in senior.aims}
    return [a for a in junior.aims if vocab_key(a) in senior_aims]


def why_paired(junior: Applicant, senior: Applicant) -> str:
    """One line saying what the pair has in common and how it meets the rules."""
    gap = senior.rank - junior.rank
    parts = [f"{junior.grade_label} → {senior.grade_label} ({_plural(gap, 'grade')})"]
    department = f"{junior.department} / {senior.department}"
    parts.append(department + (" (same department)" if junior.department_key == senior.department_key else ""))
    shared = set(junior.professions) & set(senior.professions)
    parts.append(f"{professions_text(junior)} / {professions_text(senior)}" + (" (shared profession)" if shared else ""))
    aims = shared_aims(junior, senior)
    if aims:
        parts.append("shared aims: " + ", ".join(a.lower() for a in aims))
    senior_networks = {vocab_key(n) for n in senior.networks}
    networks = [n for n in junior.networks if vocab_key(n) in senior_networks]
    if networks:
        parts.append(("network: " if len(networks) == 1 else "networks: ") + ", ".join(networks))
    return "; ".join(parts)


@dataclass(frozen=True)
class Reason:
    """A reason code and its sentence."""

    code: str
    text: str


def _reason(code: str, variant: str, **slots: object) -> Reason:
    return Reason(code, outcome(code, Kind.UNMATCHED).message(variant, **slots))


def _min_label(rank: int, gap: int) -> str | None:
    grade = BY_RANK.get(rank + gap)
    return grade.label if grade else None


def _outside(config: Config, person: Applicant) -> list[str]:
    outside = []
    if config.rules.department is Rule.HARD:
        outside.append(person.department_key)
    if config.rules.profession is Rule.HARD:
        outside.append(professions_text(person))
    return outside


def _grade_range(rank: int, config: Config) -> str:
    """The grades a junior's partner may hold: 'Grade 7 or above', 'Grade 7 to Deputy Director'."""
    low = _min_label(rank, config.round.min_grade_gap) or "above Permanent Secretary"
    high = _min_label(rank, config.round.max_grade_gap) if config.round.max_grade_gap else None
    if high == low:
        return low
    return f"{low} to {high}" if high else f"{low} or above"


def _gap_range(config: Config) -> str:
    """How far below a senior a junior may be: 'at least 2 grades', '2 to 3 grades'."""
    low, high = config.round.min_grade_gap, config.round.max_grade_gap
    return f"{low} to {high} grades" if high and high != low else f"at least {_plural(low, 'grade')}"


def unmatched_junior(person: Applicant, masks: RuleMasks, config: Config) -> Reason:
    """Why a junior has no partner (given their row of rule masks), when the solver paired as many as possible."""
    feasible = masks.feasible
    if feasible.any():
        count = int(feasible.sum())
        return _reason("partners-taken", "junior", seniors=_plural(count, "senior"), verb="is" if count == 1 else "are")
    grades = _grade_range(person.rank, config)
    candidates = masks.grade_ok
    if not candidates.any():
        too_far = int((masks.gap > config.round.max_grade_gap).sum()) if config.round.max_grade_gap else 0
        detail = (f": the {too_far} senior enough are more than {_plural(config.round.max_grade_gap, 'grade')} "
                  "above (round.max_grade_gap)" if too_far else f" (partners must be {_gap_range(config)} apart)")
        return _reason("no-feasible-partner", "junior-none-senior-enough", grades=grades, detail=detail)
    blockers = []
    if config.rules.department is Rule.HARD:
        n = int((candidates & masks.same_department).sum())
        if n:
            blockers.append(f"{n} in {person.department_key}")
    if config.rules.profession is Rule.HARD:
        n = int((candidates & masks.shared_profession).sum())
        if n:
            blockers.append(f"{n} share {professions_text(person)}")
    n = int((candidates & ~masks.not_listed).sum())
    if n:
        blockers.append(f"{n} on a do-not-match list")
    outside = _outside(config, person)
    where = f" outside {' and '.join(outside)}" if outside else ""
    return _reason("no-feasible-partner", "junior-blocked", grades=grades, outside=where,
                   candidates=int(candidates.sum()), blockers=", ".join(blockers))


def unmatched_senior(person: Applicant, masks: RuleMasks, config: Config) -> Reason:
    """Why a senior has no partner (given their column of rule masks)."""
    if masks.feasible.any():
        return _reason("partners-taken", "senior")
    outside = _outside(config, person)
    where = f" outside {' and '.join(outside)}" if outside else ""
    return _reason("no-feasible-partner", "senior", gap=_gap_range(config), outside=where)


def priority_note(junior: Applicant, senior: Applicant, priority: Priority, decided: set[str]) -> str:
    """What the Why column says of priority: who was left unpaired before, and whether priority decided the pair."""
    if priority.mode == "off":
        return ""
    notes = []
    for person in (junior, senior):
        if person.email in priority.earlier:
            settled = " (priority decided this pair)" if person.email in decided else ""
            notes.append(f"priority: {person.name} was left unpaired in {priority.earlier[person.email]}{settled}")
    return "".join(f"; {note}" for note in notes)
