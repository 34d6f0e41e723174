"""Blind EOI panel and shortlisting: the juniors to take into a round when it is oversubscribed."""

from __future__ import annotations

import hashlib
import math
from collections import Counter, deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np

from mentormatch.config import Config
from mentormatch.errors import MentormatchError
from mentormatch.inputs.reading import read_grid
from mentormatch.matching.encoding import encode
from mentormatch.matching.pairspace import PairSpace
from mentormatch.matching.rules import do_not_match_pairs
from mentormatch.models import Applicant
from mentormatch.outcomes import Problem, Severity, error, warning
from mentormatch.validation.checks import ValidationResult
from mentormatch.vocab.text import clean_text

TIE_BREAK = "higher mean mark, then more assessors' marks, then earlier submission, then earlier row"


@dataclass(frozen=True)
class PanelEntry:
    """One junior as the panel sees them: a reference and the EOI, nothing else."""

    reference: str
    junior: Applicant


def panel_entries(validation: ValidationResult) -> list[PanelEntry]:
    """Every eligible junior with an anonymous reference.

    References follow an order keyed by the applications file's SHA-256, so they reveal neither
    row order nor submission time, and only someone holding the file can map them back.
    """
    def key(person: Applicant) -> str:
        return hashlib.sha256(f"{validation.sha256}:{person.email}".encode()).hexdigest()

    ordered = sorted(validation.juniors, key=key)
    width = max(3, len(str(len(ordered))))
    return [PanelEntry(f"R{number:0{width}d}", person) for number, person in enumerate(ordered, start=1)]


@dataclass
class Marks:
    """Assessors' marks per junior email, with what was wrong in the panel workbook."""

    by_email: dict[str, list[float]] = field(default_factory=dict)
    assessors: int = 0
    problems: list[Problem] = field(default_factory=list)


def read_marks(path: Path, entries: list[PanelEntry], config: Config) -> Marks:
    """Marks from a filled-in panel workbook (any column whose header contains 'mark', or 'score' as earlier versions wrote)."""
    if not path.is_file():
        raise MentormatchError(f"{path} does not exist: check the name of the panel workbook.")
    try:
        grid = read_grid(path, "Panel")
    except MentormatchError:
        raise MentormatchError(f"{path.name} is not a panel workbook (it has no Panel sheet): give the workbook "
                               "`mentormatch panel` wrote, with the marks filled in.") from None
    headers = [clean_text(h) for h in grid.rows[0]] if grid.rows else []
    if "Reference" not in headers:
        raise MentormatchError(f"{path.name} is not a panel workbook: its Panel sheet needs a Reference column.")
    at_ref, at_eoi = headers.index("Reference"), headers.index("Expression of interest") if "Expression of interest" in headers else None
    mark_columns = [i for i, h in enumerate(headers) if "mark" in h.lower() or "score" in h.lower()]  # "score": earlier versions
    by_ref = {e.reference: e.junior for e in entries}
    by_eoi = Counter(e.junior.eoi for e in entries)
    eoi_owner = {e.junior.eoi: e.junior for e in entries if by_eoi[e.junior.eoi] == 1}
    low, high = config.panel.min_mark, config.panel.max_mark
    marks = Marks(assessors=len(mark_columns))
    marked_by: dict[str, set[int]] = {}  # email -> the mark columns that gave this junior a mark
    for number, row in enumerate(grid.rows[1:], start=2):
        reference, eoi = clean_text(_at(row, at_ref)), clean_text(_at(row, at_eoi))
        person = by_ref.get(reference)
        if person is None or (at_eoi is not None and eoi and person.eoi != eoi):
            person = eoi_owner.get(eoi)  # the applications changed since the panel was made
        if person is None:
            if reference or eoi:
                marks.problems.append(warning("panel-row-unknown", row=number, column="Reference", value=reference,
                                               sheet="Panel"))
            continue
        found = marks.by_email.setdefault(person.email, [])
        marked = marked_by.setdefault(person.email, set())
        for i in mark_columns:
            text = clean_text(_at(row, i))
            if not text:
                continue
            try:
                value = float(text)
            except ValueError:
                value = math.nan
            if not (value.is_integer() and low <= value <= high):  # NaN fails both
                marks.problems.append(error("invalid-mark", low=low, high=high, row=number, column=headers[i],
                                             value=text, sheet="Panel"))
                continue
            found.append(value)
            marked.add(i)
    if not any(marks.by_email.values()) and not any(p.code == "invalid-mark" for p in marks.problems):
        raise MentormatchError(f"{path.name} has no marks entered: fill in the mark columns "
                               f"({', '.join(headers[i] for i in mark_columns) or 'none found'}) with whole numbers "
                               f"from {low} to {high}, then run shortlist again (or leave out --marks).")
    for entry in entries:
        missing = [headers[i] for i in mark_columns if i not in marked_by.get(entry.junior.email, set())]
        if missing:
            marks.problems.append(warning("missing-mark", who=", ".join(missing), column="Reference",
                                           value=entry.reference, sheet="Panel"))
    return marks


def _at(row: list[object], index: int | None) -> object:
    return row[index] if index is not None and index < len(row) else None


@dataclass(frozen=True)
class Candidate:
    """A junior in shortlist order."""

    reference: str
    junior: Applicant
    mark: float | None
    outcome: str  # selected / reserve / not selected
    reason: str


def _order_key(mark: float | None, count: int, person: Applicant) -> tuple[object, ...]:
    return (mark is None, -(mark or 0.0), -count, person.submitted or datetime.max, person.row)


WITHOUT_MARKS = {
    "submission": "no panel marks: submission order (earliest first, then row)",
    "row": "no panel marks: row order in the applications",
    "random": "no panel marks: a random order drawn from the applications file's SHA-256 (reproducible)",
}


def _unmarked_key(rule: str, person: Applicant, digest: str) -> tuple[object, ...]:
    """Where a junior stands when there are no panel marks, by the configured rule."""
    if rule == "row":
        return (person.row,)
    if rule == "random":
        return (hashlib.sha256(f"{digest}:draw:{person.email}".encode()).hexdigest(), person.row)
    return (person.submitted or datetime.max, person.row)


def select(validation: ValidationResult, config: Config, entries: list[PanelEntry], marks: Marks | None,
           places: int | None, department_share: float | None = None,
           priority: frozenset[str] = frozenset()) -> list[Candidate]:
    """Pick the highest-scoring juniors who can all be partnered at once, then rank the rest.

    Jointly matchable sets of juniors form a matroid (a transversal matroid), so taking juniors in
    mark order and keeping each one whose addition still admits a partner for everyone selected
    (an augmenting path in the senior places) gives the best total mark for any number of places.
    A department share limit is applied on top, greedily. People an earlier round left out
    (`priority`) come first under `round.priority = "first"`, and win ties of mark otherwise.
    """
    juniors = [e.junior for e in entries]
    seniors = sorted(validation.seniors, key=lambda p: p.email)
    junior_side, senior_side = encode(juniors, seniors)
    space = PairSpace(junior_side, senior_side, config, do_not_match_pairs(junior_side, senior_side))
    feasible = space.evaluate()[0].feasible
    owner = np.repeat(np.arange(len(seniors)), [p.capacity for p in seniors])
    slots = feasible[:, owner] if len(owner) else np.zeros((len(juniors), 0), dtype=bool)
    mean = {e.junior.email: (sum(v) / len(v) if v else None)
            for e in entries for v in [marks.by_email.get(e.junior.email, []) if marks else []]}
    if marks is None:  # no panel: nobody has a mean mark
        mean = {e.junior.email: None for e in entries}
    counts = {e.junior.email: len(marks.by_email.get(e.junior.email, [])) if marks else 0 for e in entries}
    mode = config.round.priority

    def first(i: int) -> tuple[bool, ...]:
        return (juniors[i].email not in priority,) if mode == "first" else ()

    def tie(i: int) -> tuple[bool, ...]:
        return (juniors[i].email not in priority,) if mode in ("tie-break", "bonus") else ()

    if marks is None:
        rule = config.panel.without_marks
        order = sorted(range(len(entries)),
                       key=lambda i: (*first(i), *tie(i), *_unmarked_key(rule, juniors[i], validation.sha256)))
    else:
        order = sorted(range(len(entries)), key=lambda i: (*first(i), *_order_key(
            mean[juniors[i].email], counts[juniors[i].email], juniors[i])[:2], *tie(i), *_order_key(
            mean[juniors[i].email], counts[juniors[i].email], juniors[i])[2:]))
    limit = places if places is not None else len(juniors)
    cap = max(1, math.floor(department_share * limit)) if department_share is not None else None  # per department
    taken: Counter[str] = Counter()
    slot_holder = np.full(slots.shape[1], -1)
    outcome: dict[int, tuple[str, str]] = {}
    selected = 0
    for i in order:
        person = juniors[i]
        if not slots[i].any():
            outcome[i] = ("not selected", "no senior could partner them under the rules")
        elif selected >= limit:
            outcome[i] = ("reserve", "mark rank: all places filled")
        elif cap is not None and taken[person.department_key.lower()] >= cap:
            outcome[i] = ("reserve", f"department share limit ({person.department_key} has {cap} places)")
        elif _augment(i, slots, slot_holder):
            outcome[i] = ("selected", "")
            selected += 1
            taken[person.department_key.lower()] += 1
        else:
            outcome[i] = ("not selected", "not matchable: the seniors who could partner them are needed by "
                                          "higher-ranked juniors")
    return [Candidate(entries[i].reference, juniors[i], mean[juniors[i].email], *outcome[i]) for i in order]


def _augment(start: int, slots: np.ndarray, holder: np.ndarray) -> bool:
    """Find a place for junior `start`, moving others along an augmenting path (breadth first)."""
    parent: dict[int, tuple[int, int]] = {}  # slot -> (junior who reached it, slot that junior held)
    queue = deque([(start, -1)])
    seen = np.zeros(slots.shape[1], dtype=bool)
    while queue:
        junior, via = queue.popleft()
        for slot in np.flatnonzero(slots[junior] & ~seen):
            seen[slot] = True
            parent[slot] = (junior, via)
            if holder[slot] < 0:
                while slot >= 0:  # flip the path back to the start
                    who, previous = parent[slot]
                    holder[slot] = who
                    slot = previous
                return True
            queue.append((int(holder[slot]), int(slot)))
    return False


@dataclass
class Shortlist:
    """The shortlist of a round and how it was made."""

    validation: ValidationResult
    candidates: list[Candidate]
    problems: list[Problem]
    settings: list[tuple[str, object]]


def make_shortlist(path: Path, config: Config, *, places: int | None, marks: Path | None = None,
                   department_share: float | None = None, sheet: str | None = None,
                   header_row: int | None = None, history: Sequence[Path] = ()) -> Shortlist:
    """Validate the applications, read the panel's marks (if any) and select the juniors."""
    from mentormatch.inputs.lists import read_round_inputs
    from mentormatch.validation.checks import validate_file

    validation = validate_file(path, config, sheet=sheet, header_row=header_row)
    entries = panel_entries(validation)
    read = read_marks(marks, entries, config) if marks is not None else None
    unusable = [p for p in read.problems if p.severity is Severity.ERROR] if read else []
    if unusable:
        cells = "; ".join(f"row {p.row} {p.column} {p.value!r}" for p in unusable[:5])
        more = f" and {len(unusable) - 5} more" if len(unusable) > 5 else ""
        raise MentormatchError(f"{marks.name if marks else 'The panel'} has {len(unusable)} mark{'s' if len(unusable) != 1 else ''} that are "
                               f"not whole numbers from {config.panel.min_mark} to {config.panel.max_mark} "
                               f"({cells}{more}): correct them, then run shortlist again.")
    earlier = read_round_inputs(history=history).priority
    candidates = select(validation, config, entries, read, places, department_share,
                        frozenset(email for email, _round in earlier) if config.round.priority != "off" else frozenset())
    rule = (f"mean of the assessors' marks in {marks.name}" if marks is not None
            else WITHOUT_MARKS[config.panel.without_marks])
    settings: list[tuple[str, object]] = [
        ("Places", "as many as can be matched" if places is None else places), ("Ranking", rule),
        ("Ties broken by", TIE_BREAK),
        *([("Priority for people left unpaired before", f"{config.round.priority}: {len(earlier)} of them, from "
            f"{len(history)} earlier round{'s' if len(history) != 1 else ''}")] if history else []),
        *([("Most places for one department (share)", department_share)] if department_share is not None else [])]
    return Shortlist(validation, candidates, read.problems if read else [], settings)


