"""Reading check-in form exports: has each partner met theirs this month, how useful was it, has it ended.

Columns are found by the config's `[checkin_columns]`, else by the words their headers contain;
emails are read as everywhere else (pasted from Outlook, any case). Each answer is dated by its
month; a person who answered twice in a month about the same partner counts once, by their later answer. Anything that
cannot be read is a problem at its file, row and column, and the rest is still read.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from mentormatch.config import CHECKIN_FIELDS
from mentormatch.errors import MentormatchError
from mentormatch.inputs.reading import Cell, read_grid
from mentormatch.outcomes import Problem, error
from mentormatch.vocab.emails import EMAIL, email_address
from mentormatch.vocab.text import clean_text

KEYWORDS = {  # a header with one of these words holds the field (first match wins; whole words)
    "email": ("email",), "date": ("completion time", "timestamp", "submitted", "date", "start time"),
    "partner": ("which partner", "partner's name", "partner name", "name of your partner"),
    "met": ("met", "meet"), "usefulness": ("useful",), "ended": ("ended",), "comment": ("comment", "anything else"),
}
REQUIRED = ("email", "date", "met")
DATE_FORMATS = ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S",
                "%Y-%m-%d", "%Y-%m", "%m/%Y", "%B %Y", "%b %Y")


@dataclass(frozen=True)
class CheckinAnswer:
    """One person's check-in for one month."""

    source: str  # the file it came from
    row: int
    email: str
    month: str  # "2026-06"
    met: bool
    usefulness: int | None  # 1 to 5, when answered
    ended: bool
    comment: str
    partner: str = ""  # which partner it is about, as written (a name or an email), for someone with several
    when: datetime | None = None  # when it was answered: of two answers about one pair in a month, the later counts


def _columns(headers: Sequence[str], mapping: Mapping[str, str]) -> dict[str, int]:
    found: dict[str, int] = {}
    lowered = [h.lower() for h in headers]
    for field in CHECKIN_FIELDS:
        if field in mapping:
            wanted = clean_text(mapping[field]).lower()
            if wanted in lowered:
                found[field] = lowered.index(wanted)
            continue
        for keyword in KEYWORDS[field]:
            word = re.compile(rf"\b{re.escape(keyword)}\b")
            index = next((i for i, h in enumerate(lowered) if word.search(h) and i not in found.values()), None)
            if index is not None:
                found[field] = index
                break
    return found


def _yes(value: Cell) -> bool | None:
    text = clean_text(value).lower()
    if text in {"yes", "y", "true", "1"} or text.startswith("yes"):
        return True
    if text in {"no", "n", "false", "0"} or text.startswith(("no", "not yet")):
        return False
    return None


def _when(value: Cell) -> datetime | None:
    """When an answer was given, from a date cell or the date formats form exports use."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    text = clean_text(value)
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern)
        except ValueError:
            continue
    return None


def read_checkins(paths: Sequence[Path], mapping: Mapping[str, str] | None = None
                  ) -> tuple[list[CheckinAnswer], list[Problem]]:
    """Every readable answer of the check-in exports (latest per person and month), and what could not be read."""
    answers: dict[tuple[str, str, str], CheckinAnswer] = {}
    latest: dict[tuple[str, str, str], datetime] = {}
    problems: list[Problem] = []
    for path in paths:
        grid = read_grid(path)
        top = next((i for i, row in enumerate(grid.rows[:10])
                    if {"email", "met"} <= set(_columns([clean_text(c) for c in row], mapping or {}))), None)
        if top is None:
            raise MentormatchError(f"{path.name} has no header row with an email and a 'have you met' column: "
                                   "map them in the config's [checkin_columns].")
        headers = [clean_text(c) for c in grid.rows[top]]
        at = _columns(headers, mapping or {})
        missing = [f for f in REQUIRED if f not in at]
        if missing:
            raise MentormatchError(f"{path.name} has no column for {', '.join(missing)}: map it in the config's "
                                   "[checkin_columns] (e.g. date = \"Completion time\").")
        for number, row in enumerate(grid.rows[top + 1:], start=top + 2):
            def get(field: str, row: list[Cell] = row, at: dict[str, int] = at) -> Cell:
                index = at.get(field)
                return row[index] if index is not None and index < len(row) else None

            if not any(clean_text(c) for c in row):
                continue
            email, when, met = email_address(clean_text(get("email"))), _when(get("date")), _yes(get("met"))
            month = f"{when.year:04d}-{when.month:02d}" if when else None
            usefulness_text = clean_text(get("usefulness"))
            digits = re.match(r"\s*(\d+)", usefulness_text)
            usefulness = int(digits.group(1)) if digits else None
            where = {"row": number, "sheet": path.name}
            fatal = [error("checkin-unreadable", field, **where, column=headers[at[field]], value=clean_text(get(field)))
                     for field, ok in (("email", EMAIL.match(email)), ("date", month), ("met", met is not None))
                     if not ok]
            if usefulness_text and (usefulness is None or not 1 <= usefulness <= 5):  # the rest of the row counts
                problems.append(error("checkin-unreadable", "usefulness", **where, column=headers[at["usefulness"]],
                                      value=usefulness_text))
                usefulness = None
            problems += fatal
            if fatal:
                continue
            answer = CheckinAnswer(path.name, number, email, str(month), bool(met), usefulness,
                                   bool(_yes(get("ended"))), clean_text(get("comment")), clean_text(get("partner")),
                                   when)
            key = (email, str(month), answer.partner.casefold())  # one answer per partner a month
            if key not in latest or when >= latest[key]:  # type: ignore[operator]  # the later answer counts
                answers[key], latest[key] = answer, when  # type: ignore[assignment]
    return sorted(answers.values(), key=lambda a: (a.month, a.email)), problems
