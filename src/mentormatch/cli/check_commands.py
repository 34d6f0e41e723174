"""After the match: `check` a hand-edited pairings workbook, follow the pairs with `checkin`, `report` to the board."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from mentormatch.cli.options import (
    EXIT_OK,
    EXIT_PROBLEMS,
    ConfigOption,
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
    output: Annotated[Path | None, output_option("Write the checked workbook here: the edits kept, Score and Why brought up to date, "
                          "what changed highlighted, Check sheets added. Without it, check only reports.")] = None,
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
        if report.note:
            out.print(f"[yellow]{escape(report.note)}[/]")
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


@app.command()
def checkin(
    pairings: PairingsArgument,
    responses: Annotated[list[Path], typer.Option(
        "--responses", dir_okay=False, help="A check-in form export (.xlsx or .csv): one per month, or one with a "
                                            "date column. Repeat it.")],
    config: ConfigOption = None,
    ended: Annotated[list[str] | None, typer.Option(
        "--ended", metavar="EMAIL", help="Someone whose partnership has ended (they leave; their partner can be "
                                         "re-paired). Repeat it.")] = None,
    include_comments: Annotated[bool, typer.Option(
        "--include-comments", help="Also write the free-text comments (left out by default: they may hold "
                                   "personal details).")] = False,
    output: Annotated[Path | None, output_option("Tracker workbook (default: PAIRINGS-tracker.xlsx).")] = None,
) -> None:
    """Follow the pairs through the programme: join monthly check-in exports to the pairs and write a tracker.

    Per pair: the months a meeting was reported, the last one, how useful each side found it, who
    answered, and a status (on track, not met for N months, one side reports not meeting, no
    answers, ended); the pairs to contact, most at risk first; and the board's figures by month and
    group under the report's disclosure control. Its Ended sheet feeds rematch as withdrawals.

    Example:  mentormatch checkin pairings.xlsx --responses june.xlsx
    """
    from mentormatch.cli.render import figures, problem_counts
    from mentormatch.config import build_config, load_config
    from mentormatch.inputs.pairings_book import read_round_record
    from mentormatch.outputs.board import checkin_figures
    from mentormatch.outputs.tracker import write_tracker
    from mentormatch.round.checkin_counts import checkin_counts
    from mentormatch.round.tracker import track

    target = output or pairings.with_name(f"{pairings.stem}-tracker.xlsx")
    with guarded():
        settings = load_config(config, None) if config else build_config(read_round_record(pairings).settings or {})
        made = track(pairings, responses, settings, ended or [])
        # The board's figures, protected with the round's board report so both can be published together.
        counts = checkin_counts(made)
        board, alone = checkin_figures(pairings, counts, settings.report.smallest_count)
        written = write_tracker(target, made, settings, include_comments=include_comments, figures=board,
                                counts=counts)
        if alone:
            out.print(f"[yellow]{escape(alone)}[/]")
        headline = board[0]
        out.print(figures(f"Check-ins: {', '.join(made.months) or 'none'}", headline))
        contact = made.contact
        out.print(f"{len(contact):,} pair{'s' if len(contact) != 1 else ''} to contact this month"
                  + (f", most at risk first: see the Contact sheet of {escape(written.name)}." if contact else "."))
        if made.ended:
            out.print(f"{len(made.ended):,} partnership{'s' if len(made.ended) != 1 else ''} ended: re-pair with "
                      f"`mentormatch rematch {escape(pairings.name)} --withdrawn-file {escape(written.name)}`.")
        if made.problems:
            out.print(problem_counts(made.problems, f"the Problems sheet of {written.name}"))
        out.print(f"Wrote {escape(str(written))}")


@app.command()
def report(
    pairings: PairingsArgument,
    output: Annotated[Path | None, output_option("Report workbook (default: PAIRINGS-report.xlsx).")] = None,
    html: Annotated[Path | None, typer.Option("--html", dir_okay=False,
                                              help="Also write the report as one self-contained HTML page.")] = None,
    tracker: Annotated[Path | None, typer.Option(
        "--tracker", dir_okay=False, help="A check-in tracker (`mentormatch checkin`): add its programme figures "
                                          "by month and group.")] = None,
) -> None:
    """Write the programme board's report: breakdowns by grade, department and profession, charts, small counts suppressed.

    Example:  mentormatch report pairings.xlsx --tracker tracker.xlsx
    """
    from mentormatch.cli.render import figures
    from mentormatch.outputs.board import board_report
    from mentormatch.outputs.board_book import write_board

    target = output or pairings.with_name(f"{pairings.stem}-report.xlsx")
    with guarded():
        made = board_report(pairings, tracker)
        written = write_board(target, made)
        out.print(figures(made.title, made.headline))
        out.print(escape(made.note))
        for note in made.notes:
            out.print(f"[yellow]{escape(note)}[/]")
        out.print(f"Wrote {escape(str(written))}")
        if html is not None:
            from mentormatch.outputs.board_html import board_html
            from mentormatch.outputs.workbook import write_text

            out.print(f"Wrote {escape(str(write_text(html, board_html(made), inputs=[pairings, *([tracker] if tracker else [])])))}")


@app.command()
def history(
    pairings: Annotated[list[Path], typer.Argument(help="The pairings workbooks of the rounds, oldest first.",
                                                   metavar="PAIRINGS...", dir_okay=False)],
    output: Annotated[Path | None, output_option("Programme workbook (default: programme-history.xlsx beside the last round).")] = None,
) -> None:
    """One programme record across rounds: each person's rounds, roles and partners, and the figures by round.

    The figures (applicants, pairs, applicants without a partner, repeat applicants) are under the board
    report's disclosure control; the People sheet names everyone and is for the coordinator only.

    Example:  mentormatch history 2025.xlsx 2026.xlsx -o programme.xlsx
    """
    from mentormatch.outputs.programme import write_programme
    from mentormatch.round.programme import programme_record

    target = output or pairings[-1].with_name("programme-history.xlsx")
    with guarded():
        record = programme_record(pairings)
        written = write_programme(target, record)
        repeat = sum(len(p.rounds) > 1 for p in record.people)
        out.print(f"{len(record.rounds):,} round{'s' if len(record.rounds) != 1 else ''}, {len(record.people):,} "
                  f"people, {repeat:,} of them in more than one round.")
        out.print(f"Wrote {escape(str(written))}")
