"""The small files a round is given besides the applications: lists of emails and of pairs.

Locked pairs and never-match do_not_match, earlier rounds' pairs, a shortlist's selection, withdrawals.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from mentormatch.errors import MentormatchError
from mentormatch.files import note_read
from mentormatch.inputs.pairings_book import read_edited_pairs, read_round_record, read_unmatched
from mentormatch.inputs.reading import file_sha256, is_blank, read_grid
from mentormatch.models import RoundInputs
from mentormatch.vocab.emails import EMAIL, email_address
from mentormatch.vocab.text import clean_text


def read_email_pairs(path: Path) -> list[tuple[int, str, str]]:
    """Return (Excel row, first email, second email) from the first two email columns of a sheet or CSV."""
    grid = read_grid(path)
    rows = [(number, [email_address(clean_text(c)) for c in raw])
            for number, raw in enumerate(grid.rows, start=1) if not is_blank(raw)]
    if not rows:
        raise MentormatchError(f"{path.name} has no pairs in it.")
    width = max(len(cells) for _, cells in rows)
    email_columns = [c for c in range(width)
                     if sum(1 for _, cells in rows if c < len(cells) and EMAIL.match(cells[c])) * 2 >= len(rows) - 1]
    if len(email_columns) < 2:
        raise MentormatchError(f"{path.name} needs two columns of email addresses (one pair per row).")
    first, second = email_columns[:2]
    pairs = []
    for number, cells in rows:
        a = cells[first] if first < len(cells) else ""
        b = cells[second] if second < len(cells) else ""
        if EMAIL.match(a) and EMAIL.match(b):
            pairs.append((number, a, b))
        elif number != rows[0][0]:  # the first non-blank row may be a header
            raise MentormatchError(f"{path.name} row {number}: both cells must be email addresses.")
    return pairs


# Why someone was not paired in an earlier round that gives them priority now (errors in the application do not).
PRIORITY_CODES = ("no-feasible-partner", "partners-taken", "not-shortlisted")


def read_left_out(path: Path) -> list[tuple[str, str]]:
    """(email, round) of everyone an earlier round's pairings workbook lists as eligible but not paired.

    The round is named by its Round sheet's `round.name`, else by the workbook's file name.
    """
    if path.suffix.lower() == ".csv":
        return []  # a list of pairs only
    settings = read_round_record(path).settings or {}
    label = clean_text(settings.get("round", {}).get("name", "")) or path.stem
    return [(person.email, label) for person in read_unmatched(path) if person.code in PRIORITY_CODES]


def read_history(path: Path) -> list[tuple[str, str]]:
    """(junior email, senior email) of every pair in an earlier round's pairings workbook."""
    if path.suffix.lower() != ".csv":
        return [(row.junior, row.senior) for row in read_edited_pairs(path).rows if row.junior and row.senior]
    grid = read_grid(path)
    if not grid.rows:
        return []
    headers = [clean_text(h).lower() for h in grid.rows[0]]
    if "junior email" not in headers or "senior email" not in headers:
        raise MentormatchError(f"{path.name} is not a list of pairs: it needs 'Junior email' and 'Senior email' "
                               "columns.")
    junior, senior = headers.index("junior email"), headers.index("senior email")
    pairs = []
    for row in grid.rows[1:]:
        a = email_address(clean_text(row[junior] if junior < len(row) else ""))
        b = email_address(clean_text(row[senior] if senior < len(row) else ""))
        if a and b:
            pairs.append((a, b))
    return pairs


def read_selected(path: Path) -> set[str]:
    """The emails on the Selected sheet of a shortlist workbook."""
    return set(_shortlist_emails(path, "Selected"))


def read_reserves(path: Path) -> list[str]:
    """The emails on the Reserve sheet of a shortlist workbook, in the order to offer them places."""
    try:
        return _shortlist_emails(path, "Reserve")
    except MentormatchError:
        return []  # a shortlist with nobody in reserve


def _shortlist_emails(path: Path, sheet: str) -> list[str]:
    try:
        grid = read_grid(path, sheet)
    except MentormatchError:
        raise MentormatchError(f"{path.name} is not a shortlist workbook (it has no {sheet} sheet).") from None
    headers = [clean_text(h).lower() for h in grid.rows[0]] if grid.rows else []
    if "email" not in headers:
        raise MentormatchError(f"{path.name}: the {sheet} sheet needs an Email column.")
    at = headers.index("email")
    return list(dict.fromkeys(email_address(clean_text(row[at])) for row in grid.rows[1:]
                              if at < len(row) and clean_text(row[at])))


ENDED_SHEET = "Ended"


def read_withdrawn(path: Path) -> list[str]:
    """Emails from a text file (one per line), a sheet/CSV with an Email column, or a check-in tracker's
    Ended sheet."""
    if path.suffix.lower() in {".txt", ""}:
        note_read(path)
        try:
            lines = path.read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise MentormatchError(f"Cannot read {path.name} ({exc.__class__.__name__}).") from None
        return [email_address(clean_text(line)) for line in lines if clean_text(line)]
    try:
        grid = read_grid(path, ENDED_SHEET)  # a check-in tracker: the people whose partnership ended
    except MentormatchError:
        grid = read_grid(path)
    headers = [clean_text(h).lower() for h in grid.rows[0]] if grid.rows else []
    column = next((i for i, h in enumerate(headers) if "email" in h), None)
    if column is None:
        raise MentormatchError(f"{path.name} needs a column headed Email (or one email per line in a .txt file).")
    return [email_address(clean_text(row[column])) for row in grid.rows[1:]
            if column < len(row) and clean_text(row[column])]


def read_round_inputs(*, lock: Path | None = None, do_not_match: Path | None = None, history: Sequence[Path] = (),
                      shortlist: Path | None = None) -> RoundInputs:
    """Read the files given beside the applications (any may be absent) into plain round inputs."""
    files = [("locked pairs", lock), ("do-not-match pairs", do_not_match), *(("history", path) for path in history),
             ("shortlist", shortlist)]
    return RoundInputs(
        locks=tuple(read_email_pairs(lock)) if lock else (),
        lock_source=lock.name if lock else "locked pairs",
        do_not_match=tuple((a, b) for _row, a, b in read_email_pairs(do_not_match)) if do_not_match else (),
        history=tuple(dict.fromkeys(pair for path in history for pair in read_history(path))),
        priority=tuple(dict.fromkeys(left for path in history for left in read_left_out(path))),
        shortlisted=frozenset(read_selected(shortlist)) if shortlist else None,
        reserves=tuple(read_reserves(shortlist)) if shortlist else (),
        sources=tuple((what, path.name, file_sha256(path)) for what, path in files if path is not None))
