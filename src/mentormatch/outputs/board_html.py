"""The board report as one self-contained HTML page: tables and inline SVG bar charts."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from mentormatch.outputs.board import BoardReport, board_columns

_STYLE = """body{font-family:Arial,Helvetica,sans-serif;margin:2rem;color:#0b0c0c;max-width:60rem}
h1{font-size:1.8rem}h2{font-size:1.3rem;margin-top:2rem}table{border-collapse:collapse;margin:.5rem 0}
th,td{border-bottom:1px solid #b1b4b6;padding:.3rem .8rem;text-align:left}td.n{text-align:right}
.note{color:#505a5f;font-size:.9rem}svg text{font-size:11px;font-family:Arial,sans-serif}"""


def _table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    head = "".join(f"<th>{escape(str(h))}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f'<td class="{"n" if i else ""}">{escape(str(v))}</td>' for i, v in enumerate(row))
                   + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _bars(rows: Sequence[Sequence[object]], column: int = 1) -> str:
    """A horizontal bar chart of one column; suppressed counts are drawn as gaps labelled [c]."""
    values = [row[column] if isinstance(row[column], int) else 0 for row in rows]
    top = max(values, default=0) or 1
    height = 22 * len(rows) + 10
    bars = []
    for i, row in enumerate(rows):
        y = 22 * i + 5
        width = 300 * values[i] / top
        bars.append(f'<text x="0" y="{y + 14}">{escape(str(row[0]))[:28]}</text>'
                    f'<rect x="190" y="{y}" width="{width:.1f}" height="16" fill="#1d70b8"/>'
                    f'<text x="{195 + width:.1f}" y="{y + 13}">{escape(str(row[column]))}</text>')
    return f'<svg role="img" width="560" height="{height}" xmlns="http://www.w3.org/2000/svg">{"".join(bars)}</svg>'


def board_html(report: BoardReport) -> str:
    """The whole page."""
    group = board_columns(report)
    parts = [f"<h1>Mentoring round: {escape(report.source.stem)}</h1>",
             '<p class="note">Counts from 1 to 4 are shown as [c] (suppressed).</p>',
             "<h2>Headline</h2>", _table(("Measure", "Value"), report.headline)]
    for name, rows in report.breakdowns.items():
        parts += [f"<h2>{escape(name)}</h2>", _bars(rows), _table(group, rows)]
    for name, headers, rows in (("Grade gap", ("Grade gap", "Pairs"), report.grade_gaps),
                                ("Scores", ("Score band", "Pairs"), report.scores),
                                ("Unmatched reasons", ("Reason", "Juniors"), report.reasons)):
        parts += [f"<h2>{escape(name)}</h2>", _bars(rows), _table(headers, rows)]
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Mentoring round report</title>'
            f"<style>{_STYLE}</style></head><body>{''.join(parts)}</body></html>")
