"""Following the pairs through the programme: check-in answers joined to the pairs, month by month.

For each pair: the months either partner reported a meeting, the last of them, how useful each side
found it, how often each answered, and a status:

1. *ended* — a partner answered that the partnership has ended, or the coordinator said so;
2. *no answers* — neither partner has answered any check-in;
3. *the junior (senior) partner has not answered* — one partner is silent for every month read;
4. *one side reports not meeting* — in the latest month, one partner says they met and the other not;
5. *not met for N months* — no meeting reported in the latest N months (every month, if never);
6. *no answer from the junior (senior) partner for MONTH* — only one partner answered the latest month;
7. *on track* — both partners answered the latest month, and both say they met.

A pair is on track only when both partners say so: one partner's answer never speaks for the other.
Someone with several partners (a senior with two juniors) answers once per partner and says which
(the check-in form's "Which partner" column, a name or an email); an answer of theirs that names no
partner counts for none of their pairs and is listed as a problem.

The pairs to contact are every pair not on track, ended first (to re-pair the one left), then the
longest without a meeting.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from statistics import mean

from mentormatch.config import Config
from mentormatch.errors import MentormatchError
from mentormatch.inputs.checkin import CheckinAnswer, read_checkins
from mentormatch.inputs.pairings_book import read_edited_pairs
from mentormatch.outcomes import Problem, warning
from mentormatch.vocab.emails import email_address
from mentormatch.vocab.text import clean_text, name_key

GROUPS = (("Grade", "Junior grade"), ("Department", "Junior department"), ("Profession", "Junior profession"))


@dataclass(frozen=True)
class PairProgress:
    """One pair through the months of check-ins."""

    junior: str
    junior_name: str
    senior: str
    senior_name: str
    groups: tuple[tuple[str, str], ...]  # (breakdown, group) of the junior: grade, department, profession
    met_months: tuple[str, ...]
    junior_usefulness: float | None
    senior_usefulness: float | None
    junior_answers: int
    senior_answers: int
    status: str
    months_without: int  # latest months in a row with no meeting reported
    ended_by: str = ""  # who ended it: an email, from an answer or --ended
    comments: tuple[str, ...] = ()
    answers: tuple[CheckinAnswer, ...] = ()  # both partners' answers about this pair, by month

    @property
    def last_met(self) -> str:
        return self.met_months[-1] if self.met_months else ""

    @property
    def on_track(self) -> bool:
        return self.status == "on track"


@dataclass
class Tracker:
    """The programme so far."""

    source: Path
    months: list[str]
    pairs: list[PairProgress]
    answers: list[CheckinAnswer]
    problems: list[Problem] = field(default_factory=list)
    responses: tuple[Path, ...] = ()  # the check-in exports read

    @property
    def contact(self) -> list[PairProgress]:
        """Pairs not on track, most at risk first: ended, then the longest without a meeting."""
        return sorted((p for p in self.pairs if not p.on_track),
                      key=lambda p: (p.status != "ended", -p.months_without, p.status, p.junior))

    @property
    def ended(self) -> list[PairProgress]:
        return [p for p in self.pairs if p.status == "ended"]


def _pairs(path: Path) -> list[dict[str, str]]:
    """The Pairings sheet's rows as text, emails read as an applicant's; rows without both emails skipped."""
    rows = []
    for sheet_row in read_edited_pairs(path).rows:
        if sheet_row.junior and sheet_row.senior:
            row = {h: clean_text(v) for h, v in sheet_row.cells.items()}
            row["Junior email"], row["Senior email"] = sheet_row.junior, sheet_row.senior
            rows.append(row)
    return rows


def _status(junior: dict[str, CheckinAnswer], senior: dict[str, CheckinAnswer], months: list[str],
            met: list[str], ended_by: str) -> tuple[str, int]:
    without = len(months) - (months.index(met[-1]) + 1) if met else len(months)
    if ended_by:
        return "ended", without
    if not junior and not senior:
        return "no answers", without
    if not junior or not senior:
        return f"the {'junior' if not junior else 'senior'} partner has not answered", without
    latest = months[-1]
    first, second = junior.get(latest), senior.get(latest)
    if first is not None and second is not None and first.met != second.met:
        return "one side reports not meeting", without
    if without:
        return f"not met for {without} month{'s' if without != 1 else ''}", without
    if first is None or second is None:
        return f"no answer from the {'junior' if first is None else 'senior'} partner for {latest}", without
    return "on track", 0


def _about(answer: CheckinAnswer, mine: list[int], rows: list[dict[str, str]]) -> int | None:
    """The pair an answer is about: the person's only pair, else the one whose partner the answer names."""
    if len(mine) == 1:
        return mine[0]
    said = clean_text(answer.partner)
    if not said:
        return None
    address = email_address(said) if "@" in said else ""
    wanted = name_key(said)
    found = []
    for index in mine:
        row = rows[index]
        side = "Senior" if row["Junior email"] == answer.email else "Junior"
        name = row.get(f"{side} name", "")
        if address == row[f"{side} email"] or (wanted and wanted in (name_key(name), name_key(name.split(" ")[0]))):
            found.append(index)
    return found[0] if len(found) == 1 else None


def track(pairings: Path, responses: Sequence[Path], config: Config, ended: Sequence[str] = ()) -> Tracker:
    """Join check-in exports to the pairs of a pairings workbook; `ended` are people whose partnership has ended."""
    if not responses:
        raise MentormatchError("Give at least one check-in export with --responses.")
    answers, problems = read_checkins(responses, config.checkin_columns)
    rows = _pairs(pairings)
    people = {row[k] for row in rows for k in ("Junior email", "Senior email")}
    problems += [warning("checkin-not-paired", row=a.row, sheet=a.source, value=a.email, email=a.email)
                 for a in answers if a.email not in people]
    gone = {email_address(clean_text(e)) for e in ended}
    unknown = sorted(gone - people)
    if unknown:
        raise MentormatchError(f"--ended {', '.join(unknown)}: not in any pair of {pairings.name}.")
    months = sorted({a.month for a in answers})
    pairs_of: dict[str, list[int]] = {}
    for index, row in enumerate(rows):
        for key in ("Junior email", "Senior email"):
            pairs_of.setdefault(row[key], []).append(index)
    # Each answer counts for the one pair it is about. Someone with several partners who does not say
    # which partner an answer is about has said nothing of any of them: ask, don't guess.
    by_pair: dict[tuple[int, str], dict[str, CheckinAnswer]] = {}
    for answer in answers:
        mine = pairs_of.get(answer.email)
        if not mine:
            continue
        about = _about(answer, mine, rows)
        if about is None:
            code = "checkin-ended-unclear" if answer.ended and answer.email not in gone else "checkin-partner-unclear"
            problems.append(warning(code, row=answer.row, sheet=answer.source, value=answer.partner or answer.email,
                                    email=answer.email, count=len(mine)))
            continue
        side = "junior" if rows[about]["Junior email"] == answer.email else "senior"
        month = by_pair.setdefault((about, side), {})
        earlier = month.get(answer.month)  # the same pair named two ways in a month: the later answer counts
        if earlier is None or (answer.when or datetime.min) >= (earlier.when or datetime.min):
            month[answer.month] = answer
    progress = []
    for index, row in enumerate(rows):
        j, s = by_pair.get((index, "junior"), {}), by_pair.get((index, "senior"), {})
        met = [m for m in months if any(a.met for a in (j.get(m), s.get(m)) if a is not None)]
        quitter = next((e for e in (row["Junior email"], row["Senior email"]) if e in gone), "") or next(
            (a.email for a in sorted([*j.values(), *s.values()], key=lambda a: a.month) if a.ended), "")
        status, without = _status(j, s, months, met, quitter)
        progress.append(PairProgress(
            row["Junior email"], row.get("Junior name", ""), row["Senior email"], row.get("Senior name", ""),
            tuple((name, row.get(column, "")) for name, column in GROUPS), tuple(met),
            _mean(j.values()), _mean(s.values()), len(j), len(s), status, without, quitter,
            tuple(f"{a.month} {a.email}: {a.comment}" for a in sorted([*j.values(), *s.values()],
                                                                     key=lambda a: a.month) if a.comment),
            tuple(sorted([*j.values(), *s.values()], key=lambda a: (a.month, a.email)))))
    return Tracker(pairings, months, progress, answers, problems, tuple(responses))


def _mean(answers: object) -> float | None:
    scores = [a.usefulness for a in answers if a.usefulness is not None]  # type: ignore[attr-defined]
    return round(mean(scores), 1) if scores else None
