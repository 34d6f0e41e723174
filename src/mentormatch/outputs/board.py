"""The programme board's view of a round: counts by group, under disclosure control.

Every count comes from the pairings workbook's Summary and Breakdown (the round's one set of
figures) or from its Pairings; `mentormatch.matching.disclosure` decides which are hidden, so that no
count from 1 to `report.smallest_count - 1` is shown or can be worked out from the rest.
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
from mentormatch.matching.disclosure import Cells, shown, suppress
from mentormatch.matching.figures import RoundFigures, round_figures
from mentormatch.outputs.summary import read_figures, reason_label
from mentormatch.outputs.workbook import (
    SUPPRESSED,
    Percent,
    Sheet,
    write_workbook,
)
from mentormatch.round.check import gate
from mentormatch.vocab.grades import BY_CODE, grade_vocabulary
from mentormatch.vocab.text import clean_text

SCORE_BANDS = [(low, low + 9) for low in range(0, 90, 10)] + [(90, 100)]
SCHEMES = {"mutual-2023": "Mutual Mentoring", "mutual-2022": "Mutual Mentoring (2022 rules)",
           "reverse": "Reverse Mentoring"}
GROUP_COLUMNS = ("Juniors", "Juniors shortlisted", "Juniors matched", "Seniors", "Seniors matched")


@dataclass
class BoardReport:
    """Everything the board sees, already suppressed."""

    source: Path
    title: str
    smallest: int  # counts from 1 to smallest - 1 are suppressed
    headline: list[tuple[str, object]]
    breakdowns: dict[str, list[tuple[object, ...]]]  # sheet -> (group, juniors, [shortlisted,] matched, seniors, matched)
    shortlisted: bool  # whether the breakdowns have a "Juniors shortlisted" column
    grade_gaps: list[tuple[str, object]]
    scores: list[tuple[str, object]]
    reasons: list[tuple[str, object]]
    notes: list[str] = field(default_factory=list)  # what the person should know (e.g. what could not be checked)
    tracker: Path | None = None  # the check-in tracker the check-ins came from
    checkins: dict[str, tuple[tuple[str, ...], list[tuple[object, ...]]]] = field(default_factory=dict)  # sheet ->
    #   (headers, rows): the check-in tracker's programme figures, already under disclosure control

    @property
    def note(self) -> str:
        """The disclosure note printed with the report."""
        return (f"Counts from 1 to {self.smallest - 1} are shown as [c], and so is any count they could be worked "
                "out from (secondary suppression).")


def board_columns(report: BoardReport) -> tuple[str, ...]:
    """The headers of the breakdown tables."""
    return ("Group", *(c for c in GROUP_COLUMNS if report.shortlisted or c != "Juniors shortlisted"))


def _number(value: Cell) -> float:
    try:
        return float(clean_text(value))
    except ValueError:
        return 0.0


def _cells(figures: RoundFigures, gaps: Counter[int], bands: Counter[str]) -> Cells:
    """Every count the report shows, and every sum that ties them (what someone could do arithmetic with)."""
    cells = Cells()
    # Inner cells go first when a count must be hidden to protect another; of the headline, the pairs
    # made are kept longest.
    head = {name: cells.add(("headline", name), value, keep=keep) for name, value, keep in (
        ("Applications read", figures.rows_read, 1), ("Eligible juniors", figures.juniors, 2),
        ("Eligible seniors", figures.seniors, 2), ("Pairs made", figures.pairs, 3),
        ("Eligible juniors without a partner", figures.juniors_without_partner, 1))}
    other = cells.add("rows not eligible", figures.rows_read - figures.juniors - figures.seniors, published=False)
    cells.tie(head["Applications read"], [head["Eligible juniors"], head["Eligible seniors"], other])
    cells.tie(head["Eligible juniors"], [head["Pairs made"], head["Eligible juniors without a partner"]])
    reasons = [cells.add(("reason", code), n) for code, n in figures.juniors_unpaired.items()]
    cells.tie(head["Eligible juniors without a partner"], reasons)
    if figures.shortlisted is not None:
        head["Juniors shortlisted"] = cells.add(("headline", "Juniors shortlisted"), figures.shortlisted, keep=2)
        passed = cells.add(("reason", "not-shortlisted"), figures.juniors_unpaired.get("not-shortlisted", 0))
        cells.tie(head["Eligible juniors"], [head["Juniors shortlisted"], passed])
    for name, count in (("Cross-department pairs", figures.cross_department),
                        ("Cross-profession pairs", figures.cross_profession)):
        cells.tie(head["Pairs made"], [cells.add(("headline", name), count),
                                       cells.add(("same", name), figures.pairs - count, published=False)])
    seniors_matched = cells.add("seniors matched", sum(g.seniors_paired for g in figures.groups
                                                       if g.breakdown == "Grade"), published=False)
    totals = {"Juniors": head["Eligible juniors"], "Juniors shortlisted": head.get("Juniors shortlisted"),
              "Juniors matched": head["Pairs made"], "Seniors": head["Eligible seniors"],
              "Seniors matched": seniors_matched}
    columns: dict[tuple[str, str], list[object]] = {}
    for g in figures.groups:
        values = {"Juniors": g.juniors, "Juniors shortlisted": g.juniors_shortlisted, "Juniors matched":
                  g.juniors_paired, "Seniors": g.seniors, "Seniors matched": g.seniors_paired}
        at = {c: cells.add((g.breakdown, g.group, c), v) for c, v in values.items() if v is not None}
        for column, key in at.items():
            columns.setdefault((g.breakdown, column), []).append(key)
        for whole, part in (("Juniors", "Juniors matched"), ("Juniors", "Juniors shortlisted"),
                            ("Juniors shortlisted", "Juniors matched"), ("Seniors", "Seniors matched")):
            if whole in at and part in at:  # the difference is a count too: those not matched, not shortlisted
                rest = cells.add((g.breakdown, g.group, f"{whole} not {part}"),
                                 int(values[whole] or 0) - int(values[part] or 0), published=False)
                cells.tie(at[whole], [at[part], rest])
    for (_breakdown, column), keys in columns.items():
        if totals[column] is not None:  # each person is in one group of each breakdown
            cells.tie(totals[column], keys)
    gap_cells = [cells.add(("gap", gap), n) for gap, n in sorted(gaps.items())]
    if sum(gaps.values()) != figures.pairs:  # a grade not on the ladder: those pairs have no gap row
        gap_cells.append(cells.add(("gap", "unknown"), figures.pairs - sum(gaps.values()), published=False))
    cells.tie(head["Pairs made"], gap_cells)
    cells.tie(head["Pairs made"], [cells.add(("band", band), n) for band, n in bands.items()])
    return cells


CHECKIN_SHEETS = ("Programme", "By month", "By group")


def _checkins(tracker: Path) -> dict[str, tuple[tuple[str, ...], list[tuple[object, ...]]]]:
    """The programme figures of a check-in tracker (written by `mentormatch checkin`, already suppressed)."""
    found = {}
    for name in CHECKIN_SHEETS:
        rows = read_records(tracker, name, "a check-in tracker written by `mentormatch checkin`")
        headers = tuple(h for h in (rows[0] if rows else {}) if h and not h.endswith("(chart)"))

        def cell(row: dict[str, Cell], header: str) -> object:
            value = row.get(header)
            if clean_text(value) == SUPPRESSED:
                return SUPPRESSED
            share = "(%)" in header or (header == "Value" and "(%)" in clean_text(row.get("Measure")))
            if share and isinstance(value, int | float):
                return Percent(value)
            return "" if value is None else value

        found[f"Check-ins {name.lower()}" if name != "Programme" else "Check-ins"] = (
            headers, [tuple(cell(row, h) for h in headers) for row in rows])
    return found


def board_report(path: Path, tracker: Path | None = None) -> BoardReport:
    """Build the board report from a pairings workbook (refused when its Pairings sheet breaks a rule)."""
    checked = gate(path)
    if checked.report is not None:  # the round as its Pairings sheet now stands, re-checked against the rules
        result = checked.report.result
        figures = round_figures(result)
        scores = [float(p.score) for p in result.pairings]
        ranks = [(p.junior.rank, p.senior.rank) for p in result.pairings]
    else:  # the applications are gone or changed: the figures the workbook holds, if they still add up
        pairs = [row.cells for row in read_edited_pairs(path).rows]
        figures = read_figures({clean_text(r.get("Measure")): r.get("Value") for r in read_records(path, "Summary")},
                               read_records(path, "Breakdown"))
        if len(pairs) != figures.pairs or sum(g.juniors_paired for g in figures.groups
                                              if g.breakdown == "Grade") != figures.pairs:
            raise MentormatchError(f"{path.name}: its Pairings sheet no longer matches its Summary and Breakdown, "
                                   "and the applications behind it are not there to recount them: run `mentormatch "
                                   "check` with --applications and -o, and report on the checked workbook.")
        grades = grade_vocabulary()
        scores = [_number(p.get("Score")) for p in pairs]
        ranks = [(BY_CODE[low].rank, BY_CODE[high].rank) for p in pairs
                 if (low := grades.lookup(clean_text(p.get("Junior grade"))))
                 and (high := grades.lookup(clean_text(p.get("Senior grade"))))]
    config = checked.report.result.config if checked.report else build_config(read_round_record(path).settings or {})
    gaps = Counter(high - low for low, high in ranks)
    bands = Counter({f"{a}–{b}": 0 for a, b in SCORE_BANDS})
    bands.update("{}–{}".format(*SCORE_BANDS[min(int(min(max(score, 0.0), 100.0)) // 10, 9)]) for score in scores)
    cells = _cells(figures, gaps, bands)
    smallest = config.report.smallest_count
    hidden = suppress(cells, smallest)
    value = shown(cells, hidden, SUPPRESSED)

    def share(name: str) -> object:
        """A share of the pairs, shown only when both the count and the pairs are."""
        count, pairs = value[("headline", name)], value[("headline", "Pairs made")]
        if SUPPRESSED in (count, pairs):
            return SUPPRESSED
        return Percent(int(cast(int, count)) / figures.pairs) if figures.pairs else ""

    headline: list[tuple[str, object]] = [
        (name, value[("headline", name)]) for name in ("Applications read", "Eligible juniors", "Juniors shortlisted",
                                                       "Eligible seniors", "Pairs made",
                                                       "Eligible juniors without a partner")
        if ("headline", name) in value]
    headline += [(name, share(name)) for name in ("Cross-department pairs", "Cross-profession pairs")]
    headline.append(("Mean score", "" if figures.mean_score is None else figures.mean_score))
    sections: dict[str, list[tuple[object, ...]]] = {"By grade": [], "By department": [], "By profession": []}
    for g in figures.groups:
        sections[f"By {g.breakdown.lower()}"].append(
            (g.group, *[value[(g.breakdown, g.group, c)] for c in GROUP_COLUMNS if (g.breakdown, g.group, c) in value]))
    title = config.round.name or f"{SCHEMES.get(config.preset, 'Mentoring')} round"
    return BoardReport(
        path, title, smallest, headline, sections, figures.shortlisted is not None,
        [(f"{gap} grade{'s' if gap != 1 else ''}", value[("gap", gap)]) for gap in sorted(gaps)],
        [(band, value[("band", band)]) for band in bands],
        [(reason_label(code).capitalize(), value[("reason", code)]) for code in figures.juniors_unpaired],
        notes=[checked.note] if checked.note else [],
        tracker=tracker, checkins=_checkins(tracker) if tracker else {})


def write_board(output: Path, report: BoardReport) -> Path:
    """Write the programme board's workbook: one sheet per breakdown, each with a native chart."""
    group = board_columns(report)
    series = tuple(c for c in group[1:] if c != "Juniors shortlisted")
    sheets = [Sheet("Headline", ("Measure", "Value"), [*report.headline, (report.note, "")],
                    wrap=frozenset({"Measure"}), widths={"Measure": 60, "Value": 12}, title=report.title)]
    sheets += [Sheet(name, group, rows, chart_columns=series, title=report.title)
               for name, rows in report.breakdowns.items()]
    sheets += [
        Sheet("Grade gap", ("Grade gap", "Pairs"), report.grade_gaps, chart_columns=("Pairs",), title=report.title),
        Sheet("Scores", ("Score band", "Pairs"), report.scores, chart_columns=("Pairs",), title=report.title),
        Sheet("Unmatched reasons", ("Reason", "Juniors"), report.reasons, chart_columns=("Juniors",),
              wrap=frozenset({"Reason"}), widths={"Reason": 50}, title=report.title),
    ]
    for name, (headers, rows) in report.checkins.items():
        chart = ("Pairs meeting",) if "Pairs meeting" in headers else ()
        sheets.append(Sheet(name[:31], headers, rows, chart_columns=chart, title=report.title,
                            widths={"Measure": 60} if "Measure" in headers else {}))
    return write_workbook(output, sheets, inputs=[report.source, *([report.tracker] if report.tracker else [])])
