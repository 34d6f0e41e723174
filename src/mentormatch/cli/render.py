"""Rich rendering of results for the terminal. No logic: everything shown comes from the result."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from mentormatch.outcomes import Problem, Severity
from mentormatch.outputs.summary import indented

if TYPE_CHECKING:
    from mentormatch.validation.unrecognised import UnrecognisedAnswer

PROBLEM_ROWS_SHOWN = 20


def error_panel(console: Console, message: str, title: str = "Cannot continue") -> None:
    """Print a fatal error as a red panel."""
    console.print(Panel(escape(message), title=title, border_style="red", expand=False))


def figures(title: str, rows: Sequence[tuple[str, object]]) -> Table:
    """A two-column table of headline figures."""
    table = Table(title=escape(title), show_header=False, title_justify="left", title_style="bold")
    table.add_column("Measure")
    table.add_column("Value", justify="right")
    for name, value in rows:
        table.add_row(escape(indented(name)), f"{value:,}" if isinstance(value, int) else escape(str(value)))
    return table


def problems_table(problems: Sequence[Problem], limit: int = PROBLEM_ROWS_SHOWN,
                   rest: str = "in the Problems sheet (use --output)") -> Table:
    """The first `limit` problems by row, with a note of how many more there are."""
    table = Table(title="Problems", title_justify="left", title_style="bold")
    for header, style, width in (("Row", "cyan", 7), ("Column", "", 28), ("Severity", "", 8),
                                 ("Code", "magenta", 26), ("Message", "", None)):
        table.add_column(header, style=style, overflow="fold", max_width=width)
    for problem in problems[:limit]:
        colour = "red" if problem.severity is Severity.ERROR else "yellow"
        table.add_row("" if problem.row is None else str(problem.row), escape(problem.column or ""),
                      f"[{colour}]{problem.severity.value}[/]", problem.code, escape(problem.message))
    if len(problems) > limit:
        table.caption = f"…and {len(problems) - limit:,} more {rest}"
    return table


def explanation_panel(explanation: object) -> Panel:
    """One applicant's outcome and their best alternatives."""
    from mentormatch.round.drilldown import Explanation

    assert isinstance(explanation, Explanation)
    lines = [f"[bold]{escape(explanation.name)}[/] ({explanation.role})"]
    for pairing in explanation.pairings:
        partner = pairing.senior if pairing.junior.email == explanation.email else pairing.junior
        lines.append(f"Paired with [bold]{escape(partner.name)}[/], score {pairing.score}: {escape(pairing.why)}")
    if explanation.unmatched is not None:
        lines.append(f"Not paired: {escape(explanation.unmatched.reason)}")
    if explanation.alternatives:
        lines.append("")
        lines.append("Best-fitting partners:")
        for alt in explanation.alternatives:
            lines.append(f"  {alt.score:>3}  {escape(alt.name)} — {escape(alt.status)}")
    return Panel("\n".join(lines), title=f"Explanation for {escape(explanation.email)}", expand=False)


def problem_counts(problems: Sequence[Problem], where: str) -> Table:
    """How many problems of each code, errors first."""
    counts = Counter((p.severity.value, p.code) for p in problems)
    table = Table(title="Problems", title_justify="left", title_style="bold", caption=f"Details: {escape(where)}")
    table.add_column("Severity")
    table.add_column("Code", style="magenta")
    table.add_column("Rows", justify="right")
    for (severity, code), count in sorted(counts.items(), key=lambda item: (item[0][0] != "error", -item[1])):
        colour = "red" if severity == "error" else "yellow"
        table.add_row(f"[{colour}]{severity}[/]", code, f"{count:,}")
    return table


def comparison_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> Table:
    """Scenarios side by side, one column each; the first row (the rules) becomes the caption."""
    legend = "; ".join(f"{name}: {rule}" for name, rule in zip(headers[1:], rows[0][1:], strict=True))
    table = Table(title="Scenarios", title_justify="left", title_style="bold", caption=escape(legend),
                  caption_justify="left")
    for i, header in enumerate(headers):
        table.add_column(escape(str(header)), justify="left" if i == 0 else "right", overflow="fold",
                         max_width=26 if i == 0 else None)
    for row in rows[1:]:
        table.add_row(*[escape(f"{v:,}" if isinstance(v, int) else str(v)) for v in row])
    return table


def gaps_table(report: object) -> Table:
    """The profiles of senior to recruit, largest effect first, each with its re-run check."""
    from mentormatch.round.gaps import GapReport

    assert isinstance(report, GapReport)
    table = Table(title="Seniors to recruit", title_justify="left", title_style="bold",
                  caption="Each line checked by re-running the optimiser with those seniors added")
    table.add_column("#", justify="right")
    table.add_column("Recruit", overflow="fold")
    table.add_column("More juniors paired", justify="right")
    table.add_column("Checked", justify="center")
    for number, line in enumerate(report.lines, start=1):
        table.add_row(str(number), escape(f"{line.seniors:,} senior{'s' if line.seniors != 1 else ''} "
                                          f"{line.profile.text()}"), f"{line.juniors:,}",
                      "[green]yes[/]" if line.verified else "[red]no[/]")
    for need in report.unreachable:
        table.add_row("", escape(f"{need.junior.name}: no grade on the ladder is far enough above them"), "", "")
    return table


def unrecognised_table(answers: Sequence[UnrecognisedAnswer], limit: int = PROBLEM_ROWS_SHOWN) -> Table:
    """Every distinct answer not recognised: the spellings, how many rows, closest known names, what was done."""
    table = Table(title="Answers not recognised", title_justify="left", title_style="bold")
    table.add_column("Field")
    table.add_column("Answer", overflow="fold")
    table.add_column("Rows", justify="right")
    table.add_column("Closest known")
    table.add_column("Done")
    for answer in answers[:limit]:
        table.add_row(answer.field, escape(" / ".join(answer.answers)), f"{answer.rows:,}",
                      escape(", ".join(answer.closest) or "none close"), escape(answer.action))
    table.caption = ("Settle them with \\[aliases] in the config (--aliases-out writes a block to start from)"
                     + (f"; …and {len(answers) - limit:,} more" if len(answers) > limit else ""))
    return table
