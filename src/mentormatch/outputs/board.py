"""The programme board's view of a round: counts by group, under disclosure control.

Every count comes from the round's one set of figures: recounted from the Pairings sheet as checked
against the applications, or read back from the workbook's Summary and Breakdown when they are gone.
`outputs.board_cells` combines small groups and writes down every tie between the tables (and
`outputs.checkin_cells` those of the check-ins, published with them); `matching.disclosure` decides
which counts are hidden, so that none from 1 to `report.smallest_count - 1` is shown or can be worked
out from the rest. `outputs.board_book` and `outputs.board_html` lay the report out.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from mentormatch.config import build_config
from mentormatch.errors import MentormatchError
from mentormatch.inputs.pairings_book import read_edited_pairs, read_round_record
from mentormatch.inputs.reading import Cell, read_records
from mentormatch.matching.disclosure import SUPPRESSED, shown, suppress
from mentormatch.matching.figures import round_figures
from mentormatch.outputs.board_cells import (
    OTHER_REASONS,
    SIDES,
    BoardCounts,
    board_cells,
    gap_label,
    grouped_reasons,
    table_name,
    tables,
)
from mentormatch.outputs.checkin_cells import GROUP_HEADERS, MONTH_HEADERS, BoardLinks, Figures, add_checkins
from mentormatch.outputs.summary import read_figures, reason_label
from mentormatch.outputs.tracker import programme_figures, read_checkin_counts
from mentormatch.outputs.workbook import Percent
from mentormatch.round.check import gate
from mentormatch.round.checkin_counts import CheckinCounts
from mentormatch.vocab.grades import BY_CODE, LADDER, grade_vocabulary
from mentormatch.vocab.text import clean_text

SCORE_BANDS = [(low, low + 9) for low in range(0, 90, 10)] + [(90, 100)]
SCHEMES = {"mutual-2023": "Mutual Mentoring", "mutual-2022": "Mutual Mentoring (2022 rules)",
           "reverse": "Reverse Mentoring"}


@dataclass
class BoardReport:
    """Everything the board sees, already suppressed."""

    source: Path
    title: str
    smallest: int  # counts from 1 to smallest - 1 are suppressed
    headline: list[tuple[str, object]]
    breakdowns: dict[str, tuple[tuple[str, ...], list[tuple[object, ...]]]]  # sheet -> (headers, rows): juniors
    #   or seniors by grade, department or profession, the first column the group
    grade_gaps: list[tuple[str, object]]
    scores: list[tuple[str, object]]
    reasons: list[tuple[str, object]]
    notes: list[str] = field(default_factory=list)  # what the person should know (e.g. what could not be checked)
    tracker: Path | None = None  # the check-in tracker the check-ins came from
    checkins: dict[str, tuple[tuple[str, ...], list[tuple[object, ...]]]] = field(default_factory=dict)  # sheet ->
    #   (headers, rows): the check-in tracker's programme figures, already under disclosure control
    contact: str = ""  # who to ask about the report (`report.contact`)

    @property
    def note(self) -> str:
        """The disclosure note printed with the report."""
        return (f"Counts from 1 to {self.smallest - 1} are shown as [c], and so is any count they could be worked "
                "out from (secondary suppression).")


def _number(value: Cell) -> float:
    try:
        return float(clean_text(value))
    except ValueError:
        return 0.0


def board_report(path: Path, tracker: Path | None = None, checkins: CheckinCounts | None = None) -> BoardReport:
    """Build the board report from a pairings workbook (refused when its Pairings sheet breaks a rule), with the
    check-ins of a tracker workbook (or their `checkins` counts) protected together with its tables."""
    checked = gate(path)
    if checked.report is not None:  # the round as its Pairings sheet now stands, re-checked against the rules
        result = checked.report.result
        figures = round_figures(result)
        scores = [float(p.score) for p in result.pairings]
        grades = [(p.junior.grade_label, p.senior.grade_label) for p in result.pairings]
    else:  # the applications are gone or changed: the figures the workbook holds, if they still add up
        pairs = [row.cells for row in read_edited_pairs(path).rows]
        figures = read_figures({clean_text(r.get("Measure")): r.get("Value") for r in read_records(path, "Summary")},
                               read_records(path, "Breakdown"))
        if len(pairs) != figures.pairs or sum(g.juniors_paired for g in figures.groups
                                              if g.breakdown == "Grade") != figures.pairs:
            raise MentormatchError(f"{path.name}: its Pairings sheet no longer matches its Summary and Breakdown, "
                                   "and the applications behind it are not there to recount them: run `mentormatch "
                                   "check` with --applications and -o, and report on the checked workbook.")
        vocabulary = grade_vocabulary()
        scores = [_number(p.get("Score")) for p in pairs]
        grades = [(BY_CODE[low].label, BY_CODE[high].label) for p in pairs
                  if (low := vocabulary.lookup(clean_text(p.get("Junior grade"))))
                  and (high := vocabulary.lookup(clean_text(p.get("Senior grade"))))]
    config = checked.report.result.config if checked.report else build_config(read_round_record(path).settings or {})
    smallest = config.report.smallest_count
    rank = {grade.label: grade.rank for grade in LADDER}
    gaps = Counter(rank[high] - rank[low] for low, high in grades)
    bands = Counter({f"{a}–{b}": 0 for a, b in SCORE_BANDS})
    bands.update("{}–{}".format(*SCORE_BANDS[min(int(min(max(score, 0.0), 100.0)) // 10, 9)]) for score in scores)
    gap_rows: Counter[str] = Counter()
    for gap in sorted(gaps):
        gap_rows[gap_label(gap)] += gaps[gap]
    counts = BoardCounts(figures, tables(figures.groups, smallest), grouped_reasons(figures.juniors_unpaired, smallest),
                         dict(gap_rows), dict(bands), Counter(grades), rank, config.round.max_capacity)
    cells = board_cells(counts)
    if checkins is None and tracker is not None:
        checkins = read_checkin_counts(tracker)
    lay_out = None
    if checkins is not None:
        links = BoardLinks(("headline", "Pairs made"), figures.pairs,
                           {breakdown: rows for (side, breakdown), rows in counts.tables.items() if side == "Juniors"})
        lay_out = add_checkins(cells, checkins, smallest, links)
    value = shown(cells, suppress(cells, smallest), SUPPRESSED)
    checkin_tables: dict[str, tuple[tuple[str, ...], list[tuple[object, ...]]]] = {}
    if lay_out is not None:
        check_head, by_month, by_group = lay_out(value)
        checkin_tables = {"Check-ins": (("Measure", "Value"), [tuple(r) for r in check_head]),
                          "Check-ins by month": (MONTH_HEADERS, by_month), "Check-ins by group": (GROUP_HEADERS, by_group)}

    def share(name: str) -> object:
        """A share of the pairs, shown only when both the count and the pairs are."""
        count, pairs = value[("headline", name)], value[("headline", "Pairs made")]
        if SUPPRESSED in (count, pairs):
            return SUPPRESSED
        return Percent(int(cast(int, count)) / figures.pairs) if figures.pairs else ""

    headline: list[tuple[str, object]] = [
        (name, value[("headline", name)]) for name in ("Applications read", "Eligible juniors", "Juniors shortlisted",
                                                       "Eligible seniors", "Pairs made", "Seniors matched",
                                                       "Eligible juniors without a partner")
        if ("headline", name) in value]
    for name in ("Cross-department pairs", "Cross-profession pairs"):
        headline += [(name, value[("headline", name)]), (f"{name} (%)", share(name))]
    headline.append(("Mean score", "" if figures.mean_score is None else figures.mean_score))
    sections = {table_name(side, breakdown): ((breakdown, *(c for c in SIDES[side] if rows and c in rows[0].counts)),
                                              [(row.label, *(value[row.key(c)] for c in row.counts)) for row in rows])
                for (side, breakdown), rows in counts.tables.items()}
    title = config.round.name or f"{SCHEMES.get(config.preset, 'Mentoring')} round"
    reasons = [] if list(counts.reasons) == [OTHER_REASONS] else [  # one row would be the headline's count
        ("Other reasons" if code == OTHER_REASONS else reason_label(code).capitalize(), value[("reason", code)])
        for code in counts.reasons]
    return BoardReport(
        path, title, smallest, headline, sections,
        [(label, value[("gap", label)]) for label in counts.gaps],
        [(band, value[("band", band)]) for band in bands], reasons,
        notes=[checked.note] if checked.note else [],
        tracker=tracker, checkins=checkin_tables, contact=config.report.contact)


def chart_series(headers: tuple[str, ...]) -> tuple[str, ...]:
    """The columns a breakdown's chart shows: everyone, and those matched (the shortlist is in the table)."""
    return tuple(c for c in headers[1:] if c != "Juniors shortlisted")


def checkin_figures(pairings: Path, counts: CheckinCounts, smallest: int) -> tuple[Figures, str | None]:
    """The check-in figures for the tracker workbook, protected together with the round's board tables so the
    two can be published side by side; alone (with a note) when the pairings workbook cannot be reported on."""
    try:
        report = board_report(pairings, checkins=counts)
    except MentormatchError as exc:
        return programme_figures(counts, smallest), (
            f"The check-in figures were protected on their own, not with the board report's tables ({exc})")
    head = report.checkins["Check-ins"][1]
    return ([(str(r[0]), r[1]) for r in head], report.checkins["Check-ins by month"][1],
            report.checkins["Check-ins by group"][1]), None
