"""Checking a pairings workbook after someone has edited its Pairings sheet by hand.

Pairs are read by their emails wherever the columns now are, each at the Excel row it sits on
(sorted, filtered, with rows added or deleted), and checked against the round the workbook recorded:
the same applications, settings, shortlist and do-not-match pairs. Every pair gets its Score and Why
recomputed; the edited pairing is then set against the best one under the same rules.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from mentormatch.config import Config, build_config
from mentormatch.errors import MentormatchError
from mentormatch.inputs.pairings_book import (
    DESCRIBED,
    SHEET,
    SheetRow,
    read_edited_pairs,
    read_round_record,
    read_unmatched,
)
from mentormatch.inputs.reading import Cell, file_sha256, read_grid
from mentormatch.matching.encoding import encode
from mentormatch.matching.pairspace import PairSpace
from mentormatch.matching.pipeline import (
    MatchResult,
    Pairing,
    match_validated,
    unmatched_people,
)
from mentormatch.matching.reasons import professions_text, shared_aims, why_paired
from mentormatch.matching.rules import do_not_match_pairs
from mentormatch.models import Applicant, RoundInputs
from mentormatch.outcomes import Kind, Problem, Severity, error, outcome, warning
from mentormatch.round.edits import Swap, best_swap
from mentormatch.validation.checks import ValidationResult, validate_file
from mentormatch.vocab.text import clean_text


@dataclass(frozen=True)
class EditedPair:
    """One row of the edited Pairings sheet, with its Score and Why as they should read."""

    row: int  # the Excel row it is on
    junior: str
    senior: str
    score: int | None  # None when the row is not a valid pair of applicants
    why: str
    stale: bool  # the sheet's Score or Why differ from these (the row's partners changed, or it was added)
    valid: bool  # both are applicants in their roles and no hard rule is broken
    rebuilt: dict[str, object] = dataclasses.field(default_factory=dict)  # DESCRIBED header -> the applications' value
    disagrees: tuple[str, ...] = ()  # DESCRIBED headers whose cell says something else
    junior_applicant: Applicant | None = None
    senior_applicant: Applicant | None = None


@dataclass
class CheckReport:
    """What `mentormatch check` found."""

    source: Path
    headers: list[str]
    pairs: list[EditedPair]
    problems: list[Problem]
    result: MatchResult  # the edited pairing as a round (its figures make the Summary)
    best_pairs: int | None = None  # the best pairing under the same rules, when compared
    best_score: int | None = None
    swap: Swap | None = None
    note: str | None = None  # what the person should know (the applications changed since the match)

    @property
    def breaks_rules(self) -> bool:
        """Whether anything in the edited sheet breaks a rule (exit 1); cells that disagree are warnings only."""
        return any(p.severity is Severity.ERROR for p in self.problems)

    @property
    def valid_pairs(self) -> int:
        return sum(p.valid for p in self.pairs)

    @property
    def total_score(self) -> int:
        return sum(p.score or 0 for p in self.pairs if p.valid)


def _same(cell: Cell, value: object) -> bool:
    text = clean_text(cell)
    if isinstance(value, int):
        try:
            return round(float(text)) == value
        except (ValueError, OverflowError):  # not a number, or too big to be a score
            return False
    return text == clean_text(value)


def check_pairings(path: Path, *, applications: Path | None = None, config: Config | None = None,
                   compare_best: bool = True) -> CheckReport:
    """Check an edited pairings workbook against the round it recorded (and, with `compare_best`, price
    the edits against the best pairing under the same rules)."""
    record = read_round_record(path)
    config = config or build_config(record.settings or {})
    inputs = dataclasses.replace(record.inputs, locks=())
    source = applications or applications_of(path, record.applications)
    changed = record.applications_sha256 not in (None, file_sha256(source))
    validation = validate_file(source, config)
    if inputs.withdrawn:  # people who left in a rematch are no longer the round's applicants
        validation = dataclasses.replace(validation, applicants=[a for a in validation.applicants
                                                                 if a.email not in inputs.withdrawn])
    sheet = read_edited_pairs(path)
    headers, rows = sheet.headers, sheet.rows
    juniors = sorted(validation.juniors, key=lambda p: p.email)
    seniors = sorted(validation.seniors, key=lambda p: p.email)
    junior_side, senior_side = encode(juniors, seniors)
    space = PairSpace(junior_side, senior_side, config,
                      do_not_match_pairs(junior_side, senior_side, [*inputs.do_not_match, *inputs.history]))
    junior_at = {p.email: i for i, p in enumerate(juniors)}
    senior_at = {p.email: i for i, p in enumerate(seniors)}
    problems = _people_problems(rows, validation, junior_at, senior_at, inputs)
    known = [(r.number, junior_at[r.junior], senior_at[r.senior]) for r in rows
             if r.junior in junior_at and r.senior in senior_at]
    masks, score = space.evaluate(np.array([j for _n, j, _s in known], dtype=np.intp),
                                  np.array([s for _n, _j, s in known], dtype=np.intp), paired=True)
    verdict = {n: (masks.feasible[k], round(float(score[k])), masks.broken(k)) for k, (n, _j, _s) in enumerate(known)}
    pairs: list[EditedPair] = []
    for row in rows:
        number, junior, senior = row.number, row.junior, row.senior
        if number not in verdict:
            pairs.append(EditedPair(number, junior, senior, None, "", False, False))
            continue
        feasible, points, broken = verdict[number]
        first, second = juniors[junior_at[junior]], seniors[senior_at[senior]]
        why = why_paired(first, second)
        if not feasible:
            problems.append(error("pair-breaks-rule", row=number, sheet=SHEET, column="Senior email", email=junior,
                                  value=f"{junior} + {senior}", rules=", ".join(broken)))
        rebuilt = described(first, second)
        disagrees = tuple(name for name in DESCRIBED if name in row.cells and not _same(row.cells[name], rebuilt[name]))
        problems += [warning("cell-disagrees", row=number, sheet=SHEET, column=name, email=junior,
                             value=clean_text(row.cells[name]), written=clean_text(row.cells[name]),
                             expected=rebuilt[name] or "blank",
                             person=first.email if name.startswith("Junior") else second.email)
                     for name in disagrees]
        pairs.append(EditedPair(number, junior, senior, points, why,
                                not (_same(row.score, points) and _same(row.why, why)), bool(feasible), rebuilt,
                                disagrees, first, second))
    problems += _capacity_problems(pairs, seniors, senior_at)
    # A junior's second row and a senior's rows past their capacity are not pairs of the round.
    extra = {p.row for p in problems if p.code in ("paired-twice", "over-capacity") and p.row is not None}
    pairs = [dataclasses.replace(p, valid=False) if p.row in extra else p for p in pairs]
    paired = {p.junior for p in pairs} | {p.senior for p in pairs}
    listed = {person.email for person in read_unmatched(path)}
    listed |= set(record.inputs.withdrawn)  # people who left in a rematch
    problems += [error("dropped-applicant", email=a.email, value=a.email, sheet=SHEET)
                 for a in validation.applicants if a.email not in paired and a.email not in listed]
    result = _as_round(validation, config, inputs, pairs, juniors, seniors, junior_at, senior_at, space)
    report = CheckReport(path, headers, pairs, sorted(problems, key=lambda p: (p.row or 10**9, p.code)), result,
                         note=(f"{source.name} has changed since the round was matched: anyone who applied since "
                               "shows as dropped.") if changed else None)
    if compare_best:
        best = match_validated(validation, config, inputs)
        report.best_pairs, report.best_score = len(best.pairings), sum(p.score for p in best.pairings)
        report.result.maximum_pairs = best.maximum_pairs
        report.swap = best_swap(pairs, juniors, seniors, junior_at, senior_at, space, inputs.shortlisted)
    return report


def applications_of(pairings: Path, recorded: str | None = None) -> Path:
    """The applications file a pairings workbook recorded: its path from the workbook (`recorded`, from the
    Round sheet), else the file of that name beside the workbook (Settings sheet, for older workbooks)."""
    if recorded and (pairings.parent / recorded).exists():
        return pairings.parent / recorded
    rows = _sheet(pairings, "Settings")
    name = next((clean_text(row[1]) for row in rows if len(row) > 1 and clean_text(row[0]) == "Input file"), "")
    candidate = pairings.parent / name if name else None
    if candidate is None or not candidate.exists():
        raise MentormatchError(f"Cannot find the applications behind {pairings.name}"
                               f"{f' ({name} is not beside it)' if name else ''}: give them with --applications.")
    return candidate


def _sheet(path: Path, name: str) -> list[list[Cell]]:
    try:
        return read_grid(path, name).rows
    except MentormatchError:
        return []


def described(junior: Applicant, senior: Applicant) -> dict[str, object]:
    """The DESCRIBED cells of a pair as the applications give them (what `match` writes in those columns)."""
    values: dict[str, object] = {}
    for side, person in (("Junior", junior), ("Senior", senior)):
        values |= {f"{side} name": person.name, f"{side} grade": person.grade_label,
                   f"{side} department": person.department, f"{side} profession": professions_text(person)}
    values["Shared aims"] = "; ".join(shared_aims(junior, senior))
    return values


def sheet_problems(rows: list[SheetRow]) -> list[Problem]:
    """What the sheet alone shows to be wrong: a row with one partner, a junior twice, someone in both roles."""
    problems: list[Problem] = []
    junior_rows: dict[str, int] = {}
    for number, junior, senior in ((r.number, r.junior, r.senior) for r in rows):
        for email, role, column in ((junior, "junior", "Junior email"), (senior, "senior", "Senior email")):
            if not email:
                problems.append(error("incomplete-pair", row=number, sheet=SHEET, column=column, role=role))
        if junior in junior_rows:
            problems.append(error("paired-twice", row=number, sheet=SHEET, column="Junior email", email=junior,
                                  value=junior, other=junior_rows[junior]))
        elif junior:
            junior_rows[junior] = number
    problems += [error("paired-twice", "both", row=number, sheet=SHEET, column="Senior email", email=senior,
                       value=senior, other=junior_rows[senior])
                 for number, senior in ((r.number, r.senior) for r in rows) if senior in junior_rows]
    return problems


def _people_problems(rows: list[SheetRow], validation: ValidationResult,
                     junior_at: dict[str, int], senior_at: dict[str, int], inputs: RoundInputs) -> list[Problem]:
    """The sheet's own problems, emails that are not applicants in their role, and juniors off the shortlist."""
    left_out = {e.email for e in validation.left_out}
    problems = sheet_problems(rows)
    for number, junior, senior in ((r.number, r.junior, r.senior) for r in rows):
        for email, role, index, other_index, column in ((junior, "junior", junior_at, senior_at, "Junior email"),
                                                        (senior, "senior", senior_at, junior_at, "Senior email")):
            if email and email not in index:
                variant = ("withdrawn" if email in inputs.withdrawn else "left-out" if email in left_out
                           else "other-role" if email in other_index else "unknown")
                problems.append(error("not-an-applicant", variant, row=number, sheet=SHEET, column=column,
                                      email=email, value=email, role=role))
        if inputs.shortlisted is not None and junior in junior_at and junior not in inputs.shortlisted:
            problems.append(error("not-shortlisted-paired", row=number, sheet=SHEET, column="Junior email",
                                  email=junior, value=junior))
    return problems


@dataclass(frozen=True)
class Gate:
    """What the check before a command found: the re-checked round when the rules could be checked, else a note."""

    report: CheckReport | None
    note: str | None


def gate(path: Path) -> Gate:
    """Refuse a pairings workbook whose Pairings sheet breaks a rule (raise, naming the rows), before a command
    builds on it. The rules are re-checked while the applications the round recorded are there and unchanged;
    otherwise only the sheet's own consistency is, and the note says so."""
    record = read_round_record(path)
    try:
        source: Path | None = applications_of(path, record.applications)
    except MentormatchError:
        source = None
    report, note = None, None
    if source is not None and record.applications_sha256 in (None, file_sha256(source)):
        report = check_pairings(path, applications=source, compare_best=False)
        problems = report.problems
    else:
        problems = sheet_problems(read_edited_pairs(path).rows)
        note = (f"The applications behind {path.name} {'have changed since' if source else 'were not found'}, so "
                "only the Pairings sheet's own consistency was checked.")
    problems = [p for p in problems if p.severity is Severity.ERROR]  # a cell that disagrees is mended, not refused
    rows = sorted({p.row for p in problems if p.row is not None})
    if problems:
        where = (f"in row{'s' if len(rows) != 1 else ''} {', '.join(map(str, rows))} of its Pairings sheet" if rows
                 else "by leaving applicants out of every pair and out of Unmatched")
        raise MentormatchError(f"{path.name} breaks a rule {where}: run `mentormatch check {path.name}` to see "
                               "what, mend it, and run this again.")
    return Gate(report, note)


def _capacity_problems(pairs: list[EditedPair], seniors: list[Applicant], senior_at: dict[str, int]) -> list[Problem]:
    """Seniors in more pairs than their capacity, at the row where they pass it."""
    problems = []
    count: Counter[str] = Counter()
    for pair in pairs:
        if pair.senior not in senior_at:
            continue
        count[pair.senior] += 1
        capacity = seniors[senior_at[pair.senior]].capacity
        if count[pair.senior] == capacity + 1:
            problems.append(error("over-capacity", row=pair.row, sheet=SHEET, column="Senior email",
                                  email=pair.senior, value=pair.senior, capacity=capacity))
    return problems


def _as_round(validation: ValidationResult, config: Config, inputs: RoundInputs, pairs: list[EditedPair],
              juniors: list[Applicant], seniors: list[Applicant], junior_at: dict[str, int],
              senior_at: dict[str, int], space: PairSpace) -> MatchResult:
    """The edited pairing as a round: its valid pairs, and everyone else with the reason they are unpaired."""
    valid = [p for p in pairs if p.valid and p.junior in junior_at and p.senior in senior_at]
    pairings = [Pairing(juniors[junior_at[p.junior]], seniors[senior_at[p.senior]], p.score or 0, p.why)
                for p in valid]
    indices = [(junior_at[p.junior], senior_at[p.senior]) for p in valid]
    unmatched = unmatched_people(validation, juniors, seniors, indices, space)
    if inputs.shortlisted is not None:  # off the shortlist is the reason, whatever else is true of them
        passed = outcome("not-shortlisted", Kind.UNMATCHED).message()
        unmatched = [dataclasses.replace(u, code="not-shortlisted", reason=passed)
                     if u.role == "junior" and u.code != "left-out" and u.email not in inputs.shortlisted else u
                     for u in unmatched]
    return MatchResult(validation=validation, config=config, pairings=pairings, unmatched=unmatched,
                       problems=validation.problems, maximum_pairs=len(pairings),
                       senior_places=sum(p.capacity for p in seniors), seed=None, seconds=0.0, space=space,
                       inputs=inputs)


__all__ = ["CheckReport", "EditedPair", "Gate", "SheetRow", "applications_of", "check_pairings", "described", "gate",
           "read_edited_pairs"]
