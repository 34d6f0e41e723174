"""Introduction emails for each pair, drafted from a pairings workbook. Nothing is sent."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mentormatch.errors import MentormatchError
from mentormatch.inputs.reading import read_grid
from mentormatch.vocab.text import clean_text

PLACEHOLDERS: dict[str, str] = {
    "junior_name": "the junior partner's name", "junior_first_name": "their first name",
    "junior_email": "their email", "junior_grade": "their grade", "junior_department": "their department",
    "junior_profession": "their profession(s)",
    "senior_name": "the senior partner's name", "senior_first_name": "their first name",
    "senior_email": "their email", "senior_grade": "their grade", "senior_department": "their department",
    "senior_profession": "their profession(s)",
    "shared_aims": "the development aims they share ('your shared interests' when none)",
}
DEFAULT_TEMPLATE = """Subject: Your mentoring partnership: {junior_first_name} and {senior_first_name}

Dear {junior_first_name} and {senior_first_name},

Thank you for applying to the mentoring programme. We are delighted to introduce you as partners.

{junior_name} is {junior_grade} in {junior_department} ({junior_profession}).
{senior_name} is {senior_grade} in {senior_department} ({senior_profession}).

You were matched on {shared_aims}. In each session, spend half the time on reverse mentoring
(the junior partner's experience of diversity and inclusion) and half on traditional mentoring.
We suggest meeting monthly for six months; {junior_first_name}, please arrange the first meeting.

If anything about this partnership does not work for you, reply to this email and we will help.

Best wishes,
The programme team
"""
_COLUMNS = {f"{side}_{field}": f"{side.capitalize()} {field}" for side in ("junior", "senior")
            for field in ("email", "name", "grade", "department", "profession")}


@dataclass(frozen=True)
class Draft:
    """One introduction, ready to write as an .eml file."""

    file_name: str
    recipients: tuple[str, str]
    subject: str
    body: str


def parse_template(text: str) -> tuple[str, str]:
    """Split a template into its subject line and body, checking its placeholders."""
    first, _newline, body = text.partition("\n")
    if not first.lower().startswith("subject:"):
        raise MentormatchError("The template must start with a 'Subject: …' line, then a blank line and the body.")
    subject = first.split(":", 1)[1].strip()
    try:
        (subject + body).format_map({key: "" for key in PLACEHOLDERS})
    except KeyError as exc:
        raise MentormatchError(f"The template uses {{{exc.args[0]}}}, which is not a placeholder; use "
                               f"{', '.join('{' + key + '}' for key in PLACEHOLDERS)}.") from None
    except (ValueError, IndexError):
        raise MentormatchError("The template has a stray '{' or '}': write them as '{{' and '}}'.") from None
    return subject, body.lstrip("\n")


def read_pairs(path: Path) -> list[dict[str, str]]:
    """The pairs of a pairings workbook as placeholder values."""
    grid = read_grid(path, "Pairings")
    headers = [clean_text(h) for h in grid.rows[0]] if grid.rows else []
    missing = [header for header in _COLUMNS.values() if header not in headers]
    if missing:
        raise MentormatchError(f"{path.name} is not a pairings workbook: its Pairings sheet has no "
                               f"{', '.join(missing)} column.")
    aims_at = headers.index("Shared aims") if "Shared aims" in headers else None
    pairs = []
    for row in grid.rows[1:]:
        values = {key: clean_text(row[headers.index(header)]) if headers.index(header) < len(row) else ""
                  for key, header in _COLUMNS.items()}
        if not values["junior_email"] or not values["senior_email"]:
            continue
        aims = clean_text(row[aims_at]) if aims_at is not None and aims_at < len(row) else ""
        values["shared_aims"] = aims.replace(";", ",").lower() if aims else "your shared interests"
        values["junior_first_name"] = values["junior_name"].split(" ")[0]
        values["senior_first_name"] = values["senior_name"].split(" ")[0]
        pairs.append(values)
    return pairs


def draft_introductions(path: Path, template: str = DEFAULT_TEMPLATE) -> list[Draft]:
    """One draft per pair of the pairings workbook."""
    subject, body = parse_template(template)
    return [Draft(f"pair-{number:03d}.eml", (pair["junior_email"], pair["senior_email"]),
                  subject.format_map(pair), body.format_map(pair))
            for number, pair in enumerate(read_pairs(path), start=1)]


