"""Rows of an export -> applicants + problems: row checks, then cross-row checks."""

from __future__ import annotations

import gc
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from mentormatch.config import Config
from mentormatch.errors import MentormatchError
from mentormatch.inputs.headers import (
    NAME_PARTS,
    REQUIRED,
    ColumnMap,
    cell,
    list_separator,
    map_columns,
    require_columns,
    unmapped_capacity,
)
from mentormatch.inputs.reading import Cell, Grid, file_sha256, read_grid
from mentormatch.models import Applicant, Role, parse_role
from mentormatch.outcomes import (
    Kind,
    Problem,
    Severity,
    Unmatched,
    outcome,
    warning,
)
from mentormatch.validation.answers import FieldParser, parse_email
from mentormatch.validation.cells import cell_warnings, excel_errors, short
from mentormatch.validation.do_not_match import NamedPerson, resolve_names
from mentormatch.validation.models import (
    Application,
    RoundContext,
    model_for,
    parse_submitted,
)
from mentormatch.validation.notes import left_out_reason
from mentormatch.validation.unrecognised import (
    UNRECOGNISED_CODES,
    UnrecognisedAnswer,
    summarise,
)
from mentormatch.vocab.text import clean_text


@dataclass
class ValidationResult:
    """Everything validation learnt from one export."""

    source: Path
    sheet: str
    sha256: str
    columns: ColumnMap
    applicants: list[Applicant]
    left_out: list[Unmatched]  # rows left out of matching for errors in the application
    problems: list[Problem]
    rows_read: int
    unrecognised: list[UnrecognisedAnswer] = field(default_factory=list)
    # Earlier submissions set aside for a later one from the same email: reported in Problems only,
    # so each person is counted once (paired, unmatched or left out) by their latest row.
    superseded: list[Unmatched] = field(default_factory=list)

    @property
    def juniors(self) -> list[Applicant]:
        """Valid junior applicants."""
        return [a for a in self.applicants if a.role is Role.JUNIOR]

    @property
    def seniors(self) -> list[Applicant]:
        """Valid senior applicants."""
        return [a for a in self.applicants if a.role is Role.SENIOR]

    @property
    def errors(self) -> list[Problem]:
        """Problems that leave a row out."""
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        """Problems that keep the row."""
        return [p for p in self.problems if p.severity is Severity.WARNING]


class _Rules:
    """What one round validates against: its settings, the sheet's name, the field parsers, the models' context."""

    def __init__(self, config: Config, sheet: str, required: list[str], columns: ColumnMap) -> None:
        self.settings = config.round
        self.sheet = sheet
        self.required = frozenset(required)
        self.fields = FieldParser(config, columns.header("role"))
        self.context = RoundContext(config.round, self.fields)
        self.unrecognised_rows: Counter[tuple[str, str]] = Counter()  # (field, answer) -> rows that gave it
        self.named: dict[int, tuple[NamedPerson, ...]] = {}  # row -> do-not-match entries given as names only


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: the row loop makes many objects and no cycles."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _check_row(number: int, raw: list[Cell], columns: ColumnMap, rules: _Rules,
               gaps: set[tuple[int, int]]) -> tuple[Applicant | None, list[Problem]]:
    """Validate one row through its role's eligibility model; every problem of the row is reported at once.

    1. The role decides the model (junior, senior, or the base model when it is unreadable).
    2. The model reads each answer through the parser's cache and applies the round's rules;
       pydantic collects every field's error, and warnings are gathered in the context.
    3. Cell warnings (control characters, uncalculated formulas), warnings and errors become problems.
    """
    cells = {name: cell(raw, index) for name, index in columns.index.items()}
    if "name" not in cells and ("first_name" in cells or "last_name" in cells):  # a name asked in two columns
        cells["name"] = " ".join(clean_text(cells.get(part)) for part in NAME_PARTS if clean_text(cells.get(part)))
    where: dict[str, Any] = {"row": number, "email": _email_key(cells["email"]), "sheet": rules.sheet}
    failed = excel_errors(cells, columns, rules.required, rules.settings.default_capacity, where)
    context = rules.context
    context.warnings = []
    role, _notes = rules.fields.parse("role", cells["role"])
    context.department = rules.fields.parse("department", cells["department"])[0]
    try:
        application: Application | None = model_for(role).model_validate(cells, context=context)
        errors: list[Any] = []
    except ValidationError as exc:
        application, errors = None, exc.errors(include_url=False, include_input=False)
        errors = [e for e in errors if not (e["type"] == "missing-value" and str(e["loc"][0]) in failed)]
    problems = [*failed.values(), *cell_warnings(number, cells, columns, gaps, where)]
    problems += (_problem(found.code, found.message, found.field, found.value, False, columns, where)
                 for found in context.warnings)
    problems += (_problem(error["type"], error["msg"], str(error["loc"][0]), error["ctx"]["value"], True, columns,
                          where) for error in errors)
    for found in problems:
        if found.code in UNRECOGNISED_CODES:
            rules.unrecognised_rows[(UNRECOGNISED_CODES[found.code], found.value)] += 1
    if application is None or any(p.severity is Severity.ERROR for p in failed.values()):
        return None, problems
    do_not_match = tuple(e for e in application.do_not_match if isinstance(e, str))
    if len(do_not_match) < len(application.do_not_match):
        rules.named[number] = tuple(e for e in application.do_not_match if isinstance(e, NamedPerson))
    parser = rules.fields
    applicant = Applicant(
        row=number, email=application.email, name=application.name, role=application.role,
        grade=application.grade, department=application.department,
        department_key=parser.department_key(application.department), professions=application.profession,
        barriers=application.barriers, eoi=application.eoi, aims=application.aims,
        networks=application.networks,
        capacity=rules.settings.default_capacity if application.capacity is None else application.capacity,
        do_not_match=do_not_match, submitted=application.submitted,
        possibly_departments=tuple(parser.department_key(d) for d in parser.possibly("department", application.department)),
        possibly_professions=tuple(k for p in application.profession for k in parser.possibly("profession", p)))
    return applicant, problems


def _problem(code: str, message: str, field: str, value: str, error: bool, columns: ColumnMap,
             where: dict[str, Any]) -> Problem:
    """A problem placed at its row, under its column's header as written in the file."""
    column = columns.header(field) if field in columns.index else field
    return Problem(severity=Severity.ERROR if error else Severity.WARNING, code=code, message=message,
                   column=column, value=short(value), **where)


def validate_grid(grid: Grid, config: Config, *, header_row: int | None = None, sha256: str = "",
                  on_progress: Callable[[float], None] | None = None) -> ValidationResult:
    """Validate every row of a sheet; each non-blank row ends as an applicant or a row left out.

    `on_progress` hears the share of rows checked, every few thousand rows.
    """
    columns = map_columns(grid, config.columns, header_row)
    required = [*REQUIRED, *(["eoi"] if config.round.require_eoi else []),
                *(["barriers"] if config.round.require_barriers else [])]
    require_columns(columns, grid, required)
    rules = _Rules(config, grid.sheet, required, columns)
    for name in ("aims", "networks"):
        rules.fields.separators[name] = list_separator(grid, columns, name, config.round.list_separator)
    problems: list[Problem] = [p.model_copy(update={"sheet": grid.sheet}) for p in columns.problems]
    problems += unmapped_capacity(columns, config.round.default_capacity, grid.sheet)
    if grid.encoding_note:
        problems.append(warning("csv-not-utf8", sheet=grid.sheet))
    kept: dict[int, Applicant] = {}
    left_out: list[Unmatched] = []
    rows_read = 0
    # Only what duplicate detection needs is kept per row, never a second copy of the sheet.
    by_email: dict[str, list[tuple[int, datetime | None]]] = defaultdict(list)
    submitted_at = columns.index.get("submitted")
    with _collector_paused():
        for offset, raw in enumerate(grid.rows[columns.header_row:], start=columns.header_row + 1):
            if on_progress is not None and offset % 5000 == 0:
                on_progress(offset / len(grid.rows))
            if columns.is_blank(raw):
                continue
            rows_read += 1
            applicant, row_problems = _check_row(offset, raw, columns, rules, grid.formula_gaps)
            problems += row_problems
            if applicant is not None:  # a row with an error is never an applicant
                kept[offset] = applicant
                by_email[applicant.email].append((offset, applicant.submitted))
                continue
            left_out.append(_left_out_row(offset, raw, columns, left_out_reason(row_problems, config.round.eoi_word_limit,
                                                                                  config.round.max_capacity)))
            if email := _email_key(cell(raw, columns.index.get("email"))):
                by_email[email].append((offset, parse_submitted(cell(raw, submitted_at))))
    problems += resolve_names(rules.named, kept, columns, grid.sheet, left_out)
    if rows_read == 0:
        raise MentormatchError(f"{grid.source.name} has a header row (row {columns.header_row}) but no "
                               "applications below it: check it is the right file or sheet (--sheet), or "
                               f"fill in the applications from row {columns.header_row + 1}.")
    superseded: list[Unmatched] = []
    set_aside: set[int] = set()
    by_row = {e.row: e for e in left_out}
    for email, submissions in by_email.items():
        if len(submissions) < 2:
            continue
        latest = _latest(submissions)
        for row, _time in submissions:
            if row == latest:
                continue
            problems.append(warning("duplicate-email", "problem", latest=latest, row=row,
                                    column=columns.header("email"), value=email, email=email, sheet=grid.sheet))
            set_aside.add(row)
            person = kept.pop(row, None)
            name, role = (person.name, person.role.value) if person else (by_row[row].name, by_row[row].role)
            superseded.append(Unmatched(row, email, name, role, "duplicate-email",
                                        outcome("duplicate-email", Kind.PROBLEM).message("superseded", latest=latest)))
    problems.sort(key=lambda p: (p.row or 0, p.severity != Severity.ERROR, p.code))
    left_out = sorted((e for e in left_out if e.row not in set_aside), key=lambda e: e.row)
    return ValidationResult(grid.source, grid.sheet, sha256, columns, list(kept.values()), left_out, problems,
                            rows_read, summarise(rules.fields, rules.unrecognised_rows, config.rules.unknown_answers,
                                                problems),
                            sorted(superseded, key=lambda e: e.row))


def _email_key(value: Cell) -> str:
    """A row's email as an applicant's would read ('Pat <P@x.gov.uk>' -> 'p@x.gov.uk'), else its text in lower case."""
    text = clean_text(value)
    email, _notes = parse_email(text)
    return str(email) if email else text.lower()


def _latest(submissions: list[tuple[int, datetime | None]]) -> int:
    """The row to keep among duplicates: the latest submission time, else the last row."""
    if all(time is not None for _row, time in submissions):
        return max(submissions, key=lambda item: (item[1], item[0]))[0]
    return max(row for row, _time in submissions)


def _left_out_row(number: int, raw: list[Cell], columns: ColumnMap, reason: str) -> Unmatched:
    role_text = clean_text(cell(raw, columns.index.get("role")))
    role = parse_role(role_text)
    return Unmatched(number, _email_key(cell(raw, columns.index.get("email"))),
                    clean_text(cell(raw, columns.index.get("name"))), role.value if role else role_text, "left-out",
                    reason)


def validate_file(path: Path, config: Config, *, sheet: str | None = None, header_row: int | None = None,
                  on_progress: Callable[[float], None] | None = None) -> ValidationResult:
    """Read an export and validate it (the library behind `mentormatch validate`)."""
    grid = read_grid(path, sheet, max_bytes=config.limits.max_unzipped_mb * 1024**2)
    return validate_grid(grid, config, header_row=header_row, sha256=file_sha256(path), on_progress=on_progress)


__all__ = ["ValidationResult", "validate_file", "validate_grid"]
