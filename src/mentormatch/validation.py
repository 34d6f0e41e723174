"""Rows of an export -> applicants + problems: row checks, then cross-row checks."""

from __future__ import annotations

import gc
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pydantic import ValidationError

from mentormatch.columns import REQUIRED, ColumnMap, cell, map_columns, require_columns
from mentormatch.config import Config
from mentormatch.errors import MentormatchError
from mentormatch.departments import AMBIGUITIES, AMBIGUOUS, department_vocabulary
from mentormatch.grades import BY_CODE, FAST_STREAM, grade_vocabulary
from mentormatch.models import Applicant, Role, parse_role, parse_yes
from mentormatch.problems import Problem, Severity, error, warning
from mentormatch.professions import profession_vocabulary
from mentormatch.text import CONTROL, clean_text, count_words, split_list
from mentormatch.reading import Cell, Grid, is_blank, read_grid

_DATE_FORMATS = ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S", "%m/%d/%Y %H:%M:%S")


@dataclass(frozen=True)
class Excluded:
    """A row that is not taken into matching, and why."""

    row: int
    email: str
    name: str
    role: str
    reason: str


@dataclass
class ValidationResult:
    """Everything validation learnt from one export."""

    source: Path
    sheet: str
    sha256: str
    columns: ColumnMap
    applicants: list[Applicant]
    excluded: list[Excluded]
    problems: list[Problem]
    rows_read: int

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
    """The vocabularies and limits one round validates against."""

    def __init__(self, config: Config, sheet: str) -> None:
        self.config = config
        self.sheet = sheet
        self.grades = grade_vocabulary(config.aliases.grades)
        self.departments = department_vocabulary(config.aliases.departments)
        self.professions = profession_vocabulary(config.aliases.professions)
        self.context = {"grades": self.grades, "fast_stream_grade": config.round.fast_stream_grade,
                        "default_capacity": config.round.default_capacity}
        self.groups = {self.departments.lookup(d) or d: group
                       for group, members in config.department_groups.items() for d in members}


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


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _parse_submitted(value: Cell) -> datetime | None:
    """A submission time as a naive UTC datetime, so times from different exports compare."""
    parsed: datetime | None = value if isinstance(value, datetime) else None
    text = clean_text(value)
    if parsed is None and text:
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            for pattern in _DATE_FORMATS:
                try:
                    parsed = datetime.strptime(text, pattern)
                    break
                except ValueError:
                    continue
    if parsed is not None and parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed


def _short(value: Cell) -> str:
    text = clean_text(value)
    return text if len(text) <= 200 else text[:199] + "…"


def _department(text: str, rules: _Rules, column: str, where: dict[str, object]) -> tuple[str, list[Problem]]:
    """The canonical department, with a warning when it is ambiguous or not in the list."""
    known = rules.departments.lookup(text)
    if not text or known is not None:
        return known or text, []
    ambiguity = AMBIGUITIES.lookup(text)
    if ambiguity:
        return text, [warning("ambiguous-department", f"{AMBIGUOUS[ambiguity]}: it is kept as written; settle "
                              "it with [aliases.departments] in the config.", column=column, value=text, **where)]
    return text, [warning("unknown-department", "This department is not in the built-in list; it is treated as "
                          "a department of its own. Add an alias if it is another name for a listed one.",
                          column=column, value=text, **where)]


def _professions(text: str, rules: _Rules, column: str, where: dict[str, object]) -> tuple[tuple[str, ...], list[Problem]]:
    """The canonical professions, with a warning for each one not in the list."""
    found: dict[str, None] = {}
    problems = []
    for part in split_list(text):
        known = rules.professions.lookup(part)
        if known is None:
            problems.append(warning("unknown-profession", "This profession is not in the built-in list; it is "
                                    "taken as its own profession (main area of work).", column=column,
                                    value=part, **where))
        found.setdefault(known or part, None)
    return tuple(found), problems


def _cell_warnings(number: int, cells: dict[str, Cell], columns: ColumnMap, gaps: set[tuple[int, int]],
                   where: dict[str, object]) -> list[Problem]:
    """Warnings about how cells were stored: formulas without values, control characters."""
    found = []
    for name, value in cells.items():
        if gaps and (number, columns.index[name]) in gaps:
            found.append(warning("formula-without-value", "This cell holds a formula that was never calculated, "
                                 "so it was read as blank: open the file in Excel, save it, and run again.",
                                 column=columns.header(name), **where))
        # isprintable() is a cheap first test: control characters are never printable.
        if isinstance(value, str) and not value.isprintable() and CONTROL.search(value):
            found.append(warning("control-characters", "Invisible control characters (pasted from another "
                                 "program) were removed from this cell.", column=columns.header(name),
                                 value=_short(value), **where))
    return found


def _check_row(number: int, raw: list[Cell], columns: ColumnMap, rules: _Rules,
               gaps: set[tuple[int, int]]) -> tuple[Applicant | None, list[Problem]]:
    """Validate one row: the round's rules and field formats, all reported in one pass."""
    cells = {name: cell(raw, index) for name, index in columns.index.items()}
    text = {name: clean_text(value) for name, value in cells.items()}  # each cell cleaned once
    where = {"row": number, "email": text.get("email", "").lower(), "sheet": rules.sheet}
    header = columns.header
    problems = _cell_warnings(number, cells, columns, gaps, where)
    department, found = _department(text.get("department", ""), rules, header("department"), where)
    problems += found
    professions, found = _professions(text.pop("profession", ""), rules, header("profession"), where)
    problems += found
    barriers = parse_yes(text.get("barriers", ""))
    problems += _check_eligibility(text, barriers, columns, rules, where)
    data = {**text, "row": number, "department": department, "department_key": rules.groups.get(department, department),
            "professions": professions, "submitted": _parse_submitted(cells.get("submitted")), "barriers": barriers}
    try:
        applicant = Applicant.model_validate(data, context=rules.context)
    except ValidationError as exc:
        for err in exc.errors():
            name = str(err["loc"][0]) if err["loc"] else ""
            name = "profession" if name == "professions" else name
            column = header(name) if name in columns.index else name
            value = err.get("ctx", {}).get("entry") or _short(cells.get(name))
            problems.append(error(err["type"], err["msg"], column=column, value=value, **where))
        return None, problems
    return applicant, problems


def _check_eligibility(text: dict[str, str], barriers: bool | None, columns: ColumnMap, rules: _Rules,
                       where: dict[str, object]) -> list[Problem]:
    """The round's rules for one row (grade limits, barriers, EOI), on the row's cleaned cells."""
    settings = rules.config.round
    found: list[Problem] = []
    role = parse_role(text.get("role", ""))
    grade_text = text.get("grade", "")
    code = rules.grades.lookup(grade_text)
    if code is None and FAST_STREAM.lookup(grade_text):
        code = settings.fast_stream_grade
        found.append(warning("fast-stream-grade", f"'Fast Stream' was read as {BY_CODE[code].label}; check the "
                             "applicant's substantive grade.", column=columns.header("grade"), value=grade_text, **where))
    grade = BY_CODE[code] if code else None
    limit = BY_CODE[settings.junior_max_grade]
    if role is Role.JUNIOR and grade and grade.rank > limit.rank:
        found.append(error("junior-above-grade-limit", f"Junior partners must be {limit.label} or below: apply as a "
                           "senior partner, or correct the grade.", column=columns.header("grade"),
                           value=grade.label, **where))
    limit = BY_CODE[settings.senior_min_grade]
    if role is Role.SENIOR and grade and grade.rank < limit.rank:
        found.append(error("senior-below-grade-limit", f"Senior partners must be {limit.label} or above: apply as a "
                           "junior partner, or correct the grade.", column=columns.header("grade"),
                           value=grade.label, **where))
    if role is Role.JUNIOR and settings.require_barriers and barriers is not True:
        column = columns.header("barriers") if "barriers" in columns.index else "barriers"
        found.append(error("no-barriers-declared", "Junior partners must consider there to be barriers to their "
                           "progression (protected characteristics or socio-economic background).",
                           column=column, value="" if barriers is None else "not yes", **where))
    if "eoi" in columns.index:
        words = count_words(text["eoi"])
        if settings.require_eoi and words == 0:
            found.append(error("missing-value", "Expression of interest is blank: fill it in, or remove the row.",
                               column=columns.header("eoi"), **where))
        elif settings.eoi_word_limit and words > settings.eoi_word_limit:
            found.append(error("eoi-too-long", f"The expression of interest has {words} words; the limit is "
                               f"{settings.eoi_word_limit}. Ask for a shorter one, or raise round.eoi_word_limit.",
                               column=columns.header("eoi"), value=f"{words} words", **where))
    return found


_SHORT_REASONS: dict[str, str] = {
    "missing-value": "{column} is blank",
    "invalid-email": "invalid email ({value})",
    "unknown-grade": "unknown grade ({value})",
    "unknown-role": "unknown role ({value})",
    "junior-above-grade-limit": "grade too senior for a junior partner ({value})",
    "senior-below-grade-limit": "grade too junior for a senior partner ({value})",
    "no-barriers-declared": "did not declare barriers to progression",
    "eoi-too-long": "EOI of {value}, over the {limit}-word limit",
    "invalid-capacity": "capacity is not a whole number ({value})",
    "invalid-exclusion": "'do not match with' entry is not an email ({value})",
}


def _reason(problems: list[Problem], limit: int) -> str:
    """A short 'excluded: ...' reason listing each error once."""
    parts = [_SHORT_REASONS.get(p.code, p.code.replace("-", " ")).format(column=p.column, value=p.value, limit=limit)
             for p in problems if p.severity is Severity.ERROR]
    return "excluded: " + "; ".join(dict.fromkeys(parts))


def validate_grid(grid: Grid, config: Config, *, header_row: int | None = None, sha256: str = "",
                  on_progress: Callable[[float], None] | None = None) -> ValidationResult:
    """Validate every row of a sheet; each non-blank row ends as an applicant or an excluded row.

    `on_progress` hears the share of rows checked, every few thousand rows.
    """
    columns = map_columns(grid, config.columns, header_row)
    required = [*REQUIRED, *(["eoi"] if config.round.require_eoi else []),
                *(["barriers"] if config.round.require_barriers else [])]
    require_columns(columns, grid, required)
    rules = _Rules(config, grid.sheet)
    problems: list[Problem] = [p.model_copy(update={"sheet": grid.sheet}) for p in columns.problems]
    if grid.encoding_note:
        problems.append(warning("csv-not-utf8", "The file is not UTF-8; it was read as Windows-1252. Save it as "
                                "'CSV UTF-8' to be sure accents survive.", sheet=grid.sheet))
    kept: dict[int, Applicant] = {}
    excluded: list[Excluded] = []
    rows_read = 0
    # Only what duplicate detection needs is kept per row, never a second copy of the sheet.
    by_email: dict[str, list[tuple[int, datetime | None]]] = defaultdict(list)
    submitted_at = columns.index.get("submitted")
    with _collector_paused():
        for offset, raw in enumerate(grid.rows[columns.header_row:], start=columns.header_row + 1):
            if on_progress is not None and offset % 5000 == 0:
                on_progress(offset / len(grid.rows))
            if is_blank(raw):
                continue
            rows_read += 1
            applicant, row_problems = _check_row(offset, raw, columns, rules, grid.formula_gaps)
            problems += row_problems
            if applicant is not None:
                by_email[applicant.email].append((offset, applicant.submitted))
            elif email := clean_text(cell(raw, columns.index.get("email"))).lower():
                by_email[email].append((offset, _parse_submitted(cell(raw, submitted_at))))
            if applicant is not None and not any(p.severity is Severity.ERROR for p in row_problems):
                kept[offset] = applicant
            else:
                excluded.append(_excluded_row(offset, raw, columns, _reason(row_problems, config.round.eoi_word_limit)))
    if rows_read == 0:
        raise MentormatchError(f"{grid.source.name} has a header row (row {columns.header_row}) but no "
                               "applications below it: check it is the right file or sheet (--sheet), or "
                               f"fill in the applications from row {columns.header_row + 1}.")
    for email, submissions in by_email.items():
        if len(submissions) < 2:
            continue
        latest = _latest(submissions)
        for row, _time in submissions:
            if row == latest:
                continue
            problems.append(warning("duplicate-email", f"This email applied again in row {latest}; only the "
                                    "latest submission counts, so this one is set aside.",
                                    row=row, column=columns.header("email"), value=email, email=email,
                                    sheet=grid.sheet))
            if row in kept:
                person = kept.pop(row)
                excluded.append(Excluded(row, person.email, person.name, person.role.value,
                                         f"duplicate: superseded by the submission in row {latest}"))
    problems.sort(key=lambda p: (p.row or 0, p.severity != Severity.ERROR, p.code))
    excluded.sort(key=lambda e: e.row)
    return ValidationResult(grid.source, grid.sheet, sha256, columns, list(kept.values()), excluded, problems, rows_read)


def _latest(submissions: list[tuple[int, datetime | None]]) -> int:
    """The row to keep among duplicates: the latest submission time, else the last row."""
    if all(time is not None for _row, time in submissions):
        return max(submissions, key=lambda item: (item[1], item[0]))[0]
    return max(row for row, _time in submissions)


def _excluded_row(number: int, raw: list[Cell], columns: ColumnMap, reason: str) -> Excluded:
    role_text = clean_text(cell(raw, columns.index.get("role")))
    role = parse_role(role_text)
    return Excluded(number, clean_text(cell(raw, columns.index.get("email"))).lower(),
                    clean_text(cell(raw, columns.index.get("name"))), role.value if role else role_text, reason)


def validate_file(path: Path, config: Config, *, sheet: str | None = None, header_row: int | None = None,
                  on_progress: Callable[[float], None] | None = None) -> ValidationResult:
    """Read an export and validate it (the library behind `mentormatch validate`)."""
    grid = read_grid(path, sheet, max_bytes=config.limits.max_unzipped_mb * 1024**2)
    return validate_grid(grid, config, header_row=header_row, sha256=file_sha256(path), on_progress=on_progress)


__all__ = ["Excluded", "ValidationResult", "validate_file", "validate_grid"]
