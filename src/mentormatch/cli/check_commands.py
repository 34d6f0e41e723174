"""After the match: `check` a hand-edited pairings workbook."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from mentormatch.cli.options import (
    EXIT_OK,
    EXIT_PROBLEMS,
    PairingsArgument,
    app,
    guarded,
    out,
    output_option,
    progress,
)


@app.command()
def check(
    pairings: PairingsArgument,
    output: output_option("Write the checked workbook here: the edits kept, Score and Why brought up to date, "
                          "what changed highlighted, Check sheets added. Without it, check only reports.") = None,
    applications: Annotated[Path | None, typer.Option(
        "--applications", dir_okay=False,
        help="The applications the round was matched from (default: the file the workbook recorded).")] = None,
) -> None:
    """Check a pairings workbook after its Pairings sheet was edited by hand: rules, capacities, people.

    Reports every pair that breaks a hard rule, anyone in two pairs, seniors over capacity, emails
    that are not applicants, and applicants in no pair and not in Unmatched, each at its row; says
    what the edits cost against the best pairing under the same rules and which one change recovers
    most. Exit code 0 when nothing breaks a rule, 1 when something does.

    Example:  mentormatch check pairings.xlsx -o pairings-checked.xlsx
    """
    from mentormatch.cli.render import figures, problems_tables
    from mentormatch.outputs.checked import check_rows, write_checked
    from mentormatch.round.check import check_pairings

    with guarded():
        with progress() as update:
            update("Checking the pairings against the round")
            report = check_pairings(pairings, applications=applications)
            written = write_checked(output, report) if output is not None else None
        out.print(figures("Check", check_rows(report)))
        if report.problems:
            where = (f"Each is in the Check problems sheet of {written.name}, its cell highlighted." if written
                     else "Write them with the edits highlighted: --output CHECKED.xlsx.")
            out.print(problems_tables(report.problems, where, errors_mean="each breaks a rule"))
        else:
            out.print("No pair breaks a rule, nobody is in two pairs, no senior is over capacity, and everyone "
                      "is paired or listed in Unmatched.")
        if written is not None:
            out.print(f"Wrote {escape(str(written))}")
    raise typer.Exit(EXIT_PROBLEMS if report.breaks_rules else EXIT_OK)
