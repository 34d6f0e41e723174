"""`mentormatch introduce`: one unsent email draft per pair, and a mail-merge CSV."""

from __future__ import annotations

import csv
import email
import textwrap
from email import policy
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from conftest import exited_cleanly, junior_row, read_sheet, senior_row
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


# --- the wording fits the scheme, paragraphs reflow, a rematch drafts only its new pairs -------------


def bodies(folder: Path) -> dict[str, str]:
    """Each draft's body by file name, from the .eml files and, checked equal, the mail-merge CSV."""
    from_eml = {path.name: email.message_from_bytes(path.read_bytes(), policy=policy.default).get_content()
                for path in sorted(folder.glob("pair-*.eml"))}
    with (folder / "mail-merge.csv").open(encoding="utf-8-sig", newline="") as handle:
        from_csv = {row["File"]: row["Body"] for row in csv.DictReader(handle)}
    assert from_csv == from_eml
    return from_eml


def reverse_round(make_workbook, tmp_path: Path, *args: str) -> Path:
    rows = [junior_row(Name="Ann Ash", Grade="HEO", Department="DfT"),
            senior_row(Name="Dee Oak", Grade="Deputy Director", Department="HMT")]
    output = tmp_path / "reverse-pairings.xlsx"
    result = invoke("match", str(make_workbook(rows, name="reverse.xlsx")), "-o", str(output), *args)
    assert result.exit_code == 0, result.output
    return output


def test_reverse_mentoring_names_the_junior_as_mentor_and_the_senior_as_mentee(make_workbook, tmp_path):
    pairings = reverse_round(make_workbook, tmp_path, "--preset", "reverse")
    result = invoke("introduce", str(pairings), "-o", str(tmp_path / "outbox"))
    assert result.exit_code == 0 and "reverse mentoring wording" in result.output
    [body] = bodies(tmp_path / "outbox").values()
    assert "Ann Ash is the mentor and Dee Oak is the mentee" in body
    assert "each other" not in body.replace("introduce you to each other", "")
    [draft] = messages(tmp_path / "outbox")
    assert "reverse mentoring" in str(draft["Subject"])


def test_mutual_mentoring_says_the_partners_mentor_each_other(make_workbook, tmp_path):
    pairings = pairings_of(make_workbook, tmp_path)  # the default preset, mutual-2023
    assert invoke("introduce", str(pairings), "-o", str(tmp_path / "outbox")).exit_code == 0
    for body in bodies(tmp_path / "outbox").values():
        assert "you mentor each other" in body
        assert "is the mentor" not in body and "is the mentee" not in body


def test_the_wording_follows_the_configs_scheme_and_scheme_overrides_it(make_workbook, tmp_path):
    config = tmp_path / "mentormatch.toml"
    config.write_text('preset = "reverse"\nscheme = "mutual"\n')  # a reverse-rules round run as mutual mentoring
    pairings = reverse_round(make_workbook, tmp_path, "--config", str(config))
    assert invoke("introduce", str(pairings), "-o", str(tmp_path / "a")).exit_code == 0
    assert all("you mentor each other" in body for body in bodies(tmp_path / "a").values())
    assert invoke("introduce", str(pairings), "--scheme", "reverse", "-o", str(tmp_path / "b")).exit_code == 0
    assert all("Ann Ash is the mentor" in body for body in bodies(tmp_path / "b").values())
    template = tmp_path / "intro.txt"
    template.write_text("Subject: Hello\n\nHello {junior_first_name}.\n")
    both = invoke("introduce", str(pairings), "--scheme", "reverse", "--template", str(template), "-o", str(tmp_path / "c"))
    assert both.exit_code == 2 and exited_cleanly(both)
    assert invoke("introduce", str(pairings), "--scheme", "sideways", "-o", str(tmp_path / "d")).exit_code == 2


def test_a_workbook_from_before_the_round_record_takes_its_settings_preset(make_workbook, tmp_path):
    pairings = reverse_round(make_workbook, tmp_path, "--preset", "reverse")
    book = openpyxl.load_workbook(pairings)
    del book["Round"]
    book.save(pairings)
    assert invoke("introduce", str(pairings), "-o", str(tmp_path / "outbox")).exit_code == 0
    assert all("Ann Ash is the mentor" in body for body in bodies(tmp_path / "outbox").values())


@pytest.mark.parametrize("preset", ["mutual-2023", "reverse"])
def test_every_paragraph_is_one_line_so_outlook_can_wrap_it(make_workbook, tmp_path, preset):
    pairings = reverse_round(make_workbook, tmp_path, "--preset", preset)
    assert invoke("introduce", str(pairings), "-o", str(tmp_path / "outbox")).exit_code == 0
    [body] = bodies(tmp_path / "outbox").values()
    paragraphs = body.strip("\n").split("\n\n")
    assert len(paragraphs) >= 6 and all(paragraph.strip() for paragraph in paragraphs)
    assert [p for p in paragraphs if "\n" in p] == []  # one line each: no break inside a sentence
    assert max(len(p) for p in paragraphs) > 100  # long paragraphs too, which used to be broken at 100 columns


def test_a_wrapped_template_is_reflowed_but_its_list_is_kept(make_workbook, tmp_path):
    pairings = pairings_of(make_workbook, tmp_path)
    paragraph = ("Thank you for applying, {junior_first_name} and {senior_first_name}. We are delighted to "
                 "introduce you as partners, and we hope the six months ahead are rewarding for you both.")
    template = tmp_path / "intro.txt"
    template.write_text("Subject: Meet {senior_first_name}\n\nDear {junior_first_name},\n\n"
                        + textwrap.fill(paragraph, 72) + "\n\nAt your first meeting, please:\n"
                        "- agree how often to meet, and where\n- share what you each hope to learn\n"
                        "1. a numbered point\n\nBest wishes,\nThe programme team\n")
    assert "\n" in textwrap.fill(paragraph, 72)
    assert invoke("introduce", str(pairings), "--template", str(template), "-o", str(tmp_path / "box")).exit_code == 0
    for body in bodies(tmp_path / "box").values():
        lines = body.splitlines()
        assert any(line.startswith("Thank you for applying, ") and line.endswith("rewarding for you both.")
                   for line in lines)
        at = lines.index("At your first meeting, please:")
        assert lines[at + 1: at + 4] == ["- agree how often to meet, and where", "- share what you each hope to learn",
                                         "1. a numbered point"]
        assert lines[-2:] == ["Best wishes,", "The programme team"]  # a sign-off above a name keeps its break


def first_round(make_workbook, tmp_path: Path, spare: int) -> Path:
    departments = ["DfT", "HMRC", "DWP"]
    rows = [junior_row(Department=departments[i % 3]) for i in range(4)]
    rows += [senior_row(Department="ONS", Profession="GORS") for _ in range(4 + spare)]
    output = tmp_path / "pairings.xlsx"
    assert invoke("match", str(make_workbook(rows)), "-o", str(output)).exit_code == 0
    return output


def addressed(folder: Path) -> dict[str, set[str]]:
    return {path.name: {a.strip() for a in str(email.message_from_bytes(path.read_bytes(), policy=policy.default)["To"])
                        .split(",")} for path in sorted(folder.glob("pair-*.eml"))}


def test_after_a_rematch_only_the_new_pairs_are_drafted_numbered_after_the_earlier_ones(make_workbook, tmp_path):
    pairings = first_round(make_workbook, tmp_path, spare=2)
    assert invoke("introduce", str(pairings), "-o", str(tmp_path / "round")).exit_code == 0
    first = addressed(tmp_path / "round")
    assert sorted(first) == ["pair-001.eml", "pair-002.eml", "pair-003.eml", "pair-004.eml"]
    before = read_sheet(pairings, "Pairings")
    after = tmp_path / "after.xlsx"
    withdrawn = [before[0]["Senior email"], before[1]["Senior email"]]
    assert invoke("rematch", str(pairings), *(f"--withdrawn={e}" for e in withdrawn), "-o", str(after)).exit_code == 0
    now = read_sheet(after, "Pairings")
    new = {frozenset((p["Junior email"], p["Senior email"])) for p in now[2:]}
    assert len(now) == 4 and {before[0]["Junior email"], before[1]["Junior email"]} <= set().union(*new)

    result = invoke("introduce", str(after), "-o", str(tmp_path / "new"))
    assert result.exit_code == 0 and "2 pairs kept from the earlier pairings" in result.output
    drafted = addressed(tmp_path / "new")
    assert sorted(drafted) == ["pair-005.eml", "pair-006.eml"]  # after the four drafted before, never one of them
    assert {frozenset(to) for to in drafted.values()} == new

    assert invoke("introduce", str(after), "--all", "-o", str(tmp_path / "all")).exit_code == 0
    everything = addressed(tmp_path / "all")
    assert sorted(everything) == ["pair-003.eml", "pair-004.eml", "pair-005.eml", "pair-006.eml"]
    assert {name: everything[name] for name in ("pair-003.eml", "pair-004.eml")} == {
        name: first[name] for name in ("pair-003.eml", "pair-004.eml")}  # kept pairs keep their numbers
    with (tmp_path / "all" / "mail-merge.csv").open(encoding="utf-8-sig", newline="") as handle:
        assert {row["File"]: row["Kept pair"] for row in csv.DictReader(handle)} == {
            "pair-003.eml": "yes", "pair-004.eml": "yes", "pair-005.eml": "", "pair-006.eml": ""}


def test_a_second_rematch_numbers_after_every_pair_drafted_in_the_round(make_workbook, tmp_path):
    pairings = first_round(make_workbook, tmp_path, spare=2)
    once, twice = tmp_path / "once.xlsx", tmp_path / "twice.xlsx"
    assert invoke("rematch", str(pairings), "--withdrawn", read_sheet(pairings, "Pairings")[0]["Senior email"],
                  "-o", str(once)).exit_code == 0
    assert invoke("introduce", str(once), "-o", str(tmp_path / "a")).exit_code == 0
    [(name, pair)] = addressed(tmp_path / "a").items()
    assert name == "pair-005.eml"
    senior = next(address for address in pair if address.startswith("senior"))
    assert invoke("rematch", str(once), "--withdrawn", senior, "-o", str(twice)).exit_code == 0
    assert invoke("introduce", str(twice), "-o", str(tmp_path / "b")).exit_code == 0
    assert sorted(addressed(tmp_path / "b")) == ["pair-006.eml"]  # pair 5 ended; its name is not used again
    assert invoke("introduce", str(twice), "-o", str(tmp_path / "c"), "--all").exit_code == 0
    assert sorted(addressed(tmp_path / "c")) == ["pair-002.eml", "pair-003.eml", "pair-004.eml", "pair-006.eml"]


def test_a_rematch_workbook_without_pair_numbers_needs_all(make_workbook, tmp_path):
    pairings = first_round(make_workbook, tmp_path, spare=1)
    after = tmp_path / "after.xlsx"
    assert invoke("rematch", str(pairings), "--withdrawn", read_sheet(pairings, "Pairings")[0]["Senior email"],
                  "-o", str(after)).exit_code == 0
    book = openpyxl.load_workbook(after)  # as an earlier version wrote it: no pair numbers in the Round sheet
    sheet = book["Round"]
    for at in reversed(range(2, sheet.max_row + 1)):
        if sheet.cell(at, 1).value in ("pair", "kept pair", "last pair number"):
            sheet.delete_rows(at)
    book.save(after)
    refused = invoke("introduce", str(after), "-o", str(tmp_path / "a"))
    assert refused.exit_code == 1 and exited_cleanly(refused) and "--all" in refused.output
    assert not list((tmp_path / "a").glob("*.eml"))
    assert invoke("introduce", str(after), "--all", "-o", str(tmp_path / "b")).exit_code == 0
    assert sorted(addressed(tmp_path / "b")) == [f"pair-00{n}.eml" for n in range(1, 5)]
