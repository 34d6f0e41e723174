"""The programme board's view of a round: breakdowns with small counts suppressed."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from mentormatch.errors import MentormatchError
from mentormatch.inputs.reading import Cell, read_grid
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
    breakdowns: dict[str, list[tuple[object, ...]]]  # sheet name -> rows (group, juniors, matched, seniors, matched)
    grade_gaps: list[tuple[str, object]]
    scores: list[tuple[str, object]]
    reasons: list[tuple[str, object]]


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
    """Build the board report from a pairings workbook."""
    pairs = _rows(path, "Pairings")
    summary = {clean_text(r.get("Measure")): r.get("Value") for r in _rows(path, "Summary")}
    breakdown = _rows(path, "Breakdown")
    unmatched = _rows(path, "Unmatched")
    grades = grade_vocabulary()
    juniors = int(_number(summary.get("Eligible juniors")))
    cross_department = sum(clean_text(p.get("Junior department")) != clean_text(p.get("Senior department")) for p in pairs)
    cross_profession = sum(not set(clean_text(p.get("Junior profession")).split("; ")) &
                           set(clean_text(p.get("Senior profession")).split("; ")) for p in pairs)
    share = lambda part: f"{100 * part / len(pairs):.0f}%" if pairs else ""  # noqa: E731
    headline: list[tuple[str, object]] = [
        ("Applications read", suppress(int(_number(summary.get("Rows read"))))),
        ("Eligible juniors", suppress(juniors)),
        ("Eligible seniors", suppress(int(_number(summary.get("Eligible seniors"))))),
        ("Pairs made", suppress(len(pairs))),
        ("Eligible juniors without a partner", suppress(max(juniors - len({p.get("Junior email") for p in pairs}), 0))),
        ("Cross-department pairs", share(cross_department)),
        ("Cross-profession pairs", share(cross_profession)),
        ("Mean score", round(sum(_number(p.get("Score")) for p in pairs) / len(pairs), 1) if pairs else ""),
    ]
    if "Shortlisted" in summary:
        headline.insert(2, ("Shortlisted", suppress(int(_number(summary["Shortlisted"])))))
    sections: dict[str, list[tuple[object, ...]]] = {"By grade": [], "By department": [], "By profession": []}
    for row in breakdown:
        name = f"By {clean_text(row.get('Breakdown')).lower()}"
        if name in sections:
            sections[name].append((clean_text(row.get("Group")), *[suppress(int(_number(row.get(h)))) for h in
                                   ("Juniors", "Juniors shortlisted", "Juniors matched", "Seniors", "Seniors matched")]))
    gaps: Counter[int] = Counter()
    for pair in pairs:
        low, high = grades.lookup(clean_text(pair.get("Junior grade"))), grades.lookup(clean_text(pair.get("Senior grade")))
        if low and high:
            gaps[BY_CODE[high].rank - BY_CODE[low].rank] += 1
    scores = Counter(next(f"{a}–{b}" for a, b in SCORE_BANDS if a <= _number(p.get("Score")) <= b) for p in pairs)
    reasons = Counter(clean_text(u.get("Code")) for u in unmatched if clean_text(u.get("Role")) == "junior")
    return BoardReport(
        path, headline, sections,
        [(f"{gap} grade{'s' if gap != 1 else ''}", suppress(count)) for gap, count in sorted(gaps.items())],
        [(f"{a}–{b}", suppress(scores.get(f"{a}–{b}", 0))) for a, b in SCORE_BANDS],
        [(code, suppress(count)) for code, count in reasons.most_common()])
