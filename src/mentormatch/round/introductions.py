"""Introduction emails for each pair, drafted from a pairings workbook in the wording of its scheme. Nothing is sent."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from mentormatch.config import PRESETS, Scheme, build_config
from mentormatch.errors import MentormatchError
from mentormatch.inputs.pairings_book import RoundRecord, number_pairs, read_round_record
from mentormatch.inputs.reading import read_grid
from mentormatch.matching.reasons import professions_text, shared_aims
from mentormatch.round.check import (
    CheckReport,
    Gate,
    applications_of,
    check_pairings,
    gate,
)
from mentormatch.vocab.emails import email_address
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
# One line per paragraph, so that a mail program wraps each to the width of its window.
TEMPLATES: dict[Scheme, str] = {
    Scheme.MUTUAL: """\
Subject: Your mutual mentoring partnership: {junior_first_name} and {senior_first_name}

Dear {junior_first_name} and {senior_first_name},

Thank you for applying to the mutual mentoring programme. We are delighted to introduce you as partners.

{junior_name} is {junior_grade} in {junior_department} ({junior_profession}), and {senior_name} is {senior_grade} in {senior_department} ({senior_profession}).

In mutual mentoring you mentor each other. You were matched on {shared_aims}. In each session, spend half the time on reverse mentoring, in which {junior_first_name} shares their experience of diversity and inclusion, and half on traditional mentoring, in which {senior_first_name} shares their experience of building a career.

We suggest meeting monthly for six months; {junior_first_name}, please arrange the first meeting.

If anything about this partnership does not work for you, reply to this email and we will help.

Best wishes,

The programme team
""",
    Scheme.REVERSE: """\
Subject: Your reverse mentoring partnership: {junior_first_name} and {senior_first_name}

Dear {junior_first_name} and {senior_first_name},

Thank you for joining the reverse mentoring scheme. We are delighted to introduce you to each other.

In reverse mentoring the usual roles are turned round: {junior_name} is the mentor and {senior_name} is the mentee. {junior_first_name} is {junior_grade} in {junior_department} ({junior_profession}), and {senior_first_name} is {senior_grade} in {senior_department} ({senior_profession}).

You were matched on {shared_aims}. {junior_first_name}, as the mentor you share your experience of diversity and inclusion and of working in the Civil Service. {senior_first_name}, as the mentee you listen, ask questions and reflect on what it means for how you lead.

We recommend at least three sessions, and we will review the partnership with you after three months. {senior_first_name}, please arrange the first meeting at a time that suits {junior_first_name}.

If anything about this partnership does not work for you, reply to this email and we will help.

Best wishes,

The programme team
""",
}
DEFAULT_TEMPLATE = TEMPLATES[Scheme.MUTUAL]
_LIST_LINE = re.compile(r"\s*(?:[-*•]|\d{1,2}[.)])\s")  # "- item", "• item", "1. item", "2) item"


@dataclass(frozen=True)
class Draft:
    """One introduction, ready to write as an .eml file."""

    file_name: str
    recipients: tuple[str, ...]
    subject: str
    body: str
    number: int = 0  # the pair's number in the round (pair-054.eml is 54)
    kept: bool = False  # a pair kept by `rematch` from an earlier pairings workbook


@dataclass(frozen=True)
class Introductions:
    """The drafts for a pairings workbook, and how they were chosen."""

    drafts: list[Draft]
    scheme: Scheme | None  # the built-in wording used; None when a template was given
    scheme_from: str  # where the wording came from: "template", "given", "recorded" or "assumed"
    not_drafted: int  # pairs kept from an earlier workbook and left out (introduced before)
    notes: tuple[str, ...] = ()  # what the person should know (e.g. what could not be checked)


def reflow(text: str) -> str:
    """Join each paragraph's lines into one line, so that a mail program wraps it to its window.

    1. Paragraphs are separated by blank lines; they come out one line each, with a blank line between.
    2. A list line (starting "-", "*", "•", "1." or "1)") stays a line of its own; the lines after it
       that are not list lines continue that item (a wrapped item).
    3. A break is kept where it was deliberate: the line stops short (the next word would have fitted
       within the paragraph's longest line) and the next line does not start in lower case, as with
       a sign-off above a name. Text wrapped at any width never stops short, so it is always joined.
    """
    paragraphs = re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n").strip("\n"))
    out = []
    for paragraph in paragraphs:
        lines = [line.rstrip() for line in paragraph.split("\n") if line.strip()]
        if not lines:
            continue
        width = max((len(line.strip()) for line in lines if not _LIST_LINE.match(line)), default=0)
        joined = [lines[0]]
        for before, line in pairwise(lines):
            first_word = line.split()[0]
            short = len(before.strip()) + 1 + len(first_word) <= width
            if _LIST_LINE.match(line) or (short and not first_word[:1].islower()):
                joined.append(line)
            else:
                joined[-1] = f"{joined[-1]} {line.strip()}"
        out.append("\n".join(joined))
    return "\n\n".join(out) + "\n"


def parse_template(text: str) -> tuple[str, str]:
    """Split a template into its subject line and body (reflowed), checking its placeholders."""
    first, _newline, body = text.lstrip("\ufeff").partition("\n")
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
    if not body.strip():
        raise MentormatchError("The template has a subject but no body: add a blank line and the email's text.")
    return subject, reflow(body)


def read_pairs(path: Path, checked: Gate | None = None) -> list[dict[str, str]]:
    """The pairs of a pairings workbook as placeholder values, in row order, rebuilt from the applications.

    The emails in each row are the truth: every name, grade, department, profession and shared aim
    comes from those people's applications, whatever the other cells of an edited row say.
    """
    report = (checked or gate(path)).report or _check_against_current(path)
    values = []
    for pair in report.pairs:
        junior, senior = pair.junior_applicant, pair.senior_applicant
        if junior is None or senior is None:
            raise MentormatchError(f"{path.name}: row {pair.row} of its Pairings sheet is not a pair of the round's "
                                   f"applicants, so its introduction cannot be drafted: run `mentormatch check "
                                   f"{path.name}` and mend it.")
        placeholders = {f"{side}_{what}": str(value) for side, person in (("junior", junior), ("senior", senior))
                        for what, value in (("email", person.email), ("name", person.name),
                                            ("grade", person.grade_label), ("department", person.department),
                                            ("profession", professions_text(person)))}
        aims = shared_aims(junior, senior)
        placeholders["shared_aims"] = ", ".join(a.lower() for a in aims) if aims else "your shared interests"
        placeholders["junior_first_name"] = junior.name.split(" ")[0]
        placeholders["senior_first_name"] = senior.name.split(" ")[0]
        values.append(placeholders)
    return values


def _check_against_current(path: Path) -> CheckReport:
    """The workbook checked against its applications as they are now (they changed since the match)."""
    try:
        source = applications_of(path, read_round_record(path).applications)
    except MentormatchError:
        raise MentormatchError(f"Cannot find the applications behind {path.name}: introductions are drafted from "
                               "them, so that each names the people it is sent to. Put them back beside the "
                               "workbook, under the name it recorded, and run this again.") from None
    return check_pairings(path, applications=source, compare_best=False)


def recorded_scheme(path: Path, record: RoundRecord) -> Scheme | None:
    """The scheme the round was matched under: from its Round sheet, else from the preset its Settings sheet
    names (workbooks from before the Round sheet); None when neither says."""
    if record.settings is not None:
        return build_config(record.settings).scheme
    try:
        rows = read_grid(path, "Settings").rows
    except MentormatchError:
        return None
    settings = {clean_text(row[0]): clean_text(row[1]) for row in rows if len(row) > 1}
    if settings.get("config: scheme") in {s.value for s in Scheme}:
        return Scheme(settings["config: scheme"])
    preset = settings.get("config: preset", "")
    return build_config({"preset": preset}).scheme if preset in PRESETS else None


def draft_introductions(path: Path, template: str | None = None, *, scheme: Scheme | None = None,
                        every_pair: bool = False) -> Introductions:
    """Draft an introduction for each new pair of a pairings workbook, numbered as the round numbers its pairs.

    1. The wording: `template` when given, else the built-in one for `scheme`, else for the scheme the
       round recorded (mutual mentoring when it recorded none).
    2. The pairs: every pair of a first-round workbook; after `rematch`, only the pairs it made (the
       kept ones were introduced from the earlier workbook), or every pair with `every_pair`.
    3. The numbers: each pair keeps the number the round gave it, so a rematch's new pairs follow the
       earlier workbook's (pair-054.eml after pair-053.eml) and no draft takes an earlier one's name.
    """
    checked = gate(path)  # a workbook whose Pairings sheet breaks a rule is refused before anything is drafted
    note = checked.note
    record = read_round_record(path)
    pairs = read_pairs(path, checked)
    if record.numbering is None and not every_pair and _has_sheet(path, "Changes"):
        raise MentormatchError(f"{path.name} was written by `rematch` in an earlier version, which did not record "
                               "which pairs are new: give --all to draft every pair, or run rematch again.")
    numbering = number_pairs([(email_address(p["junior_email"]), email_address(p["senior_email"])) for p in pairs],
                             record.numbering)
    chosen: Scheme | None = None
    if template is not None:
        text, source = template, "template"
    else:
        chosen, source = (scheme, "given") if scheme is not None else (recorded_scheme(path, record), "recorded")
        if chosen is None:
            chosen, source = Scheme.MUTUAL, "assumed"
        text = TEMPLATES[chosen]
    subject, body = parse_template(text)
    drafts = [Draft(f"pair-{numbered.number:03d}.eml", (pair["junior_email"], pair["senior_email"]),
                    subject.format_map(pair), body.format_map(pair), numbered.number, numbered.kept)
              for pair, numbered in zip(pairs, numbering.pairs, strict=True)]
    chosen_drafts = sorted((d for d in drafts if every_pair or not d.kept), key=lambda d: d.number)
    return Introductions(chosen_drafts, chosen, source, len(drafts) - len(chosen_drafts), (note,) if note else ())


def _has_sheet(path: Path, sheet: str) -> bool:
    try:
        read_grid(path, sheet)
    except MentormatchError:
        return False
    return True
