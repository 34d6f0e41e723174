"""The board report as one self-contained HTML page: tables and inline SVG bar charts with a legend."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import cast

from mentormatch.matching.disclosure import SUPPRESSED, Suppressed
from mentormatch.outputs.board import BoardReport, chart_series
from mentormatch.outputs.workbook import Percent

_STYLE = """body{font-family:Arial,Helvetica,sans-serif;margin:2rem;color:#0b0c0c;max-width:60rem}
h1{font-size:1.8rem}h2{font-size:1.3rem;margin-top:2rem}table{border-collapse:collapse;margin:.5rem 0}
th,td{border-bottom:1px solid #b1b4b6;padding:.3rem .8rem;text-align:left}td.n,th.n{text-align:right}
.note{color:#505a5f;font-size:.9rem}svg text{font-size:11px;font-family:Arial,sans-serif}"""
COLOURS = ("#1d70b8", "#5694ca", "#f47738", "#ffdd00")  # GOV.UK blue, light blue, orange, yellow
BAR, GAP, LABEL_WIDTH, PLOT_WIDTH = 12, 8, 190, 300
CHAR_WIDTH = 6.5  # pixels a letter of the 11px chart text takes, at most for most words


def _text(value: object) -> str:
    if isinstance(value, Percent):
        return f"{value:.0%}"
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else str(value)


def _numeric(rows: Sequence[Sequence[object]], index: int) -> bool:
    """Whether a column holds numbers (counts, shares, means, [c]), to sit right-aligned under its header."""
    return index > 0 and all((isinstance(row[index], int | float) and not isinstance(row[index], bool))
                             or row[index] in (SUPPRESSED, "") for row in rows)


def _table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    numbers = {i for i in range(len(headers)) if _numeric(rows, i)}
    head = "".join(f'<th class="{"n" if i in numbers else ""}" scope="col">{escape(str(h))}</th>'
                   for i, h in enumerate(headers))
    body = "".join("<tr>" + "".join(f'<td class="{"n" if i in numbers else ""}">{escape(_text(v))}</td>'
                                    for i, v in enumerate(row)) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _bars(headers: Sequence[str], rows: Sequence[Sequence[object]], series: Sequence[str]) -> str:
    """Horizontal grouped bars, one colour per series with a legend; a suppressed count has no bar, only [c]."""
    at = [list(headers).index(name) for name in series]
    numbers = [v for row in rows for i in at if isinstance(v := row[i], int) and not isinstance(v, Suppressed)]
    top = max(numbers, default=0) or 1
    group = BAR * len(series) + GAP
    parts, x = [], float(LABEL_WIDTH)
    for k, name in enumerate(series):  # each key as wide as its words (about 6.5 pixels a letter at 11px)
        parts.append(f'<rect x="{x:.0f}" y="2" width="10" height="10" fill="{COLOURS[k]}"/>'
                     f'<text x="{x + 14:.0f}" y="11">{escape(name)}</text>')
        x += 14 + CHAR_WIDTH * len(name) + 16
    for r, row in enumerate(rows):
        y = 20 + group * r
        parts.append(f'<text x="0" y="{y + BAR * len(series) / 2 + 4:.0f}">{escape(str(row[0]))[:30]}</text>')
        for k, i in enumerate(at):
            value = row[i]
            plotted = isinstance(value, int) and not isinstance(value, Suppressed)
            width = PLOT_WIDTH * cast(int, value) / top if plotted else 0
            top_y = y + BAR * k
            if plotted and width:
                parts.append(f'<rect x="{LABEL_WIDTH}" y="{top_y}" width="{width:.1f}" height="{BAR - 2}" '
                             f'fill="{COLOURS[k]}"/>')
            parts.append(f'<text x="{LABEL_WIDTH + width + 4:.1f}" y="{top_y + BAR - 3}">{escape(_text(value))}</text>')
    height = 20 + group * len(rows)
    label = ", ".join(series)
    width = max(LABEL_WIDTH + PLOT_WIDTH + 120, x)
    return (f'<svg role="img" aria-label="{escape(label)}" width="{width:.0f}" height="{height}" '
            f'xmlns="http://www.w3.org/2000/svg">{"".join(parts)}</svg>')


def board_html(report: BoardReport) -> str:
    """The whole page."""
    parts = [f"<h1>{escape(report.title)}</h1>", f'<p class="note">{escape(report.note)}</p>',
             "<h2>Headline</h2>", _table(("Measure", "Value"), report.headline)]
    for name, (headers, rows) in report.breakdowns.items():
        if not rows:
            continue  # as in the workbook: nobody to count
        parts += [f"<h2>{escape(name)}</h2>", _bars(headers, rows, chart_series(headers)), _table(headers, rows)]
    for name, headers, table in (("Grade gap", ("Grade gap", "Pairs"), report.grade_gaps),
                                 ("Scores", ("Score band", "Pairs"), report.scores),
                                 ("Unmatched reasons", ("Reason", "Juniors"), report.reasons)):
        if not table:
            continue
        parts += [f"<h2>{escape(name)}</h2>", _bars(headers, table, headers[1:]), _table(headers, table)]
    for name, (columns, lines) in report.checkins.items():
        chart = [_bars(("Month", *columns[1:]), lines, ("Pairs meeting",))] if "Pairs meeting" in columns else []
        parts += [f"<h2>{escape(name)}</h2>", *chart, _table(columns, lines)]
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{escape(report.title)}</title>'
            f"<style>{_STYLE}</style></head><body>{''.join(parts)}</body></html>")
