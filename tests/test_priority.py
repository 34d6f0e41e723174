"""Priority across rounds: people an earlier round left unpaired, under each `round.priority`, against an oracle.

Three rounds run through the commands a coordinator uses: 2024 leaves juniors unpaired (too few
seniors); 2025 and 2026 are matched with `--history` of the rounds before. The oracle enumerates every
pairing the hard rules allow (tiny rounds, so brute force is exact) and knows who has priority, and
checks the tool's pairing is the best under each setting:

- off: the most pairs, then the best total score, whoever is paired;
- tie-break: the same pairs count and total score as off, and among those the most priority people;
- bonus: the most pairs, then the best total of score plus `weights.priority` per priority person paired;
- first: the most priority people paired, then the most pairs, then the best total score.
"""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest
from typer.testing import CliRunner

from conftest import junior_row, read_sheet, senior_row, write_rows
from mentormatch.cli.app import app
from mentormatch.config import build_config
from mentormatch.inputs.lists import read_round_inputs
from mentormatch.inputs.pairings_book import read_round_record
from mentormatch.matching.encoding import encode
from mentormatch.matching.pairspace import PairSpace
from mentormatch.matching.pipeline import match_validated
from mentormatch.matching.rules import do_not_match_pairs
from mentormatch.validation.checks import validate_file

DEPARTMENTS = ["DfT", "DWP", "HMRC", "MoJ", "ONS"]


def invoke(*args: object):
    return CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})


def people(rng: random.Random, juniors: list[str], seniors: list[str]) -> list[dict]:
    rows = [junior_row(Email=email, Name=email.split("@")[0].title(), Department=rng.choice(DEPARTMENTS),
                       Grade=rng.choice(["EO", "HEO", "SEO"]), Profession=rng.choice(["GSR", "GSS"]),
                       **{"Development aims": rng.choice(["Leadership", "Wellbeing", "Leadership; Wellbeing"])})
            for email in juniors]
    rows += [senior_row(Email=email, Name=email.split("@")[0].title(), Department=rng.choice(DEPARTMENTS),
                        Grade=rng.choice(["Grade 7", "Grade 6", "Deputy Director"]), Profession="GES",
                        **{"Development aims": rng.choice(["Leadership", "Wellbeing"])}) for email in seniors]
    return rows


def brute_force(validation, config, priority: set[str], mode: str, earlier: tuple = ()) -> tuple:
    """The best value of (priority paired, pairs, score points) the oracle's order allows, by enumeration.

    Pairs made in an earlier round (`earlier`) are never made again, whatever the setting.
    """
    juniors = sorted(validation.juniors, key=lambda p: p.email)
    seniors = sorted(validation.seniors, key=lambda p: p.email)
    junior_side, senior_side = encode(juniors, seniors)
    space = PairSpace(junior_side, senior_side, config, do_not_match_pairs(junior_side, senior_side, earlier))
    masks, score = space.evaluate()
    points = np.rint(score * 10).astype(int)  # the solver weighs scores to a tenth of a point
    bonus = round(config.weights.priority * 10)
    best = None
    for choice in itertools.product(range(-1, len(seniors)), repeat=len(juniors)):
        used = [s for s in choice if s >= 0]
        if len(used) != len(set(used)):  # every senior here takes one partner
            continue
        pairs = [(j, s) for j, s in enumerate(choice) if s >= 0]
        if not all(masks.feasible[j, s] for j, s in pairs):
            continue
        first = sum((juniors[j].email in priority) + (seniors[s].email in priority) for j, s in pairs)
        total = sum(int(points[j, s]) for j, s in pairs)
        value = {"off": (len(pairs), total), "tie-break": (len(pairs), total, first),
                 "bonus": (len(pairs), total + bonus * first), "first": (first, len(pairs), total)}[mode]
        best = value if best is None or value > best else best
    return best


def measured(result, validation, config, priority: set[str], mode: str) -> tuple:
    juniors = sorted(validation.juniors, key=lambda p: p.email)
    seniors = sorted(validation.seniors, key=lambda p: p.email)
    junior_side, senior_side = encode(juniors, seniors)
    space = PairSpace(junior_side, senior_side, config, do_not_match_pairs(junior_side, senior_side))
    at_j = {p.email: i for i, p in enumerate(juniors)}
    at_s = {p.email: i for i, p in enumerate(seniors)}
    masks, score = space.evaluate()
    pairs = [(at_j[p.junior.email], at_s[p.senior.email]) for p in result.pairings]
    assert all(masks.feasible[j, s] for j, s in pairs)  # no rule broken
    total = sum(int(np.rint(score[j, s] * 10)) for j, s in pairs)
    first = sum((juniors[j].email in priority) + (seniors[s].email in priority) for j, s in pairs)
    bonus = round(config.weights.priority * 10)
    return {"off": (len(pairs), total), "tie-break": (len(pairs), total, first),
            "bonus": (len(pairs), total + bonus * first), "first": (first, len(pairs), total)}[mode]


@pytest.mark.parametrize("seed", range(6))
def test_three_rounds_give_priority_to_people_left_unpaired_as_each_setting_says(tmp_path, seed):
    rng = random.Random(seed)
    first_round = people(rng, [f"j{n}@x.gov.uk" for n in range(6)], ["s0@x.gov.uk", "s1@x.gov.uk"])
    round_2024 = tmp_path / "2024.xlsx"
    config_2024 = tmp_path / "2024.toml"
    config_2024.write_text('[round]\nname = "2024"\n', encoding="utf-8")
    assert invoke("match", write_rows(tmp_path / "apps-2024.xlsx", first_round), "--config", config_2024,
                  "-o", round_2024).exit_code == 0
    left_2024 = {u["Email"] for u in read_sheet(round_2024, "Unmatched") if u["Code"] != "left-out"}
    assert left_2024  # two seniors for six juniors
    # 2025: everyone applies again with three new juniors and three seniors.
    again = people(rng, [f"j{n}@x.gov.uk" for n in range(9)], ["s0@x.gov.uk", "s2@x.gov.uk", "s3@x.gov.uk"])
    source_2025 = write_rows(tmp_path / "apps-2025.xlsx", again)
    inputs = read_round_inputs(history=[round_2024])
    assert {email for email, label in inputs.priority} == left_2024
    assert {label for _email, label in inputs.priority} == {"2024"}
    for mode in ("off", "tie-break", "bonus", "first"):
        config = build_config({"round": {"priority": mode}})
        validation = validate_file(source_2025, config)
        result = match_validated(validation, config, inputs)
        priority = set(left_2024) if mode != "off" else set()
        oracle = brute_force(validation, config, priority, mode, inputs.history)
        assert measured(result, validation, config, priority, mode) == oracle, (seed, mode)
    # 2026: the history of both rounds; priority comes from either.
    config = build_config({"round": {"priority": "first", "name": "2025"}})
    round_2025 = tmp_path / "2025.xlsx"
    config_2025 = tmp_path / "2025.toml"
    config_2025.write_text('[round]\nname = "2025"\npriority = "first"\n', encoding="utf-8")
    assert invoke("match", source_2025, "--config", config_2025, "--history", round_2024, "-o", round_2025).exit_code == 0
    recorded = read_round_record(round_2025).inputs.priority  # rematch continues with the same priority
    assert set(recorded) == set(inputs.priority)
    both = read_round_inputs(history=[round_2024, round_2025])
    left_2025 = {u["Email"] for u in read_sheet(round_2025, "Unmatched") if u["Code"] != "left-out"}
    assert {email for email, _ in both.priority} == left_2024 | left_2025


def test_why_summary_and_explain_say_what_priority_did(tmp_path):
    """Bo was left unpaired in 2024; in 2025 Tom fits Ada better, but priority gives Tom to Bo."""
    ada = junior_row(Email="a@x.gov.uk", Name="Ada Ash", Department="DfT", **{"Development aims": "Leadership"})
    bo = junior_row(Email="b@x.gov.uk", Name="Bo Birch", Department="DWP", Networks="",
                    **{"Development aims": "Finance", "Do not match with": "s@x.gov.uk"})
    first = [ada, bo, senior_row(Email="s@x.gov.uk", Name="Sam Spruce", Department="HMT")]
    config = tmp_path / "2024.toml"
    config.write_text('[round]\nname = "2024"\n', encoding="utf-8")
    earlier = tmp_path / "2024.xlsx"
    assert invoke("match", write_rows(tmp_path / "a.xlsx", first), "--config", config, "-o", earlier).exit_code == 0
    unpaired = next(u["Email"] for u in read_sheet(earlier, "Unmatched"))
    assert unpaired == "b@x.gov.uk"
    now = write_rows(tmp_path / "b.xlsx", [ada, {**bo, "Do not match with": ""},
                                           senior_row(Email="t@x.gov.uk", Name="Tom Teak", Department="HMT",
                                                      **{"Development aims": "Leadership"})])
    settings = tmp_path / "first.toml"
    settings.write_text('[round]\npriority = "first"\n', encoding="utf-8")
    out = tmp_path / "2025.xlsx"
    result = invoke("match", now, "--config", settings, "--history", earlier, "-o", out, "--explain", unpaired)
    assert result.exit_code == 0, result.output
    pair = read_sheet(out, "Pairings")[0]
    assert pair["Junior email"] == unpaired  # the one left out last time is paired first
    assert "was left unpaired in 2024 (priority decided this pair)" in pair["Why"]
    summary = {row["Measure"]: row["Value"] for row in read_sheet(out, "Summary")}
    assert summary["Juniors left unpaired in 2024 who applied again"] == 1
    assert summary["Juniors left unpaired in 2024 paired this round"] == 1
    assert "priority (first) decided their pair" in " ".join(result.output.split())


def test_a_shortlist_takes_people_left_out_before_first(tmp_path):
    rows = [junior_row(Email=f"j{n}@x.gov.uk", Department=d) for n, d in enumerate(["DfT", "DWP", "HMRC", "MoJ"])]
    rows += [senior_row(Email=f"s{n}@x.gov.uk", Department="ONS") for n in range(4)]
    source = write_rows(tmp_path / "apps.xlsx", rows)
    earlier_rows = [junior_row(Email="j3@x.gov.uk", Department="MoJ", **{"Do not match with": "s9@x.gov.uk"}),
                    junior_row(Email="j9@x.gov.uk"), senior_row(Email="s9@x.gov.uk", Department="ONS")]
    earlier = tmp_path / "2024.xlsx"
    assert invoke("match", write_rows(tmp_path / "old.xlsx", earlier_rows), "-o", earlier).exit_code == 0
    if "j3@x.gov.uk" not in {u["Email"] for u in read_sheet(earlier, "Unmatched")}:
        pytest.fail("the fixture should leave j3 unpaired in 2024")
    settings = tmp_path / "first.toml"
    settings.write_text('[round]\npriority = "first"\n', encoding="utf-8")
    out = tmp_path / "shortlist.xlsx"
    assert invoke("shortlist", source, "--config", settings, "--places", "1", "--history", earlier,
                  "-o", out).exit_code == 0
    assert [row["Email"] for row in read_sheet(out, "Selected")] == ["j3@x.gov.uk"]


def test_a_priority_senior_with_two_places_counts_once():
    """Filling both places of one priority senior is not worth two priority people paired."""
    from mentormatch.matching.costs import FORBIDDEN
    from mentormatch.matching.dense import assign_dense

    cost = np.array([[0, 500], [0, FORBIDDEN]], dtype=np.int16)  # S (two places) fits both; T only the first
    capacity = np.array([2, 1])
    gains = (np.zeros(2, dtype=np.int8), np.array([1, 1], dtype=np.int8))  # S and T both left out before
    found = assign_dense(cost, capacity, gains=gains, first=True)  # first: S and T both paired beats S twice
    assert sorted(zip(found.rows.tolist(), found.cols.tolist(), strict=True)) == [(0, 1), (1, 0)]
    found = assign_dense(cost, capacity, gains=gains)  # a tie-break never outweighs a better score
    assert sorted(zip(found.rows.tolist(), found.cols.tolist(), strict=True)) == [(0, 0), (1, 0)]
