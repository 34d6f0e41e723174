"""`mentormatch introduce`: one unsent email draft per pair, and a mail-merge CSV."""

from __future__ import annotations

import csv
import email
from email import policy
from pathlib import Path

from conftest import exited_cleanly, junior_row, read_sheet, senior_row
from typer.testing import CliRunner

from mentormatch.cli.app import app

WIDE = {"COLUMNS": "200"}


def invoke(*args: str):
    return CliRunner().invoke(app, list(args), env=WIDE)


def pairings_of(make_workbook, tmp_path: Path, **junior: str) -> Path:
    rows = [junior_row(**{"Name": "Ann Ash", "Development aims": "Leadership; Wellbeing", **junior}),
            junior_row(Name="Bo Birch", Department="DWP"),
            senior_row(Name="Sam Spruce", Department="HMT", **{"Development aims": "Wellbeing"}),
            senior_row(Name="Tia Teak", Department="ONS", Profession="GORS")]
    output = tmp_path / "pairings.xlsx"
    assert invoke("match", str(make_workbook(rows)), "-o", str(output)).exit_code == 0
    return output


def messages(folder: Path) -> list[email.message.EmailMessage]:
    return [email.message_from_bytes(path.read_bytes(), policy=policy.default)
            for path in sorted(folder.glob("pair-*.eml"))]


def test_one_draft_per_pair_addressed_to_both_partners(make_workbook, tmp_path):
    pairings = pairings_of(make_workbook, tmp_path)
    result = invoke("introduce", str(pairings), "-o", str(tmp_path / "outbox"))
    assert result.exit_code == 0 and "Nothing was sent" in result.output
    drafts = messages(tmp_path / "outbox")
    pairs = read_sheet(pairings, "Pairings")
    assert len(drafts) == len(pairs) == 2
    addressed = {tuple(sorted(address.strip() for address in str(d["To"]).split(","))) for d in drafts}
    assert addressed == {tuple(sorted((p["Junior email"], p["Senior email"]))) for p in pairs}
    assert all(d["X-Unsent"] == "1" for d in drafts)


def test_default_wording_names_partners_and_shared_aims(make_workbook, tmp_path):
    pairings = pairings_of(make_workbook, tmp_path)
    assert invoke("introduce", str(pairings), "-o", str(tmp_path / "outbox")).exit_code == 0
    ann = next(d for d in messages(tmp_path / "outbox") if "Ann" in d.get_content())
    body = ann.get_content()
    partner = next(p for p in read_sheet(pairings, "Pairings") if p["Junior name"] == "Ann Ash")
    assert f"{partner['Senior name']} is {partner['Senior grade']} in {partner['Senior department']}" in body
    assert "{" not in body and "Dear Ann and" in body
    if partner["Senior name"] == "Sam Spruce":
        assert "matched on wellbeing" in body


def test_custom_template_and_mail_merge_csv(make_workbook, tmp_path):
    pairings = pairings_of(make_workbook, tmp_path, **{"Name": "=Ann"})
    template = tmp_path / "intro.txt"
    template.write_text("Subject: {junior_name} meets {senior_first_name}\n\nHello {junior_first_name}: {shared_aims}.\n")
    assert invoke("introduce", str(pairings), "--template", str(template), "-o", str(tmp_path / "box")).exit_code == 0
    subjects = sorted(str(d["Subject"]) for d in messages(tmp_path / "box"))
    assert any(subject.startswith("=Ann meets ") for subject in subjects)
    with (tmp_path / "box" / "mail-merge.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["File"] for row in rows] == ["pair-001.eml", "pair-002.eml"]
    assert all(not row["Subject"].startswith("=") for row in rows)  # safe to open in a spreadsheet
    assert any(row["Subject"] == "'=Ann meets " + row["Subject"].split(" meets ")[1] for row in rows)


def test_bad_templates_and_inputs_are_clear_errors(make_workbook, tmp_path):
    pairings = pairings_of(make_workbook, tmp_path)
    unknown = tmp_path / "unknown.txt"
    unknown.write_text("Subject: Hi {first}\n\nBody\n")
    result = invoke("introduce", str(pairings), "--template", str(unknown), "-o", str(tmp_path / "a"))
    assert result.exit_code == 1 and "{first}" in result.output and "{junior_first_name}" in result.output
    no_subject = tmp_path / "nosubject.txt"
    no_subject.write_text("Hello {junior_name}\n")
    assert invoke("introduce", str(pairings), "--template", str(no_subject), "-o", str(tmp_path / "b")).exit_code == 1
    applications = make_workbook([junior_row(), senior_row()], name="applications.xlsx")
    wrong = invoke("introduce", str(applications), "-o", str(tmp_path / "c"))
    assert wrong.exit_code == 1 and exited_cleanly(wrong)
    missing_parent = invoke("introduce", str(pairings), "-o", str(tmp_path / "no" / "such" / "box"))
    assert missing_parent.exit_code == 1 and "does not exist" in missing_parent.output
    assert not (tmp_path / "a").exists() or not list((tmp_path / "a").glob("*.eml"))
