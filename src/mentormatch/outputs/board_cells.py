"""The board report's tables before suppression, and every tie between them anyone could use.

Small groups are combined first — a grade, department or profession with a count from 1 to
`smallest - 1` joins an "Other" row, wide grade gaps are one row, rare reasons one "Other reasons" —
so most published cells are real numbers. Juniors and seniors are tabled apart, since a department
may send many juniors and one senior. Then `board_cells` writes down every count the report
publishes, the counts it implies, and how they add up across the tables, as someone holding the whole
report would: a column adds to a headline total, a grade-gap row is the pairs of junior and senior
grades that far apart, a senior grade's pairs are at least its seniors matched. `matching.disclosure`
then decides what is hidden.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any, TypeVar

from mentormatch.matching.disclosure import Cells, Key
from mentormatch.matching.figures import GroupFigures, RoundFigures

PLURALS = {"Grade": "grades", "Department": "departments", "Profession": "professions"}
WIDE_GAP = 3  # grade gaps of this or more are one row
OTHER_REASONS = "other"  # the code of the combined rare reasons
SIDES = {"Juniors": ("Juniors", "Juniors shortlisted", "Juniors matched"), "Seniors": ("Seniors", "Seniors matched")}


@dataclass(frozen=True)
class Row:
    """One published row of a juniors' or seniors' table: a group, or several combined."""

    side: str  # "Juniors" or "Seniors"
    breakdown: str  # "Grade", "Department" or "Profession"
    label: str
    members: tuple[str, ...]  # the groups it holds
    counts: dict[str, int]  # column -> count

    def key(self, column: str) -> Key:
        return (self.side, self.breakdown, self.label, column)


def table_name(side: str, breakdown: str) -> str:
    """The sheet of a table: "Juniors by grade"."""
    return f"{side} by {breakdown.lower()}"


def _side_counts(g: GroupFigures, side: str) -> dict[str, int]:
    if side == "Juniors":
        found = {"Juniors": g.juniors, "Juniors matched": g.juniors_paired}
        if g.juniors_shortlisted is not None:
            found["Juniors shortlisted"] = g.juniors_shortlisted
        return {c: found[c] for c in SIDES[side] if c in found}
    return {"Seniors": g.seniors, "Seniors matched": g.seniors_paired}


def _small(counts: dict[str, int], smallest: int, differences: bool = True) -> bool:
    """Whether a row holds a count from 1 to `smallest - 1`, shown or (with `differences`) found by
    subtraction: those not matched, not shortlisted."""
    shown = list(counts.values())
    found = [a - b for a, b in pairwise(shown)] + [shown[0] - shown[-1]] if differences else []
    return any(0 < n < smallest for n in (*shown, *found))


def _sum(rows: list[dict[str, int]]) -> dict[str, int]:
    return {c: sum(r[c] for r in rows) for c in rows[0]}


T = TypeVar("T")


def combine_small(items: Sequence[T], *, alone: Callable[[T], bool], together: Callable[[list[T]], bool],
                  fewest: Callable[[T], Any]) -> tuple[list[T], list[T]]:
    """Split groups into those published as they are and those combined into one "Other" row: every
    group small `alone`, then the `fewest` of the rest, one by one, while the combined ones are small
    `together` (the one rule of every table's grouping, check-ins' included)."""
    kept = [item for item in items if not alone(item)]
    other = [item for item in items if alone(item)]
    while other and kept and together(other):
        smallest = min(kept, key=fewest)
        kept.remove(smallest)
        other.append(smallest)
    return kept, other


def tables(groups: tuple[GroupFigures, ...], smallest: int) -> dict[tuple[str, str], list[Row]]:
    """The juniors' and seniors' tables by grade, department and profession, with small groups combined:
    each group with a count from 1 to `smallest - 1` (shown, or the difference of two shown: those not
    matched) joins one "Other" row (last), and so do the next
    smallest groups while that row still holds such a count. Only groups with someone on that side appear."""
    found: dict[tuple[str, str], list[Row]] = {}
    for breakdown in dict.fromkeys(g.breakdown for g in groups):
        for side in SIDES:
            rows = [(g.group, _side_counts(g, side)) for g in groups if g.breakdown == breakdown]
            rows = [(group, counts) for group, counts in rows if counts[side]]
            # When the whole side's difference is small itself (4 juniors without a partner in all), no
            # grouping can protect it: suppression does, and the groups merge only for their own counts.
            hopeless = bool(rows) and _small(_sum([c for _g, c in rows]), smallest)
            def together(some: list[tuple[str, dict[str, int]]], differences: bool = not hopeless) -> bool:
                return _small(_sum([c for _g, c in some]), smallest, differences=differences)

            def fewest(row: tuple[str, dict[str, int]], side: str = side) -> tuple[int, str]:
                return row[1][side], row[0]

            kept, other = combine_small(rows, alone=lambda r: _small(r[1], smallest), together=together, fewest=fewest)
            table = [Row(side, breakdown, group, (group,), counts) for group, counts in kept]
            if other:
                members = tuple(sorted((g for g, _c in other), key=[g for g, _c in rows].index))
                label = (f"Other: {', '.join(members)}" if breakdown == "Grade" and len(members) <= 3
                         else f"Other ({len(members)} {PLURALS[breakdown]})")
                table.append(Row(side, breakdown, label, members, _sum([c for _g, c in other])))
            found[(side, breakdown)] = table
    return found


def gap_label(gap: int) -> str:
    """A grade gap's row: "2 grades", or "3 or more grades" for the wide ones."""
    if gap >= WIDE_GAP:
        return f"{WIDE_GAP} or more grades"
    return f"{gap} grade{'s' if gap != 1 else ''}"


def grouped_reasons(unpaired: dict[str, int], smallest: int) -> dict[str, int]:
    """Reasons a junior has no partner as published: the small ones (and then the next smallest, while
    needed) combined into "Other reasons", so the table is not all [c]."""
    kept, other = combine_small(list(unpaired.items()), alone=lambda item: 0 < item[1] < smallest,
                                together=lambda some: 0 < sum(n for _c, n in some) < smallest,
                                fewest=lambda item: item[1])
    return {**dict(kept), **({OTHER_REASONS: sum(n for _c, n in other)} if other else {})}


@dataclass(frozen=True)
class BoardCounts:
    """The board's counts as they will be published, before suppression."""

    figures: RoundFigures
    tables: dict[tuple[str, str], list[Row]]  # (side, breakdown) -> rows: see `tables`
    reasons: dict[str, int]  # reason code (or OTHER_REASONS) -> juniors without a partner
    gaps: dict[str, int]  # gap row -> pairs, in ladder order
    bands: dict[str, int]  # score band -> pairs
    pairs_by_grade: Counter[tuple[str, str]]  # (junior grade, senior grade) -> pairs
    ranks: dict[str, int]  # grade label -> rank on the ladder
    most_places: int  # the most partners any senior may take


def board_cells(counts: BoardCounts) -> Cells:
    """Every count the report shows, and every sum and limit that ties them (what someone could do arithmetic
    with). Inner cells go first when a count must be hidden to protect another; of the headline, the pairs
    made are kept longest."""
    figures, cells = counts.figures, Cells()
    head = {name: cells.add(("headline", name), value, keep=keep) for name, value, keep in (
        ("Applications read", figures.rows_read, 1), ("Eligible juniors", figures.juniors, 2),
        ("Eligible seniors", figures.seniors, 2), ("Pairs made", figures.pairs, 3),
        ("Eligible juniors without a partner", figures.juniors_without_partner, 1))}
    other = cells.add("rows not eligible", figures.rows_read - figures.juniors - figures.seniors, published=False)
    cells.tie(head["Applications read"], [head["Eligible juniors"], head["Eligible seniors"], other])
    cells.tie(head["Eligible juniors"], [head["Pairs made"], head["Eligible juniors without a partner"]])
    cells.tie(head["Eligible juniors without a partner"], [cells.add(("reason", code), n)
                                                          for code, n in counts.reasons.items()])
    if figures.shortlisted is not None:
        head["Juniors shortlisted"] = cells.add(("headline", "Juniors shortlisted"), figures.shortlisted, keep=2)
        passed = cells.add(("reason", "not-shortlisted"), figures.juniors_unpaired.get("not-shortlisted", 0),
                           published="not-shortlisted" in counts.reasons)
        cells.tie(head["Eligible juniors"], [head["Juniors shortlisted"], passed])
    for name, count in (("Cross-department pairs", figures.cross_department),
                        ("Cross-profession pairs", figures.cross_profession)):
        cells.tie(head["Pairs made"], [cells.add(("headline", name), count),
                                       cells.add(("same", name), figures.pairs - count, published=False)])
    seniors_matched = sum(g.seniors_paired for g in figures.groups if g.breakdown == "Grade")
    totals = {"Juniors": head["Eligible juniors"], "Juniors shortlisted": head.get("Juniors shortlisted"),
              "Juniors matched": head["Pairs made"], "Seniors": head["Eligible seniors"],
              "Seniors matched": cells.add(("headline", "Seniors matched"), seniors_matched, keep=2)}
    cells.at_most(totals["Seniors matched"], head["Pairs made"])  # each senior matched has a pair, and at most
    cells.at_most(head["Pairs made"], totals["Seniors matched"], counts.most_places)  # so many
    for rows in counts.tables.values():
        columns: dict[str, list[Key]] = {}
        for row in rows:
            # The matched columns add up to the pairs made, kept longest: hide applicants before them.
            at = {c: cells.add(row.key(c), n, keep=int(c.endswith("matched"))) for c, n in row.counts.items()}
            for column, key in at.items():
                columns.setdefault(column, []).append(key)
            for part in row.counts:
                if part != row.side:  # those not matched (not shortlisted) are a count too
                    whole = "Juniors shortlisted" if part == "Juniors matched" and "Juniors shortlisted" in at \
                        else row.side
                    rest = cells.add(row.key(f"{whole} not {part}"), row.counts[whole] - row.counts[part],
                                     published=False)
                    cells.tie(at[whole], [at[part], rest])
        for column, keys in columns.items():  # each person is in one row of each table
            if (total := totals[column]) is not None:
                cells.tie(total, keys)
    gap_cells = {label: cells.add(("gap", label), n) for label, n in counts.gaps.items()}
    unknown = figures.pairs - sum(counts.gaps.values())  # a grade not on the ladder: those pairs have no gap row
    cells.tie(head["Pairs made"], [*gap_cells.values(), *([cells.add(("gap", "unknown"), unknown, published=False)]
                                                         if unknown else [])])
    cells.tie(head["Pairs made"], [cells.add(("band", band), n) for band, n in counts.bands.items()])
    if not unknown:
        _cross(cells, counts, gap_cells)
    return cells


def _cross(cells: Cells, counts: BoardCounts, gap_cells: dict[str, Key]) -> None:
    """Tie the grade-gap table to the grade tables as anyone can: the unseen pairs of each junior grade with
    each senior grade whose gap has a row add up to that junior grade's juniors matched and to that gap's
    row; a senior grade row's pairs are at least its seniors matched and at most `most_places` times as many.
    These unseen counts are links, not counts anyone published: they are not protected themselves."""
    juniors, seniors = counts.tables.get(("Juniors", "Grade"), []), counts.tables.get(("Seniors", "Grade"), [])
    ranks, pairs = counts.ranks, counts.pairs_by_grade
    if any(g not in ranks for row in (*juniors, *seniors) for g in row.members):
        return  # a grade off the ladder: its pairs' gaps are not known to anyone either
    by_junior: dict[str, list[Key]] = {}
    by_senior: dict[str, list[Key]] = {}
    by_gap: dict[str, list[Key]] = {}
    for low_row in juniors:
        for high_row in seniors:
            for low in low_row.members:
                for high in high_row.members:
                    label = gap_label(ranks[high] - ranks[low])
                    if label not in gap_cells:
                        continue  # no pair has this gap, and the gap table says so
                    key = cells.add(("pairs", low, high), pairs[(low, high)], published=False, protect=False)
                    by_junior.setdefault(low_row.label, []).append(key)
                    by_senior.setdefault(high_row.label, []).append(key)
                    by_gap.setdefault(label, []).append(key)
    for label, keys in by_gap.items():
        cells.tie(gap_cells[label], keys)
    for row in juniors:
        cells.tie(row.key("Juniors matched"), by_junior.get(row.label, []))
    for row in seniors:
        made = cells.add(("pairs with", row.label), sum(pairs[(low, high)] for (low, high) in pairs
                                                        if high in row.members), published=False, protect=False)
        cells.tie(made, by_senior.get(row.label, []))
        cells.at_most(row.key("Seniors matched"), made)
        cells.at_most(made, row.key("Seniors matched"), counts.most_places)
