"""The pairings workbook read back after hand edits: the emails are the truth of a row.

A coordinator edits the Pairings sheet, then `check`, `introduce`, `rematch` and `checkin` read it back.
Every command rebuilds each partner's details from the applications; drafts greet the people they are
sent to; pair numbers stay stable and start at pair-001; anyone in the round may withdraw; and a silent
partner is never hidden behind the other's answers.
"""

from __future__ import annotations

import email
from email import policy
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from conftest import exited_cleanly, junior_row, read_sheet, senior_row, write_rows
from mentormatch.cli.app import app

MET, ENDED = "Have you met your partner this month?", "Has your partnership ended?"
WHICH = "Which partner is this about? (if you have more than one)"
DESCRIBED = ("Senior name", "Senior grade", "Senior department", "Senior profession")


def invoke(*args: object):
    return CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})


def matched(folder: Path) -> tuple[Path, list[dict]]:
    """A round with a free senior place (Xena): three pairs, and one senior unpaired."""
    rows = [junior_row(Name="Amara Okafor", Department="DfT", Profession="GSR"),
            junior_row(Name="Ben Hughes", Department="DWP", Profession="GSR"),
            junior_row(Name="Chloe Patel", Department="HMRC", Profession="GSR"),
            senior_row(Name="Xander Nakamura", Grade="Deputy Director", Department="DESNZ", Profession="GES"),
            senior_row(Name="Yara Rossi", Department="HMT", Profession="GES"),
            senior_row(Name="Zoe Walsh", Department="ONS", Profession="GES"),
            senior_row(Name="Xena Price", Grade="Grade 6", Department="Home Office", Profession="GORS")]
    applications = write_rows(folder / "applications.xlsx", rows)
    pairings = folder / "pairings.xlsx"
    assert invoke("match", applications, "-o", pairings).exit_code == 0
    return pairings, rows


def swap_senior(pairings: Path, target: Path, row: int, new_email: str) -> None:
    """Change one Senior email cell by hand, leaving every other cell of the row as it was."""
    book = openpyxl.load_workbook(pairings)
    sheet = book["Pairings"]
    headers = [c.value for c in sheet[1]]
    sheet.cell(row, headers.index("Senior email") + 1).value = new_email
    book.save(target)


def test_a_legal_senior_swap_is_rebuilt_from_the_applications_everywhere(tmp_path):
    """Xander takes both juniors; a coordinator gives one of them to Yara, who has a free place, by changing
    the Senior email cell only. Every other cell of that row still describes Xander."""
    rows = [junior_row(Name="Amara Okafor", Grade="SEO", Department="DfT"),
            junior_row(Name="Ben Hughes", Grade="SEO", Department="DWP"),
            senior_row(Name="Xander Nakamura", Grade="Grade 6", Department="DESNZ", Capacity=2,
                       **{"Development aims": "Leadership; Wellbeing"}),
            senior_row(Name="Yara Rossi", Grade="Director", Department="Home Office", Profession="GORS",
                       **{"Development aims": "Finance"})]
    applications = write_rows(tmp_path / "applications.xlsx", rows)
    pairings = tmp_path / "pairings.xlsx"
    assert invoke("match", applications, "-o", pairings).exit_code == 0
    pairs = read_sheet(pairings, "Pairings")
    assert {p["Senior name"] for p in pairs} == {"Xander Nakamura"}
    edited = tmp_path / "edited.xlsx"
    swap_senior(pairings, edited, 2, rows[3]["Email"])
    checked = invoke("check", edited, "-o", tmp_path / "checked.xlsx")
    assert checked.exit_code == 0 and exited_cleanly(checked), checked.output  # legal: warnings only
    found = {(p["Row"], p["Column"], p["Code"]) for p in read_sheet(tmp_path / "checked.xlsx", "Check problems")}
    assert found == {(2, column, "cell-disagrees") for column in (*DESCRIBED, "Shared aims")}
    fixed = read_sheet(tmp_path / "checked.xlsx", "Pairings")[0]
    assert (fixed["Senior name"], fixed["Senior grade"], fixed["Senior department"], fixed["Senior profession"]) == (
        "Yara Rossi", "Director", "Home Office", "GORS")
    outbox = tmp_path / "outbox"
    assert invoke("introduce", edited, "-o", outbox).exit_code == 0
    drafts = sorted(outbox.glob("pair-*.eml"))
    assert [d.name for d in drafts] == ["pair-001.eml", "pair-002.eml"]  # the edited pair kept its number
    messages = [email.message_from_bytes(d.read_bytes(), policy=policy.default) for d in drafts]
    to_yara = next(m for m in messages if rows[3]["Email"] in str(m["To"]))
    body = to_yara.get_content()
    assert f"Dear {pairs[0]['Junior name'].split()[0]} and Yara," in body
    assert "Yara Rossi is Director in Home Office (GORS)" in body and "Xander" not in body
    assert rows[2]["Email"] not in str(to_yara["To"])


def test_rematch_accepts_a_withdrawal_of_anyone_in_the_round_and_chains(tmp_path):
    pairings, _rows = matched(tmp_path)
    unmatched = read_sheet(pairings, "Unmatched")
    lonely = unmatched[0]["Email"]  # a senior the round left without a partner
    first = tmp_path / "rematch-1.xlsx"
    result = invoke("rematch", pairings, "--withdrawn", lonely, "-o", first)
    assert result.exit_code == 0 and exited_cleanly(result), result.output
    changes = {(c["Change"], c["Email"]) for c in read_sheet(first, "Changes")}
    assert ("withdrew", lonely) in changes
    paired = read_sheet(first, "Pairings")[0]["Junior email"]
    second = tmp_path / "rematch-2.xlsx"
    assert invoke("rematch", first, "--withdrawn", paired, "-o", second).exit_code == 0
    everyone = {p[k] for p in read_sheet(second, "Pairings") for k in ("Junior email", "Senior email")}
    assert lonely not in everyone and paired not in everyone
    assert invoke("check", second).exit_code == 0


def test_rematch_accepts_a_withdrawal_of_someone_left_out_for_errors(tmp_path):
    rows = [junior_row(Department="DfT"), junior_row(Grade="Band B"), senior_row(Department="HMT")]
    applications = write_rows(tmp_path / "applications.xlsx", rows)
    pairings = tmp_path / "pairings.xlsx"
    assert invoke("match", applications, "-o", pairings).exit_code == 0
    left_out = rows[1]["Email"]
    after = tmp_path / "after.xlsx"
    result = invoke("rematch", pairings, "--withdrawn", left_out, "-o", after)
    assert result.exit_code == 0, result.output
    assert ("withdrew", left_out) in {(c["Change"], c["Email"]) for c in read_sheet(after, "Changes")}
    assert invoke("check", after).exit_code == 0


def test_the_rematch_workbook_prints_like_the_match_workbook(tmp_path):
    pairings, _rows = matched(tmp_path)
    lonely = read_sheet(pairings, "Unmatched")[0]["Email"]
    after = tmp_path / "after.xlsx"
    assert invoke("rematch", pairings, "--withdrawn", lonely, "-o", after).exit_code == 0
    before, now = openpyxl.load_workbook(pairings)["Pairings"], openpyxl.load_workbook(after)["Pairings"]
    assert now.print_area == before.print_area and before.print_area
    assert now.print_title_rows == before.print_title_rows
    assert now.page_setup.orientation == before.page_setup.orientation == "landscape"


def test_a_silent_partner_is_never_hidden_behind_the_others_answers(tmp_path):
    rows = [junior_row(Department=d) for d in ("DfT", "DWP")] + [senior_row(Department="HMT", Capacity=2)]
    applications = write_rows(tmp_path / "applications.xlsx", rows)
    pairings = tmp_path / "pairings.xlsx"
    assert invoke("match", applications, "-o", pairings).exit_code == 0
    pairs = read_sheet(pairings, "Pairings")
    assert len(pairs) == 2 and pairs[0]["Senior email"] == pairs[1]["Senior email"]
    senior, (first, second) = pairs[0]["Senior email"], (p["Junior email"] for p in pairs)
    answers = [{"Completion time": "15/06/2026", "Email": senior, WHICH: "", MET: "Yes", ENDED: "No"},  # says for whom?
               {"Completion time": "15/07/2026", "Email": senior, WHICH: first, MET: "Yes", ENDED: "No"},
               {"Completion time": "16/07/2026", "Email": first, WHICH: "", MET: "Yes", ENDED: "No"},
               {"Completion time": "17/07/2026", "Email": senior, WHICH: pairs[1]["Junior name"], MET: "Yes",
                ENDED: "No"}]
    tracker = tmp_path / "tracker.xlsx"
    result = invoke("checkin", pairings, "--responses", write_rows(tmp_path / "answers.xlsx", answers), "-o", tracker)
    assert result.exit_code == 0, result.output
    status = {row["Junior email"]: row["Status"] for row in read_sheet(tracker, "Pairs")}
    assert status[first] == "on track"  # both partners say they met in the latest month
    assert status[second] == "the junior partner has not answered"  # the senior's "met" does not speak for them
    assert {row["Junior email"] for row in read_sheet(tracker, "Contact")} == {second}
    assert [p["Code"] for p in read_sheet(tracker, "Problems")] == ["checkin-partner-unclear"]
    ended = [{"Completion time": "15/06/2026", "Email": senior, WHICH: "", MET: "No", ENDED: "Yes"}]
    tracker = tmp_path / "ended.xlsx"
    assert invoke("checkin", pairings, "--responses", write_rows(tmp_path / "ended-answers.xlsx", ended),
                  "-o", tracker).exit_code == 0
    assert {row["Junior email"] for row in read_sheet(tracker, "Contact")} == {first, second}


def test_kept_pairs_are_a_first_class_input_with_their_own_outcome(tmp_path):
    """A rematch's pairs from before are kept, or ended with why, as records of the round (not as problems)."""
    from mentormatch.config import build_config
    from mentormatch.matching.pipeline import match_validated
    from mentormatch.models import RoundInputs
    from mentormatch.validation.checks import validate_file

    rows = [junior_row(Email="j1@x.gov.uk", Department="DfT"), junior_row(Email="j2@x.gov.uk", Department="DWP"),
            senior_row(Email="s1@x.gov.uk", Department="HMT", Capacity=1)]
    validation = validate_file(write_rows(tmp_path / "a.xlsx", rows), build_config({}))
    kept = ((2, "j1@x.gov.uk", "s1@x.gov.uk"), (3, "j2@x.gov.uk", "s1@x.gov.uk"))  # one place, two pairs from before
    result = match_validated(validation, build_config({}), RoundInputs(kept=kept))
    assert [(k.junior, k.kept) for k in result.kept_pairs] == [("j1@x.gov.uk", True), ("j2@x.gov.uk", False)]
    assert result.kept_pairs[1].why == "the senior's capacity no longer allows it"
    assert [(p.junior.email, p.kept, p.locked) for p in result.pairings] == [("j1@x.gov.uk", True, False)]
    assert not [p for p in result.problems if p.code == "kept-pair-ended"]  # an outcome, not a problem


def test_every_record_of_the_pairings_workbook_reads_back_as_written(tmp_path):
    """Write a round with every kind of record (pairs, unmatched, settings and each round input), read it back."""
    from mentormatch.config import build_config
    from mentormatch.inputs.pairings_book import read_edited_pairs, read_round_record, read_unmatched
    from mentormatch.matching.pipeline import match_validated
    from mentormatch.models import RoundInputs
    from mentormatch.outputs.sheets import write_pairings
    from mentormatch.validation.checks import validate_file

    rows = [junior_row(Email="j1@x.gov.uk", Department="DfT"), junior_row(Email="j2@x.gov.uk", Department="DWP"),
            junior_row(Email="j3@x.gov.uk", Grade="Band B"), senior_row(Email="s1@x.gov.uk", Department="HMT"),
            senior_row(Email="s2@x.gov.uk", Department="ONS")]
    source = write_rows(tmp_path / "applications.xlsx", rows)
    config = build_config({"round": {"name": "Round trip 2026", "priority": "bonus"}})
    validation = validate_file(source, config)
    inputs = RoundInputs(do_not_match=(("j1@x.gov.uk", "s2@x.gov.uk"),), history=(("j2@x.gov.uk", "s9@x.gov.uk"),),
                         shortlisted=frozenset({"j1@x.gov.uk", "j2@x.gov.uk"}), reserves=("j3@x.gov.uk",),
                         withdrawn=("w@x.gov.uk",), priority=(("j2@x.gov.uk", "2025"),),
                         sources=(("history", "2025.xlsx", "ab" * 32),), locks=((2, "j2@x.gov.uk", "s1@x.gov.uk"),),
                         lock_source="agreed.csv")
    result = match_validated(validation, config, inputs)
    workbook = write_pairings(tmp_path / "pairings.xlsx", result)
    pairs = read_edited_pairs(workbook).rows
    assert [(p.junior, p.senior) for p in pairs] == [(p.junior.email, p.senior.email) for p in result.pairings]
    assert {(u.email, u.code) for u in read_unmatched(workbook)} == {(u.email, u.code) for u in result.unmatched}
    record = read_round_record(workbook)
    assert record.settings == config.model_dump(mode="json")
    assert record.applications == "applications.xlsx" and record.applications_sha256 == validation.sha256
    assert record.inputs.do_not_match == inputs.do_not_match and record.inputs.history == inputs.history
    assert record.inputs.shortlisted == inputs.shortlisted and record.inputs.reserves == inputs.reserves
    assert record.inputs.withdrawn == inputs.withdrawn and record.inputs.priority == inputs.priority
    assert record.inputs.sources == inputs.sources
    assert [(a, b) for _row, a, b in record.inputs.locks] == [("j2@x.gov.uk", "s1@x.gov.uk")]
    assert record.inputs.lock_source == "agreed.csv"
    assert record.numbering is not None
    assert [(p.junior, p.senior, p.number) for p in record.numbering.pairs] == [
        (p.junior.email, p.senior.email, n) for n, p in enumerate(result.pairings, start=1)]


def test_a_later_answer_about_a_pair_counts_whatever_the_partner_column_says(tmp_path):
    rows = [junior_row(Department="DfT"), senior_row(Department="HMT")]
    pairings = tmp_path / "pairings.xlsx"
    assert invoke("match", write_rows(tmp_path / "applications.xlsx", rows), "-o", pairings).exit_code == 0
    pair = read_sheet(pairings, "Pairings")[0]
    answers = [{"Completion time": "20/06/2026 10:00:00", "Email": pair["Junior email"], WHICH: pair["Senior name"],
                MET: "No", ENDED: "Yes"},  # the later answer, listed first and naming the partner
               {"Completion time": "03/06/2026 10:00:00", "Email": pair["Junior email"], WHICH: "", MET: "Yes",
                ENDED: "No"}]
    tracker = tmp_path / "tracker.xlsx"
    assert invoke("checkin", pairings, "--responses", write_rows(tmp_path / "june.xlsx", answers),
                  "-o", tracker).exit_code == 0
    assert read_sheet(tracker, "Pairs")[0]["Status"] == "ended"


def test_drafts_an_earlier_run_left_in_the_outbox_are_named(tmp_path):
    rows = [junior_row(Department="DfT"), junior_row(Department="DWP"), senior_row(Department="HMT", Capacity=2)]
    source = write_rows(tmp_path / "applications.xlsx", rows)
    outbox = tmp_path / "confirmations"
    assert invoke("confirm", source, "-o", outbox).exit_code == 0
    fewer = write_rows(tmp_path / "fewer.xlsx", rows[:1])
    result = invoke("confirm", fewer, "-o", outbox)
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    assert "2 older drafts in confirmations were not written by this run (confirm-002.eml, confirm-003.eml)" in text


def test_the_changes_sheet_says_exactly_who_left_whom_and_what_became_of_them(tmp_path):
    """A senior with two juniors withdraws: one junior is re-paired with the free senior, the other waits."""
    rows = [junior_row(Email="a@x.gov.uk", Name="Ada Ash", Department="DfT"),
            junior_row(Email="b@x.gov.uk", Name="Bo Birch", Department="DWP"),
            senior_row(Email="s@x.gov.uk", Name="Sam Spruce", Department="HMT", Capacity=2),
            senior_row(Email="t@x.gov.uk", Name="Tia Teak", Department="ONS", Capacity=1,
                       **{"Do not match with": "b@x.gov.uk"})]
    pairings = tmp_path / "pairings.xlsx"
    assert invoke("match", write_rows(tmp_path / "applications.xlsx", rows), "-o", pairings).exit_code == 0
    if {p["Senior email"] for p in read_sheet(pairings, "Pairings")} != {"s@x.gov.uk"}:
        # the fixture wants both juniors with Sam: lock them so
        lock = write_rows(tmp_path / "lock.csv", [{"a": "a@x.gov.uk", "b": "s@x.gov.uk"},
                                                  {"a": "b@x.gov.uk", "b": "s@x.gov.uk"}])
        assert invoke("match", tmp_path / "applications.xlsx", "--lock", lock, "-o", pairings).exit_code == 0
    after = tmp_path / "after.xlsx"
    assert invoke("rematch", pairings, "--withdrawn", "s@x.gov.uk", "-o", after).exit_code == 0
    changes = sorted((c["Change"], c["Email"], c["Detail"]) for c in read_sheet(after, "Changes"))
    assert changes[0][:2] == ("re-paired", "a@x.gov.uk")
    assert changes[0][2] == "partner Sam Spruce withdrew; now paired with Tia Teak"
    assert changes[1][:2] == ("waiting", "b@x.gov.uk") and changes[1][2].startswith("partner Sam Spruce withdrew; ")
    assert changes[2] == ("withdrew", "s@x.gov.uk", "was paired with Ada Ash, Bo Birch")
    assert len(changes) == 3


def test_check_says_when_the_applications_changed_since_the_match_and_only_then(tmp_path):
    rows = [junior_row(Department="DfT"), senior_row(Department="HMT")]
    source = write_rows(tmp_path / "applications.xlsx", rows)
    pairings = tmp_path / "pairings.xlsx"
    assert invoke("match", source, "-o", pairings).exit_code == 0
    said = "has changed since the round was matched"
    assert said not in " ".join(invoke("check", pairings).output.split())
    write_rows(source, [*rows, junior_row(Department="MoJ")])
    assert said in " ".join(invoke("check", pairings).output.split())


def test_cells_rewritten_from_the_applications_are_yellow_and_rule_breaks_red(tmp_path):
    from mentormatch.outputs.checked import BROKEN, CHANGED

    rows = [junior_row(Name="Amara Okafor", Grade="SEO", Department="DfT"),
            junior_row(Name="Ben Hughes", Grade="SEO", Department="DWP"),
            senior_row(Name="Xander Nakamura", Grade="Grade 6", Department="DESNZ", Capacity=2),
            senior_row(Name="Yara Rossi", Grade="Director", Department="Home Office", Profession="GORS")]
    pairings = tmp_path / "pairings.xlsx"
    assert invoke("match", write_rows(tmp_path / "applications.xlsx", rows), "-o", pairings).exit_code == 0
    edited = tmp_path / "edited.xlsx"
    swap_senior(pairings, edited, 2, rows[3]["Email"])
    assert invoke("check", edited, "-o", tmp_path / "checked.xlsx").exit_code == 0
    sheet = openpyxl.load_workbook(tmp_path / "checked.xlsx")["Pairings"]
    headers = [c.value for c in sheet[1]]
    name = sheet.cell(2, headers.index("Senior name") + 1)
    assert name.value == "Yara Rossi" and name.fill.fgColor.rgb.endswith(CHANGED)
    assert not any(sheet.cell(2, i + 1).fill.fgColor.rgb.endswith(BROKEN) for i in range(len(headers)))
