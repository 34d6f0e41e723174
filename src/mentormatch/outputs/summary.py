"""The round's figures in words: the Summary and Breakdown sheets, and reading them back.

`summary_rows` is the only place a figure gets its label; the terminal, the Summary sheet and
`compare` show its rows, and the board report reads the same rows back with `read_figures`, so a
number cannot differ between outputs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from mentormatch.matching.figures import GroupFigures, RoundFigures
from mentormatch.outcomes import CODES, Kind
from mentormatch.outputs.workbook import Sheet

ROWS_READ = "Rows read"
LEFT_OUT = "Rows left out for errors"
SUPERSEDED = "Rows superseded by a later submission"
WITHDRAWN = "Rows withdrawn"
JUNIORS = "Eligible juniors"
SHORTLISTED = "Juniors shortlisted"
SENIORS = "Eligible seniors"
PLACES = "Senior places"
PAIRS = "Pairs made"
MOST = "Most pairs possible"
LOCKED = "Locked pairs"
KEPT = "Pairs kept"  # a rematch's pairs held from before
JUNIORS_ALONE = "Eligible juniors without a partner"
SENIORS_ALONE = "Eligible seniors without a partner"
CROSS_DEPARTMENT = "Cross-department pairs"
CROSS_PROFESSION = "Cross-profession pairs"
MEAN_SCORE = "Average score"
UNSURE = "Pairs ruled out by answers read with doubt"
JUNIOR_REASON = "Juniors without a partner: "  # + the reason's title, in lower case
SENIOR_REASON = "Seniors without a partner: "
BREAKDOWN_HEADERS = ("Breakdown", "Group", "Juniors", "Juniors shortlisted", "Juniors matched", "Seniors",
                     "Seniors matched")
UNMATCHED_CODES = [code for code, entry in CODES.items() if Kind.UNMATCHED in entry.kinds]


def reason_label(code: str) -> str:
    """A reason code in words for a figure's label ('partners-taken' -> 'every possible partner was ...')."""
    title = CODES[code].title
    return title[0].lower() + title[1:]


def indented(label: str) -> str:
    """A label as a line under its total, for a narrow table: the reasons lose their prefix and are indented."""
    for prefix in (JUNIOR_REASON, SENIOR_REASON):
        if label.startswith(prefix):
            return "  " + label[len(prefix):]
    return label


def summary_rows(figures: RoundFigures, held: str = LOCKED) -> list[tuple[str, object]]:
    """The round's figures as (label, value) rows, in the order every output shows them.

    `held` names the pairs held from before the solve: locked pairs, or in a rematch the pairs kept.
    """
    withdrawn = figures.rows_read - figures.juniors - figures.seniors - figures.rows_left_out - figures.rows_superseded
    return [
        (ROWS_READ, figures.rows_read),
        (LEFT_OUT, figures.rows_left_out),
        (SUPERSEDED, figures.rows_superseded),
        *([(WITHDRAWN, withdrawn)] if withdrawn else []),
        (JUNIORS, figures.juniors),
        *([(SHORTLISTED, figures.shortlisted)] if figures.shortlisted is not None else []),
        (SENIORS, figures.seniors),
        (PLACES, figures.senior_places),
        (PAIRS, figures.pairs),
        (MOST, figures.most_pairs),
        (held, figures.held),
        (JUNIORS_ALONE, figures.juniors_without_partner),
        *[(JUNIOR_REASON + reason_label(code), count) for code, count in figures.juniors_unpaired.items()],
        (SENIORS_ALONE, figures.seniors_without_partner),
        *[(SENIOR_REASON + reason_label(code), count) for code, count in figures.seniors_unpaired.items()],
        (CROSS_DEPARTMENT, figures.cross_department),
        (CROSS_PROFESSION, figures.cross_profession),
        (MEAN_SCORE, _blank(figures.mean_score)),
        *([("Average score could be higher by at most", round(figures.score_gap / figures.pairs, 2))]
          if figures.score_gap and figures.pairs else []),
        *([("Earlier pairs not repeated (history)", figures.history_pairs),
           ("Repeat pairs avoided", figures.repeats_avoided)] if figures.history_pairs else []),
        *([(UNSURE, figures.unsure_pairs)] if figures.unsure_pairs else []),
        *[row for label, role, n, made in figures.priority
          for row in ((f"{role.capitalize()}s left unpaired in {label} who applied again", n),
                      (f"{role.capitalize()}s left unpaired in {label} paired this round", made))],
    ]


def _blank(value: float | None) -> object:
    return "" if value is None else value


def summary_sheet(figures: RoundFigures, held: str = LOCKED) -> Sheet:
    """The Summary sheet."""
    return Sheet("Summary", ("Measure", "Value"), summary_rows(figures, held), widths={"Measure": 60})


def breakdown_sheet(figures: RoundFigures) -> Sheet:
    """Counts of juniors (shortlisted when the round was) and seniors, and how many are matched, by group."""
    shortlisted = any(g.juniors_shortlisted is not None for g in figures.groups)
    headers = BREAKDOWN_HEADERS if shortlisted else tuple(h for h in BREAKDOWN_HEADERS if h != "Juniors shortlisted")
    rows = [(g.breakdown, g.group, g.juniors, *([g.juniors_shortlisted] if shortlisted else []), g.juniors_paired,
             g.seniors, g.seniors_paired) for g in figures.groups]
    return Sheet("Breakdown", headers, rows)


def _count(value: object) -> int:
    try:
        return int(float(str(value)))
    except ValueError:
        return 0


def _reasons(summary: Mapping[str, object], prefix: str) -> dict[str, int]:
    return {code: _count(summary[prefix + reason_label(code)]) for code in UNMATCHED_CODES
            if prefix + reason_label(code) in summary}


def read_figures(summary: Mapping[str, object], breakdown: Sequence[Mapping[str, object]]) -> RoundFigures:
    """The figures back from a Summary sheet's (label -> value) and a Breakdown sheet's rows."""
    shortlisted = summary.get(SHORTLISTED)
    mean = summary.get(MEAN_SCORE)
    return RoundFigures(
        rows_read=_count(summary.get(ROWS_READ)), rows_left_out=_count(summary.get(LEFT_OUT)),
        rows_superseded=_count(summary.get(SUPERSEDED)), juniors=_count(summary.get(JUNIORS)),
        seniors=_count(summary.get(SENIORS)), shortlisted=None if shortlisted is None else _count(shortlisted),
        senior_places=_count(summary.get(PLACES)), pairs=_count(summary.get(PAIRS)), most_pairs=_count(summary.get(MOST)),
        held=_count(summary.get(LOCKED, summary.get(KEPT))),
        juniors_unpaired=_reasons(summary, JUNIOR_REASON), seniors_unpaired=_reasons(summary, SENIOR_REASON),
        cross_department=_count(summary.get(CROSS_DEPARTMENT)), cross_profession=_count(summary.get(CROSS_PROFESSION)),
        mean_score=None if mean in (None, "") else float(str(mean)),
        unsure_pairs=_count(summary.get(UNSURE)),
        groups=tuple(GroupFigures(
            str(row.get("Breakdown")), str(row.get("Group")), _count(row.get("Juniors")),
            None if "Juniors shortlisted" not in row else _count(row.get("Juniors shortlisted")),
            _count(row.get("Juniors matched")), _count(row.get("Seniors")), _count(row.get("Seniors matched")))
            for row in breakdown))
