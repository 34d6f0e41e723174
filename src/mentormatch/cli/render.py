"""Rich rendering of results for the terminal. No logic: everything shown comes from the result."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich import box
from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from mentormatch.outcomes import CODES, Problem, Severity
from mentormatch.outputs.summary import indented
from mentormatch.outputs.workbook import Percent

if TYPE_CHECKING:
    from mentormatch.round.introductions import Introductions
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
        table.add_row(escape(indented(name)), escape(as_text(value)))
    return table


def as_text(value: object) -> str:
    """A figure as printed: counts with thousands separators, shares as percentages."""
    if isinstance(value, Percent):
        return f"{value:.0%}"
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else str(value)


def _short(text: str, most: int) -> str:
    """Text cut to `most` characters at a word where it can be, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= most:
        return text
    cut = text[: most - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut[most // 2:] else cut) + "…"


def problems_tables(problems: Sequence[Problem], rest: str, per_code: int = PROBLEM_ROWS_SHOWN,
                    errors_mean: str = "those rows are left out") -> Group:
    """The problems grouped by code, errors first and the commonest first: for each, its words, then Row,
    Column, Value (shortened) and Message of its first `per_code` rows; then the total and where the rest are."""
    by_code: dict[str, list[Problem]] = {}
    for problem in problems:
        by_code.setdefault(problem.code, []).append(problem)
    order = sorted(by_code, key=lambda c: (by_code[c][0].severity is not Severity.ERROR, -len(by_code[c]), c))
    parts: list[object] = []
    for code in order:
        found = by_code[code]
        severity = found[0].severity
        colour = "red" if severity is Severity.ERROR else "yellow"
        # One message for the whole group is said once, above its rows, rather than on every row.
        same = len({p.message for p in found}) == 1
        words = found[0].message if same else (CODES[code].title if code in CODES else code)
        parts.append(f"\n[{colour}]{severity.value}[/] [bold]{escape(code)}[/] "
                     f"({len(found):,} {'row' if len(found) == 1 else 'rows'}): {escape(words)}")
        table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
        table.add_column("Row", justify="right", no_wrap=True, style="cyan")
        table.add_column("Column", max_width=None if same else 22)
        table.add_column("Value", max_width=None if same else 18)
        if not same:
            table.add_column("Message", ratio=1, min_width=24)
        for problem in found[:per_code]:
            table.add_row("" if problem.row is None else str(problem.row), escape(_short(problem.column or "", 40)),
                          escape(_short(problem.value, 36)), *([] if same else [escape(problem.message)]))
        if len(found) > per_code:
            table.caption = f"…and {len(found) - per_code:,} more"
            table.caption_justify = "left"
        parts.append(table)
    errors = sum(p.severity is Severity.ERROR for p in problems)
    parts.append(f"{len(problems):,} problem{'s' if len(problems) != 1 else ''}: {errors:,} "
                 f"error{'s' if errors != 1 else ''} ({errors_mean}) and {len(problems) - errors:,} "
                 f"warning{'s' if len(problems) - errors != 1 else ''}. {escape(rest)}")
    return Group(*parts)


def problem_counts(problems: Sequence[Problem], where: str) -> Table:
    """How many problems of each code, errors first, with each code's words."""
    counts = Counter((p.severity.value, p.code) for p in problems)
    table = Table(title="Problems", title_justify="left", title_style="bold", caption=f"Details: {escape(where)}",
                  caption_justify="left")
    table.add_column("Severity", no_wrap=True)
    table.add_column("Code", style="magenta", no_wrap=True)
    table.add_column("What it means", ratio=1)
    table.add_column("Rows", justify="right", no_wrap=True)
    for (severity, code), count in sorted(counts.items(), key=lambda item: (item[0][0] != "error", -item[1])):
        colour = "red" if severity == "error" else "yellow"
        table.add_row(f"[{colour}]{severity}[/]", code, escape(CODES[code].title if code in CODES else ""),
                      f"{count:,}")
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
    if explanation.priority:
        lines.append(escape(explanation.priority))
    if explanation.alternatives:
        lines.append("")
        lines.append("Best-fitting partners:")
        for alt in explanation.alternatives:
            lines.append(f"  {alt.score:>3}  {escape(alt.name)} — {escape(alt.status)}")
    return Panel("\n".join(lines), title=f"Explanation for {escape(explanation.email)}", expand=False)


SCENARIO_WIDTH = 10


def fold_name(name: str, width: int) -> str:
    """A scenario's name on lines of at most `width`, broken after a '-', '_', '.' or space where it can be
    ("profession-" over "prefer"), never inside a word that fits."""
    parts = re.findall(r"[^-_. ]+[-_. ]*", name) or [name]
    lines = [""]
    for part in parts:
        if lines[-1] and len(lines[-1]) + len(part.rstrip()) > width:
            lines.append("")
        lines[-1] += part
    return "\n".join(line.rstrip() for line in lines)


def comparison_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> Table:
    """Scenarios side by side, one column each; the first row (the rules) becomes the caption."""
    legend = "; ".join(f"{name}: {rule}" for name, rule in zip(headers[1:], rows[0][1:], strict=True))
    table = Table(title="Scenarios", title_justify="left", title_style="bold", caption=escape(legend),
                  caption_justify="left", box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True)
    # The measures' words are kept whole (the longest is "Cross-department"); a scenario's name folds
    # only when it is longer than its column.
    table.add_column(escape(str(headers[0])), min_width=16, max_width=26)
    for header in headers[1:]:  # about 10 wide, so five scenarios fit beside the measures in 80 columns
        name = fold_name(str(header), SCENARIO_WIDTH)
        widest = max(len(line) for line in name.split("\n"))  # a word is never broken
        table.add_column(escape(name), justify="right", overflow="fold", min_width=widest,
                         max_width=max(SCENARIO_WIDTH, widest))
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


def unrecognised_table(answers: Sequence[UnrecognisedAnswer], limit: int = PROBLEM_ROWS_SHOWN,
                       aliases_written: bool = False) -> Table:
    """Every distinct answer not recognised or read with a doubt: spellings, rows, closest known names, what was done."""
    table = Table(title="Answers read with a warning", title_justify="left", title_style="bold")
    table.add_column("Field")
    table.add_column("Answer", overflow="fold")
    table.add_column("Rows", justify="right")
    table.add_column("Closest known")
    table.add_column("Done", overflow="fold")
    for answer in answers[:limit]:
        table.add_row(answer.field, escape(" / ".join(answer.answers)), f"{answer.rows:,}",
                      escape(", ".join(answer.closest) or ("" if answer.recognised else "none close")),
                      escape(answer.action))
    table.caption_justify = "left"
    table.caption = ("Settle them with \\[aliases] in the config"
                     + ("" if aliases_written else " (--aliases-out writes a block to start from)")
                     + (f"; …and {len(answers) - limit:,} more" if len(answers) > limit else ""))
    return table


_WORDING = {
    "template": "in your template's wording",
    "given": "in the {scheme} mentoring wording",
    "recorded": "in the {scheme} mentoring wording, the scheme the round was matched under",
    "assumed": "in the {scheme} mentoring wording, as the workbook does not record its scheme "
               "(give --scheme reverse for reverse mentoring)",
}


def introductions_text(made: Introductions) -> str:
    """What `introduce` drafted: how many, under which file names, in which wording, and which pairs it left out."""
    drafts = made.drafts
    names = "" if not drafts else f" ({drafts[0].file_name}{f' to {drafts[-1].file_name}' if len(drafts) > 1 else ''})"
    scheme = made.scheme.value if made.scheme is not None else ""
    lines = [f"Drafted {len(drafts):,} introduction{'s' if len(drafts) != 1 else ''}{names} "
             f"{_WORDING[made.scheme_from].format(scheme=scheme)}." if drafts else
             f"No {'new ' if made.not_drafted else ''}pairs to introduce."]
    kept = sum(draft.kept for draft in drafts)
    if kept:
        lines.append(f"{kept:,} of them {'are pairs' if kept != 1 else 'is a pair'} kept from the earlier pairings, "
                     "marked in the mail-merge CSV's Kept pair column.")
    if made.not_drafted:
        lines.append(f"{made.not_drafted:,} pair{'s' if made.not_drafted != 1 else ''} kept from the earlier pairings "
                     "were introduced before and not drafted again: give --all to draft them too.")
    lines += list(made.notes)
    return escape("\n".join(lines))
