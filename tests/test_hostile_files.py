"""Hostile files, odd characters and safe writes, round two: bounded, valid, private, and nothing overwritten.

Each test builds its input by code. The amplification attack runs the real command in a subprocess,
with its wall time and peak memory measured there, so a regression shows as a number, not a hang.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from conftest import exited_cleanly, junior_row, read_sheet, senior_row, write_rows
from mentormatch.cli.app import app

MET, USEFUL, ENDED = "Have you met your partner this month?", "How useful was it, 1-5?", "Has your partnership ended?"


def invoke(*args: object):
    return CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})


def flat(output: str) -> str:
    return " ".join(output.replace("│", " ").split())


# --- 1. one long shared string referenced by thousands of cells ---------------------------------

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def workbook_of_xml(path: Path, sheet_xml: str, shared: list[str] | None = None) -> Path:
    """A minimal .xlsx with one sheet of the given <sheetData> rows and, optionally, a shared-string table."""
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
        'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        "_rels/.rels": f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        f'package/2006/relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
        '</Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_MAIN}" xmlns:r="{rel}"><sheets>'
        '<sheet name="Applications" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        f'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}/worksheet" '
        f'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{rel}/sharedStrings" '
        'Target="sharedStrings.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}"><sheetData>'
        f'{sheet_xml}</sheetData></worksheet>',
    }
    if shared is not None:
        items = "".join(f"<si><t>{text}</t></si>" for text in shared)
        parts["xl/sharedStrings.xml"] = (f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{_MAIN}" '
                                         f'count="{len(shared)}" uniqueCount="{len(shared)}">{items}</sst>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text.encode("utf-8"))
    return path


def run_measured(*args: str, cwd: Path) -> tuple[int, str, float, int]:
    """(exit code, output, seconds, peak RSS in bytes) of `python -m mentormatch ARGS` in a fresh process."""
    probe = ("import resource, subprocess, sys, time; start = time.perf_counter(); "
             "done = subprocess.run([sys.executable, '-m', 'mentormatch', *sys.argv[1:]], capture_output=True, "
             "text=True, env={**__import__('os').environ, 'COLUMNS': '200'}); "
             "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024; "
             "print(done.returncode, time.perf_counter() - start, peak); print(done.stdout + done.stderr)")
    done = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True, cwd=cwd,
                          timeout=120, check=True)
    head, _, output = done.stdout.partition("\n")
    code, seconds, peak = head.split()
    return int(code), output, float(seconds), int(peak)


def test_a_small_workbook_that_expands_to_gigabytes_is_refused_in_seconds_and_little_memory(tmp_path):
    huge = "A" * 8_000_000
    rows = '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>' + "".join(
        f'<row r="{n}"><c r="A{n}" t="s"><v>2</v></c><c r="B{n}" t="s"><v>2</v></c></row>' for n in range(2, 1002))
    bomb = workbook_of_xml(tmp_path / "applications.xlsx", rows, ["Email", "Name", huge])
    assert bomb.stat().st_size < 60_000
    code, output, seconds, peak = run_measured("match", str(bomb), cwd=tmp_path)
    text = flat(output)
    assert code == 1 and "Traceback" not in output and "panicked" not in output, output
    assert "would expand to" in text and "safety limit" in text and "applications.xlsx" in text
    assert seconds < 20 and peak < 1024**3, (seconds, peak)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["applications.xlsx"]


# --- 2. a round too big to solve ---------------------------------------------------------------


def test_a_round_over_the_size_limit_is_refused_before_solving_with_what_to_do(tmp_path):
    rows = [junior_row() for _ in range(8)] + [senior_row(Department="DWP") for _ in range(4)]
    source = write_rows(tmp_path / "applications.xlsx", rows)
    config = tmp_path / "mentormatch.toml"
    config.write_text("[limits]\nmax_applicants = 10\n", encoding="utf-8")
    code, output, seconds, peak = run_measured("match", str(source), "--config", str(config), "-o",
                                               str(tmp_path / "pairings.xlsx"), cwd=tmp_path)
    text = flat(output)
    assert code == 1 and "Traceback" not in output, output
    assert seconds < 20 and peak < 1024**3, (seconds, peak)
    assert "12 eligible applicants" in text and "limits.max_applicants" in text and "Split it" in text
    assert not (tmp_path / "pairings.xlsx").exists()
    assert invoke("validate", source, "--config", config).exit_code == 0  # reading is bounded: it still validates


# --- 3. characters XML cannot hold ---------------------------------------------------------------


def _text(ref: str, value: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def test_characters_xml_cannot_hold_are_removed_and_every_workbook_written_opens(tmp_path):
    headers = ["Email", "Name", "Role", "Grade", "Department", "Profession", "Barriers", "Expression of interest"]
    people = [["j1@example.gov.uk", "Ann\uffffAsh", "Junior partner", "HEO", "DfT", "GSR", "Yes", "To learn."],
              ["j2@example.gov.uk", "Bo\ufffeBirch", "Junior partner", "HEO", "DWP", "GSR", "Yes", "To grow."],
              ["s1@example.gov.uk", "Sam\u0007Spruce", "Senior partner", "Grade 7", "HMT", "GES", "No", "To share."],
              ["s2@example.gov.uk", "Tia Teak", "Senior partner", "Grade 6", "ONS", "GES", "No", "To share."]]
    rows = "".join(f'<row r="{n}">' + "".join(_text(f"{chr(65 + i)}{n}", v) for i, v in enumerate(values)) + "</row>"
                   for n, values in enumerate([headers, *people], start=1))
    source = workbook_of_xml(tmp_path / "applications.xlsx", rows)
    pairings = tmp_path / "pairings.xlsx"
    matched = invoke("match", source, "-o", pairings)
    assert matched.exit_code == 0 and exited_cleanly(matched), matched.output
    names = {row["Junior name"] for row in read_sheet(pairings, "Pairings")}
    assert names <= {"AnnAsh", "BoBirch"} and names
    problems = {(p["Row"], p["Column"], p["Code"]) for p in read_sheet(pairings, "Problems")}
    assert {(2, "Name", "control-characters"), (3, "Name", "control-characters"),
            (4, "Name", "control-characters")} <= problems
    junior = read_sheet(pairings, "Pairings")[0]["Junior email"]
    responses = write_rows(tmp_path / "june.xlsx", [{"Completion time": "15/06/2026 10:00:00", "Email": junior,
                                                    MET: "Yes", USEFUL: 4, ENDED: "No"}])
    outputs = {
        "validate": ("validate", source, "-o", tmp_path / "problems.xlsx"),
        "check": ("check", pairings, "-o", tmp_path / "checked.xlsx"),
        "compare": ("compare", source, "--scenario", "reverse=reverse", "-o", tmp_path / "compare.xlsx"),
        "checkin": ("checkin", pairings, "--responses", responses, "-o", tmp_path / "tracker.xlsx"),
        "report": ("report", pairings, "-o", tmp_path / "report.xlsx"),
        "gaps": ("gaps", source, "-o", tmp_path / "gaps.xlsx"),
        "panel": ("panel", source, "-o", tmp_path / "panel.xlsx"),
    }
    for name, args in outputs.items():
        result = invoke(*args)
        assert result.exit_code in (0, 1) and exited_cleanly(result), (name, result.output)
        assert "Exception ignored" not in result.output, name
        openpyxl.load_workbook(args[-1])  # every workbook written opens


# --- 4. a row taken for a header is never echoed --------------------------------------------------

SECRET = "Yes: I am autistic and the first in my family to go to university"


@pytest.mark.parametrize("extra", [(), ("--header-row", "2"), ("--header-row", "3")])
def test_a_row_taken_for_a_header_is_never_echoed(tmp_path, extra):
    """Headers a form writes as Q1..Q13: the first application must not be shown, whatever --header-row says."""
    fields = list(junior_row())
    people = [junior_row(Barriers=SECRET, Grade="Grade 6", Department="Department for Transport",
                         Profession="Government Social Research", Name="Zara Quill"),
              senior_row(Department="Department for Work and Pensions", Name="Yusuf Pike")]
    questions = [f"Q{n}" for n in range(1, len(fields) + 1)]
    source = write_rows(tmp_path / "applications.xlsx", [dict(zip(questions, [p[f] for f in fields], strict=True))
                                                          for p in people], questions)
    for command in ("validate", "match", "panel", "gaps"):
        result = invoke(command, source, *extra)
        assert result.exit_code in (1, 2) and exited_cleanly(result), result.output
        shown = flat(result.output)
        for private in [str(value) for person in people for value in person.values() if len(str(value)) > 5]:
            assert " ".join(private.split()) not in shown, (command, private)


# --- 5. no command writes over a file it reads --------------------------------------------------


def test_no_command_writes_over_a_file_it_reads_whatever_the_spelling(tmp_path):
    source = write_rows(tmp_path / "applications.xlsx", [junior_row(), senior_row(Department="DWP")])
    config = tmp_path / "mentormatch.toml"
    config.write_text("[round]\neoi_word_limit = 150\n", encoding="utf-8")
    before = {path: path.read_bytes() for path in (source, config)}
    (tmp_path / "sub").mkdir()
    aliases = invoke("validate", source, "--config", config, "--aliases-out", tmp_path / "sub" / ".." / "mentormatch.toml")
    assert aliases.exit_code == 1 and "Refusing to write over mentormatch.toml" in flat(aliases.output)
    pairings = tmp_path / "pairings.xlsx"
    assert invoke("match", source, "-o", pairings).exit_code == 0
    before[pairings] = pairings.read_bytes()
    checked = invoke("check", pairings, "-o", tmp_path / "sub" / ".." / "applications.xlsx")  # read through the record
    assert checked.exit_code == 1 and "Refusing to write over applications.xlsx" in flat(checked.output)
    os.link(source, tmp_path / "hard-link.xlsx")
    linked = invoke("match", source, "-o", tmp_path / "hard-link.xlsx")
    assert linked.exit_code == 1 and "Refusing to write over" in flat(linked.output)
    assert {path: path.read_bytes() for path in before} == before
    template = invoke("template", source)
    assert template.exit_code == 2 and "--force" in flat(template.output) and source.read_bytes() == before[source]
    assert invoke("template", tmp_path / "blank.xlsx").exit_code == 0
    assert invoke("template", tmp_path / "blank.xlsx", "--force").exit_code == 0


# --- 6. introduce writes all of it or none of it ---------------------------------------------------


def test_introduce_writes_every_draft_and_the_csv_or_nothing(tmp_path, monkeypatch):
    rows = [junior_row(Department=d) for d in ("DfT", "DWP", "HMRC", "MoJ")]
    rows += [senior_row(Department=d) for d in ("HMT", "ONS", "DfE", "Home Office")]
    pairings = tmp_path / "pairings.xlsx"
    assert invoke("match", write_rows(tmp_path / "applications.xlsx", rows), "-o", pairings).exit_code == 0
    writes = {"count": 0}
    real = Path.write_bytes

    def disk_fills(self: Path, data: bytes) -> int:
        writes["count"] += 1
        if writes["count"] == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", disk_fills)
    full = invoke("introduce", pairings, "-o", tmp_path / "outbox")
    assert full.exit_code == 1 and exited_cleanly(full)
    assert "no draft was written" in flat(full.output)
    assert not (tmp_path / "outbox").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]
    monkeypatch.setattr(Path, "write_bytes", real)
    assert invoke("introduce", pairings, "-o", tmp_path / "outbox").exit_code == 0
    assert len(list((tmp_path / "outbox").glob("pair-*.eml"))) == 4 and (tmp_path / "outbox" / "mail-merge.csv").exists()


# --- 7. what a killed write left behind ------------------------------------------------------------


def test_a_killed_writes_leftovers_are_removed_by_the_next_write_there(tmp_path):
    source = write_rows(tmp_path / "applications.xlsx", [junior_row(), senior_row(Department="DWP")])
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True).stdout.strip()
    stale = tmp_path / f".pairings-{dead}-x1y2z3.part"
    stale.write_bytes(b"half a workbook")
    stale_outbox = tmp_path / f".outbox-{dead}-a1b2.part"
    stale_outbox.mkdir()
    (stale_outbox / "pair-001.eml").write_bytes(b"half")
    alive = tmp_path / f".pairings-{os.getpid()}-live.part"  # a write under way in a running process
    alive.write_bytes(b"being written")
    assert invoke("match", source, "-o", tmp_path / "pairings.xlsx").exit_code == 0
    assert not stale.exists() and alive.exists()
    assert invoke("introduce", tmp_path / "pairings.xlsx", "-o", tmp_path / "outbox").exit_code == 0
    assert not stale_outbox.exists()


# --- 8. Excel error values ------------------------------------------------------------------------


def test_excel_error_values_are_problems_at_their_cells_in_match(tmp_path):
    source = write_rows(tmp_path / "applications.xlsx", [junior_row(), senior_row(Department="DWP")])
    book = openpyxl.load_workbook(source)
    book.active["K3"] = "#DIV/0!"
    book.active["K3"].data_type = "e"
    book.active["L2"] = "#VALUE!"
    book.active["L2"].data_type = "e"
    book.save(source)
    pairings = tmp_path / "pairings.xlsx"
    assert invoke("match", source, "-o", pairings).exit_code == 0
    found = {(p["Row"], p["Column"], p["Code"], p["Value"]) for p in read_sheet(pairings, "Problems")}
    assert found == {(3, "Capacity", "excel-error", "#DIV/0!"), (2, "Do not match with", "excel-error", "#VALUE!")}


def test_single_quoted_references_cannot_hide_a_far_cell_or_an_error_cell(tmp_path):
    """XML allows r='…' and t='e' as well as r="…": the scan reads them as the reader does."""
    rows = ("<row r='1'>" + _text("A1", "Email").replace('"', "'") + "</row>"
            "<row r='2'><c r='B2' t='e'><v>#N/A</v></c></row>"
            "<row r='1048576'><c r='XFD1048576' t='inlineStr'><is><t>x</t></is></c></row>")
    far = workbook_of_xml(tmp_path / "far.xlsx", rows)
    result = invoke("validate", far)
    assert result.exit_code == 1 and "stray cell" in flat(result.output)
    from mentormatch.inputs.xlsx_scan import scan_sheet

    near = workbook_of_xml(tmp_path / "near.xlsx", rows.split("<row r='1048576'>")[0])
    assert scan_sheet(near, "Applications")[1] == {(2, 1): "#N/A"}


def test_clearing_leftovers_never_touches_another_outputs_temporary_file(tmp_path):
    from mentormatch.outputs.workbook import clear_leftovers

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True).stdout.strip()
    other = tmp_path / f".pairings-2026-{dead}-abc123.part"  # a write of pairings-2026.xlsx
    mine = tmp_path / f".pairings-{dead}-abc123.part"
    for path in (other, mine):
        path.write_bytes(b"x")
    clear_leftovers(tmp_path, "pairings")
    assert other.exists() and not mine.exists()
