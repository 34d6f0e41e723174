"""Finding the header row and deciding which column holds each field."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from mentormatch.errors import MentormatchError
from mentormatch.inputs.reading import Cell, Grid, is_blank
from mentormatch.models import parse_role
from mentormatch.outcomes import Problem, warning
from mentormatch.vocab.compound import read_compound
from mentormatch.vocab.departments import department_vocabulary
from mentormatch.vocab.grades import grade_vocabulary
from mentormatch.vocab.lookup import Vocabulary
from mentormatch.vocab.numbers import read_count
from mentormatch.vocab.professions import profession_vocabulary
from mentormatch.vocab.text import clean_text, vocab_key

REQUIRED: tuple[str, ...] = ("email", "name", "role", "grade", "department", "profession")
NAME_PARTS = ("first_name", "last_name")  # a name asked in two columns: either stands for the name

# The template's own headers and common exact variants, per field.
EXACT: dict[str, tuple[str, ...]] = {
    "email": ("Email", "Email address", "E-mail", "Work email", "Email address (work)"),
    "name": ("Name", "Full name", "Your name", "Your full name"),
    "first_name": ("First name", "Given name", "Forename", "Your first name", "First name(s)"),
    "last_name": ("Last name", "Surname", "Family name", "Your last name", "Your surname"),
    "role": ("Role", "Which role are you applying for?", "Applying as", "Partner role"),
    "grade": ("Grade", "What is your grade?", "Your grade"),
    "department": ("Department", "Which department do you work in?", "Organisation", "Organization"),
    "profession": ("Profession", "What is your profession (or main area of work)?", "Profession(s)"),
    "barriers": ("Barriers", "Barriers to progression"),
    "eoi": ("Expression of interest", "EOI"),
    "aims": ("Development aims", "Interests", "Aims", "What would you like to focus on?"),
    "networks": ("Networks", "Staff networks"),
    "capacity": ("Capacity", "Places", "Number of partners"),
    "do_not_match": ("Do not match with", "Exclusions", "Do not match"),
    "submitted": ("Submitted", "Completion time", "Timestamp", "Submitted at", "Date submitted"),
}
# Words that identify a form question, tried in this order so that specific fields claim their
# column before general ones ("...should not be matched with (email)?" is not the email column).
KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("do_not_match", ("not be matched", "do not match", "not be paired", "conflict of interest")),
    ("capacity", ("how many partners", "how many mentees", "how many junior", "how many people", "how many reverse",
                  "number of partners", "number of mentees", "capacity")),
    ("barriers", ("barrier",)),
    ("eoi", ("expression of interest", "eoi", "why do you want")),
    ("aims", ("development aim", "focus on", "interest", "like to develop")),
    ("networks", ("network",)),
    ("submitted", ("completion time", "submitted", "timestamp")),
    ("email", ("email", "e mail")),
    ("role", ("role", "applying as", "sign up as a mentor", "sign up as a mentee", "to be a mentor", "to be a mentee",
              "mentor or mentee", "mentee or mentor", "junior or senior", "senior or junior")),
    ("grade", ("grade",)),
    ("department", ("department", "organisation", "organization")),
    ("profession", ("profession", "main area of work")),
    ("first_name", ("first name", "given name", "forename")),
    ("last_name", ("last name", "surname", "family name")),
    ("name", ("full name", "name")),
)
# Words that make a header another question, whatever else it says: a job title is not the role.
NOT_FIELD: dict[str, tuple[str, ...]] = {"role": ("job title",), "name": ("user name", "username", "line manager")}
_EXACT_KEYS = {vocab_key(spelling): name for name, spellings in EXACT.items() for spelling in spellings}
HEADER_SCAN_ROWS = 30
# The template's own calculated columns: a spreadsheet fills them on every row, answered or not.
_COMPUTED_KEYS = {vocab_key("EOI words")}
MAX_HEADER_LENGTH = 250  # form questions run long; an expression of interest runs longer


@dataclass
class ColumnMap:
    """Which column (0-based index and header as written) holds each recognised field."""

    header_row: int
    index: dict[str, int]
    headers: list[str]
    ignored: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    computed: frozenset[int] = frozenset()  # columns the template calculates ("EOI words"): not answers

    def is_blank(self, row: Sequence[Cell]) -> bool:
        """True when the row holds no answer: only blank cells, or values the template calculated itself."""
        return is_blank(row) or (bool(self.computed) and is_blank([c for i, c in enumerate(row) if i not in self.computed]))

    def header(self, name: str) -> str:
        """Return the header text of a field's column as written in the file."""
        return self.headers[self.index[name]]


def _assign(headers: Sequence[str], mapping: Mapping[str, str]) -> tuple[dict[str, int], list[Problem]]:
    keys = [vocab_key(h) for h in headers]
    taken: dict[str, int] = {}
    problems: list[Problem] = []
    used: set[int] = set()

    def claim(name: str, column: int) -> None:
        if name in taken:
            if keys[column] == keys[taken[name]]:
                problems.append(warning("duplicate-header", header=headers[column], first=taken[name] + 1,
                                        field=name, column=headers[column], row=None))
            return
        taken[name] = column
        used.add(column)

    wanted = {vocab_key(header): name for name, header in mapping.items()}
    for column, key in enumerate(keys):
        if key in wanted:
            claim(wanted[key], column)
    for column, key in enumerate(keys):
        name = _EXACT_KEYS.get(key)
        if key and name and name not in mapping and column not in used:
            claim(name, column)
    for name, words in KEYWORDS:
        if name in taken or name in mapping:
            continue
        for column, key in enumerate(keys):
            if column not in used and key and any(word in key for word in words) and not any(
                    word in key for word in NOT_FIELD.get(name, ())):
                claim(name, column)
                break
    return taken, problems


def map_columns(grid: Grid, mapping: Mapping[str, str], header_row: int | None = None) -> ColumnMap:
    """Find the header row (the first row naming at least two fields) and map fields to columns."""
    candidates = [header_row] if header_row else range(1, min(len(grid.rows), HEADER_SCAN_ROWS) + 1)
    best: tuple[int, dict[str, int], list[Problem], list[str]] | None = None
    for row_number in candidates:
        if row_number > len(grid.rows):
            raise MentormatchError(
                f"{grid.source.name}{_sheet(grid)} has only {len(grid.rows):,} rows, so row {row_number} cannot be "
                "the header: give the row holding the headers with --header-row, or leave it out to find it "
                "automatically.")
        headers = [clean_text(cell) for cell in grid.rows[row_number - 1]]
        taken, problems = _assign([h if looks_like_header(h) else "" for h in headers], mapping)
        answers = answers_in(taken, headers, mapping)
        if answers and (len(taken) >= 2 or header_row):  # an application, not a header: never echo its cells
            raise MentormatchError(
                f"{grid.source.name}{_sheet(grid)}: row {row_number} looks like an application, not the header row "
                f"(it holds answers such as a {answers[0]}), so its cells are not shown. Give the row that holds "
                "the headers with --header-row, or map your form's headers in [columns] of the config.")
        if len(taken) >= 2 or (header_row and mapping and len(taken) == len(mapping)):
            best = (row_number, taken, problems, headers)
            break
        if header_row:  # never echo the cells of a row that is not a header: it may be someone's application
            raise MentormatchError(
                f"{grid.source.name}{_sheet(grid)}: row {header_row} does not look like the header row (it names "
                f"{'none' if not taken else 'only one'} of the fields mentormatch reads): leave out --header-row to "
                "find the headers automatically, or give the row that holds them.")
    if best is None:
        raise MentormatchError(
            f"{grid.source.name}{_sheet(grid)} has no header row naming the application fields in its "
            f"first {HEADER_SCAN_ROWS} rows: use the template's headers, map them in [columns] of the "
            "config, or give --header-row.")
    row_number, taken, problems, headers = best
    missing_mapped = [f"{name} = {header!r}" for name, header in mapping.items() if name not in taken]
    if missing_mapped:
        raise MentormatchError(
            f"{grid.source.name}{_sheet(grid)}: the config maps {', '.join(missing_mapped)} but no "
            f"column in row {row_number} has that header.")
    ignored = [h for i, h in enumerate(headers) if looks_like_header(h) and i not in taken.values()]
    computed = frozenset(i for i, h in enumerate(headers) if vocab_key(h) in _COMPUTED_KEYS)
    return ColumnMap(row_number, taken, headers, ignored, problems, computed)


def require_columns(columns: ColumnMap, grid: Grid, required: Sequence[str]) -> None:
    """Raise when a column the round needs is absent, with a ready-to-paste [columns] block of the closest headers."""
    missing = [name for name in required if name not in columns.index
               and not (name == "name" and any(part in columns.index for part in NAME_PARTS))]
    if missing:
        raise MentormatchError(
            f"{grid.source.name}{_sheet(grid)} has no column for {', '.join(missing)} in its header row (row "
            f"{columns.header_row}). Map them in [columns] of the config; this block, with the closest headers "
            f"found, is ready to paste and edit:\n\n{columns_block(columns, missing)}{_optional(missing)}")


# Fields a round may do without, and the setting that says so.
_SWITCHES = {"eoi": "round.require_eoi = false", "barriers": "round.require_barriers = false"}


def _optional(missing: Sequence[str]) -> str:
    """What to set when the form does not ask for a field the round requires by default."""
    switches = [_SWITCHES[name] for name in missing if name in _SWITCHES]
    return (f"\n\nIf the form does not ask for {' or '.join(n for n in missing if n in _SWITCHES)}, set "
            f"{' and '.join(switches)} in the config instead.") if switches else ""


def columns_block(columns: ColumnMap, missing: Sequence[str]) -> str:
    """A [columns] block mapping each missing field to its closest unused header, the next closest in a comment."""
    free = [h for i, h in enumerate(columns.headers) if looks_like_header(h) and i not in columns.index.values()]
    lines = ["[columns]"]
    for name in missing:
        close = _closest_headers(name, free)
        if close:
            others = f"  # or: {', '.join(toml_string(h) for h in close[1:])}" if len(close) > 1 else ""
            lines.append(f"{name} = {toml_string(close[0])}{others}")
        else:
            lines.append(f'# {name} = ""  # no header looks like it: put the header of its column here')
    return "\n".join(lines)


def _closest_headers(name: str, headers: Sequence[str]) -> list[str]:
    """Up to three headers that may hold a field: sharing a word with its names, or spelt alike."""
    spellings = (*EXACT.get(name, ()), name.replace("_", " "))
    words = {w for spelling in spellings for w in vocab_key(spelling).split() if len(w) > 3}
    words |= {w for field, keys in KEYWORDS if field == name for k in keys for w in k.split() if len(w) > 3}
    scored = []
    for header in headers:
        key = vocab_key(header)
        shared = len(words & set(key.split()))
        alike = max(difflib.SequenceMatcher(None, key, vocab_key(s)).ratio() for s in spellings)
        if shared or alike >= 0.6:
            scored.append((-shared, -alike, header))
    return [header for *_score, header in sorted(scored)[:3]]


def toml_string(text: str) -> str:
    """Text as a TOML basic string."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def list_separator(grid: Grid, columns: ColumnMap, name: str, setting: str) -> str:
    """How a multi-select column's answers were joined: ';' when any answer holds one (Microsoft Forms), else ','."""
    if setting != "auto" or name not in columns.index:
        return "," if setting == "auto" else setting
    at = columns.index[name]
    answers = (row[at] for row in grid.rows[columns.header_row:] if at < len(row))
    return ";" if any(isinstance(a, str) and ";" in a for a in answers) else ","


def unmapped_capacity(columns: ColumnMap, default: int, sheet: str) -> list[Problem]:
    """A warning for each column that asks 'how many' when no column is read as capacity."""
    if "capacity" in columns.index:
        return []
    return [warning("capacity-column-unmapped", column=header, header=header, default=default, sheet=sheet)
            for header in columns.ignored if "how many" in vocab_key(header)]


def answers_in(taken: Mapping[str, int], headers: Sequence[str], mapping: Mapping[str, str]) -> list[str]:
    """The fields whose cell in a candidate header row reads as an answer ('Grade 7', 'HMRC', 'Senior partner').

    A header the config maps is the coordinator's own word and never counts; nor does a question ('?').
    """
    mapped = {vocab_key(header) for header in mapping.values()}
    found = []
    for name, column in taken.items():
        text = headers[column]
        if "?" in text or vocab_key(text) in mapped:
            continue
        if name in _ANSWER_READERS and _ANSWER_READERS[name](text):
            found.append(name.replace("_", " "))
    return found


def _reads(vocabulary: Callable[[], Vocabulary], joined: bool = False) -> Callable[[str], bool]:
    return lambda text: bool(read_compound(vocabulary(), text, joined=joined))


_ANSWER_READERS: dict[str, Callable[[str], bool]] = {
    "grade": _reads(grade_vocabulary), "department": _reads(department_vocabulary),
    "profession": _reads(profession_vocabulary, joined=True), "role": lambda text: parse_role(text) is not None,
    "capacity": lambda text: read_count(text) is not None,
    "barriers": lambda text: vocab_key(text).split(" ")[0] in ("yes", "no", "y", "n", "prefer"),
}


def looks_like_header(text: str) -> bool:
    """A cell that can be a column header: short, and no email address or long answer, which would be data."""
    return bool(text) and len(text) <= MAX_HEADER_LENGTH and "@" not in text


def _sheet(grid: Grid) -> str:
    return f" (sheet {grid.sheet!r})" if grid.sheet else ""


def cell(row: Sequence[Cell], index: int | None) -> Cell:
    """Return the cell at `index` of a row, or None when the row is short or the field absent."""
    if index is None or index >= len(row):
        return None
    return row[index]


