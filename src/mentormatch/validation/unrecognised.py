"""Every distinct answer read with a warning: not recognised, or read with a doubt; how many rows, what was done.

`validate` ends with this table, and `--aliases-out` turns it into a ready-to-paste `[aliases]` block
for the config, so the coordinator settles each spelling once.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from mentormatch.inputs.headers import toml_string
from mentormatch.outcomes import Problem
from mentormatch.validation.answers import FieldParser
from mentormatch.vocab.grades import BY_CODE

# The codes of answers not recognised, by field.
UNRECOGNISED_CODES = {"unknown-grade": "grade", "unknown-department": "department", "unknown-profession": "profession"}
_ALIAS_SECTIONS = {"grade": "grades", "department": "departments", "profession": "professions"}
# Answers that were read, but with a doubt the coordinator should see: how each was read is its message.
READ_WITH_WARNING = ("lookalike-characters", "capacity-read", "do-not-match-by-name", "fast-stream-grade", "role-read")


@dataclass(frozen=True)
class UnrecognisedAnswer:
    """One value not in the vocabularies, with the spellings read as it."""

    field: str
    answers: tuple[str, ...]  # every spelling read as this value, as written
    rows: int
    closest: tuple[str, ...]  # the nearest known names
    action: str  # what mentormatch did with the rows that gave it
    kept_as: str | None = None  # the value the rows were matched as (None: the rows were left out)
    recognised: bool = False  # True: read, with a doubt the coordinator should check (`field` is then the column)

    @property
    def near_miss(self) -> str:
        """The known name this answer is a small edit of ('0NS' of ONS), safe to offer as its alias; else ''.
        A mere resemblance ('Transport Scotland', 'Transport Focus') is never offered as settled."""
        return self.closest[0] if self.closest and self.action.startswith("kept as its own, and may be") else ""


def _label(field: str, value: str) -> str:
    return BY_CODE[value].label if field == "grade" and value in BY_CODE else value


def summarise(parser: FieldParser, rows: Counter[tuple[str, str]], unknown_answers: str,
              problems: list[Problem] = ()) -> list[UnrecognisedAnswer]:  # type: ignore[assignment]
    """The table: unrecognised answers, most rows first, then answers read with a doubt (`problems`' warnings).

    `rows` counts (field, answer) as read per row.
    """
    found = []
    for entry in parser.unrecognised():
        count = sum(rows[(entry.field, spelling)] for spelling in entry.spellings)
        if not count:
            continue  # seen only outside the applications' rows (a department group member)
        left_out = entry.field == "grade" or unknown_answers == "error"
        if left_out:
            action = "left out of matching" + ("" if entry.field == "grade" else " (rules.unknown_answers = \"error\")")
        elif entry.possibly:
            action = f"kept as its own, and may be {entry.possibly[0]}: never paired with {entry.possibly[0]}"
        else:
            action = "kept as an organisation of its own" if entry.field == "department" else (
                "kept as a profession of its own (main area of work)")
        found.append(UnrecognisedAnswer(entry.field, tuple(entry.spellings), count,
                                        tuple(_label(entry.field, c) for c in entry.closest), action,
                                        None if left_out else entry.value))
    found.sort(key=lambda a: (-a.rows, a.field, a.answers))
    return found + _read_with_warning(problems)


def _read_with_warning(problems: list[Problem]) -> list[UnrecognisedAnswer]:
    """Each distinct (column, answer, reading) read with a warning, with how many rows gave it."""
    counts: Counter[tuple[str, str, str]] = Counter()
    for problem in problems:
        if problem.code in READ_WITH_WARNING:
            counts[(problem.column or "", problem.value, problem.message)] += 1
    return [UnrecognisedAnswer(column, (value,), count, (), message.split(":")[0].split(" (")[0], value,
                               recognised=True)
            for (column, value, message), count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]


def aliases_block(answers: list[UnrecognisedAnswer]) -> str:
    """A ready-to-paste `[aliases]` block: each answer mapped to its closest known name, to check by eye.

    Typos already read as a known name are written live; every other answer is commented out, with
    its closest known name (or an empty target) to confirm or fill in.
    """
    lines = ["# Unrecognised answers, with the closest known name as a suggestion. Check each line, change",
             "# the right-hand side where it is wrong, delete lines you are happy with, and paste the rest",
             "# into your mentormatch.toml (merge with any [aliases] sections it already has).", ""]
    for field, section in _ALIAS_SECTIONS.items():
        mine = [a for a in answers if a.field == field and not a.recognised]
        if not mine:
            continue
        lines.append(f"[aliases.{section}]")
        for answer in mine:
            target = answer.closest[0] if answer.closest else ""
            note = f"  # {answer.rows} row{'s' if answer.rows != 1 else ''}; {answer.action}"
            for spelling in answer.answers:
                line = f"{toml_string(spelling)} = {toml_string(target)}{note}"
                # Only a small edit of a known name is written live: a mere resemblance is for the coordinator to confirm.
                lines.append(line if answer.near_miss else "# " + line)
        lines.append("")
    read = [a for a in answers if a.recognised]
    if read:
        lines.append("# Read with a warning: check each against the applicant's answer (no alias is needed).")
        lines += [f"# {a.field}: {toml_string(a.answers[0])} ({a.rows} row{'s' if a.rows != 1 else ''}): {a.action}."
                  for a in read]
        lines.append("")
    return "\n".join(lines)
