"""Round-management commands: panel, shortlist, rematch, compare, gaps, report, introduce."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from mentormatch.cli.options import (
    ConfigOption,
    HeaderRowOption,
    HistoryOption,
    InputArgument,
    PairingsArgument,
    PresetOption,
    SheetOption,
    app,
    fail_usage,
    guarded,
    load_settings,
    out,
    output_option,
    progress,
)


def _places(value: str) -> int | None:
    if value.strip().lower() == "auto":
        return None
    if not value.strip().isdigit() or int(value) < 1:
        fail_usage(f"--places takes a whole number of places or 'auto', not {value!r}.")
    return int(value)


def _department_share(value: str | None) -> float | None:
    if value is None:
        return None
    key, _eq, share = value.partition("=")
    try:
        number = float(share)
    except ValueError:
        number = -1.0
    if key.strip().lower() != "department" or not 0 < number <= 1:
        fail_usage(f"--max-share takes department=SHARE with a share above 0 and at most 1, not {value!r}.")
    return number


@app.command()
def panel(
    input_file: InputArgument,
    config: ConfigOption = None,
    preset: PresetOption = None,
    sheet: SheetOption = None,
    header_row: HeaderRowOption = None,
    assessors: Annotated[int | None, typer.Option("--assessors", min=1, max=20,
                                                  help="Mark columns, one per assessor (default: panel.assessors, 3).")] = None,
    output: Annotated[Path | None, output_option("Panel workbook (default: INPUT-panel.xlsx).")] = None,
) -> None:
    """Write a blind EOI panel: each eligible junior's statement under an anonymous reference, to mark.

    Example:  mentormatch panel applications.xlsx --assessors 3 -o panel.xlsx
    """
    from mentormatch.outputs.sheets import write_panel
    from mentormatch.round.panel import panel_entries
    from mentormatch.validation.checks import validate_file

    target = output or input_file.with_name(f"{input_file.stem}-panel.xlsx")
    with guarded():
        settings = load_settings(config, preset)
        if assessors is not None:
            settings = settings.model_copy(update={"panel": settings.panel.model_copy(update={"assessors": assessors})})
        validation = validate_file(input_file, settings, sheet=sheet, header_row=header_row)
        entries = panel_entries(validation)
        written = write_panel(target, entries, settings, input_file, config)
        out.print(f"{len(entries):,} expressions of interest for {settings.panel.assessors} assessors, names removed.")
        out.print(f"Wrote {escape(str(written))}")


@app.command()
def shortlist(
    input_file: InputArgument,
    places: Annotated[str, typer.Option("--places", metavar="N|auto",
                                        help="How many juniors to take, or 'auto' for as many as can be matched.")],
    config: ConfigOption = None,
    preset: PresetOption = None,
    sheet: SheetOption = None,
    header_row: HeaderRowOption = None,
    marks: Annotated[Path | None, typer.Option("--marks", "--scores", dir_okay=False,
                                               help="The panel workbook with the assessors' marks filled in.")] = None,
    max_share: Annotated[str | None, typer.Option(
        "--max-share", metavar="department=SHARE",
        help="At most this share of the places for any one department, e.g. department=0.25.")] = None,
    history: HistoryOption = None,
    output: Annotated[Path | None, output_option("Shortlist workbook (default: INPUT-shortlist.xlsx).")] = None,
) -> None:
    """Select the juniors to take into an oversubscribed round: best marks that can all be partnered.

    Example:  mentormatch shortlist apps.xlsx --places 40 --marks panel.xlsx
    """
    from mentormatch.cli.render import problem_counts
    from mentormatch.outputs.sheets import write_shortlist
    from mentormatch.round.panel import make_shortlist

    target = output or input_file.with_name(f"{input_file.stem}-shortlist.xlsx")
    count = _places(places)
    share = _department_share(max_share)
    with guarded():
        settings = load_settings(config, preset)
        with progress() as update:
            update("Selecting")
            made = make_shortlist(input_file, settings, places=count, marks=marks, department_share=share,
                                  sheet=sheet, header_row=header_row, history=history or [])
            written = write_shortlist(target, made.candidates, made.problems, made.validation, settings,
                                      made.settings, [marks] if marks else [])
        outcomes = Counter(c.outcome for c in made.candidates)
        out.print(f"Selected {outcomes['selected']:,}; reserve {outcomes['reserve']:,}; not selected "
                  f"{outcomes['not selected'] + sum(1 for e in made.validation.left_out if e.role == 'junior'):,}. "
                  f"Ranking: {escape(str(made.settings[1][1]))}.")
        if made.problems:
            out.print(problem_counts(made.problems, f"the Problems sheet of {written.name}"))
        out.print(f"Wrote {escape(str(written))}")


PLURALS = {"new pair": "new pairs", "pair ended": "pairs ended", "place freed": "places freed",
           "reserve taken": "reserves taken"}  # the other changes are verbs: "2 withdrew", "3 waiting"


@app.command()
def rematch(
    pairings: Annotated[Path, typer.Argument(help="The pairings workbook to update.", dir_okay=False)],
    withdrawn: Annotated[list[str] | None, typer.Option("--withdrawn", metavar="EMAIL",
                                                        help="Someone who has withdrawn. Repeat it.")] = None,
    withdrawn_file: Annotated[Path | None, typer.Option(
        "--withdrawn-file", dir_okay=False, help="One email per line (.txt), or a sheet or CSV with an Email column.")] = None,
    applications: Annotated[Path | None, typer.Option(
        "--applications", dir_okay=False,
        help="Applications to re-pair from, new and reserve applicants included (default: the file the pairings "
             "were made from, beside the workbook).")] = None,
    history: HistoryOption = None,
    do_not_match: Annotated[Path | None, typer.Option(
        "--do-not-match", "--exclude", dir_okay=False, help="More pairs never to make (two emails per row), added to those the "
                                          "round recorded.")] = None,
    lock: Annotated[Path | None, typer.Option(
        "--lock", dir_okay=False, help="Pairs agreed since the round (junior and senior email per row).")] = None,
    use_reserves: Annotated[bool, typer.Option(
        "--use-reserves", help="Offer free places to the shortlist's reserves, in reserve order.")] = False,
    config: Annotated[Path | None, typer.Option(
        "--config", "-c", dir_okay=False, help="Replace the settings the round recorded with this config.")] = None,
    preset: Annotated[str | None, typer.Option(
        "--preset", help="Replace the settings the round recorded with a preset.")] = None,
    sheet: SheetOption = None,
    header_row: HeaderRowOption = None,
    output: Annotated[Path | None, output_option("New pairings workbook (default: PAIRINGS-rematched.xlsx).")] = None,
) -> None:
    """Re-pair after withdrawals: every untouched pair stays exactly as it was; the rest are re-paired.

    The round continues as the pairings workbook recorded it: the same settings, shortlist,
    do-not-match and history pairs. Options given here override and are recorded as overrides.

    Example:  mentormatch rematch pairings.xlsx --withdrawn sam@example.gov.uk
    """
    from mentormatch.inputs.lists import read_withdrawn
    from mentormatch.outputs.sheets import write_rematch
    from mentormatch.round.rematch import rematch as run_rematch

    target = output or pairings.with_name(f"{pairings.stem}-rematched.xlsx")
    with guarded():
        settings = load_settings(config, preset) if config is not None or preset is not None else None
        emails = [*(withdrawn or []), *(read_withdrawn(withdrawn_file) if withdrawn_file else [])]
        with progress() as update:
            rematched = run_rematch(pairings, emails, settings, applications=applications, history=history or [],
                                    do_not_match=do_not_match, lock=lock, use_reserves=use_reserves, sheet=sheet,
                                    header_row=header_row,
                                    on_stage=update)
            update("Writing the workbook")
            written = write_rematch(target, rematched, [pairings, *([withdrawn_file] if withdrawn_file else []),
                                                        *(history or []), *(p for p in (do_not_match, lock) if p)])
        for note in rematched.notes:
            out.print(f"[yellow]{escape(note)}[/]")
        counts = Counter(change.change for change in rematched.changes)
        kept = len(rematched.kept_rows)
        out.print(f"Kept {kept:,} pair{'s' if kept != 1 else ''} unchanged; "
                  + ", ".join(f"{count:,} {PLURALS.get(name, name) if count != 1 else name}"
                              for name, count in counts.items()) + ".")
        out.print(f"Wrote {escape(str(written))}")


@app.command()
def compare(
    input_file: InputArgument,
    config: ConfigOption = None,
    preset: PresetOption = None,
    sheet: SheetOption = None,
    header_row: HeaderRowOption = None,
    scenario: Annotated[list[str] | None, typer.Option(
        "--scenario", metavar="NAME=PRESET_OR_CONFIG",
        help="A rule set to compare: a preset (mutual-2023, mutual-2022, reverse) or a config file. Repeat it.")] = None,
    setting: Annotated[list[str] | None, typer.Option(
        "--set", metavar="NAME:KEY=VALUE", help="Change one setting in one scenario, e.g. relaxed:rules.profession=prefer.")] = None,
    output: Annotated[Path | None, output_option("Comparison workbook (default: INPUT-compare.xlsx).")] = None,
) -> None:
    """Match the same applications under several rule sets and compare the results side by side.

    The first scenario is the baseline. For every other one the table counts
    the pairs it makes that the baseline does not (new) and the baseline's
    pairs it does not make (dropped), and says whether it changes the pairs
    or only their scores. Without --scenario, the configured rules are
    compared with each rule relaxed on its own.

    Example:  mentormatch compare applications.xlsx -c mentormatch.toml
    """
    from mentormatch.cli.render import comparison_table
    from mentormatch.config import read_config_data
    from mentormatch.outputs.sheets import comparison_rows, write_comparison
    from mentormatch.round.compare import build_scenarios, compare_scenarios

    target = output or input_file.with_name(f"{input_file.stem}-compare.xlsx")
    with guarded():
        base = read_config_data(config) if config else {}
        if preset:
            base = {**base, "preset": preset}
        scenarios = build_scenarios(base, scenario or [], setting or [], folder=Path.cwd())
        with progress() as update:
            comparison = compare_scenarios(input_file, scenarios, sheet=sheet, header_row=header_row, on_stage=update)
            update("Writing the workbook")
            written = write_comparison(target, comparison)
        out.print(comparison_table(*comparison_rows(comparison)))
        for change in comparison.changes()[1:]:
            out.print(escape(change.describe()))
        best = comparison.best()
        if best is not None:
            chosen, extra = best
            verdict = (f"{escape(chosen.name)} ({escape(chosen.description)}) pairs the most: {extra:+,} juniors "
                       f"against {escape(comparison.outcomes[0][0].name)}." if extra > 0 else
                       f"No scenario pairs more juniors than {escape(comparison.outcomes[0][0].name)}.")
            out.print(verdict)
        out.print(f"Wrote {escape(str(written))}")


@app.command()
def gaps(
    input_file: InputArgument,
    config: ConfigOption = None,
    preset: PresetOption = None,
    sheet: SheetOption = None,
    header_row: HeaderRowOption = None,
    output: Annotated[Path | None, output_option("Recruitment workbook (default: INPUT-gaps.xlsx).")] = None,
) -> None:
    """Say which seniors to recruit so that more of the juniors left unpaired could be partnered.

    Each line is a profile to recruit: a grade band and up to three
    departments and three professions to recruit from, with how many more
    juniors it would pair. At most five lines, largest first; each is checked
    by re-running the optimiser with that many seniors added.

    Example:  mentormatch gaps applications.xlsx -c mentormatch.toml
    """
    from mentormatch.cli.render import gaps_table
    from mentormatch.matching.pipeline import run_matching
    from mentormatch.outputs.sheets import write_gaps
    from mentormatch.round.gaps import find_gaps

    target = output or input_file.with_name(f"{input_file.stem}-gaps.xlsx")
    with guarded():
        settings = load_settings(config, preset)
        with progress() as update:
            result = run_matching(input_file, settings, sheet=sheet, header_row=header_row, on_stage=update)
            update("Working out whom to recruit")
            report = find_gaps(result)
            written = write_gaps(target, report)
        if report.lines or report.unreachable:
            out.print(gaps_table(report))
        for sentence in report.closing():
            out.print(escape(sentence))
        out.print(f"Wrote {escape(str(written))}")


@app.command()
def introduce(
    pairings: PairingsArgument,
    template_file: Annotated[Path | None, typer.Option(
        "--template", dir_okay=False,
        help="Your own wording: a text file with a 'Subject: …' line, a blank line, then the body, with "
             "placeholders such as {junior_first_name}, {senior_name}, {shared_aims} (see the README). Wrapped lines "
             "are joined.")] = None,
    scheme: Annotated[str | None, typer.Option(
        "--scheme", metavar="mutual|reverse",
        help="The built-in wording to use: mutual (partners mentor each other) or reverse (the junior partner "
             "mentors the senior). Default: the scheme the round was matched under.")] = None,
    every_pair: Annotated[bool, typer.Option(
        "--all", help="After a rematch, draft the kept pairs again too (by default only the new pairs).")] = False,
    output: Annotated[Path | None, output_option("Folder for the drafts (default: PAIRINGS-introductions).", folder=True)] = None,
) -> None:
    """Draft an introduction email for each new pair (.eml files and a mail-merge CSV). Nothing is sent.

    Worded for the round's scheme: reverse (the junior partner mentors the senior) or mutual.

    After a rematch only its new pairs are drafted, numbered after the pairs drafted before.

    Example:  mentormatch introduce pairings.xlsx -o outbox
    """
    from mentormatch.cli.render import introductions_text
    from mentormatch.config import Scheme
    from mentormatch.errors import MentormatchError
    from mentormatch.files import note_read
    from mentormatch.outputs.outbox import check_outbox, older_drafts, write_outbox
    from mentormatch.round.introductions import draft_introductions

    if scheme is not None and scheme.lower() not in ("mutual", "reverse"):
        fail_usage(f"--scheme takes mutual or reverse, not {scheme!r}.")
    if template_file is not None and scheme is not None:
        fail_usage("--scheme chooses the built-in wording and --template gives your own: give one of them.")
    folder = output or pairings.with_name(f"{pairings.stem}-introductions")
    with guarded():
        check_outbox(folder)
        text = None
        if template_file is not None:
            try:
                note_read(template_file)
                text = template_file.read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError) as exc:
                raise MentormatchError(f"Cannot read the template {template_file} ({exc.__class__.__name__}).") from None
        made = draft_introductions(pairings, text, scheme=Scheme(scheme.lower()) if scheme else None,
                                   every_pair=every_pair)
        merge = write_outbox(folder, made.drafts)
        out.print(introductions_text(made))
        out.print(f"Wrote {escape(str(folder))} and {escape(merge.name)}. Nothing was sent.")
        if older := older_drafts(folder, made.drafts):
            out.print(escape(f"{len(older):,} older draft{'s' if len(older) != 1 else ''} in {folder.name} "
                             f"{'were' if len(older) != 1 else 'was'} not written by this run ({', '.join(older[:3])}"
                             f"{', …' if len(older) > 3 else ''}): delete them if they are out of date."))

