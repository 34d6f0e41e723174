"""The check-in tracker workbook, and the programme figures it gives the board.

The per-pair sheets are the coordinator's (names, statuses; comments only when asked). The figures by
month and by group are for the board, under the report's disclosure control (`outputs.checkin_cells`),
protected together with the round's own tables when the pairings workbook allows. A hidden sheet keeps
the counts behind them, so `report --tracker` can protect them together with the board's tables too;
this module writes and reads it.
"""

from __future__ import annotations

from pathlib import Path

from mentormatch.config import Config
from mentormatch.errors import MentormatchError
from mentormatch.inputs.reading import Cell, read_records
from mentormatch.matching.disclosure import SUPPRESSED, Cells, shown, suppress
from mentormatch.outputs.checkin_cells import GROUP_HEADERS, MONTH_HEADERS, Figures, add_checkins
from mentormatch.outputs.sheets import problems_sheet
from mentormatch.outputs.workbook import Sheet, write_workbook
from mentormatch.round.checkin_counts import CheckinCounts, GroupCounts, MonthCounts, checkin_counts
from mentormatch.round.tracker import Tracker
from mentormatch.vocab.text import clean_text

WRAPPED = frozenset({"Junior email", "Junior name", "Senior email", "Senior name", "Months with a meeting", "Status"})
COUNTS_SHEET = "Check-in counts"  # hidden: the counts behind the figures, for `report --tracker`
COUNTS_HEADERS = ("Kind", "Month or breakdown", "Group", "Pairs", "Meetings", "Answers", "Usefulness total",
                  "Usefulness answers")


def programme_figures(counts: CheckinCounts, smallest: int) -> Figures:
    """(headline, by month, by group) of the check-ins alone, counts from 1 to smallest - 1 and any they reveal
    shown as [c]. With the round's pairings workbook, `board.checkin_figures` protects them with its tables."""
    cells = Cells()
    lay_out = add_checkins(cells, counts, smallest)
    return lay_out(shown(cells, suppress(cells, smallest), SUPPRESSED))


def _count_rows(counts: CheckinCounts) -> list[tuple[object, ...]]:
    return [("pairs", "", "", counts.pairs, "", "", "", ""),
            *(("month", m.month, "", "", m.meetings, m.answers, m.useful_total, m.useful_answers)
              for m in counts.by_month),
            *(("group", g.breakdown, g.group, g.pairs, g.meetings, g.answers, g.useful_total, g.useful_answers)
              for g in counts.by_group),
            *(("status", "", name, n, "", "", "", "") for name, n in counts.statuses)]


def read_checkin_counts(path: Path) -> CheckinCounts:
    """The counts a tracker workbook keeps for the board (refused when it has none: an older tracker)."""
    rows = read_records(path, COUNTS_SHEET, "a check-in tracker written by `mentormatch checkin` (run it again "
                                            "to add the counts the board report needs)")

    def number(row: dict[str, Cell], header: str) -> int:
        value = row.get(header)
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0 or value != int(value):
            raise MentormatchError(f"{path.name}: its {COUNTS_SHEET} sheet was edited ({header} {value!r}): run "
                                   "`mentormatch checkin` again to rebuild it.")
        return int(value)

    kinds: dict[str, list[dict[str, Cell]]] = {}
    for row in rows:
        kinds.setdefault(clean_text(row.get("Kind")), []).append(row)
    if len(kinds.get("pairs", [])) != 1:
        raise MentormatchError(f"{path.name}: its {COUNTS_SHEET} sheet was edited: run `mentormatch checkin` again.")
    months = tuple(MonthCounts(clean_text(r.get("Month or breakdown")), number(r, "Meetings"), number(r, "Answers"),
                               number(r, "Usefulness total"), number(r, "Usefulness answers"))
                   for r in kinds.get("month", []))
    groups = tuple(GroupCounts(clean_text(r.get("Month or breakdown")), clean_text(r.get("Group")), number(r, "Pairs"),
                               number(r, "Meetings"), number(r, "Answers"), number(r, "Usefulness total"),
                               number(r, "Usefulness answers")) for r in kinds.get("group", []))
    statuses = tuple((clean_text(r.get("Group")), number(r, "Pairs")) for r in kinds.get("status", []))
    return CheckinCounts(tuple(m.month for m in months), number(kinds["pairs"][0], "Pairs"), months, groups, statuses)


def write_tracker(output: Path, tracker: Tracker, config: Config, include_comments: bool = False,
                  figures: Figures | None = None, counts: CheckinCounts | None = None) -> Path:
    """Write the tracker: each pair's progress, the pairs to contact, the board's figures (`figures` when the
    caller has them, as `board.checkin_figures` gives them, else protected alone), the ended partnerships, and
    the `counts` behind the figures (counted here when not given) on a hidden sheet."""
    counts = counts or checkin_counts(tracker)
    headline, by_month, by_group = figures or programme_figures(counts, config.report.smallest_count)
    pair_headers = ("Junior email", "Junior name", "Senior email", "Senior name", "Months with a meeting",
                    "Last meeting", "Junior usefulness", "Senior usefulness", "Junior answers", "Senior answers",
                    "Status")

    def line(p: object) -> tuple[object, ...]:
        return (p.junior, p.junior_name, p.senior, p.senior_name, "; ".join(p.met_months), p.last_met,  # type: ignore[attr-defined]
                "" if p.junior_usefulness is None else p.junior_usefulness,  # type: ignore[attr-defined]
                "" if p.senior_usefulness is None else p.senior_usefulness,  # type: ignore[attr-defined]
                p.junior_answers, p.senior_answers, p.status)  # type: ignore[attr-defined]

    wide = {"Junior name": 18, "Senior name": 18, "Months with a meeting": 24, "Status": 28}
    note = (f"Counts from 1 to {config.report.smallest_count - 1} are shown as [c], with any count they could be "
            "worked out from.", "")
    sheets = [
        Sheet("Pairs", pair_headers, [line(p) for p in tracker.pairs], widths=wide, wrap=WRAPPED),
        Sheet("Contact", ("Rank", *pair_headers), [(n, *line(p)) for n, p in enumerate(tracker.contact, start=1)],
              widths=wide, wrap=WRAPPED),
        Sheet("Programme", ("Measure", "Value"), [*headline, note], widths={"Measure": 60}),
        Sheet("By month", MONTH_HEADERS, by_month, chart_columns=("Pairs meeting",)),
        Sheet("By group", GROUP_HEADERS, by_group, widths={"Group": 28}),
        Sheet("Ended", ("Email", "Partner", "Reported by", "Status"),
              [(p.ended_by, p.senior if p.ended_by == p.junior else p.junior, p.ended_by, p.status)
               for p in tracker.ended]),
        *([Sheet("Comments", ("Junior email", "Senior email", "Comment"),
                 [(p.junior, p.senior, c) for p in tracker.pairs for c in p.comments],
                 wrap=frozenset({"Comment"}), widths={"Comment": 80})] if include_comments else []),
        problems_sheet(tracker.problems),
        Sheet(COUNTS_SHEET, COUNTS_HEADERS, _count_rows(counts), hidden=True),
    ]
    return write_workbook(output, sheets, inputs=[tracker.source, *tracker.responses])
