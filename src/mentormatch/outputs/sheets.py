"""Results -> workbook sheets: Pairings, Unmatched, Problems, Summary, Breakdown, Settings."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from pathlib import Path

from mentormatch import __version__
from mentormatch.config import Config, settings_rows
from mentormatch.inputs.headers import ColumnMap
from mentormatch.inputs.pairings_book import (
    PAIRING_HEADERS,
    ROUND_HEADERS,
    ROUND_SHEET,
    UNMATCHED_HEADERS,
    PairNumbering,
    number_pairs,
    round_records,
)
from mentormatch.matching.figures import round_figures
from mentormatch.matching.pipeline import MatchResult
from mentormatch.matching.reasons import professions_text, shared_aims
from mentormatch.outcomes import Problem
from mentormatch.outputs.summary import (
    LOCKED,
    MEAN_SCORE,
    breakdown_sheet,
    summary_rows,
    summary_sheet,
)
from mentormatch.outputs.workbook import Sheet, write_workbook
from mentormatch.outputs.xlsx_write import run_at
from mentormatch.round.compare import Comparison
from mentormatch.round.drilldown import Suggestion
from mentormatch.round.gaps import GapReport, need_text
from mentormatch.round.panel import Candidate, PanelEntry
from mentormatch.round.rematch import RematchResult
from mentormatch.validation.checks import ValidationResult
from mentormatch.vocab.professions import short_name

PROBLEM_HEADERS = ("Row", "Email", "Column", "Severity", "Code", "Value", "Message")
# Widths that print a pair on one A4 landscape line at a readable size; long answers wrap. Email
# columns are fitted to the emails (and wrap too, should a later one be longer).
PAIRING_WIDTHS = {"Junior name": 16, "Junior grade": 11, "Junior department": 14, "Junior profession": 11,
                  "Senior name": 16, "Senior grade": 11, "Senior department": 14, "Senior profession": 11,
                  "Score": 7, "Why": 44, "Shared aims": 20}
PAIRING_WRAP = frozenset({"Junior email", "Senior email", *PAIRING_WIDTHS} - {"Score"})
SENSITIVE_NOTE = ("Barriers", "Special-category personal data, included because --include-sensitive was given: "
                  "share this workbook only with those who need it.")
RECRUIT_HEADERS = ("Line", "Seniors to recruit", "Grade", "From departments", "In professions",
                   "More juniors paired", "Pairs gained on re-run", "Verified", "Newly paired in the re-run",
                   "In words")


def problems_sheet(problems: Sequence[Problem]) -> Sheet:
    """The Problems sheet, one row per problem as located in the user's file."""
    rows = [(p.row if p.row is not None else "", p.email, p.column or "", p.severity.value, p.code, p.value,
             p.message) for p in problems]
    return Sheet("Problems", PROBLEM_HEADERS, rows, wrap=frozenset({"Email", "Column", "Value", "Message"}),
                 widths={"Row": 7, "Column": 28, "Severity": 9, "Code": 24, "Value": 30, "Message": 60})


def _settings_sheet(validation: ValidationResult, config: Config, extra: Sequence[tuple[str, object]]) -> Sheet:
    columns: ColumnMap = validation.columns
    rows: list[tuple[str, object]] = [
        ("mentormatch version", __version__),
        ("Run at (UTC)", run_at().strftime("%Y-%m-%d %H:%M:%S")),
        ("Input file", validation.source.name),
        ("Input SHA-256", validation.sha256),
        ("Sheet", validation.sheet or "(CSV)"),
        ("Header row", columns.header_row),
        *[(f"column: {name}", columns.header(name)) for name in columns.index],
        *extra,
        *[(f"config: {key}", value) for key, value in settings_rows(config)],
    ]
    return Sheet("Settings", ("Setting", "Value"), rows, wrap=frozenset({"Value"}), widths={"Setting": 34, "Value": 90})


def write_problems(output: Path, validation: ValidationResult, config: Config) -> Path:
    """Write the workbook of `mentormatch validate --output`."""
    return write_workbook(output, [problems_sheet(validation.problems), _settings_sheet(validation, config, ())],
                          inputs=[validation.source])


def _answer(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def _pairing_rows(result: MatchResult) -> list[tuple[object, ...]]:
    return [(p.junior.email, p.junior.name, p.junior.grade_label, p.junior.department, professions_text(p.junior),
             p.senior.email, p.senior.name, p.senior.grade_label, p.senior.department, professions_text(p.senior),
             p.score, p.why, "; ".join(shared_aims(p.junior, p.senior)), "yes" if p.locked else "", p.junior.row,
             p.senior.row) for p in result.pairings]


def pairings_sheet(name: str, rows: Sequence[Sequence[object]], headers: Sequence[str] = PAIRING_HEADERS) -> Sheet:
    """A sheet of pairs as the Pairings sheet shows them (the audit and sensitive columns are not printed)."""
    printed = list(headers).index("Shared aims") + 1 if "Shared aims" in headers else None
    return Sheet(name, headers, rows, wrap=PAIRING_WRAP, widths=PAIRING_WIDTHS, print_columns=printed)


def suggestions_sheet(suggestions: Sequence[Suggestion]) -> Sheet:
    """Each junior's best-fitting allowed seniors, the chosen partner first."""
    rows = [(s.junior.email, s.junior.name, s.rank, s.senior.email, s.senior.name, s.senior.grade_label,
             s.senior.department, professions_text(s.senior), s.score, s.why, s.status) for s in suggestions]
    return Sheet("Suggestions", ("Junior email", "Junior name", "Rank", "Senior email", "Senior name", "Senior grade",
                                 "Senior department", "Senior profession", "Score", "Why", "Status"), rows,
                 wrap=frozenset({"Why"}), widths={"Why": 70})


def match_sheets(result: MatchResult, include_sensitive: bool = False, suggestions: Sequence[Suggestion] = (),
                 held: str = LOCKED, output: Path | None = None, numbering: PairNumbering | None = None,
                 rematched: RematchResult | None = None) -> list[Sheet]:
    """Every sheet of the pairings workbook; the barriers answer only with `include_sensitive`.

    After `rematch` (`rematched`), its Pairings sheet holds the kept rows verbatim, then the new pairs, and a
    Changes sheet follows it.
    """
    figures = round_figures(result)
    pairings = _pairing_rows(result)
    unmatched: list[tuple[object, ...]] = [(u.row, u.email, u.name, u.role, u.code, u.reason) for u in result.unmatched]
    pairing_headers: tuple[str, ...] = PAIRING_HEADERS
    unmatched_headers: tuple[str, ...] = UNMATCHED_HEADERS
    extra: list[tuple[str, object]] = [("Seed", "" if result.seed is None else result.seed), ("Solver", result.solver)]
    if include_sensitive:
        by_row = {a.row: a for a in result.validation.applicants}
        pairings = [(*row, _answer(p.junior.barriers), _answer(p.senior.barriers))
                    for row, p in zip(pairings, result.pairings, strict=True)]
        unmatched = [(*row, _answer(by_row[u.row].barriers) if u.row in by_row else "")
                     for row, u in zip(unmatched, result.unmatched, strict=True)]
        pairing_headers = (*PAIRING_HEADERS, "Junior barriers", "Senior barriers")
        unmatched_headers = (*UNMATCHED_HEADERS, "Barriers")
        extra.append(SENSITIVE_NOTE)
    pairings_sheets = [pairings_sheet("Pairings", pairings, pairing_headers)]
    if rematched is not None:
        pairings_sheets = _rematch_sheets(rematched)
    return [
        *pairings_sheets,
        Sheet("Unmatched", unmatched_headers, unmatched, wrap=frozenset({"Email", "Name", "Reason"}),
              widths={"Row": 7, "Name": 18, "Role": 9, "Code": 20, "Reason": 70}, print_columns=6),
        *([suggestions_sheet(suggestions)] if suggestions else []),
        problems_sheet(result.problems),
        summary_sheet(figures, held),
        breakdown_sheet(figures),
        _settings_sheet(result.validation, result.config, extra),
        round_sheet(result, output, numbering, rematched.overrides if rematched else ()),
    ]


def round_sheet(result: MatchResult, output: Path | None = None, numbering: PairNumbering | None = None,
                overrides: Sequence[str] = ()) -> Sheet:
    """The Round sheet: every setting and round input as records, so `rematch` can continue the round.

    The applications are recorded by their path from the workbook's folder (never an absolute path),
    so the round continues wherever the folder is copied. Each pair's introduction number is recorded
    too (`numbering`, else 1, 2, 3… in the order of the pairings), so `introduce` can tell new pairs.
    """
    if numbering is None:
        numbering = number_pairs([(p.junior.email, p.senior.email) for p in result.pairings])
    source = result.validation.source
    where = os.path.relpath(source.resolve(), output.resolve().parent) if output is not None else source.name
    rows = round_records(applications=(where, result.validation.sha256, result.validation.sheet),
                         settings=result.config.model_dump(mode="json"), inputs=result.inputs,
                         numbering=numbering, overrides=overrides)
    return Sheet(ROUND_SHEET, ROUND_HEADERS, rows, widths={"First": 40, "Second": 40, "Source": 66}, hidden=True)


def write_pairings(output: Path, result: MatchResult, inputs: Sequence[Path] = (), *,
                   include_sensitive: bool = False, suggestions: Sequence[Suggestion] = ()) -> Path:
    """Write the pairings workbook of `mentormatch match` (with a Suggestions sheet when there are `suggestions`)."""
    return write_workbook(output, match_sheets(result, include_sensitive, suggestions, output=output),
                          inputs=[result.validation.source, *inputs])


def comparison_rows(comparison: Comparison) -> tuple[list[str], list[list[object]]]:
    """Headers and rows of the side-by-side comparison (one column per scenario), in the Summary's words."""
    names = [scenario.name for scenario, _result in comparison.outcomes]
    table = [dict(summary_rows(round_figures(result))) for _scenario, result in comparison.outcomes]
    measures = list(dict.fromkeys(label for column in table for label in column))  # reasons differ by scenario
    base = len(comparison.outcomes[0][1].pairings)
    rows: list[list[object]] = [["Rules", *[scenario.description for scenario, _r in comparison.outcomes]]]
    rows += [[measure, *[column.get(measure, 0) for column in table]] for measure in measures]
    # One yardstick: every scenario's pairs scored as the first scenario scores them, so the averages
    # compare; each scenario's own scoring is shown apart where it differs.
    yardstick = comparison.yardstick()
    own = {measure: row for measure, *row in rows[1:]}.get(MEAN_SCORE)
    for row in rows:
        if row[0] == MEAN_SCORE:
            row[0] = f"{MEAN_SCORE} (scored as {names[0]})"
            row[1:] = [mean if mean is not None else "" for mean, _unscored in yardstick]
    if own is not None and any(mine != theirs for mine, (theirs, _u) in zip(own, yardstick, strict=True)):
        rows.append([f"{MEAN_SCORE} (each scenario's own scoring)", *own])
    if any(unscored for _m, unscored in yardstick):
        rows.append([f"Pairs {names[0]} cannot score (people it leaves out)", *[u for _m, u in yardstick]])
    rows.append([f"Extra pairs vs {names[0]}", *[len(result.pairings) - base for _s, result in comparison.outcomes]])
    changes = comparison.changes()
    rows.append([f"New pairs vs {names[0]} (not made there)", *[change.new for change in changes]])
    rows.append([f"Dropped pairs vs {names[0]} (made there, not here)", *[change.dropped for change in changes]])
    rows.append([f"Change vs {names[0]}", *[change.kind for change in changes]])
    return ["Measure", *names], rows


def write_comparison(output: Path, comparison: Comparison) -> Path:
    """Write the workbook of `mentormatch compare`."""
    headers, rows = comparison_rows(comparison)
    first = comparison.outcomes[0][1]
    sheets = [Sheet("Comparison", headers, rows, wrap=frozenset(headers[1:]), chart_row="Pairs made",
                    widths={h: 24 for h in headers[1:]})]
    sheets += [pairings_sheet(f"Pairings — {scenario.name}"[:31], _pairing_rows(result))
               for scenario, result in comparison.outcomes]
    extra = [(f"scenario {scenario.name}: {key}", value) for scenario, _r in comparison.outcomes
             for key, value in settings_rows(scenario.config)]
    sheets.append(_settings_sheet(first.validation, first.config, extra))
    return write_workbook(output, sheets, inputs=[comparison.source])


def write_gaps(output: Path, report: GapReport) -> Path:
    """Write the workbook of `mentormatch gaps`: the profiles to recruit, and the unpaired juniors' needs."""
    lines_of: dict[str, list[str]] = {}
    for number, line in enumerate(report.lines, start=1):
        for person in line.paired:
            lines_of.setdefault(person.email, []).append(str(number))
    reasons = {u.email: u.reason for u in report.result.unmatched}
    recruit = [(number, line.seniors, line.profile.grades, "; ".join(line.profile.departments) or "any",
                "; ".join(short_name(p) for p in line.profile.professions) or "any", line.juniors, line.gained,
                "yes" if line.verified else "no", "; ".join(person.name for person in line.paired), line.describe())
               for number, line in enumerate(report.lines, start=1)]
    needs = [(n.junior.row, n.junior.email, n.junior.name, n.junior.grade_label, n.junior.department,
              professions_text(n.junior), reasons.get(n.junior.email, ""), need_text(n), n.nearest_miss,
              ", ".join(lines_of.get(n.junior.email, []))) for n in report.needs]
    return write_workbook(output, [
        Sheet("Recruit", RECRUIT_HEADERS, recruit, wrap=frozenset({"In words", "Newly paired in the re-run"}),
              widths={"In words": 60, "Newly paired in the re-run": 40, "Grade": 22, "From departments": 26,
                      "In professions": 22}),
        Sheet("Unmatched juniors", ("Row", "Email", "Name", "Grade", "Department", "Profession", "Reason",
                                    "A partner must be", "Nearest miss", "Paired by line"), needs,
              wrap=frozenset({"Reason", "Nearest miss"}), widths={"Reason": 50, "Nearest miss": 50}),
        _settings_sheet(report.result.validation, report.result.config, [
            ("Pairs gained with every line added (re-run)", report.extra_pairs_all),
            ("Pairs gained with every line added (counted)", report.claimed_all)]),
    ], inputs=[report.result.validation.source])


def write_rematch(output: Path, rematched: RematchResult, inputs: Sequence[Path]) -> Path:
    """Write the workbook of `mentormatch rematch`: kept rows verbatim, then the new pairs."""
    result = rematched.result
    sheets = match_sheets(result, held="Pairs kept", output=output, numbering=rematched.numbering,
                          rematched=rematched)
    return write_workbook(output, sheets, inputs=[result.validation.source, *inputs])


def _rematch_sheets(rematched: RematchResult) -> list[Sheet]:
    """A rematch's Pairings sheet, printed as `match` prints it (kept rows verbatim, then the new pairs), and
    its Changes sheet."""
    fresh = [dict(zip(PAIRING_HEADERS, row, strict=True)) for row in _pairing_rows(
        dataclasses.replace(rematched.result, pairings=rematched.new_pairings))]
    pairings = [*rematched.kept_rows, *[[row.get(h, "") for h in rematched.headers] for row in fresh]]
    changes = [(c.change, c.email, c.name, c.role, c.detail) for c in rematched.changes]
    return [pairings_sheet("Pairings", pairings, rematched.headers),
            Sheet("Changes", ("Change", "Email", "Name", "Role", "Detail"), changes,
                  wrap=frozenset({"Detail"}), widths={"Detail": 70})]


PANEL_INSTRUCTIONS = (
    "Blind review of expressions of interest",
    "",
    "Each row is one applicant, known only by a reference. Names, emails, departments, grades and",
    "any answers about protected characteristics have been left out on purpose: mark the",
    "statement alone. If a statement names or identifies its writer, mark it as you would any",
    "other and tell the coordinator.",
    "",
    "Enter one whole-number mark per assessor column, from {low} to {high} ({high} is best); leave a cell",
    "blank rather than guess. Do not sort, insert or delete rows, and do not change the Reference column.",
    "Return the workbook to the coordinator, who runs:",
    "    mentormatch shortlist {source} --places N --marks {panel}{config}",
)


def write_panel(output: Path, entries: Sequence[PanelEntry], config: Config, source: Path,
                config_file: Path | None = None) -> Path:
    """Write the blind panel workbook: references and EOIs only, with checked mark columns."""
    low, high = config.panel.min_mark, config.panel.max_mark
    fill = {"low": low, "high": high, "source": source.name, "panel": output.name,
            "config": f" --config {config_file.name}" if config_file else ""}
    mark_headers = [f"Assessor {n} mark" for n in range(1, config.panel.assessors + 1)]
    rows = [(e.reference, e.junior.eoi, e.junior.eoi_words, *[None] * len(mark_headers)) for e in entries]
    return write_workbook(output, [
        Sheet("Panel", ("Reference", "Expression of interest", "Words", *mark_headers), rows,
              wrap=frozenset({"Expression of interest"}), widths={"Expression of interest": 90},
              whole_numbers={header: (low, high) for header in mark_headers}),
        Sheet("Instructions", ("Instructions",), [(line.format(**fill),) for line in PANEL_INSTRUCTIONS],
              wrap=frozenset({"Instructions"}), widths={"Instructions": 100}),
    ], inputs=[source])


def write_shortlist(output: Path, candidates: Sequence[Candidate], problems: Sequence[Problem],
                    validation: ValidationResult, config: Config, settings: Sequence[tuple[str, object]],
                    inputs: Sequence[Path] = ()) -> Path:
    """Write the shortlist workbook: Selected, Reserve, Not selected, Problems and Settings."""
    def mark(candidate: Candidate) -> object:
        return "" if candidate.mark is None else round(candidate.mark, 2)

    selected = [c for c in candidates if c.outcome == "selected"]
    reserve = [c for c in candidates if c.outcome == "reserve"]
    passed = [(c.junior.email, c.junior.name, c.reference, mark(c), c.reason)
              for c in candidates if c.outcome == "not selected"]
    passed += [(e.email, e.name, "", "", e.reason) for e in validation.left_out if e.role == "junior"]
    return write_workbook(output, [
        Sheet("Selected", ("Email", "Name", "Reference", "Mean mark", "Rank"),
              [(c.junior.email, c.junior.name, c.reference, mark(c), rank) for rank, c in enumerate(selected, start=1)]),
        Sheet("Reserve", ("Rank", "Email", "Name", "Reference", "Mean mark", "Why not selected"),
              [(rank, c.junior.email, c.junior.name, c.reference, mark(c), c.reason)
               for rank, c in enumerate(reserve, start=1)]),
        Sheet("Not selected", ("Email", "Name", "Reference", "Mean mark", "Reason"), passed,
              wrap=frozenset({"Reason"}), widths={"Reason": 70}),
        problems_sheet(problems),
        _settings_sheet(validation, config, settings),
    ], inputs=[validation.source, *inputs])
