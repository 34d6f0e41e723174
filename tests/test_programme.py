"""`mentormatch history`: one programme record across rounds, checked against what each round's workbook holds."""

from __future__ import annotations

import random
from pathlib import Path

from typer.testing import CliRunner

from conftest import exited_cleanly, junior_row, read_sheet, senior_row, write_rows
from mentormatch.cli.app import app

DEPARTMENTS = ["DfT", "DWP", "HMRC", "MoJ", "ONS", "HMT"]


def invoke(*args: object):
    return CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})


def a_round(folder: Path, year: int, juniors: list[int], seniors: list[int], rng: random.Random) -> Path:
    rows = [junior_row(Email=f"j{n}@x.gov.uk", Name=f"Junior {n}", Department=rng.choice(DEPARTMENTS)) for n in juniors]
    rows += [senior_row(Email=f"s{n}@x.gov.uk", Name=f"Senior {n}", Department=rng.choice(DEPARTMENTS)) for n in seniors]
    config = folder / f"{year}.toml"
    config.write_text(f'[round]\nname = "Mutual Mentoring {year}"\n', encoding="utf-8")
    output = folder / f"{year}-pairings.xlsx"
    assert invoke("match", write_rows(folder / f"{year}.xlsx", rows), "--config", config, "-o", output).exit_code == 0
    return output


def test_the_programme_record_follows_every_person_and_publishes_figures_under_disclosure_control(tmp_path):
    rng = random.Random(3)
    rounds = [a_round(tmp_path, 2024, list(range(0, 30)), list(range(0, 18)), rng),
              a_round(tmp_path, 2025, list(range(20, 50)), list(range(10, 30)), rng),
              a_round(tmp_path, 2026, list(range(45, 52)), list(range(28, 31)), rng)]
    output = tmp_path / "programme.xlsx"
    result = invoke("history", *rounds, "-o", output)
    assert result.exit_code == 0 and exited_cleanly(result), result.output
    people = {row["Email"]: row for row in read_sheet(output, "People")}
    names = ["Mutual Mentoring 2024", "Mutual Mentoring 2025", "Mutual Mentoring 2026"]
    truth: dict[str, dict[str, str]] = {}
    for name, path in zip(names, rounds, strict=True):  # the oracle: each round's own sheets
        for pair in read_sheet(path, "Pairings"):
            truth.setdefault(pair["Junior email"], {})[name] = f"junior: paired with {pair['Senior name']}"
            truth.setdefault(pair["Senior email"], {}).setdefault(name, "senior: paired with ")
            truth[pair["Senior email"]][name] += ("" if truth[pair["Senior email"]][name].endswith("with ")
                                                  else ", ") + pair["Junior name"]
        for person in read_sheet(path, "Unmatched"):
            truth.setdefault(person["Email"], {}).setdefault(name, f"{person['Role']}: not paired")
    assert set(people) == set(truth)
    for email, by_round in truth.items():
        row = people[email]
        assert row["Rounds"] == len(by_round)
        assert {n: row[n] for n in names if row[n]} == by_round, email
    figures = {row["Round"]: row for row in read_sheet(output, "Rounds")}
    assert list(figures) == names
    for name in names:
        for column in ("Applicants", "Pairs", "Applicants without a partner", "Repeat applicants"):
            value = figures[name][column]
            assert value == "[c]" or not 0 < value < 5, (name, column, value)  # no count from 1 to 4 is shown
    latest = figures["Mutual Mentoring 2026"]
    assert latest["Applicants"] == 10 and latest["Repeat applicants"] == 7  # 5 juniors and 2 seniors came back
    assert latest["Pairs"] == "[c]" and latest["Applicants without a partner"] == "[c]"  # 3 seniors: 3 pairs, 7 left
    first = figures["Mutual Mentoring 2024"]
    assert first["Applicants"] == 48 and first["Repeat applicants"] == 0
    assert first["Applicants"] == sum(1 for r in people.values() if r["Mutual Mentoring 2024"])
    notes = {row["Note"]: row["Text"] for row in read_sheet(output, "Notes")}
    assert "coordinator only" in notes["People"] and "1 to 4" in notes["[c]"]
