"""`mentormatch rematch`: untouched pairs stay exactly as they were; the rest are re-paired."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from conftest import exited_cleanly, junior_row, read_sheet, senior_row, write_rows
from mentormatch.cli.app import app

WIDE = {"COLUMNS": "200"}


def invoke(*args: str):
    return CliRunner().invoke(app, list(args), env=WIDE)


def rows_of(path: Path) -> list[tuple]:
    return [tuple(row) for row in openpyxl.load_workbook(path)["Pairings"].iter_rows(min_row=2, values_only=True)]


def first_round(make_workbook, tmp_path: Path, seniors: int = 4, spare: int = 0):
    departments = ["DfT", "HMRC", "DWP"]
    rows = [junior_row(Department=departments[i % 3]) for i in range(4)]
    rows += [senior_row(Department="ONS", Profession="GORS") for _ in range(seniors + spare)]
    source = make_workbook(rows)
    pairings = tmp_path / "pairings.xlsx"
    assert invoke("match", str(source), "-o", str(pairings)).exit_code == 0
    return rows, source, pairings


def test_untouched_pairs_stay_exactly_as_they_were(make_workbook, tmp_path):
    _rows, _source, pairings = first_round(make_workbook, tmp_path, spare=1)
    before = rows_of(pairings)
    leaver = before[0][5]  # the first pair's senior
    output = tmp_path / "new.xlsx"
    result = invoke("rematch", str(pairings), "--withdrawn", leaver, "-o", str(output))
    assert result.exit_code == 0, result.output
    after = rows_of(output)
    assert after[: len(before) - 1] == before[1:]  # every other row identical, cell for cell
    assert all(leaver not in row for row in after)
    changes = {row["Change"]: row for row in read_sheet(output, "Changes")}
    assert changes["withdrew"]["Email"] == leaver
    assert changes["re-paired"]["Email"] == before[0][0]
    spare = next(row[5] for row in after if row[0] == before[0][0])
    assert spare != leaver and "now paired with" in changes["re-paired"]["Detail"]


def test_someone_left_without_a_possible_partner_is_waiting_with_a_reason(make_workbook, tmp_path):
    _rows, _source, pairings = first_round(make_workbook, tmp_path)
    before = rows_of(pairings)
    output = tmp_path / "new.xlsx"
    assert invoke("rematch", str(pairings), "--withdrawn", before[0][5], "-o", str(output)).exit_code == 0
    waiting = [row for row in read_sheet(output, "Changes") if row["Change"] == "waiting"]
    assert [row["Email"] for row in waiting] == [before[0][0]]
    assert "withdrew" in waiting[0]["Detail"] and "paired with others" in waiting[0]["Detail"]
    unmatched = {row["Email"] for row in read_sheet(output, "Unmatched")}
    assert before[0][0] in unmatched and before[0][5] not in unmatched


def test_new_applicants_are_paired_from_updated_applications(make_workbook, tmp_path):
    rows, _source, pairings = first_round(make_workbook, tmp_path)
    newcomer = junior_row(Department="MoJ")
    senior = senior_row(Department="HMT", Profession="GES")
    updated = write_rows(tmp_path / "updated.xlsx", [*rows, newcomer, senior])
    leaver = rows_of(pairings)[1][0]  # a junior withdraws
    output = tmp_path / "new.xlsx"
    result = invoke("rematch", str(pairings), "--withdrawn", leaver, "--applications", str(updated), "-o", str(output))
    assert result.exit_code == 0, result.output
    paired = {row[0] for row in rows_of(output)}
    assert newcomer["Email"] in paired and leaver not in paired
    assert any(row["Change"] == "new pair" and row["Email"] == newcomer["Email"] for row in read_sheet(output, "Changes"))


def test_withdrawn_file_as_text_or_sheet(make_workbook, tmp_path):
    _rows, _source, pairings = first_round(make_workbook, tmp_path, spare=1)
    leavers = [rows_of(pairings)[0][5], rows_of(pairings)[1][5]]
    text = tmp_path / "withdrawn.txt"
    text.write_text("\n".join(f"  {email.upper()} " for email in leavers) + "\n\n")
    sheet = write_rows(tmp_path / "withdrawn.csv", [{"Email": email} for email in leavers])
    for source in (text, sheet):
        output = tmp_path / f"from-{source.suffix[1:]}.xlsx"
        assert invoke("rematch", str(pairings), "--withdrawn-file", str(source), "-o", str(output)).exit_code == 0
        assert sorted(row["Email"] for row in read_sheet(output, "Changes") if row["Change"] == "withdrew") == sorted(leavers)


def test_mistakes_are_clear_and_write_nothing(make_workbook, tmp_path):
    _rows, source, pairings = first_round(make_workbook, tmp_path)
    output = tmp_path / "new.xlsx"
    typo = invoke("rematch", str(pairings), "--withdrawn", "nobody@example.gov.uk", "-o", str(output))
    assert typo.exit_code == 1 and "check the spelling" in typo.output and not output.exists()
    assert invoke("rematch", str(pairings), "-o", str(output)).exit_code == 1
    one = invoke("rematch", str(pairings), "--withdrawn", "nobody", "-o", str(output))
    assert one.exit_code == 1 and "nobody is not an email address." in " ".join(one.output.split())
    two = invoke("rematch", str(pairings), "--withdrawn", "a@x.gov.uk", "--withdrawn", "b@x.gov.uk", "-o", str(output))
    assert two.exit_code == 1 and "a@x.gov.uk, b@x.gov.uk are in neither" in " ".join(two.output.split())
    assert "nobody@example.gov.uk is in neither" in " ".join(typo.output.split())
    moved = tmp_path / "elsewhere"
    moved.mkdir()
    shutil.copy(pairings, moved / "pairings.xlsx")
    lost = invoke("rematch", str(moved / "pairings.xlsx"), "--withdrawn", rows_of(pairings)[0][0])
    assert lost.exit_code == 1 and "--applications" in lost.output
    not_pairings = invoke("rematch", str(source), "--withdrawn", rows_of(pairings)[0][0], "-o", str(output))
    assert not_pairings.exit_code == 1 and exited_cleanly(not_pairings) and not output.exists()


def test_rematch_honours_history(make_workbook, tmp_path):
    rows = [junior_row(Department="DfT"), junior_row(Department="DWP")]
    rows += [senior_row(Department="ONS", Profession="GORS") for _ in range(3)]
    source = make_workbook(rows)
    first = tmp_path / "first.xlsx"
    assert invoke("match", str(source), "-o", str(first)).exit_code == 0
    earlier = {(r["Junior email"], r["Senior email"]) for r in read_sheet(first, "Pairings")}
    leaver = rows_of(first)[0][5]
    left_behind = rows_of(first)[0][0]
    spare = next(r["Email"] for r in rows if r["Role"] == "Senior partner" and r["Email"] not in {s for _j, s in earlier})
    # the junior left behind may not be paired with the one free senior: they met in an earlier round
    history = make_workbook([{"Junior email": left_behind, "Senior email": spare}], name="history.csv")
    output = tmp_path / "second.xlsx"
    result = invoke("rematch", str(first), "--withdrawn", leaver, "--history", str(history), "-o", str(output))
    assert result.exit_code == 0, result.output
    assert (left_behind, spare) not in {(r[0], r[5]) for r in rows_of(output)}
    assert any(row["Change"] == "waiting" and row["Email"] == left_behind for row in read_sheet(output, "Changes"))


def test_summary_counts_the_pairs_kept_from_before(make_workbook, tmp_path):
    _rows, _source, pairings = first_round(make_workbook, tmp_path, spare=1)
    before = rows_of(pairings)
    output = tmp_path / "new.xlsx"
    assert invoke("rematch", str(pairings), "--withdrawn", before[0][5], "-o", str(output)).exit_code == 0
    summary = {row["Measure"]: row["Value"] for row in read_sheet(output, "Summary")}
    assert summary["Pairs kept"] == len(before) - 1
    assert "Locked pairs" not in summary


def _everyone_once(output: Path) -> tuple[list[tuple[str, str]], set[str]]:
    """(pairs, unmatched emails) of a rematch workbook, checked: nobody twice, nobody paired and unmatched."""
    pairs = [(row["Junior email"], row["Senior email"]) for row in read_sheet(output, "Pairings")]
    juniors = [j for j, _ in pairs]
    unmatched = [row["Email"] for row in read_sheet(output, "Unmatched")]
    assert len(juniors) == len(set(juniors)), "a junior is in two pairs"
    assert not set(juniors) & set(unmatched) and not {s for _, s in pairs} & set(unmatched)
    assert not {j for j, _ in pairs} & {s for _, s in pairs}, "someone is paired in both roles"
    assert len(unmatched) == len(set(unmatched))
    return pairs, set(unmatched)


def _resubmit(source: Path, rows: list[dict], email: str, **changes: object) -> None:
    """Append a later submission from `email` to the applications, as a form export would."""
    later = {**next(r for r in rows if r["Email"] == email), **changes, "Submitted": "2026-12-01 09:00:00"}
    write_rows(source, [*rows, later])


def test_a_kept_pair_that_no_longer_stands_is_ended_not_copied(make_workbook, tmp_path):
    # One senior with two juniors; after the round the senior resubmits with capacity 1, one junior
    # resubmits with an error, and a third person withdraws. Nobody may end in two places.
    juniors = [junior_row(Department=d) for d in ("DfT", "HMRC", "DWP")]
    seniors = [senior_row(Department="ONS", Profession="GORS", Capacity=2), senior_row(Department="MoJ")]
    rows = [*juniors, *seniors]
    source = make_workbook(rows)
    pairings = tmp_path / "pairings.xlsx"
    assert invoke("match", str(source), "-o", str(pairings)).exit_code == 0
    first, _ = _everyone_once(pairings)
    busy = next(s for s in (seniors[0]["Email"],) if sum(1 for _, x in first if x == s) == 2)
    _resubmit(source, rows, busy, Capacity=1)
    rows = [*rows, {**seniors[0], "Capacity": 1, "Submitted": "2026-12-01 09:00:00"}]
    erring = next(j for j, s in first if s != busy)
    _resubmit(source, rows, erring, Grade="Band B")
    output = tmp_path / "after.xlsx"
    leaver = next(j for j, s in first if s == busy)
    result = invoke("rematch", str(pairings), "--withdrawn", leaver, "-o", str(output))
    assert result.exit_code == 0 and exited_cleanly(result), result.output
    pairs, unmatched = _everyone_once(output)
    assert sum(1 for _, s in pairs if s == busy) <= 1  # the reduced capacity holds
    assert erring in unmatched and erring not in {j for j, _ in pairs}
    ended = [row for row in read_sheet(output, "Changes") if row["Change"] == "pair ended"]
    assert {row["Email"] for row in ended} >= {erring}


def test_a_kept_junior_who_reapplies_as_a_senior_is_in_one_place(make_workbook, tmp_path):
    rows, source, pairings = first_round(make_workbook, tmp_path, spare=1)
    first, _ = _everyone_once(pairings)
    mover = first[0][0]
    _resubmit(source, rows, mover, Role="Senior partner", Grade="Grade 6", Barriers="No", Capacity=1)
    output = tmp_path / "after.xlsx"
    assert invoke("rematch", str(pairings), "--withdrawn", first[1][1], "-o", str(output)).exit_code == 0
    pairs, unmatched = _everyone_once(output)
    places = [j for j, _ in pairs].count(mover) + [s for _, s in pairs].count(mover) + (mover in unmatched)
    assert places == 1


def _pairs(path: Path) -> set[tuple[str, str]]:
    return {(row["Junior email"], row["Senior email"]) for row in read_sheet(path, "Pairings")}


def test_rematch_continues_the_round_the_workbook_recorded(make_workbook, tmp_path):
    # Three juniors; seniors two grades up. The round was matched under the 2022 preset (seniors SCS
    # only), with one pair excluded and a shortlist of two juniors: rematch repeats all of it unasked.
    juniors = [junior_row(Grade="HEO", Department=d) for d in ("DfT", "HMRC", "DWP")]
    directors = [senior_row(Grade="Deputy Director", Department=d, Profession="GORS") for d in ("ONS", "MoJ")]
    grade7 = senior_row(Grade="Grade 6", Department="DfE", Profession="GORS")  # eligible in 2023, not 2022
    spare = senior_row(Grade="Director", Department="FCDO", Profession="GORS")
    source = make_workbook([*juniors, *directors, grade7, spare])
    exclude = write_rows(tmp_path / "exclude.csv", [{"a": juniors[0]["Email"], "b": spare["Email"]}])
    selected = write_rows(tmp_path / "shortlist.xlsx", [{"Email": j["Email"]} for j in juniors[:2]], sheet="Selected")
    pairings = tmp_path / "pairings.xlsx"
    made = invoke("match", str(source), "--preset", "mutual-2022", "--exclude", str(exclude), "--shortlist",
                  str(selected), "-o", str(pairings))
    assert made.exit_code == 0, made.output
    first = _pairs(pairings)
    leaver = next(s for j, s in first if j == juniors[0]["Email"])
    output = tmp_path / "after.xlsx"
    assert invoke("rematch", str(pairings), "--withdrawn", leaver, "-o", str(output)).exit_code == 0
    after = _pairs(output)
    assert (juniors[0]["Email"], spare["Email"]) not in after  # the recorded exclusion holds
    assert grade7["Email"] not in {s for _, s in after}  # the recorded 2022 rules hold
    assert juniors[2]["Email"] not in {j for j, _ in after}  # not shortlisted, still not paired
    unmatched = {row["Email"]: row["Code"] for row in read_sheet(output, "Unmatched")}
    assert unmatched[juniors[2]["Email"]] == "not-shortlisted"
    repeated = tmp_path / "repeated.xlsx"
    again = invoke("rematch", str(pairings), "--withdrawn", leaver, "--preset", "mutual-2022", "--exclude",
                   str(exclude), "-o", str(repeated))
    assert again.exit_code == 0 and _pairs(repeated) == after  # recorded settings = the same options repeated
    records = [(row["Record"], row["First"]) for row in read_sheet(repeated, "Round")]
    assert ("override", "settings: given") in records and ("override", "do-not-match pairs: exclude.csv (added)") in records


def test_reserves_are_used_only_when_asked_and_in_reserve_order(make_workbook, tmp_path):
    import openpyxl as xl

    chosen = [junior_row(Department=d) for d in ("DfT", "HMRC")]
    stuck = junior_row(Department="ONS", Profession="GORS")  # first reserve: no senior may partner them
    second = junior_row(Department="DWP")  # second reserve: can be partnered
    seniors = [senior_row(Department="ONS", Profession="GORS") for _ in range(2)]
    source = make_workbook([*chosen, stuck, second, *seniors])
    book = xl.Workbook()
    book.active.title = "Selected"
    book["Selected"].append(["Email"])
    for row in chosen:
        book["Selected"].append([row["Email"]])
    reserve = book.create_sheet("Reserve")
    reserve.append(["Rank", "Email"])
    reserve.append([1, stuck["Email"]])
    reserve.append([2, second["Email"]])
    shortlist = tmp_path / "shortlist.xlsx"
    book.save(shortlist)
    pairings = tmp_path / "pairings.xlsx"
    assert invoke("match", str(source), "--shortlist", str(shortlist), "-o", str(pairings)).exit_code == 0
    leaver = chosen[0]["Email"]
    plain, offered = tmp_path / "plain.xlsx", tmp_path / "offered.xlsx"
    assert invoke("rematch", str(pairings), "--withdrawn", leaver, "-o", str(plain)).exit_code == 0
    assert second["Email"] not in {j for j, _ in _pairs(plain)}  # no reserve unless asked
    assert invoke("rematch", str(pairings), "--withdrawn", leaver, "--use-reserves", "-o", str(offered)).exit_code == 0
    assert {j for j, _ in _pairs(offered)} == {chosen[1]["Email"], second["Email"]}
    taken = [row for row in read_sheet(offered, "Changes") if row["Change"] == "reserve taken"]
    assert [row["Email"] for row in taken] == [second["Email"]] and "reserve 2" in taken[0]["Detail"]
    from mentormatch.round.rematch import rematch

    assert not [c for c in rematch(pairings, [leaver]).changes if c.change == "reserve taken"]  # the API's default


def test_a_round_with_long_settings_is_continued_whole(make_workbook, tmp_path):
    # Thousands of aliases pass a cell's 32,767 characters: the recorded settings must still come back whole.
    _rows, source, _pairings = first_round(make_workbook, tmp_path, spare=1)
    config = tmp_path / "round.toml"
    aliases = "\n".join(f'"Department number {n:05d}" = "HMRC"' for n in range(2_000))
    config.write_text(f"[aliases.departments]\n{aliases}\n")
    pairings = tmp_path / "long.xlsx"
    assert invoke("match", str(source), "-c", str(config), "-o", str(pairings)).exit_code == 0
    leaver = rows_of(pairings)[0][5]
    output = tmp_path / "after.xlsx"
    result = invoke("rematch", str(pairings), "--withdrawn", leaver, "-o", str(output))
    assert result.exit_code == 0 and exited_cleanly(result), result.output
    settings = {row["Setting"]: row["Value"] for row in read_sheet(output, "Settings")}
    assert settings["config: aliases.departments.Department number 01999"] == "HMRC"  # the last alias came back


def test_a_damaged_round_sheet_is_refused_with_what_to_do(make_workbook, tmp_path):
    _rows, _source, pairings = first_round(make_workbook, tmp_path)
    book = openpyxl.load_workbook(pairings)
    sheet = book["Round"]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == "config":
            row[1].value = "{not json"
    book.save(pairings)
    result = invoke("rematch", str(pairings), "--withdrawn", rows_of(pairings)[0][5], "-o", str(tmp_path / "x.xlsx"))
    assert result.exit_code == 1 and exited_cleanly(result) and "--config" in " ".join(result.output.split())


def test_a_pair_locked_at_the_rematch_is_written_as_a_new_pair(make_workbook, tmp_path):
    rows, _source, pairings = first_round(make_workbook, tmp_path)
    before = rows_of(pairings)
    newcomer = senior_row(Department="HMT", Profession="GES")
    updated = write_rows(tmp_path / "updated.xlsx", [*rows, newcomer])
    agreed = write_rows(tmp_path / "agreed.csv", [{"Junior": before[0][0], "Senior": newcomer["Email"]}])
    output = tmp_path / "new.xlsx"
    result = invoke("rematch", str(pairings), "--withdrawn", before[0][5], "--applications", str(updated),
                    "--lock", str(agreed), "-o", str(output))
    assert result.exit_code == 0, result.output
    after = rows_of(output)
    assert after[:3] == before[1:] and (before[0][0], newcomer["Email"]) == (after[3][0], after[3][5])
    changes = {row["Change"]: row for row in read_sheet(output, "Changes")}
    assert changes["re-paired"]["Email"] == before[0][0] and newcomer["Name"] in changes["re-paired"]["Detail"]


def test_someone_who_withdrew_stays_withdrawn_in_the_next_rematch(make_workbook, tmp_path):
    _rows, _source, pairings = first_round(make_workbook, tmp_path, spare=2)
    first = _pairs(pairings)
    leaver, second_leaver = sorted({s for _, s in first})[:2]
    once, twice = tmp_path / "once.xlsx", tmp_path / "twice.xlsx"
    assert invoke("rematch", str(pairings), "--withdrawn", leaver, "-o", str(once)).exit_code == 0
    result = invoke("rematch", str(once), "--withdrawn", second_leaver, "-o", str(twice))
    assert result.exit_code == 0, result.output
    assert not {leaver, second_leaver} & {s for _, s in _pairs(twice)}  # the first leaver is not paired again
    recorded = {row["First"] for row in read_sheet(twice, "Round") if row["Record"] == "withdrawn"}
    assert recorded == {leaver, second_leaver}
    changes = [row for row in read_sheet(twice, "Changes") if row["Change"] == "withdrew"]
    assert [row["Email"] for row in changes] == [second_leaver]  # only this rematch's leaver is news
    assert invoke("check", str(twice)).exit_code == 0


def test_a_rematch_records_its_kept_pairs_numbers_and_overrides_in_its_round_sheet(make_workbook, tmp_path):
    from mentormatch.inputs.pairings_book import read_round_record

    _rows, _source, pairings = first_round(make_workbook, tmp_path, spare=1)
    before = rows_of(pairings)
    output = tmp_path / "new.xlsx"
    assert invoke("rematch", str(pairings), "--withdrawn", before[0][5], "-o", str(output)).exit_code == 0
    record = read_round_record(output)
    assert record.numbering is not None
    kept = {(p.junior, p.senior): p.number for p in record.numbering.pairs if p.kept}
    assert kept == {(row[0], row[5]): number for number, row in enumerate(before, start=1) if number > 1}
    new = [p for p in record.numbering.pairs if not p.kept]
    assert [p.number for p in new] == [len(before) + 1] and record.numbering.last == len(before) + 1
    assert record.overrides == ("settings: recorded",)


def test_rematch_reads_a_pairings_sheet_whose_columns_were_moved(make_workbook, tmp_path):
    _rows, _source, pairings = first_round(make_workbook, tmp_path, spare=1)
    before = rows_of(pairings)
    book = openpyxl.load_workbook(pairings)
    sheet = book["Pairings"]
    sheet.insert_rows(1)
    sheet["A1"] = "Pairs agreed by the board"  # a title above the headers
    sheet.move_range(f"F2:F{sheet.max_row}", cols=20)  # Senior email moved far right
    sheet["B3"] = "  " + str(sheet["A3"].value).upper()  # not an email: the name cell, typed over
    sheet["A3"] = str(sheet["A3"].value).upper()  # an email retyped in capitals
    edited = tmp_path / "edited.xlsx"
    book.save(edited)
    output = tmp_path / "new.xlsx"
    result = invoke("rematch", str(edited), "--withdrawn", before[1][5], "-o", str(output))
    assert result.exit_code == 0, result.output
    pairs = {(row["Junior email"], row["Senior email"]) for row in read_sheet(output, "Pairings")}
    assert (before[0][0].upper(), before[0][5]) in pairs  # the kept row, copied as it was
    assert all(before[1][5] not in pair for pair in pairs)
    assert len(pairs) == len(before)
    assert "The 1 row(s) above the Pairings sheet's headers" in " ".join(result.output.split())
    plain = invoke("rematch", str(pairings), "--withdrawn", before[1][5], "-o", str(tmp_path / "plain.xlsx"))
    assert plain.exit_code == 0 and "above the Pairings sheet's headers" not in " ".join(plain.output.split())


def test_both_partners_of_a_pair_withdrawing_are_two_withdrawals_and_nothing_else(make_workbook, tmp_path):
    _rows, _source, pairings = first_round(make_workbook, tmp_path, spare=1)
    junior, senior = rows_of(pairings)[0][0], rows_of(pairings)[0][5]
    output = tmp_path / "new.xlsx"
    assert invoke("rematch", str(pairings), "--withdrawn", junior, "--withdrawn", senior, "-o", str(output)).exit_code == 0
    about = [(row["Change"], row["Email"]) for row in read_sheet(output, "Changes") if row["Email"] in (junior, senior)]
    assert sorted(about) == sorted([("withdrew", junior), ("withdrew", senior)])


def test_a_place_freed_by_a_withdrawal_goes_to_someone_waiting_as_a_new_pair(make_workbook, tmp_path):
    first, waiting = junior_row(Department="DfT"), junior_row(Department="HMRC")
    senior = senior_row(Department="ONS", Profession="GORS")
    pairings = tmp_path / "pairings.xlsx"
    assert invoke("match", str(make_workbook([first, waiting, senior])), "-o", str(pairings)).exit_code == 0
    paired = rows_of(pairings)[0][0]
    other = waiting["Email"] if paired == first["Email"] else first["Email"]
    output = tmp_path / "new.xlsx"
    assert invoke("rematch", str(pairings), "--withdrawn", paired, "-o", str(output)).exit_code == 0
    changes = sorted((row["Change"], row["Email"]) for row in read_sheet(output, "Changes"))
    assert changes == sorted([("withdrew", paired), ("re-paired", senior["Email"]), ("new pair", other)])


def test_columns_deleted_by_hand_are_read_as_blank_not_a_crash(make_workbook, tmp_path):
    rows = [junior_row(Department=d) for d in ("DfT", "HMRC", "DWP")]
    rows += [senior_row(Department="ONS", Profession="GORS")]  # one senior: two juniors left unmatched
    pairings = tmp_path / "pairings.xlsx"
    assert invoke("match", str(make_workbook(rows)), "-o", str(pairings)).exit_code == 0
    book = openpyxl.load_workbook(pairings)
    unmatched = book["Unmatched"]
    headers = [c.value for c in unmatched[1]]
    for name in ("Name", "Row"):  # the coordinator deleted two columns of Unmatched
        unmatched.delete_cols([c.value for c in unmatched[1]].index(name) + 1)
    assert "Email" in headers
    edited = tmp_path / "edited.xlsx"
    book.save(edited)
    checked = CliRunner().invoke(app, ["check", str(edited)], env=WIDE)
    assert checked.exit_code == 0 and exited_cleanly(checked), checked.output
    leaver = rows_of(edited)[0][0]
    result = invoke("rematch", str(edited), "--withdrawn", leaver, "-o", str(tmp_path / "new.xlsx"))
    assert result.exit_code == 0 and exited_cleanly(result), result.output
    book = openpyxl.load_workbook(edited)
    book["Pairings"].delete_cols(1)  # Junior email gone
    book.save(tmp_path / "nojunior.xlsx")
    broken = CliRunner().invoke(app, ["check", str(tmp_path / "nojunior.xlsx")], env=WIDE)
    assert broken.exit_code == 1 and exited_cleanly(broken)


def test_a_row_with_one_partner_is_reported_at_its_row(make_workbook, tmp_path):
    _rows, _source, pairings = first_round(make_workbook, tmp_path)
    book = openpyxl.load_workbook(pairings)
    sheet = book["Pairings"]
    sheet.cell(3, [c.value for c in sheet[1]].index("Senior email") + 1).value = None
    book.save(tmp_path / "edited.xlsx")
    assert invoke("check", str(tmp_path / "edited.xlsx"), "-o", str(tmp_path / "checked.xlsx")).exit_code == 1
    found = [(p["Row"], p["Code"]) for p in read_sheet(tmp_path / "checked.xlsx", "Check problems")]
    assert (3, "incomplete-pair") in found


def test_a_kept_pair_edited_by_hand_never_takes_its_number_to_another_partner():
    from mentormatch.inputs.pairings_book import NumberedPair, PairNumbering, number_pairs

    recorded = PairNumbering((NumberedPair("j1", "s1", 1, kept=True), NumberedPair("j2", "s2", 2)), last=2)
    numbered = number_pairs([("j1", "s9"), ("j2", "s8")], recorded)
    assert [(p.junior, p.number) for p in numbered.pairs] == [("j1", 3), ("j2", 2)]  # pair-001 was sent already
    assert numbered.last == 3


def test_the_number_of_an_ended_pair_is_never_given_again(make_workbook, tmp_path):
    rows, _source, pairings = first_round(make_workbook, tmp_path, spare=1)
    highest = rows_of(pairings)[-1]
    after = tmp_path / "after.xlsx"  # both partners of the last pair leave: its number is not in the sheet
    assert invoke("rematch", str(pairings), "--withdrawn", highest[0], "--withdrawn", highest[5],
                  "-o", str(after)).exit_code == 0
    newcomer = junior_row(Department="MoJ")
    updated = write_rows(tmp_path / "updated.xlsx", [*rows, newcomer])
    again = tmp_path / "again.xlsx"
    assert invoke("rematch", str(after), "--withdrawn", rows_of(after)[0][0], "--applications", str(updated),
                  "-o", str(again)).exit_code == 0
    from mentormatch.inputs.pairings_book import read_round_record

    numbers = {p.junior: p.number for p in read_round_record(again).numbering.pairs}
    assert numbers[newcomer["Email"]] > len(rows_of(pairings))  # after every number the round gave
    assert len(set(numbers.values())) == len(numbers)


def test_a_round_sheet_without_a_shortlist_record_continues_an_unshortlisted_round(make_workbook, tmp_path):
    _rows, _source, pairings = first_round(make_workbook, tmp_path, spare=1)
    book = openpyxl.load_workbook(pairings)
    sheet = book["Round"]
    for row in range(sheet.max_row, 1, -1):  # as a workbook from before the shortlist was recorded
        if sheet.cell(row, 1).value in ("shortlist", "shortlisted"):
            sheet.delete_rows(row)
    book.save(tmp_path / "older.xlsx")
    leaver = rows_of(pairings)[0][5]
    output = tmp_path / "new.xlsx"
    assert invoke("rematch", str(tmp_path / "older.xlsx"), "--withdrawn", leaver, "-o", str(output)).exit_code == 0
    changes = {row["Change"]: row["Email"] for row in read_sheet(output, "Changes")}
    assert changes["re-paired"] == rows_of(pairings)[0][0]  # the junior is paired again, not held off a shortlist
