"""`mentormatch checkin`: generated check-in exports over several months give the statuses a hand count gives."""

from __future__ import annotations

import random
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from conftest import exited_cleanly, junior_row, read_sheet, senior_row, write_rows
from mentormatch.cli.app import app

MET, USEFUL, ENDED = "Have you met your partner this month?", "How useful was it, 1-5?", "Has your partnership ended?"
WHICH = "Which partner is this about? (if you have more than one)"


def invoke(*args: object):
    return CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})


def paired_round(folder: Path) -> tuple[Path, list[tuple[str, str]]]:
    rows = [junior_row(Department=d, Grade=g) for d in ("DfT", "HMRC", "DWP") for g in ("HEO", "SEO", "EO")]
    rows += [senior_row(Department="ONS", Profession="GORS", Capacity=2) for _ in range(5)]
    applications = write_rows(folder / "applications.xlsx", rows)
    assert invoke("match", applications, "-o", folder / "pairings.xlsx").exit_code == 0
    pairs = [(p["Junior email"], p["Senior email"]) for p in read_sheet(folder / "pairings.xlsx", "Pairings")]
    return folder / "pairings.xlsx", pairs


def hand_count(answers: dict[str, dict[tuple[str, str], dict]], pairs: list[tuple[str, str]],
               months: list[str]) -> dict:
    """Each pair's status, worked out directly from what was answered about it (keyed by (who, which pair's junior)).

    Only answers about this pair count: a senior's answer that named no partner is about no pair.
    """
    status = {}
    for junior, senior in pairs:
        said = {side: {m: a for m in months if (a := answers.get(m, {}).get((email, junior)))}
                for side, email in (("junior", junior), ("senior", senior))}
        mine = [*said["junior"].values(), *said["senior"].values()]
        met = [m for m in months if any(a["met"] for side in said.values() if (a := side.get(m)))]
        without = len(months) - 1 - months.index(met[-1]) if met else len(months)
        last = [said[side].get(months[-1]) for side in ("junior", "senior")]
        if any(a["ended"] for a in mine):
            status[junior] = "ended"
        elif not mine:
            status[junior] = "no answers"
        elif not said["junior"] or not said["senior"]:
            status[junior] = f"the {'junior' if not said['junior'] else 'senior'} partner has not answered"
        elif all(last) and last[0]["met"] != last[1]["met"]:
            status[junior] = "one side reports not meeting"
        elif without:
            status[junior] = f"not met for {without} month{'s' if without != 1 else ''}"
        elif not all(last):
            status[junior] = f"no answer from the {'junior' if not last[0] else 'senior'} partner for {months[-1]}"
        else:
            status[junior] = "on track"
    return status


@pytest.mark.parametrize("seed", range(5))
def test_statuses_match_a_hand_count_over_several_months(tmp_path, seed):
    pairings, pairs = paired_round(tmp_path)
    rng = random.Random(seed)
    months = ["2026-06", "2026-07", "2026-08"][: rng.choice([2, 3])]
    names = {p["Junior email"]: p["Junior name"] for p in read_sheet(pairings, "Pairings")}
    answers: dict[str, dict[tuple[str, str], dict]] = {}
    files = []
    for month in months:
        rows = []
        for junior, senior in pairs:  # each partner answers about each of their pairs; a senior here has two
            for email in (junior, senior):
                if rng.random() >= 0.75:
                    continue
                answer = {"met": rng.random() < 0.7, "useful": rng.choice([1, 2, 3, 4, 5, None]),
                          "ended": rng.random() < 0.04}
                which = "" if email == junior else rng.choice([junior, names[junior], names[junior].upper(), ""])
                if email == senior and not which:
                    answer["ended"] = False  # an unclear "ended" is asked about, not counted (tested on its own)
                else:
                    answers.setdefault(month, {})[(email, junior)] = answer
                when = datetime(int(month[:4]), int(month[5:]), rng.randint(1, 28), 9, 30)
                typed = email.upper() if rng.random() < 0.3 else f"Someone <{email}>"
                rows.append({"Completion time": when.strftime("%d/%m/%Y %H:%M:%S"), "Email": typed, WHICH: which,
                             MET: "Yes" if answer["met"] else "No", USEFUL: answer["useful"] or "",
                             ENDED: "Yes" if answer["ended"] else "No", "Comment": "private words"})
        rng.shuffle(rows)
        files.append(write_rows(tmp_path / f"{month}.xlsx", rows))
    tracker = tmp_path / "tracker.xlsx"
    args = ["checkin", pairings, *[x for f in files for x in ("--responses", f)], "-o", tracker]
    result = invoke(*args)
    assert result.exit_code == 0 and exited_cleanly(result), result.output
    shown = {row["Junior email"]: row["Status"] for row in read_sheet(tracker, "Pairs")}
    assert shown == hand_count(answers, pairs, months)
    contact = read_sheet(tracker, "Contact")
    assert {row["Junior email"] for row in contact} == {j for j, s in shown.items() if s != "on track"}
    assert [row["Status"] for row in contact][: sum(s == "ended" for s in shown.values())] == ["ended"] * sum(
        s == "ended" for s in shown.values())  # ended first, to re-pair the one left
    book = openpyxl.load_workbook(tracker)
    text = " ".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value)
    assert "private words" not in text  # comments stay out unless asked for
    for row in read_sheet(tracker, "By month"):  # counts of 1 to 4 are never shown
        assert all(not (isinstance(row[c], int) and 0 < row[c] < 5) for c in ("Pairs meeting", "Answers"))
    by_month = {row["Month"]: row for row in read_sheet(tracker, "By month")}
    for month in months:
        meeting = sum(any((a := answers.get(month, {}).get((e, p[0]))) and a["met"] for e in p) for p in pairs)
        assert by_month[month]["Pairs meeting"] in (meeting, "[c]")


def test_a_second_answer_in_a_month_counts_by_its_date(tmp_path):
    pairings, pairs = paired_round(tmp_path)
    junior, senior = pairs[0]
    rows = [{"Completion time": "20/06/2026 10:00:00", "Email": junior, WHICH: "", MET: "Yes", USEFUL: 4},
            {"Completion time": "05/06/2026 10:00:00", "Email": junior, WHICH: "", MET: "No", USEFUL: 2},  # earlier
            {"Completion time": "06/06/2026 10:00:00", "Email": senior, WHICH: junior, MET: "Yes", USEFUL: 5}]
    tracker = tmp_path / "tracker.xlsx"
    assert invoke("checkin", pairings, "--responses", write_rows(tmp_path / "june.xlsx", rows), "-o", tracker).exit_code == 0
    row = next(r for r in read_sheet(tracker, "Pairs") if r["Junior email"] == junior)
    assert (row["Status"], row["Junior usefulness"], row["Junior answers"]) == ("on track", 4, 1)


def test_ended_partnerships_feed_rematch_and_comments_only_when_asked(tmp_path):
    pairings, pairs = paired_round(tmp_path)
    leaver = pairs[0][0]
    rows = [{"Completion time": "15/06/2026 10:00:00", "Email": e, WHICH: pair[0], MET: "Yes", USEFUL: 4, ENDED: "No",
             "Comment": f"note from {e}"} for pair in pairs for e in pair]
    june = write_rows(tmp_path / "june.xlsx", rows)
    tracker = tmp_path / "tracker.xlsx"
    result = invoke("checkin", pairings, "--responses", june, "--ended", leaver, "--include-comments", "-o", tracker)
    assert result.exit_code == 0, result.output
    assert [row["Email"] for row in read_sheet(tracker, "Ended")] == [leaver]
    assert any("note from" in row["Comment"] for row in read_sheet(tracker, "Comments"))
    after = tmp_path / "after.xlsx"
    assert invoke("rematch", pairings, "--withdrawn-file", tracker, "-o", after).exit_code == 0
    assert leaver not in {row["Junior email"] for row in read_sheet(after, "Pairings")}
    board = tmp_path / "board.xlsx"
    assert invoke("report", pairings, "--tracker", tracker, "-o", board).exit_code == 0
    assert {"Check-ins", "Check-ins by month", "Check-ins by group"} <= set(openpyxl.load_workbook(board).sheetnames)


def test_unreadable_answers_are_problems_at_their_cells(tmp_path):
    pairings, pairs = paired_round(tmp_path)
    rows = [{"Completion time": "15/06/2026", "Email": pairs[0][0], MET: "maybe", USEFUL: 4},
            {"Completion time": "someday", "Email": pairs[0][1], MET: "Yes", USEFUL: 9},
            {"Completion time": "15/06/2026", "Email": "stranger@example.gov.uk", MET: "Yes", USEFUL: 3}]
    june = write_rows(tmp_path / "june.xlsx", rows)
    tracker = tmp_path / "tracker.xlsx"
    assert invoke("checkin", pairings, "--responses", june, "-o", tracker).exit_code == 0
    found = {(p["Row"], p["Column"], p["Code"]) for p in read_sheet(tracker, "Problems")}
    assert found == {(2, MET, "checkin-unreadable"), (3, "Completion time", "checkin-unreadable"),
                     (3, USEFUL, "checkin-unreadable"), (4, None, "checkin-not-paired")}


def test_the_checkin_template_is_read_back(tmp_path):
    pairings, pairs = paired_round(tmp_path)
    form = tmp_path / "form.xlsx"
    assert invoke("template", "--checkin", form).exit_code == 0
    book = openpyxl.load_workbook(form)
    sheet = book.active
    sheet.append([pairs[0][0], datetime(2026, 6, 3), "", "Yes", 5, "No", ""])
    sheet.append([pairs[0][1], datetime(2026, 6, 4), pairs[0][0], "Yes", 4, "No", ""])
    book.save(form)
    tracker = tmp_path / "tracker.xlsx"
    assert invoke("checkin", pairings, "--responses", form, "-o", tracker).exit_code == 0
    status = {row["Junior email"]: row["Status"] for row in read_sheet(tracker, "Pairs")}
    assert status[pairs[0][0]] == "on track"


def test_checkin_and_report_never_write_over_what_they_read(tmp_path):
    pairings, pairs = paired_round(tmp_path)
    june = write_rows(tmp_path / "june.xlsx", [{"Completion time": "15/06/2026", "Email": pairs[0][0], MET: "Yes"}])
    before = june.read_bytes()
    result = invoke("checkin", pairings, "--responses", june, "-o", june)
    assert result.exit_code == 1 and exited_cleanly(result) and june.read_bytes() == before
    tracker = tmp_path / "tracker.xlsx"
    assert invoke("checkin", pairings, "--responses", june, "-o", tracker).exit_code == 0
    before = tracker.read_bytes()
    assert invoke("report", pairings, "--tracker", tracker, "-o", tracker).exit_code == 1
    assert tracker.read_bytes() == before


def test_google_forms_headers_are_recognised(tmp_path):
    pairings, pairs = paired_round(tmp_path)
    rows = [{"Timestamp": "2026-06-15 10:00:00", "Email address": e, "Did you meet your partner this month?": "Yes",
             "Which partner are you answering about?": pairs[0][0]} for e in pairs[0]]
    tracker = tmp_path / "tracker.xlsx"
    result = invoke("checkin", pairings, "--responses", write_rows(tmp_path / "june.csv", rows), "-o", tracker)
    assert result.exit_code == 0, result.output
    assert {r["Junior email"]: r["Status"] for r in read_sheet(tracker, "Pairs")}[pairs[0][0]] == "on track"


def test_a_senior_with_two_partners_saying_ended_ends_neither_pair(tmp_path):
    pairings, pairs = paired_round(tmp_path)
    seniors = [s for _j, s in pairs]
    busy = next(s for s in seniors if seniors.count(s) == 2)
    rows = [{"Completion time": "15/06/2026", "Email": busy, MET: "Yes", ENDED: "Yes"}]
    tracker = tmp_path / "tracker.xlsx"
    assert invoke("checkin", pairings, "--responses", write_rows(tmp_path / "june.xlsx", rows), "-o", tracker).exit_code == 0
    assert read_sheet(tracker, "Ended") == []
    assert [p["Code"] for p in read_sheet(tracker, "Problems")] == ["checkin-ended-unclear"]


def _one_month_tracker(folder: Path) -> tuple[Path, Path]:
    """(pairings, tracker) of a round whose partners all said they met in June."""
    pairings, pairs = paired_round(folder)
    june = write_rows(folder / "june.xlsx", [{"Completion time": "15/06/2026", "Email": e, MET: "Yes"}
                                             for pair in pairs for e in pair])
    tracker = folder / "tracker.xlsx"
    assert invoke("checkin", pairings, "--responses", june, "-o", tracker).exit_code == 0
    return pairings, tracker


def _refused(pairings: Path, tracker: Path, folder: Path) -> str:
    """What `report --tracker` says when it refuses the tracker; it writes nothing."""
    result = invoke("report", pairings, "--tracker", tracker, "-o", folder / "board.xlsx")
    assert result.exit_code == 1 and exited_cleanly(result) and not (folder / "board.xlsx").exists()
    return result.output


def test_a_tracker_without_its_counts_is_refused_by_report_with_what_to_do(tmp_path):
    pairings, tracker = _one_month_tracker(tmp_path)
    book = openpyxl.load_workbook(tracker)
    assert book["Check-in counts"].sheet_state == "hidden"  # for report, not for people
    del book["Check-in counts"]  # as a tracker from an earlier version
    book.save(tmp_path / "older.xlsx")
    assert "checkin" in _refused(pairings, tmp_path / "older.xlsx", tmp_path)


def test_a_tracker_whose_counts_were_edited_is_refused_not_reported(tmp_path):
    pairings, tracker = _one_month_tracker(tmp_path)
    book = openpyxl.load_workbook(tracker)
    book["Check-in counts"]["E3"] = "=1+1"  # typed over: not a count
    book.save(tmp_path / "edited.xlsx")
    assert "run `mentormatch checkin` again" in _refused(pairings, tmp_path / "edited.xlsx", tmp_path)
