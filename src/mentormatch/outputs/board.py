"""The programme board's view of a round: breakdowns with small counts suppressed."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from mentormatch.errors import MentormatchError
from mentormatch.inputs.reading import Cell, read_grid
from mentormatch.outputs.summary import read_figures, reason_label
from mentormatch.vocab.grades import BY_CODE, grade_vocabulary
from mentormatch.vocab.text import clean_text

SUPPRESSED = "[c]"
SMALLEST_SHOWN = 5  # the statistical disclosure habit: counts of 1 to 4 are not shown
SCORE_BANDS = [(low, low + 9) for low in range(0, 90, 10)] + [(90, 100)]


def suppress(count: int) -> int | str:
    """A count as published: 1 to 4 become [c]; 0 and 5 or more are shown."""
    return SUPPRESSED if 0 < count < SMALLEST_SHOWN else count


@dataclass
class BoardReport:
    """Everything the board sees, already suppressed."""

    source: Path
    headline: list[tuple[str, object]]
    breakdowns: dict[str, list[tuple[object, ...]]]  # sheet -> (group, juniors, [shortlisted,] matched, seniors, matched)
    shortlisted: bool  # whether the breakdowns have a "Juniors shortlisted" column
    grade_gaps: list[tuple[str, object]]
    scores: list[tuple[str, object]]
    reasons: list[tuple[str, object]]


def board_columns(report: BoardReport) -> tuple[str, ...]:
    """The headers of the breakdown tables."""
    return ("Group", "Juniors", *(["Juniors shortlisted"] if report.shortlisted else []), "Juniors matched", "Seniors",
            "Seniors matched")


def _rows(path: Path, sheet: str) -> list[dict[str, Cell]]:
    try:
        grid = read_grid(path, sheet)
    except MentormatchError:
        raise MentormatchError(f"{path.name} is not a pairings workbook written by `mentormatch match` "
                               f"(it has no {sheet} sheet).") from None
    headers = [clean_text(h) for h in grid.rows[0]] if grid.rows else []
    return [dict(zip(headers, row, strict=False)) for row in grid.rows[1:] if any(clean_text(c) for c in row)]


def _number(value: Cell) -> float:
    try:
        return float(clean_text(value))
    except ValueError:
        return 0.0


def board_report(path: Path) -> BoardReport:
    """Build the board report from a pairings workbook: its figures from the Summary and Breakdown sheets."""
    pairs = _rows(path, "Pairings")
    figures = read_figures({clean_text(r.get("Measure")): r.get("Value") for r in _rows(path, "Summary")},
                           _rows(path, "Breakdown"))
    grades = grade_vocabulary()
    share = lambda part: "" if (value := figures.share(part)) is None else f"{value:.0f}%"  # noqa: E731
    headline: list[tuple[str, object]] = [
        ("Applications read", suppress(figures.rows_read)),
        ("Eligible juniors", suppress(figures.juniors)),
        *([("Juniors shortlisted", suppress(figures.shortlisted))] if figures.shortlisted is not None else []),
        ("Eligible seniors", suppress(figures.seniors)),
        ("Pairs made", suppress(figures.pairs)),
        ("Eligible juniors without a partner", suppress(figures.juniors_without_partner)),
        ("Cross-department pairs", share(figures.cross_department)),
        ("Cross-profession pairs", share(figures.cross_profession)),
        ("Mean score", "" if figures.mean_score is None else figures.mean_score),
    ]
    sections: dict[str, list[tuple[object, ...]]] = {"By grade": [], "By department": [], "By profession": []}
    for g in figures.groups:
        counts = (g.juniors, *([g.juniors_shortlisted] if g.juniors_shortlisted is not None else []),
                  g.juniors_paired, g.seniors, g.seniors_paired)
        sections[f"By {g.breakdown.lower()}"].append((g.group, *[suppress(c) for c in counts]))
    gaps: Counter[int] = Counter()
    for pair in pairs:
        low, high = grades.lookup(clean_text(pair.get("Junior grade"))), grades.lookup(clean_text(pair.get("Senior grade")))
        if low and high:
            gaps[BY_CODE[high].rank - BY_CODE[low].rank] += 1
    scores = Counter(next(f"{a}–{b}" for a, b in SCORE_BANDS if a <= _number(p.get("Score")) <= b) for p in pairs)
    return BoardReport(
        path, headline, sections, figures.shortlisted is not None,
        [(f"{gap} grade{'s' if gap != 1 else ''}", suppress(count)) for gap, count in sorted(gaps.items())],
        [(f"{a}–{b}", suppress(scores.get(f"{a}–{b}", 0))) for a, b in SCORE_BANDS],
        [(reason_label(code).capitalize(), suppress(count)) for code, count in figures.juniors_unpaired.items()])
