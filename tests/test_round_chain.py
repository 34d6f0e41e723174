"""A round chained through every command that reads a pairings workbook back, against an oracle.

match -> a hand edit (two seniors swapped, only the Senior email cells changed) -> check -o ->
rematch three times (each with a new applicant and the withdrawal of someone paired, someone
unmatched and someone left out for errors) -> introduce -> checkin. After every step the oracle of
`test_round_property` checks each person is in exactly one place and every rule and capacity holds;
pair numbers never change for a pair that stands and never go back; every drafted email is addressed
to a pair of the final workbook and greets both by the names they applied with; and check-ins in which
both partners of every pair say they met put every pair on track.
"""

from __future__ import annotations

import email
import random
from email import policy
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from conftest import exited_cleanly, junior_row, read_sheet, write_rows
from mentormatch.cli.app import app
from mentormatch.inputs.pairings_book import number_pairs, read_round_record
from test_round_property import Truth, allowed, check, invoke, people, person

WHICH = "Which partner is this about? (if you have more than one)"
MET = "Have you met your partner this month?"


def numbers(workbook: Path) -> dict[tuple[str, str], int]:
    """Each pair's introduction number as every command reads it: the Round sheet's record applied to the
    Pairings sheet as it now stands (an edited row keeps the number of the pair it was)."""
    sheet = [(r["Junior email"], r["Senior email"]) for r in read_sheet(workbook, "Pairings")]
    numbering = number_pairs(sheet, read_round_record(workbook).numbering)
    return {(p.junior, p.senior): p.number for p in numbering.pairs}


def swap_two_seniors(source: Path, target: Path, truth: dict[str, Truth]) -> bool:
    """Swap the Senior email of two rows when both new pairs are allowed; True when it was done."""
    book = openpyxl.load_workbook(source)
    sheet = book["Pairings"]
    headers = [c.value for c in sheet[1]]
    j, s = headers.index("Junior email") + 1, headers.index("Senior email") + 1
    rows = range(2, sheet.max_row + 1)
    for a in rows:
        for b in rows:
            ja, sa, jb, sb = (sheet.cell(a, j).value, sheet.cell(a, s).value, sheet.cell(b, j).value,
                              sheet.cell(b, s).value)
            if a < b and sa != sb and allowed(truth, ja, sb, set()) and allowed(truth, jb, sa, set()):
                sheet.cell(a, s).value, sheet.cell(b, s).value = sb, sa
                book.save(target)
                return True
    return False


@pytest.mark.parametrize("seed", range(4))
def test_a_round_holds_together_through_edits_rematches_introductions_and_checkins(tmp_path, seed):
    rng = random.Random(seed)
    rows, truth, seniors = people(rng, 7, 12)
    for n in range(3):  # left out for errors
        row = junior_row(Email=f"bad{n}@example.gov.uk", Grade="Band B")
        rows.append(row)
        truth[row["Email"]] = Truth(True, 0, row["Department"], row["Profession"], 1, frozenset(), valid=False)
    applications = write_rows(tmp_path / "applications.xlsx", rows)
    workbook = tmp_path / "pairings.xlsx"
    invoke("match", applications, "-o", workbook)
    juniors = lambda: {e for e, t in truth.items() if t.junior}  # noqa: E731  (everyone may be paired: no shortlist)
    pairs = check(workbook, truth, juniors(), set())

    edited = tmp_path / "edited.xlsx"
    if swap_two_seniors(workbook, edited, truth):
        checked = tmp_path / "checked.xlsx"
        result = CliRunner().invoke(app, ["check", str(edited), "-o", str(checked)], env={"COLUMNS": "200"})
        assert result.exit_code == 0 and exited_cleanly(result), result.output  # legal: stale cells are warnings
        workbook = checked
        pairs = check(workbook, truth, juniors(), set())

    gone: set[str] = set()
    for step in range(3):
        before_numbers, before_last = numbers(workbook), max(numbers(workbook).values(), default=0)
        paired = sorted({x for pair in pairs for x in pair} - gone)
        unmatched = sorted(u["Email"] for u in read_sheet(workbook, "Unmatched")
                           if u["Code"] != "left-out" and u["Email"] not in gone)
        left_out = sorted(u["Email"] for u in read_sheet(workbook, "Unmatched")
                          if u["Code"] == "left-out" and u["Email"] not in gone)
        leaving = {rng.choice(paired)} | ({rng.choice(unmatched)} if unmatched else set()) | (
            {left_out[0]} if left_out else set())
        gone |= leaving
        newcomer, facts = person(rng, 100 + step, rng.random() < 0.5, seniors)
        rows.append(newcomer)
        truth[newcomer["Email"]] = facts
        if not facts.junior:
            seniors.append(newcomer["Email"])
        updated = write_rows(tmp_path / f"applications-{step}.xlsx", rows)
        after = tmp_path / f"rematch-{step}.xlsx"
        invoke("rematch", workbook, *[x for e in sorted(leaving) for x in ("--withdrawn", e)],
               "--applications", updated, "-o", after)
        pairs = check(after, truth, juniors(), set(), gone)
        now = numbers(after)
        for pair, number in now.items():
            if pair in before_numbers:
                assert number == before_numbers[pair], "a pair that stands keeps its number"
            else:
                assert number > before_last, "a new pair's number follows every earlier one"
        assert len(set(now.values())) == len(now)
        workbook = after

    outbox = tmp_path / "outbox"
    result = CliRunner().invoke(app, ["introduce", str(workbook), "--all", "-o", str(outbox)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    names = {r["Email"]: r["Name"] for r in rows}
    final = {tuple(sorted(pair)) for pair in pairs}
    for path in sorted(outbox.glob("pair-*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        to = tuple(sorted(a.strip() for a in str(message["To"]).split(",")))
        assert to in final, path.name
        body = message.get_content()
        first_names = {names[address].split(" ")[0] for address in to}
        assert all(first in body.split("\n", 1)[0] for first in first_names), (path.name, body[:80])
        assert all(names[address] in body for address in to)
    assert len(list(outbox.glob("pair-*.eml"))) == len(pairs)

    partner_names = {}
    for junior, senior in pairs:
        partner_names.setdefault(senior, []).append(names[junior])
    answers = [{"Completion time": "15/06/2026", "Email": junior, WHICH: "", MET: "Yes"} for junior, _s in pairs]
    answers += [{"Completion time": "15/06/2026", "Email": senior, WHICH: partner, MET: "Yes"}
                for senior, partners in partner_names.items() for partner in partners]
    tracker = tmp_path / "tracker.xlsx"
    result = CliRunner().invoke(app, ["checkin", str(workbook), "--responses",
                                      str(write_rows(tmp_path / "june.xlsx", answers)), "-o", str(tracker)],
                                env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert {row["Status"] for row in read_sheet(tracker, "Pairs")} <= {"on track"}
    assert read_sheet(tracker, "Contact") == []
