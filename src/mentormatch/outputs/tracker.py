"""The check-in tracker workbook, and the programme figures it gives the board.

The per-pair sheets are the coordinator's (names, statuses; comments only when asked). The figures by
month and by group are for the board, under the report's disclosure control: meetings and answers
are counts tied to the pairs, to each other and across the two tables, and `matching.disclosure`
hides every count that is small or could reveal one that is.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any, cast

from mentormatch.config import Config
from mentormatch.matching.disclosure import Cells, shown, suppress
from mentormatch.outputs.sheets import problems_sheet
from mentormatch.outputs.workbook import (
    SUPPRESSED,
    Percent,
    Sheet,
    write_workbook,
)
from mentormatch.round.tracker import Tracker

MONTH_HEADERS = ("Month", "Pairs meeting", "Share of pairs meeting (%)", "Answers", "Response rate (%)",
                 "Mean usefulness")
WRAPPED = frozenset({"Junior email", "Junior name", "Senior email", "Senior name", "Months with a meeting", "Status"})
GROUP_HEADERS = ("Breakdown", "Group", "Pairs", "Months with a meeting (%)", "Response rate (%)", "Mean usefulness")


def _share(part: object, whole: int) -> object:
    return SUPPRESSED if part == SUPPRESSED or not whole else Percent(int(cast(int, part)) / whole)


def _status_group(status: str) -> str:
    """A status as the programme figures count it: the month or months and the side left out."""
    if status.startswith("not met"):
        return "not met lately"
    if status.startswith("no answer from"):
        return "with a partner silent in the latest month"
    if status.endswith("has not answered"):
        return "with a partner who has never answered"
    return status


def programme_figures(tracker: Tracker, smallest: int) -> tuple[list[tuple[str, object]], list[tuple[Any, ...]],
                                                                 list[tuple[Any, ...]]]:
    """(headline, by month, by group), counts from 1 to smallest - 1 and any they reveal shown as [c]."""
    months, pairs = tracker.months, tracker.pairs
    cells = Cells()
    total = cells.add("pairs", len(pairs), keep=3)
    possible = cells.add("possible answers", 2 * len(pairs), published=False)
    cells.tie(possible, [total, total])
    meetings, answers = cells.add("meetings", 0, keep=2), cells.add("answers", 0, keep=2)  # shown as shares
    month_meet, month_answer, month_useful = [], [], []
    for m in months:
        meet = sum(m in p.met_months for p in pairs)
        said = sum(a.month == m for p in pairs for a in p.answers)  # an answer counts for the pair it is about
        scores = [a.usefulness for p in pairs for a in p.answers if a.month == m and a.usefulness]
        meet_key, answer_key = cells.add(("month", m, "meet"), meet), cells.add(("month", m, "answers"), said)
        cells.tie(total, [meet_key, cells.add(("month", m, "not meet"), len(pairs) - meet, published=False)])
        cells.tie(possible, [answer_key, cells.add(("month", m, "silent"), 2 * len(pairs) - said, published=False)])
        month_meet.append(meet_key)
        month_answer.append(answer_key)
        month_useful.append((round(sum(scores) / len(scores), 1) if scores else "", len(scores)))
    cells.values[meetings] = sum(cells.values[k] for k in month_meet)
    cells.values[answers] = sum(cells.values[k] for k in month_answer)
    cells.tie(meetings, month_meet)
    cells.tie(answers, month_answer)
    groups: dict[tuple[str, str], list] = {}
    for pair in pairs:
        for key in pair.groups:
            groups.setdefault(key, []).append(pair)
    columns: dict[str, tuple[list, list, list]] = {}
    for (breakdown, group), members in sorted(groups.items()):
        count_key = cells.add(("group", breakdown, group, "pairs"), len(members))
        span_key = cells.add(("group", breakdown, group, "pair-months"), len(members) * len(months), published=False)
        cells.tie(span_key, [count_key] * len(months))
        meet_total = cells.add(("group", breakdown, group, "meet"), sum(len(p.met_months) for p in members))
        said_total = cells.add(("group", breakdown, group, "answers"), sum(p.junior_answers + p.senior_answers
                                                                            for p in members))
        cells.tie(span_key, [meet_total, cells.add(("group", breakdown, group, "not meet"),
                                                   cells.values[span_key] - cells.values[meet_total], published=False)])
        room = cells.add(("group", breakdown, group, "possible"), 2 * cells.values[span_key], published=False)
        cells.tie(room, [span_key, span_key])
        cells.tie(room, [said_total, cells.add(("group", breakdown, group, "silent"),
                                               cells.values[room] - cells.values[said_total], published=False)])
        for at, cell_key in enumerate((count_key, meet_total, said_total)):
            columns.setdefault(breakdown, ([], [], []))[at].append(cell_key)
    for counts, meets, saids in columns.values():
        cells.tie(total, counts)
        cells.tie(meetings, meets)
        cells.tie(answers, saids)
    statuses = Counter(_status_group(p.status) for p in pairs)
    cells.tie(total, [cells.add(("status", name), n) for name, n in sorted(statuses.items())])
    value = shown(cells, suppress(cells, smallest), SUPPRESSED)
    by_month = []
    for m, meet_key, answer_key, (useful, n) in zip(months, month_meet, month_answer, month_useful, strict=True):
        by_month.append((m, value[meet_key], _share(value[meet_key], len(pairs)), value[answer_key],
                         _share(value[answer_key], 2 * len(pairs)), useful if n >= smallest else SUPPRESSED))
    by_group = []
    for (breakdown, group), members in sorted(groups.items()):
        shown_count, shown_meet, shown_said = (value[("group", breakdown, group, k)] for k in ("pairs", "meet",
                                                                                            "answers"))
        pair_months = len(members) * len(months)
        scores = [a.usefulness for p in members for a in p.answers if a.usefulness]
        useful = round(sum(scores) / len(scores), 1) if len(scores) >= smallest and shown_count != SUPPRESSED else (
            SUPPRESSED if scores else "")
        hidden = shown_count == SUPPRESSED
        by_group.append((breakdown, group, shown_count, SUPPRESSED if hidden else _share(shown_meet, pair_months),
                         SUPPRESSED if hidden else _share(shown_said, 2 * pair_months), useful))
    headline: list[tuple[str, object]] = [
        ("Pairs", value[total]), ("Months of check-ins", len(months)),
        ("Response rate (%)", _share(value[answers], 2 * len(pairs) * len(months)) if months else ""),
        ("Months with a meeting (%)", _share(value[meetings], len(pairs) * len(months)) if months else ""),
        *((f"Pairs {name}", value[("status", name)]) for name in sorted(statuses)),
    ]
    return headline, by_month, by_group


Figures = tuple[list[tuple[str, object]], list[tuple[object, ...]], list[tuple[object, ...]]]


def write_tracker(output: Path, tracker: Tracker, config: Config, include_comments: bool = False,
                  figures: Figures | None = None) -> Path:
    """Write the tracker: each pair's progress, the pairs to contact, the board's figures (`figures` when the
    caller has them from `programme_figures` already), the ended partnerships."""
    headline, by_month, by_group = figures or programme_figures(tracker, config.report.smallest_count)
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
    ]
    return write_workbook(output, sheets, inputs=[tracker.source, *tracker.responses])
