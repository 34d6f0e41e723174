"""The `mentormatch` command as a coordinator uses it: files in, workbooks out, exit codes."""

from __future__ import annotations

import hashlib
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from conftest import exited_cleanly, junior_row, read_sheet, senior_row, write_rows
from mentormatch.cli.app import app
from mentormatch.config import Config, build_config, init_template

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()
WIDE = {"COLUMNS": "200"}
SHEETS = ["Pairings", "Unmatched", "Problems", "Summary", "Breakdown", "Settings", "Round"]


def invoke(*args: str):
    return runner.invoke(app, list(args), env=WIDE)


def small_round(make_workbook, **kwargs):
    rows = [junior_row(Email="ann@example.gov.uk", Name="Ann", Grade="HEO", Department="DfT", Profession="GSR",
                       **{"Development aims": "Leadership"}),
            junior_row(Email="ben@example.gov.uk", Name="Ben", Grade="SEO", Department="HMRC", Profession="GSS"),
            junior_row(Email="cat@example.gov.uk", Name="Cat", Grade="SCS1"),  # error: too senior for a junior
            senior_row(Email="dev@example.gov.uk", Name="Dev", Grade="Grade 7", Department="HMT", Profession="GES",
                       **{"Development aims": "Leadership"}),
            senior_row(Email="eve@example.gov.uk", Name="Eve", Grade="Deputy Director", Department="ONS",
                       Profession="GORS"),
            senior_row(Email="fay@example.gov.uk", Name="Fay", Grade="Grade 6", Department="DfT", Profession="GSR")]
    return make_workbook(rows, **kwargs)


def test_version_and_help_on_every_command():
    result = invoke("--version")
    assert result.exit_code == 0 and re.search(r"mentormatch \d+\.\d+", result.output)
    for command in ("validate", "match", "template", "init"):
        help_text = invoke(command, "--help")
        assert help_text.exit_code == 0
        assert "Example" in help_text.output and f"mentormatch {command}" in help_text.output


def test_match_writes_every_sheet_beside_the_input_and_accounts_for_everyone(make_workbook):
    path = small_round(make_workbook)
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    result = invoke("match", str(path))
    assert result.exit_code == 0, result.output
    output = path.with_name("applications-pairings.xlsx")
    assert output.exists() and f"Wrote {output}" in result.output.replace("\n", "")
    assert openpyxl.load_workbook(output).sheetnames == SHEETS
    pairings, unmatched = read_sheet(output, "Pairings"), read_sheet(output, "Unmatched")
    assert {(p["Junior email"], p["Senior email"]) for p in pairings} == {
        ("ann@example.gov.uk", "dev@example.gov.uk"),  # Fay shares Ann's department: not allowed
        ("ben@example.gov.uk", "fay@example.gov.uk")}  # SEO -> Grade 6 is the ideal gap; Eve is 3 above
    assert {u["Email"]: u["Code"] for u in unmatched} == {"cat@example.gov.uk": "left-out", "eve@example.gov.uk": "partners-taken"}
    assert "Leadership".lower() in pairings[0]["Why"] and 0 <= pairings[0]["Score"] <= 100
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_pairings_workbook_keeps_sensitive_answers_out_and_records_the_input_hash(make_workbook):
    path = small_round(make_workbook)
    output = path.with_name("out.xlsx")
    assert invoke("match", str(path), "-o", str(output)).exit_code == 0
    book = openpyxl.load_workbook(output)
    for name in ("Pairings", "Unmatched", "Summary", "Breakdown"):
        headers = [c.value for c in book[name][1]]
        assert not any("barrier" in str(h).lower() for h in headers)
    settings = {row["Setting"]: row["Value"] for row in read_sheet(output, "Settings")}
    assert settings["Input SHA-256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert settings["Input file"] == path.name and settings["config: preset"] == "mutual-2023"
    assert book["Pairings"].freeze_panes == "A2" and book["Pairings"].auto_filter.ref


def test_applicant_text_is_never_written_as_a_formula(make_workbook):
    formula = '=HYPERLINK("http://evil.example","click")'
    path = make_workbook([junior_row(Name=formula, Email="j@example.gov.uk"),
                          senior_row(Name="=1+1", Email="s@example.gov.uk")])
    output = path.with_name("out.xlsx")
    assert invoke("match", str(path), "-o", str(output)).exit_code == 0
    for sheet in openpyxl.load_workbook(output):
        for row in sheet.iter_rows():
            assert all(cell.data_type != "f" for cell in row)
    assert read_sheet(output, "Pairings")[0]["Junior name"] == formula


def test_match_refuses_to_write_over_its_input(make_workbook):
    path = small_round(make_workbook)
    before = path.read_bytes()
    result = invoke("match", str(path), "--output", str(path))
    assert result.exit_code == 1 and "Refusing to write over the input" in result.output
    assert path.read_bytes() == before


def test_failed_write_leaves_no_partial_file_and_keeps_the_previous_output(make_workbook, monkeypatch):
    path = small_round(make_workbook)
    output = path.with_name("out.xlsx")
    output.write_bytes(b"previous")

    def disk_full(self, *args, **kwargs):
        raise OSError(28, "No space left on device")  # after the archive was opened and partly written

    monkeypatch.setattr("zipfile.ZipFile.writestr", disk_full)
    result = invoke("match", str(path), "-o", str(output))
    assert result.exit_code == 1 and "No space left on device" in result.output
    assert output.read_bytes() == b"previous"
    assert sorted(p.name for p in path.parent.iterdir()) == sorted([path.name, output.name])


def test_missing_output_folder_is_a_clear_error(make_workbook):
    path = small_round(make_workbook)
    result = invoke("match", str(path), "-o", str(path.parent / "nowhere" / "out.xlsx"))
    assert result.exit_code == 1 and "does not exist" in result.output and exited_cleanly(result)


def test_internal_errors_show_no_personal_data_unless_debugging(make_workbook, monkeypatch):
    path = small_round(make_workbook)
    marker = "Ann-Secret-Marker@example.gov.uk"

    def explode(*_args, **_kwargs):
        applicant = {"email": marker}  # a local holding personal data, as a real failure would have
        raise RuntimeError(f"failed on {applicant['email']}")

    monkeypatch.setattr("mentormatch.matching.pipeline.run_matching", explode)
    result = invoke("match", str(path))
    assert result.exit_code == 3
    assert marker not in result.output and exited_cleanly(result)
    assert "--debug" in result.output
    debug = runner.invoke(app, ["--debug", "match", str(path)], env=WIDE)
    assert isinstance(debug.exception, RuntimeError)


def test_explain_shows_partner_and_alternatives(make_workbook):
    path = small_round(make_workbook)
    result = invoke("match", str(path), "--explain", "ANN@example.gov.uk")
    assert result.exit_code == 0
    assert "Explanation for ann@example.gov.uk" in result.output
    assert "Paired with Dev" in result.output and "their partner" in result.output
    unknown = invoke("match", str(path), "--explain", "nobody@example.gov.uk")
    assert unknown.exit_code == 1 and "No applicant with the email" in unknown.output


def test_template_round_trips_through_validate(tmp_path):
    path = tmp_path / "blank.xlsx"
    assert invoke("template", str(path)).exit_code == 0
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Applications", "Instructions"]
    sheet = book["Applications"]
    assert sheet.data_validations.dataValidation, "drop-down lists are present"
    headers = [c.value for c in sheet[1]]
    word_count = sheet.cell(row=2, column=headers.index("EOI words") + 1).value
    assert str(word_count).startswith("=")  # the tool's own live word count
    empty = invoke("validate", str(path))
    assert empty.exit_code == 1 and "no applications" in empty.output
    filled = [junior_row(), senior_row()]
    write_rows(tmp_path / "filled.xlsx", filled, headers=[h for h in headers if h != "EOI words"])
    assert invoke("validate", str(tmp_path / "filled.xlsx")).exit_code == 0


def test_init_writes_a_config_that_loads_to_the_defaults(tmp_path):
    path = tmp_path / "mentormatch.toml"
    assert invoke("init", str(path)).exit_code == 0
    assert build_config(tomllib.loads(path.read_text())) == Config()
    again = invoke("init", str(path))
    assert again.exit_code == 2 and "--force" in again.output
    assert invoke("init", str(path), "--force").exit_code == 0
    assert path.read_text() == init_template()


def test_bad_config_is_a_clear_error(make_workbook, tmp_path):
    path = small_round(make_workbook)
    config = tmp_path / "bad.toml"
    config.write_text('[round]\nmin_grade_gap = "two"\n')
    result = invoke("match", str(path), "--config", str(config))
    assert result.exit_code == 1 and "round.min_grade_gap" in result.output
    assert invoke("match", str(path), "--preset", "nope").exit_code == 1


def test_usage_errors_exit_2(make_workbook):
    assert invoke("match").exit_code == 2
    assert invoke("match", str(small_round(make_workbook)), "--header-row", "0").exit_code == 2


# --- the shipped example and the README ----------------------------------------------------


@pytest.fixture
def example_dir(tmp_path, monkeypatch):
    target = tmp_path / "examples"
    shutil.copytree(ROOT / "examples", target, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.chdir(tmp_path)
    return target


def test_example_round_is_pinned(example_dir):
    output = example_dir / "pairings.xlsx"
    result = invoke("match", "examples/applications.xlsx", "--config", "examples/mentormatch.toml", "-o", str(output))
    assert result.exit_code == 0, result.output
    summary = {row["Measure"]: row["Value"] for row in read_sheet(output, "Summary")}
    assert summary["Rows read"] == 120
    assert summary["Pairs made"] == summary["Most pairs possible"] == 53
    assert (summary["Rows left out for errors"], summary["Rows superseded by a later submission"]) == (19, 2)
    # The counts reconcile: every row is an eligible applicant, left out or superseded; every eligible
    # junior is paired or without a partner, and the reasons add up to the total.
    assert summary["Eligible juniors"] + summary["Eligible seniors"] + 19 + 2 == 120
    assert summary["Eligible juniors"] == 53 + summary["Eligible juniors without a partner"]
    assert summary["Eligible juniors without a partner"] == sum(
        value for measure, value in summary.items() if measure.startswith("Juniors without a partner: "))
    emails = {p["Junior email"] for p in read_sheet(output, "Pairings")}
    emails |= {p["Senior email"] for p in read_sheet(output, "Pairings")}
    emails |= {u["Email"] for u in read_sheet(output, "Unmatched")}
    source = openpyxl.load_workbook(example_dir / "applications.xlsx").active
    assert {str(c.value).strip().lower() for c in source["D"][1:]} <= emails


def test_example_generator_reproduces_the_shipped_workbook(tmp_path):
    fresh = tmp_path / "again.xlsx"
    subprocess.run([sys.executable, str(ROOT / "examples" / "generate_example.py"), "--output", str(fresh)],
                   check=True, capture_output=True)
    shipped = openpyxl.load_workbook(ROOT / "examples" / "applications.xlsx").active
    regenerated = openpyxl.load_workbook(fresh).active
    assert list(shipped.values) == list(regenerated.values)


def _readme_commands(marker: str) -> list[str]:
    readme = (ROOT / "README.md").read_text()
    block = readme.split(f"<!-- {marker} -->", 2)[1]
    return [line.strip() for line in block.splitlines() if line.strip().startswith("mentormatch ")]


@pytest.mark.parametrize("marker", ["quickstart", "round"])
def test_readme_walkthroughs_run(example_dir, marker):
    commands = _readme_commands(marker)
    assert len(commands) >= 3
    for command in commands:
        args = shlex.split(command)[1:]
        result = invoke(*args)
        allowed = {0, 1} if args[0] == "validate" else {0}  # validate exits 1 when it finds errors
        assert result.exit_code in allowed, (command, result.output)
        assert exited_cleanly(result)
    if marker == "round":  # as the walkthrough says: after the rematch, only its 2 new pairs, numbered after the 40
        assert len(list(Path("outbox").glob("pair-*.eml"))) == 40
        assert sorted(path.name for path in Path("outbox-after-withdrawal").glob("*.eml")) == [
            "pair-041.eml", "pair-042.eml"]
        # The shipped check-ins answer for the walkthrough's own pairs: regenerated, they are the same.
        folder = Path("regenerated")
        folder.mkdir()
        subprocess.run([sys.executable, str(ROOT / "examples" / "generate_checkins.py"),
                        "pairings-after-withdrawal.xlsx", "--output-dir", str(folder)], check=True, capture_output=True)
        for shipped in sorted((ROOT / "examples").glob("checkin-*.xlsx")):
            assert list(openpyxl.load_workbook(folder / shipped.name).active.values) == list(
                openpyxl.load_workbook(shipped).active.values), f"regenerate {shipped.name} (see its generator)"
        statuses = {row["Status"] for row in read_sheet(Path("tracker.xlsx"), "Pairs")}
        assert "ended" in statuses and "on track" in statuses
        assert "Check-ins by month" in openpyxl.load_workbook("board-report.xlsx").sheetnames


def _readme_table(heading: str) -> dict[str, list[str]]:
    """The rows of the first table under a README heading: first cell's `code` -> the other cells."""
    text = (ROOT / "README.md").read_text(encoding="utf-8").split(f"## {heading}\n", 1)[1]
    rows = {}
    for line in text.split("\n## ", 1)[0].splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("| `") and len(cells) > 1:
            rows[cells[0].strip("`")] = cells[1:]
    return rows


def test_readme_code_tables_match_the_registry():
    from mentormatch.outcomes import CODES, Kind

    problems = _readme_table("Problem codes")
    assert set(problems) == {c.code for c in CODES.values() if Kind.PROBLEM in c.kinds}
    assert {code: cells[0] for code, cells in problems.items()} == {
        code: CODES[code].severity.value for code in problems}
    reasons = _readme_table("Unmatched reason codes")
    assert set(reasons) == {c.code for c in CODES.values() if c.kinds & {Kind.LEFT_OUT, Kind.UNMATCHED}}
    assert {code: cells[0] for code, cells in reasons.items()} == {code: CODES[code].title for code in reasons}


def test_every_message_template_fills_from_its_slots():
    """Each registered template names only slots; a code reported with a missing slot fails loudly."""
    import string

    from mentormatch.outcomes import CODES, Kind, problem

    for entry in CODES.values():
        for variant, template in entry.templates.items():
            slots = {name for _, name, _, _ in string.Formatter().parse(template) if name}
            assert entry.message(variant, **dict.fromkeys(slots, "X")), (entry.code, variant)
    with pytest.raises(KeyError):
        problem("no-such-code")
    with pytest.raises(KeyError):
        problem("partners-taken")  # an unmatched reason, not a problem
    assert CODES["duplicate-email"].kinds == {Kind.PROBLEM}  # a superseded row is a problem, not a person unmatched


def test_init_shows_every_setting_and_lets_the_preset_decide():
    from mentormatch.config import Config

    for section in ("round", "rules", "weights", "limits"):
        for key in Config.model_fields[section].annotation.model_fields:
            assert re.search(rf"^# {key} = ", init_template(), re.MULTILINE), f"{section}.{key} missing from init"
    reverse = build_config({**tomllib.loads(init_template()), "preset": "reverse"})
    assert reverse.round.senior_min_grade == "SCS1" and reverse.rules.profession == "ignore"


def test_a_preset_applies_through_the_example_config(example_dir):
    default = invoke("validate", "examples/applications.xlsx", "--config", "examples/mentormatch.toml")
    pilot = invoke("validate", "examples/applications.xlsx", "--config", "examples/mentormatch.toml",
                   "--preset", "mutual-2022")
    assert "senior-below-grade-limit" not in default.output
    assert "senior-below-grade-limit" in pilot.output  # 2022: seniors must be SCS


def test_readme_python_api_example_runs(example_dir, capsys):
    readme = (ROOT / "README.md").read_text()
    code = readme.split("```python\n", 1)[1].split("```", 1)[0]
    exec(compile(code, "README.md", "exec"), {})
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == "57 20"  # eligible juniors and errors in the example round
    assert len(printed) == 7 and "@example.gov.uk" in printed[1]


def _command_names() -> list[str]:
    import typer.main

    from mentormatch.cli.app import app

    return sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", _command_names())
def test_every_command_explains_itself_with_an_example(name: str):
    import typer.main

    from mentormatch.cli.app import app

    result = CliRunner().invoke(app, [name, "--help"], env={"COLUMNS": "80"})
    assert result.exit_code == 0 and exited_cleanly(result), result.output
    assert f"mentormatch {name}" in result.output  # the usage line and the example name the command
    assert "Example" in result.output, f"`mentormatch {name} --help` shows no example"
    # Read at 80 columns as a person would: plain placeholders, and the whole example.
    assert not re.search(r"<(bool|str|file|path|int|float|directory)[^>]*>", result.output), result.output
    assert "{" not in result.output.split("Usage:", 1)[1].splitlines()[0]  # `INPUT`, not `{INPUT}`
    assert result.output.count("{") == result.output.count("}")
    doc = typer.main.get_command(app).commands[name].callback.__doc__  # type: ignore[attr-defined]
    example = next(line for line in doc.splitlines() if "Example:" in line).split("Example:", 1)[1].split()
    lines = [" ".join(line.replace("│", " ").split()) for line in result.output.splitlines()]
    assert any(" ".join(example) in line for line in lines), f"the example of `{name}` is cut or wrapped"


def test_the_command_list_is_the_documented_one():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert [name for name in _command_names() if f"`mentormatch {name}" not in readme] == []


def test_an_unknown_explain_email_stops_before_anything_is_written(make_workbook, tmp_path):
    source = small_round(make_workbook)
    output = tmp_path / "pairings.xlsx"
    result = invoke("match", str(source), "-o", str(output), "--explain", "nobody@example.gov.uk")
    assert result.exit_code == 1 and exited_cleanly(result)
    assert "nobody@example.gov.uk" in result.output and not output.exists()


@pytest.mark.parametrize("command", ["validate", "match"])
def test_at_80_columns_no_word_is_broken_across_lines(example_dir, command):
    from mentormatch.cli.app import app

    args = [command, "examples/applications.xlsx", "--config", "examples/mentormatch.toml"]
    if command == "validate":
        args += ["--aliases-out", "aliases.toml"]
    narrow = CliRunner().invoke(app, [*args, "-o", "narrow.xlsx"], env={"COLUMNS": "80"})
    wide = CliRunner().invoke(app, [*args, "-o", "narrow.xlsx"], env={"COLUMNS": "400"})
    assert exited_cleanly(narrow) and exited_cleanly(wide)

    def words(text: str) -> list[str]:
        return re.sub(r"[│┃┏┓┗┛┡┩┠┨━─┌┐└┘├┤┬┴┼╭╮╰╯═]", " ", text).split()

    whole = set(words(wide.output))
    # A word broken at the edge of a column leaves pieces that the same output at 400 columns never shows.
    broken = [w for w in words(narrow.output) if w not in whole and w.rstrip("…") == w
              and not re.fullmatch(r"[\d.,]+", w)]  # the time taken differs between the two runs
    assert not broken, broken
    assert max(len(line) for line in narrow.output.splitlines()) <= 80


def test_source_date_epoch_makes_every_workbook_the_same_bytes_run_after_run(tmp_path, monkeypatch):
    """Whichever library writes it (the streaming writer, openpyxl with a chart or a kept edit, gptables),
    a workbook written twice with SOURCE_DATE_EPOCH set is byte for byte the same, and still opens."""
    import time

    shutil.copy(ROOT / "examples" / "applications.xlsx", tmp_path / "applications.xlsx")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764806400")
    runner = CliRunner()
    config = str(ROOT / "examples" / "mentormatch.toml")
    written: dict[str, list[bytes]] = {}
    for attempt in range(2):
        commands = {"pairings": ["match", "applications.xlsx", "-c", config, "-o", f"p{attempt}.xlsx"],
                    "compare": ["compare", "applications.xlsx", "-c", config, "-o", f"c{attempt}.xlsx"],
                    "check": ["check", "p0.xlsx", "-o", f"k{attempt}.xlsx"],
                    "report": ["report", "p0.xlsx", "-o", f"r{attempt}.xlsx"]}
        for name, args in commands.items():
            monkeypatch.chdir(tmp_path)
            assert exited_cleanly(runner.invoke(app, args))
            written.setdefault(name, []).append((tmp_path / args[args.index("-o") + 1]).read_bytes())
        time.sleep(2.1)  # a zip records times to two seconds: let the clock move past that
    for name, (first, second) in written.items():
        assert first == second, name
    book = openpyxl.load_workbook(tmp_path / "k1.xlsx")
    assert "Check" in book.sheetnames and book.properties.modified.year == 2025
