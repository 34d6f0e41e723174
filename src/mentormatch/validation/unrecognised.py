"""Every distinct answer mentormatch did not recognise, how many rows gave it, and what was done with it.

`validate` ends with this table, and `--aliases-out` turns it into a ready-to-paste `[aliases]` block
for the config, so the coordinator settles each spelling once.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from mentormatch.validation.answers import FieldParser
from mentormatch.vocab.grades import BY_CODE

# The codes of answers not recognised, by field.
UNRECOGNISED_CODES = {"unknown-grade": "grade", "unknown-department": "department", "unknown-profession": "profession"}
_ALIAS_SECTIONS = {"grade": "grades", "department": "departments", "profession": "professions"}


@dataclass(frozen=True)
class UnrecognisedAnswer:
    """One value not in the vocabularies, with the spellings read as it."""

    field: str
    answers: tuple[str, ...]  # every spelling read as this value, as written
    rows: int
    closest: tuple[str, ...]  # the nearest known names
    action: str  # what mentormatch did with the rows that gave it
    kept_as: str | None = None  # the value the rows were matched as (None: the rows were left out)


def _label(field: str, value: str) -> str:
    return BY_CODE[value].label if field == "grade" and value in BY_CODE else value


def summarise(parser: FieldParser, rows: Counter[tuple[str, str]], unknown_answers: str) -> list[UnrecognisedAnswer]:
    """The table of unrecognised answers, most rows first; `rows` counts (field, answer) as read per row."""
    found = []
    for entry in parser.unrecognised():
        count = sum(rows[(entry.field, spelling)] for spelling in entry.spellings)
        if not count:
            continue  # seen only outside the applications' rows (a department group member)
        left_out = entry.field == "grade" or unknown_answers == "error"
        if left_out:
            action = "left out of matching" + ("" if entry.field == "grade" else " (rules.unknown_answers = \"error\")")
        elif entry.read_as_known:
            action = f"read as {entry.value}, the name it is a typo of"
        else:
            action = "kept as an organisation of its own" if entry.field == "department" else (
                "kept as a profession of its own (main area of work)")
        found.append(UnrecognisedAnswer(entry.field, tuple(entry.spellings), count,
                                        tuple(_label(entry.field, c) for c in entry.closest), action,
                                        None if left_out else entry.value))
    return sorted(found, key=lambda a: (-a.rows, a.field, a.answers))


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def aliases_block(answers: list[UnrecognisedAnswer]) -> str:
    """A ready-to-paste `[aliases]` block: each answer mapped to its closest known name, to check by eye.

    Typos already read as a known name are written live; every other answer is commented out, with
    its closest known name (or an empty target) to confirm or fill in.
    """
    lines = ["# Unrecognised answers, with the closest known name as a suggestion. Check each line, change",
             "# the right-hand side where it is wrong, delete lines you are happy with, and paste the rest",
             "# into your mentormatch.toml (merge with any [aliases] sections it already has).", ""]
    for field, section in _ALIAS_SECTIONS.items():
        mine = [a for a in answers if a.field == field]
        if not mine:
            continue
        lines.append(f"[aliases.{section}]")
        for answer in mine:
            target = answer.closest[0] if answer.closest else ""
            note = f"  # {answer.rows} row{'s' if answer.rows != 1 else ''}; {answer.action}"
            for spelling in answer.answers:
                line = f"{_toml_string(spelling)} = {_toml_string(target)}{note}"
                # Only a typo of a known name is written live: a mere resemblance is for the coordinator to confirm.
                lines.append(line if target and answer.kept_as == target else "# " + line)
        lines.append("")
    return "\n".join(lines)
