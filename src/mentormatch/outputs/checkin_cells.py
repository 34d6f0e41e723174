"""The check-in figures as counts to protect, tied to each other and to the board's own tables.

Meetings and answers are counts tied to the pairs and to each other across the month and group tables;
shares of the pairs are shown beside them, so a share reveals its count. When the check-ins are of the
round's pairs, their pairs and their pairs by group are the board's pairs made and juniors matched by
group — the same cells, so they are shown or hidden together and one can never be worked out from the
other. Groups are the board's rows (its "Other" rows too); alone, small groups are combined the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from mentormatch.matching.disclosure import SUPPRESSED, Cells, Key
from mentormatch.outputs.board_cells import PLURALS, Row, combine_small
from mentormatch.outputs.workbook import Percent
from mentormatch.round.checkin_counts import CheckinCounts, GroupCounts

MONTH_HEADERS = ("Month", "Pairs meeting", "Share of pairs meeting (%)", "Answers", "Response rate (%)",
                 "Mean usefulness")
GROUP_HEADERS = ("Breakdown", "Group", "Pairs", "Months with a meeting (%)", "Response rate (%)", "Mean usefulness")
Figures = tuple[list[tuple[str, object]], list[tuple[Any, ...]], list[tuple[Any, ...]]]  # headline, by month, by group


@dataclass
class BoardLinks:
    """The board's cells the check-ins share: its pairs made and its juniors' rows by breakdown."""

    pairs: Key
    pairs_made: int
    rows: dict[str, list[Row]] = field(default_factory=dict)  # breakdown -> the juniors' table's rows


@dataclass
class _Line:
    label: str
    pairs: int = 0
    meetings: int = 0
    answers: int = 0
    useful_total: int = 0
    useful_answers: int = 0
    board: Row | None = None  # the board's row of these juniors

    def add(self, g: GroupCounts) -> None:
        self.pairs += g.pairs
        self.meetings += g.meetings
        self.answers += g.answers
        self.useful_total += g.useful_total
        self.useful_answers += g.useful_answers


def _lines(counts: CheckinCounts, smallest: int, links: BoardLinks | None) -> dict[str, list[_Line]]:
    """The group rows of each breakdown: the board's rows when there is a board, else the groups with
    small ones combined into "Other" as the board combines them."""
    found: dict[str, list[_Line]] = {}
    for breakdown in dict.fromkeys(g.breakdown for g in counts.by_group):
        groups = [g for g in counts.by_group if g.breakdown == breakdown]
        lines: dict[str, _Line] = {}
        rows = links.rows.get(breakdown, []) if links else []
        for g in groups:
            row = next((r for r in rows if g.group in r.members), None)
            label = row.label if row else g.group
            lines.setdefault(label, _Line(label, board=row)).add(g)
        if not rows:  # alone: combine the small groups
            kept, other = combine_small(list(lines.values()), alone=lambda line: 0 < line.pairs < smallest,
                                        together=lambda some: sum(line.pairs for line in some) < smallest,
                                        fewest=lambda line: (line.pairs, line.label))
            if other:
                merged = _Line(f"Other ({len(other)} {PLURALS.get(breakdown, 'groups')})")
                for line in other:
                    merged.add(GroupCounts(breakdown, line.label, line.pairs, line.meetings, line.answers,
                                           line.useful_total, line.useful_answers))
                kept.append(merged)
            lines = {line.label: line for line in kept}
        order = [r.label for r in rows]  # the board's order of rows, then any group it does not have
        found[breakdown] = sorted(lines.values(), key=lambda line: (line.label not in order,
                                                                    order.index(line.label) if line.label in order else 0))
    return found


def _share(part: object, whole: int) -> object:
    return SUPPRESSED if part == SUPPRESSED or not whole else Percent(int(cast(int, part)) / whole)


def add_checkins(cells: Cells, counts: CheckinCounts, smallest: int,
                 links: BoardLinks | None = None) -> Callable[[Mapping[Key, object]], Figures]:
    """Add the check-ins' counts and ties to `cells`; returns how to lay out the figures once suppressed."""
    months, n = counts.months, counts.pairs
    if links is not None and n == links.pairs_made:  # the round's own pairs: one cell for both tables
        total = links.pairs
    else:
        total = cells.add(("checkins", "pairs"), n, keep=3)
        if links is not None:
            cells.at_most(total, links.pairs)
    possible = cells.add(("checkins", "possible answers"), 2 * n, published=False)
    cells.tie(possible, [total, total])
    meetings = cells.add(("checkins", "meetings"), counts.meetings, keep=2)  # shown as shares
    answers = cells.add(("checkins", "answers"), counts.answers, keep=2)
    month_keys = []
    for m in counts.by_month:
        meet = cells.add(("checkins", "month", m.month, "meet"), m.meetings)
        said = cells.add(("checkins", "month", m.month, "answers"), m.answers)
        cells.tie(total, [meet, cells.add(("checkins", "month", m.month, "not meet"), n - m.meetings, published=False)])
        cells.tie(possible, [said, cells.add(("checkins", "month", m.month, "silent"), 2 * n - m.answers,
                                             published=False)])
        month_keys.append((m, meet, said))
    cells.tie(meetings, [k for _m, k, _s in month_keys])
    cells.tie(answers, [s for _m, _k, s in month_keys])
    lines = _lines(counts, smallest, links)
    group_keys: list[tuple[str, _Line, Key, Key, Key]] = []
    for breakdown, rows in lines.items():
        columns: tuple[list[Key], list[Key], list[Key]] = ([], [], [])
        for line in rows:
            board = line.board.key("Juniors matched") if line.board else None
            same = line.board is not None and line.pairs == line.board.counts["Juniors matched"]
            if board is not None and same and links is not None and total == links.pairs:
                count = board  # the board's juniors matched of these juniors: the same cell
            else:
                count = cells.add(("checkins", "group", breakdown, line.label, "pairs"), line.pairs)
                if board is not None:
                    cells.at_most(count, board)
            span = cells.add(("checkins", "group", breakdown, line.label, "pair-months"), line.pairs * len(months),
                             published=False)
            cells.tie(span, [count] * len(months))
            meet = cells.add(("checkins", "group", breakdown, line.label, "meet"), line.meetings)
            said = cells.add(("checkins", "group", breakdown, line.label, "answers"), line.answers)
            cells.tie(span, [meet, cells.add(("checkins", "group", breakdown, line.label, "not meet"),
                                             line.pairs * len(months) - line.meetings, published=False)])
            room = cells.add(("checkins", "group", breakdown, line.label, "possible"), 2 * line.pairs * len(months),
                             published=False)
            cells.tie(room, [span, span])
            cells.tie(room, [said, cells.add(("checkins", "group", breakdown, line.label, "silent"),
                                             2 * line.pairs * len(months) - line.answers, published=False)])
            for at, key in enumerate((count, meet, said)):
                columns[at].append(key)
            group_keys.append((breakdown, line, count, meet, said))
        cells.tie(total, columns[0])
        cells.tie(meetings, columns[1])
        cells.tie(answers, columns[2])
    status_keys = [(name, cells.add(("checkins", "status", name), count)) for name, count in counts.statuses]
    cells.tie(total, [key for _name, key in status_keys])

    def lay_out(value: Mapping[Key, object]) -> Figures:
        def mean(total_marks: int, marks: int, hidden: bool = False) -> object:
            if not marks:
                return ""
            return SUPPRESSED if hidden or marks < smallest else round(total_marks / marks, 1)

        by_month = [(m.month, value[meet], _share(value[meet], n), value[said], _share(value[said], 2 * n),
                     mean(m.useful_total, m.useful_answers)) for m, meet, said in month_keys]
        by_group = []
        for breakdown, line, count, meet, said in group_keys:
            pair_months = line.pairs * len(months)
            hidden = value[count] == SUPPRESSED
            by_group.append((breakdown, line.label, value[count],
                             SUPPRESSED if hidden else _share(value[meet], pair_months),
                             SUPPRESSED if hidden else _share(value[said], 2 * pair_months),
                             mean(line.useful_total, line.useful_answers, hidden)))
        headline: list[tuple[str, object]] = [
            ("Pairs", value[total]), ("Months of check-ins", len(months)),
            ("Response rate (%)", _share(value[answers], 2 * n * len(months)) if months else ""),
            ("Months with a meeting (%)", _share(value[meetings], n * len(months)) if months else ""),
            *((f"Pairs {name}", value[key]) for name, key in status_keys),
        ]
        return headline, by_month, by_group

    return lay_out
