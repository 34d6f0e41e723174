"""The `mentormatch` command: parse arguments, call one library function, render, exit.

The core commands live here; the round-management commands are in cli_round, imported below so
that Typer registers them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.markup import escape

from mentormatch.cli.options import (
    EXIT_OK,
    EXIT_PROBLEMS,
    ConfigOption,
    HeaderRowOption,
    HistoryOption,
    InputArgument,
    PresetOption,
    SheetOption,
    app,
    fail_usage,
    guarded,
    load_settings,
    out,
    output_option,
    progress,
    show_columns,
)


@app.command()
def validate(
    input_file: InputArgument,
    config: ConfigOption = None,
    preset: PresetOption = None,
    sheet: SheetOption = None,
    header_row: HeaderRowOption = None,
    output: Annotated[Path | None, output_option("Write the problems to this .xlsx file.")] = None,
    aliases_out: Annotated[Path | None, typer.Option(
        "--aliases-out", metavar="FILE.toml", dir_okay=False,
        help="Write an [aliases] block for every answer not recognised, each mapped to its closest known name, "
             "to check and paste into the config.")] = None,
) -> None:
    """Check every application against the round's rules and list the problems.

    Ends with every distinct answer not recognised (grade, department, profession): how many rows
    gave it, the closest known names, and what was done with it.
    Exit code 0 when no row has an error, 1 when some do (or the file cannot be read).

    Example:  mentormatch validate applications.xlsx -o problems.xlsx
    """
    from mentormatch.cli.render import figures, problems_tables, unrecognised_table
    from mentormatch.outputs.sheets import write_problems
    from mentormatch.outputs.workbook import write_text
    from mentormatch.validation.checks import validate_file
    from mentormatch.validation.unrecognised import aliases_block

    with guarded():
        settings = load_settings(config, preset)
        with progress() as update:
            stage = "Reading and validating applications"
            update(stage)
            result = validate_file(input_file, settings, sheet=sheet, header_row=header_row,
                                   on_progress=lambda done: update(stage, done))
        show_columns(result)
        out.print(figures("Applications", [
            ("Rows read", result.rows_read), ("Valid juniors", len(result.juniors)),
            ("Valid seniors", len(result.seniors)), ("Errors", len(result.errors)),
            ("Warnings", len(result.warnings))]))
        written = write_problems(output, result, settings) if output is not None else None
        if result.problems:
            out.print(problems_tables(result.problems, f"Every one is in the Problems sheet of {written.name}."
                                      if written else "Write them all to a workbook with --output."))
        if result.unrecognised:
            out.print(unrecognised_table(result.unrecognised, aliases_written=aliases_out is not None))
        if written is not None:
            out.print(f"Wrote {escape(str(written))}")
        if aliases_out is not None:
            written = write_text(aliases_out, aliases_block(result.unrecognised), inputs=[input_file])
            out.print(f"Wrote {escape(str(written))}: check each alias, then paste it into your config")
    raise typer.Exit(EXIT_PROBLEMS if result.errors else EXIT_OK)


@app.command()
def match(
    input_file: InputArgument,
    config: ConfigOption = None,
    preset: PresetOption = None,
    sheet: SheetOption = None,
    header_row: HeaderRowOption = None,
    output: Annotated[Path | None, output_option("Pairings workbook (default: INPUT-pairings.xlsx beside the input).")] = None,
    lock: Annotated[Path | None, typer.Option("--lock", dir_okay=False,
                                              help="Sheet or CSV of pairs agreed in advance: junior and senior email per row.")] = None,
    do_not_match: Annotated[Path | None, typer.Option("--do-not-match", "--exclude", dir_okay=False,
                                                 help="Sheet or CSV of pairs never to make: two emails per row.")] = None,
    seed: Annotated[int | None, typer.Option("--seed", help="Break exact ties at random with this seed.")] = None,
    explain: Annotated[str | None, typer.Option("--explain", metavar="EMAIL",
                                                help="Also show why this applicant got their partner (or none).")] = None,
    include_sensitive: Annotated[bool, typer.Option("--include-sensitive",
                                                    help="Also write each person's barriers answer (special-category "
                                                         "data: left out by default).")] = False,
    suggest: Annotated[int, typer.Option("--suggest", metavar="K", min=0, max=20,
                                         help="Add a Suggestions sheet: each junior's K best-fitting allowed seniors, "
                                              "their partner first.")] = 0,
    history: HistoryOption = None,
    shortlisted: Annotated[Path | None, typer.Option("--shortlist", metavar="SHORTLIST.xlsx", dir_okay=False,
                                                     help="Match only the juniors on this shortlist's Selected sheet.")] = None,
    solver: Annotated[Literal["dense", "sparse", "auto"], typer.Option(
        "--solver", help="Assignment solver: dense (whole matrix at once, fast for small rounds), sparse (candidates "
                         "proven against every pair, for large rounds) or auto (dense up to about 2,000 applicants, "
                         "sparse above). All give the same number of pairs and total score.")] = "auto",
) -> None:
    """Pair every junior you can with a senior, as well as possible, and write the pairings workbook.

    Rows with errors are left out and listed; everyone not paired gets a reason.

    Example:  mentormatch match applications.xlsx -c mentormatch.toml
    """
    from mentormatch.cli.render import (
        explanation_panel,
        figures,
        problem_counts,
    )
    from mentormatch.matching.figures import round_figures
    from mentormatch.matching.pipeline import run_matching
    from mentormatch.outputs.sheets import write_pairings
    from mentormatch.outputs.summary import summary_rows
    from mentormatch.round.drilldown import explain_applicant
    from mentormatch.round.drilldown import suggest as suggest_partners

    target = output or input_file.with_name(f"{input_file.stem}-pairings.xlsx")
    with guarded():
        settings = load_settings(config, preset)
        with progress() as update:
            result = run_matching(input_file, settings, sheet=sheet, header_row=header_row, lock=lock,
                                  do_not_match=do_not_match, seed=seed, history=history or [], shortlist=shortlisted,
                                  on_stage=update, solver=solver)
            explained = explain_applicant(result, explain) if explain else None  # a wrong email stops before writing
            suggestions = suggest_partners(result, suggest) if suggest else []
            update("Writing the workbook")
            written = write_pairings(target, result, [p for p in (lock, do_not_match, shortlisted, *(history or [])) if p],
                                     include_sensitive=include_sensitive, suggestions=suggestions)
        show_columns(result.validation, detail=False)
        rows = summary_rows(round_figures(result))
        out.print(figures("Round", [*rows, ("Time taken", f"{result.seconds:.2f} s")]))
        if result.problems:
            out.print(problem_counts(result.problems, f"the Problems sheet of {written.name}, or `mentormatch validate`"))
        if explained is not None:
            out.print(explanation_panel(explained))
        out.print(f"Wrote {escape(str(written))}")


@app.command()
def template(
    output: Annotated[Path, typer.Argument(help="Where to write the blank workbook (.xlsx).", dir_okay=False)],
    checkin: Annotated[bool, typer.Option("--checkin", help="Write the monthly check-in form instead: email, date, "
                                                           "met this month, usefulness 1-5, ended, comment.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
) -> None:
    """Write a blank application workbook with the headers mentormatch reads, drop-downs and a word count.

    With --checkin, the blank check-in form whose exports `mentormatch checkin` reads.

    Example:  mentormatch template applications.xlsx
    """
    from mentormatch.outputs.template import write_checkin_template, write_template

    if output.exists() and not force:
        fail_usage(f"{output} already exists: use --force to replace it.")
    with guarded():
        out.print(f"Wrote {escape(str((write_checkin_template if checkin else write_template)(output)))}")


@app.command()
def init(
    path: Annotated[Path, typer.Argument(help="Where to write the config.", dir_okay=False)] = Path("mentormatch.toml"),
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
) -> None:
    """Write a commented mentormatch.toml showing every setting and its default.

    Example:  mentormatch init mentormatch.toml
    """
    from mentormatch.config import init_template
    from mentormatch.outputs.workbook import write_text

    if path.exists() and not force:
        fail_usage(f"{path} already exists: use --force to replace it.")
    with guarded():
        out.print(f"Wrote {escape(str(write_text(path, init_template())))}")


@app.command()
def confirm(
    input_file: InputArgument,
    config: ConfigOption = None,
    preset: PresetOption = None,
    sheet: SheetOption = None,
    header_row: HeaderRowOption = None,
    output: Annotated[Path | None, output_option("Folder for the drafts (default: INPUT-confirmations).", folder=True)] = None,
) -> None:
    """Draft one email per applicant, before matching, with the details the round will use for them.

    Eligible applicants see their role, grade, department, profession, capacity, development aims
    and who they asked not to be matched with, and are asked to reply if anything is wrong. People
    left out for errors are told which answers to correct. Never the barriers answer or the EOI.
    The drafts are unsent .eml files and a mail-merge CSV; nothing is sent.

    Example:  mentormatch confirm applications.xlsx -c mentormatch.toml -o confirm
    """
    from mentormatch.outputs.outbox import check_outbox, older_drafts, write_outbox
    from mentormatch.round.confirmations import confirm_applications

    folder = output or input_file.with_name(f"{input_file.stem}-confirmations")
    with guarded():
        check_outbox(folder)
        settings = load_settings(config, preset)
        _validation, made = confirm_applications(input_file, settings, sheet=sheet, header_row=header_row)
        merge = write_outbox(folder, made.drafts)
        lines = [f"Drafted {len(made.drafts):,} confirmation email{'s' if len(made.drafts) != 1 else ''}: "
                 f"{made.eligible:,} to check their details, {made.to_correct:,} to correct an answer."]
        if made.no_address:
            lines.append(f"{made.no_address:,} row{'s' if made.no_address != 1 else ''} left out "
                         f"{'have' if made.no_address != 1 else 'has'} no usable email address, so no draft: see "
                         "`mentormatch validate`.")
        out.print(escape("\n".join(lines)))
        out.print(f"Wrote {escape(str(folder))} and {escape(merge.name)}. Nothing was sent.")
        if older := older_drafts(folder, made.drafts):
            out.print(escape(f"{len(older):,} older draft{'s' if len(older) != 1 else ''} in {folder.name} "
                             f"{'were' if len(older) != 1 else 'was'} not written by this run ({', '.join(older[:3])}"
                             f"{', …' if len(older) > 3 else ''}): delete them if they are out of date."))


@app.command()
def serve(
    folder: Annotated[Path, typer.Argument(help="Folder to pick exports from and save mentormatch.toml into.",
                                           file_okay=False)] = Path("."),
    port: Annotated[int, typer.Option("--port", min=0, max=65535,
                                      help="Port on 127.0.0.1 (default: any free port).")] = 0,
    no_browser: Annotated[bool, typer.Option("--no-browser", help="Print the address only; do not open a browser.")] = False,
) -> None:
    """Open the round in your browser: upload, columns, problems, settings, match, downloads.

    The page is served on 127.0.0.1 only, to this computer, behind a random token in the
    address printed (new each time). What you upload stays in memory until you stop the server (Ctrl+C); only
    what you save or download is written to disk. Needs the web extra: pip install 'mentormatch[web]'.

    Example:  mentormatch serve ~/mentoring --port 8765
    """
    try:
        from mentormatch.web.server import prepare
    except ImportError:
        fail_usage("The page needs the web extra: pip install 'mentormatch[web]'.")
    with guarded():
        server = prepare(folder, port)
        out.print(f"mentormatch is serving {escape(str(server.session.folder))} at\n\n    {server.address}\n\n"
                  "Open that address (it holds this session's token). Press Ctrl+C to stop: the session is then forgotten.",
                  soft_wrap=True, highlight=False)
        if not no_browser:
            import webbrowser

            webbrowser.open(server.launcher().as_uri())
        server.run()


def main() -> None:
    """Entry point of the `mentormatch` console script."""
    app()


import mentormatch.cli.check_commands  # noqa: E402  (registers check)
import mentormatch.cli.round_commands  # noqa: E402,F401  (registers panel, shortlist, rematch, compare, gaps, report, introduce)
