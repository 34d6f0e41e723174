"""What-if questions: the same round under several rule sets (`compare`), and whom to recruit (`gaps`).

Every count is checked against a feasibility graph built here from the applicants' own answers and the
scenario's settings, and every recruitment line is proved by adding real applicants of that profile.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import Facts, HardRules, exited_cleanly, junior_row, read_sheet, senior_row
from conftest import most_pairs as oracle_most_pairs
from mentormatch.cli.app import app
from mentormatch.config import Config, build_config
from mentormatch.errors import MentormatchError
from mentormatch.matching.pipeline import MatchResult, run_matching
from mentormatch.matching.recruits import network_of, rule_columns
from mentormatch.round.compare import build_scenarios, compare_scenarios
from mentormatch.round.gaps import RecruitLine, find_gaps, need_text

MakeWorkbook = Callable[..., Path]
runner = CliRunner()
WIDE = {"COLUMNS": "200"}
HYPOTHESIS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# The grade ladder as a user knows it, written out here rather than read from the package.
RANK = {"AA": 1, "AO": 2, "EO": 3, "HEO": 4, "SEO": 5, "G7": 6, "G6": 7, "SCS1": 8, "SCS2": 9, "SCS3": 10, "SCS4": 11}
CODE_AT = {rank: code for code, rank in RANK.items()}
JUNIOR_GRADES = ("EO", "HEO", "SEO", "G7", "G6")
SENIOR_GRADES = ("G7", "G6", "SCS1", "SCS2")
DEPARTMENTS = ("DfT", "HMT", "DWP", "ONS")
PROFESSIONS = ("GSS", "GES", "GSR")
EOI_WORDS = (12, 90, 130, 170, 240)  # around the 100-, 150- and 200-word limits
FRESH_DEPARTMENT, FRESH_PROFESSION = "Ofwat", "Geography"  # nobody in a generated round has these
LOOSER = {"hard": "prefer", "prefer": "ignore"}


# ---------------------------------------------------------------------------------------------
# Generated rounds and an independent count of the most pairs the rules allow.
# ---------------------------------------------------------------------------------------------

@st.composite
def rounds(draw: st.DrawFn) -> list[dict[str, Any]]:
    """3-10 juniors and 1-6 seniors with random grades, departments, professions, capacities and EOIs."""
    profs = st.lists(st.sampled_from(PROFESSIONS), min_size=1, max_size=2, unique=True)

    def person(role: str, i: int, grades: tuple[str, ...]) -> dict[str, Any]:
        return {"role": role, "email": f"{role[0]}{i:02d}@example.gov.uk", "name": f"{role.title()} {i}",
                "grade": draw(st.sampled_from(grades)), "department": draw(st.sampled_from(DEPARTMENTS)),
                "professions": draw(profs), "eoi_words": draw(st.sampled_from(EOI_WORDS)),
                "capacity": draw(st.integers(1, 3)) if role == "senior" else 1, "do_not_match": []}

    juniors = [person("junior", i, JUNIOR_GRADES) for i in range(draw(st.integers(3, 10)))]
    seniors = [person("senior", i, SENIOR_GRADES) for i in range(draw(st.integers(1, 6)))]
    for _ in range(draw(st.integers(0, 2))):
        junior, senior = draw(st.sampled_from(juniors)), draw(st.sampled_from(seniors))
        junior["do_not_match"].append(senior["email"])
    return [*juniors, *seniors]


def as_row(person: dict[str, Any]) -> dict[str, Any]:
    make = senior_row if person["role"] == "senior" else junior_row
    return make(Email=person["email"], Name=person["name"], Grade=person["grade"], Department=person["department"],
                Profession="; ".join(person["professions"]),
                Capacity=person.get("capacity_answer", person["capacity"]) if person["role"] == "senior" else "",
                **{"Expression of interest": " ".join(["word"] * person["eoi_words"]),
                   "Do not match with": "; ".join(person["do_not_match"])})


def eligible(person: dict[str, Any], config: Config) -> bool:
    """Whether the round's settings let this application in (every generated row is otherwise valid)."""
    limits = config.round
    if limits.eoi_word_limit and person["eoi_words"] > limits.eoi_word_limit:
        return False
    if person["role"] == "junior":
        return RANK[person["grade"]] <= RANK[limits.junior_max_grade]
    return RANK[person["grade"]] >= RANK[limits.senior_min_grade]


def facts(person: dict[str, Any]) -> Facts:
    return Facts(person["email"], RANK[person["grade"]], person["department"], frozenset(person["professions"]),
                 frozenset(person["do_not_match"]))


def hard_rules(config: Config) -> HardRules:
    """The hard rules of `config`, for the shared oracle."""
    return HardRules(config.round.min_grade_gap, config.round.max_grade_gap, config.rules.department,
                     config.rules.profession)


def most_pairs(people: list[dict[str, Any]], config: Config) -> int:
    """The largest number of pairs under `config`, from the applicants' answers alone."""
    juniors = [p for p in people if p["role"] == "junior" and eligible(p, config)]
    slots = [s for s in people if s["role"] == "senior" and eligible(s, config) for _ in range(s["capacity"])]
    return oracle_most_pairs([facts(j) for j in juniors], [facts(s) for s in slots], hard_rules(config))


def write_round(make_workbook: MakeWorkbook, people: list[dict[str, Any]], name: str = "round.xlsx") -> Path:
    return make_workbook([as_row(p) for p in people], name=name)


def pair_counts(path: Path, specs: list[str], sets: list[str] = (), base: dict[str, Any] | None = None
                ) -> dict[str, tuple[Config, int]]:
    scenarios = build_scenarios(base or {}, specs, sets)
    comparison = compare_scenarios(path, scenarios)
    return {scenario.name: (scenario.config, len(result.pairings)) for scenario, result in comparison.outcomes}


# ---------------------------------------------------------------------------------------------
# 1. compare: each scenario pairs as many as its own rules allow; relaxing a rule never costs a pair.
# ---------------------------------------------------------------------------------------------

OVERRIDES = {"rules.profession": ["hard", "prefer", "ignore"], "rules.department": ["hard", "prefer", "ignore"],
             "round.min_grade_gap": ["0", "1", "2", "3"], "round.eoi_word_limit": ["0", "100", "150", "200"]}


@st.composite
def scenario_specs(draw: st.DrawFn) -> tuple[list[str], list[tuple[str, str, str]]]:
    presets = draw(st.lists(st.sampled_from(["mutual-2023", "mutual-2022", "reverse"]), min_size=1, max_size=4))
    specs = [f"s{i}={preset}" for i, preset in enumerate(presets)]
    sets = [(f"s{draw(st.integers(0, len(specs) - 1))}", key, draw(st.sampled_from(OVERRIDES[key])))
            for key in draw(st.lists(st.sampled_from(sorted(OVERRIDES)), max_size=4))]
    return specs, sets


@HYPOTHESIS
@given(rounds(), scenario_specs())
def test_every_scenario_pairs_as_many_as_its_own_rules_allow(
        make_workbook: MakeWorkbook, people: list[dict[str, Any]],
        specs: tuple[list[str], list[tuple[str, str, str]]]) -> None:
    names, sets = specs
    path = write_round(make_workbook, people)
    counts = pair_counts(path, names, [f"{name}:{key}={value}" for name, key, value in sets])
    assert list(counts) == [spec.partition("=")[0] for spec in names]
    last: dict[tuple[str, str], str] = {}
    for name, key, value in sets:
        last[(name, key)] = value
    for (name, key), value in last.items():  # each --set reached its scenario (the last one for a key wins)
        section, field = key.split(".")
        assert str(getattr(getattr(counts[name][0], section), field)) == value
    for name, (config, pairs) in counts.items():
        assert pairs == most_pairs(people, config), name


@st.composite
def base_settings(draw: st.DrawFn) -> dict[str, Any]:
    gap = draw(st.integers(1, 3))
    return {"round": {"min_grade_gap": gap, "max_grade_gap": draw(st.sampled_from([0, 0, gap + 1, gap + 2])),
                      "eoi_word_limit": draw(st.sampled_from([100, 150]))},
            "rules": {"department": draw(st.sampled_from(["hard", "hard", "prefer", "ignore"])),
                      "profession": draw(st.sampled_from(["hard", "hard", "prefer", "ignore"]))}}


def relaxation_chains(base: dict[str, Any]) -> dict[str, list[tuple[str, str]]]:
    """For each rule, the settings from the configured one to the loosest, one step at a time."""
    chains: dict[str, list[tuple[str, str]]] = {}
    for rule in ("department", "profession"):
        steps, value = [], base["rules"][rule]
        while value in LOOSER:
            value = LOOSER[value]
            steps.append((f"rules.{rule}", value))
        chains[rule] = steps
    gap = base["round"]["min_grade_gap"]
    chains["gap"] = [("round.min_grade_gap", str(g)) for g in range(gap - 1, -1, -1)]
    limit = base["round"]["eoi_word_limit"]
    chains["eoi"] = [("round.eoi_word_limit", str(limit + 50)), ("round.eoi_word_limit", "0")]  # 0: no limit
    return chains


@HYPOTHESIS
@given(rounds(), base_settings())
def test_relaxing_a_rule_never_lowers_the_number_of_pairs(make_workbook: MakeWorkbook, people: list[dict[str, Any]],
                                                          base: dict[str, Any]) -> None:
    path = write_round(make_workbook, people)
    specs, sets, chains = ["base=mutual-2023"], [], relaxation_chains(base)
    for rule, steps in chains.items():
        for k, (key, value) in enumerate(steps):
            specs.append(f"{rule}{k}=mutual-2023")
            sets.append(f"{rule}{k}:{key}={value}")
    counts = pair_counts(path, specs, sets, base)
    for name, (config, pairs) in counts.items():
        assert pairs == most_pairs(people, config), name
    for rule, steps in chains.items():
        along = [counts["base"][1], *(counts[f"{rule}{k}"][1] for k in range(len(steps)))]
        assert along == sorted(along), f"relaxing {rule} lost pairs: {along}"

    # With no --scenario: the configured rules, then each single relaxation, none pairing fewer.
    scenarios = build_scenarios(base, [])
    comparison = compare_scenarios(path, scenarios)
    configured = len(comparison.outcomes[0][1].pairings)
    assert configured == counts["base"][1]
    for scenario, result in comparison.outcomes:
        assert len(result.pairings) == most_pairs(people, scenario.config), scenario.name
        assert len(result.pairings) >= configured, scenario.name
    best = comparison.best()
    assert best is not None
    assert best[1] == max(len(r.pairings) for _s, r in comparison.outcomes) - configured


def test_no_scenario_compares_the_configured_rules_with_each_single_relaxation() -> None:
    scenarios = build_scenarios({}, [])
    configured, *relaxed = scenarios
    assert configured.config == build_config({})

    def settings_of(config: Config) -> dict[str, Any]:
        return config.rules.model_dump(mode="json") | config.round.model_dump(mode="json")

    before = settings_of(configured.config)
    changes = [{k: v for k, v in settings_of(s.config).items() if v != before[k]} for s in relaxed]
    expected = [{"profession": "prefer"}, {"department": "prefer"}, {"min_grade_gap": before["min_grade_gap"] - 1},
                {"eoi_word_limit": before["eoi_word_limit"] + 50}]
    assert len(changes) == len(expected) and all(change in changes for change in expected)
    # A rule that is already relaxed is not offered again.
    already = build_scenarios({"rules": {"profession": "ignore"}}, [])
    assert len(already) == len(scenarios) - 1
    assert all(s.config.rules.profession == "ignore" for s in already)


# ---------------------------------------------------------------------------------------------
# 2-3. gaps: a short list of recruitable profiles, largest first, each proved with real applicants of
#      that profile (a mix of the grades, departments and professions it names).
# ---------------------------------------------------------------------------------------------

# A profession as an applicant writes it, for the canonical names a line gives (user knowledge).
BADGE = {"Statistics": "GSS", "Economics": "GES", "Social research": "GSR", "Operational research": "GORS",
         "Geography": "GGP"}
LABEL_CODE = {"AA": "AA", "AO": "AO", "EO": "EO", "HEO": "HEO", "SEO": "SEO", "Grade 7": "G7", "Grade 6": "G6",
              "Deputy Director": "SCS1", "Director": "SCS2", "Director General": "SCS3", "Permanent Secretary": "SCS4"}


@st.composite
def gap_settings(draw: st.DrawFn) -> dict[str, Any]:
    gap = draw(st.integers(1, 3))
    return {"round": {"min_grade_gap": gap, "max_grade_gap": draw(st.sampled_from([0, 0, gap, gap + 1])),
                      "senior_min_grade": draw(st.sampled_from(["G7", "G7", "G6", "SCS1"]))},
            "rules": {"department": draw(st.sampled_from(["hard", "hard", "prefer", "ignore"])),
                      "profession": draw(st.sampled_from(["hard", "hard", "prefer", "ignore"]))}}


def band_grades(text: str) -> list[str]:
    """The grade codes a line's grade band names: 'Grade 7', 'Grade 7 or Grade 6', 'Deputy Director or above'."""
    parts = text.split(" or ")
    if parts[-1] == "above":
        return [CODE_AT[rank] for rank in range(RANK[LABEL_CODE[parts[0]]], RANK["SCS4"] + 1)]
    return [LABEL_CODE[part] for part in parts]


def recruits_for(line_number: int, count: int, grades: list[str], departments: list[str],
                 professions: list[str]) -> list[dict[str, Any]]:
    """Real applicants of a line's profile, cycling through the grades, departments and professions it names
    (none named: any will do, so one nobody else has), capacity left blank (the default of one)."""
    departments, professions = departments or [FRESH_DEPARTMENT], professions or [FRESH_PROFESSION]
    return [{"role": "senior", "email": f"recruit{line_number}-{k}@example.gov.uk",
             "name": f"Recruit {line_number}.{k}",
             "grade": grades[k % len(grades)], "department": departments[k % len(departments)],
             "professions": [professions[(k // len(departments)) % len(professions)]],
             "eoi_words": 12, "capacity": 1, "capacity_answer": "", "do_not_match": []} for k in range(count)]


def line_recruits(number: int, line: RecruitLine) -> list[dict[str, Any]]:
    return recruits_for(number, line.seniors, band_grades(line.profile.grades), list(line.profile.departments),
                        [BADGE.get(p, p) for p in line.profile.professions])


def paired_juniors(result: MatchResult) -> set[str]:
    return {p.junior.email for p in result.pairings}


@HYPOTHESIS
@given(rounds(), gap_settings())
def test_every_recruitment_line_really_pairs_the_juniors_it_claims(make_workbook: MakeWorkbook,
                                                                   people: list[dict[str, Any]],
                                                                   data: dict[str, Any]) -> None:
    config = build_config(data)
    path = write_round(make_workbook, people)
    result = run_matching(path, config)
    report = find_gaps(result)
    base = len(result.pairings)
    assert base == most_pairs(people, config)

    # Every unpaired eligible junior has a need, following the round's grade rules and hard rules.
    left = {p["email"] for p in people if p["role"] == "junior" and eligible(p, config)} - paired_juniors(result)
    assert {n.junior.email for n in report.needs} == left
    floor = RANK[data["round"]["senior_min_grade"]]
    max_gap = data["round"]["max_grade_gap"]
    hard_department, hard_profession = data["rules"]["department"] == "hard", data["rules"]["profession"] == "hard"
    for need in report.needs:
        rank = RANK[need.junior.grade]
        assert need.min_rank == max(rank + data["round"]["min_grade_gap"], floor)
        assert need.max_rank == (min(rank + max_gap, RANK["SCS4"]) if max_gap else RANK["SCS4"])
        assert (need in report.unreachable) == (need.min_rank > need.max_rank)
        assert need.avoid_department == (need.junior.department_key if hard_department else None)
        assert set(need.avoid_professions) == (set(need.junior.professions) if hard_profession else set())
        assert need_text(need)

    # A short list of profiles one can recruit, largest effect first; a departments or professions clause
    # only where that rule is hard, naming at most three.
    assert len(report.lines) <= 5
    assert [line.juniors for line in report.lines] == sorted((line.juniors for line in report.lines), reverse=True)
    for line in report.lines:
        profile = line.profile
        assert floor <= profile.low <= profile.high <= RANK["SCS4"]
        assert 1 <= len(profile.departments) <= 3 if hard_department else profile.departments == ()
        assert 1 <= len(profile.professions) <= 3 if hard_profession else profile.professions == ()
        assert "outside" not in line.describe()
        assert 1 <= line.juniors <= line.seniors  # one place each: a senior pairs at most one more junior
        assert line.verified and line.gained == line.juniors
        # The re-run names whom it paired anew (the optimiser may also trade a paired junior for a better pair).
        assert len(line.paired) >= line.gained and not {p.email for p in line.paired} & paired_juniors(result)
    # A junior some grade could partner is never left without a line: somebody would help.
    if any(need.min_rank <= need.max_rank for need in report.needs):
        assert report.lines
    elif report.needs:
        assert not report.lines and "No single profile" in report.closing()[0]
    else:
        assert not report.lines and "no one to recruit for" in report.closing()[0]

    # Proof with real applicants of each line's profile, from the applicants' answers alone.
    everyone = []
    for number, line in enumerate(report.lines, start=1):
        added = line_recruits(number, line)
        everyone += added
        assert most_pairs([*people, *added], config) >= base + line.juniors, line.describe()
    if everyone:
        assert report.extra_pairs_all == report.claimed_all
        assert most_pairs([*people, *everyone], config) >= base + report.extra_pairs_all
        rerun = run_matching(write_round(make_workbook, [*people, *everyone], name="all.xlsx"), config)
        assert len(rerun.pairings) >= base + report.extra_pairs_all


@HYPOTHESIS
@given(rounds(), gap_settings(), st.sampled_from(SENIOR_GRADES), st.sampled_from((*DEPARTMENTS, FRESH_DEPARTMENT)),
       st.sampled_from((*PROFESSIONS, FRESH_PROFESSION)), st.integers(1, 4))
def test_the_count_of_extra_pairs_is_the_count_a_real_senior_makes(make_workbook: MakeWorkbook,
                                                                   people: list[dict[str, Any]], data: dict[str, Any],
                                                                   grade: str, department: str, profession: str,
                                                                   count: int) -> None:
    assume(RANK[grade] >= RANK[data["round"]["senior_min_grade"]])  # a senior below that could not apply
    config = build_config(data)
    result = run_matching(write_round(make_workbook, people), config)
    network = network_of(result)
    assert network.most_pairs == len(result.pairings)
    canonical = {"GSS": "Statistics", "GES": "Economics", "GSR": "Social research"}.get(profession, profession)
    grade_ok, department_ok, profession_ok = rule_columns(network.juniors, [grade], [department], [canonical], config)
    allowed = grade_ok[:, 0] & department_ok[:, 0] & profession_ok[:, 0]
    added = recruits_for(1, count, [grade], [department], [profession])
    assert network.extra_pairs([(allowed, count)]) == most_pairs([*people, *added], config) - most_pairs(people, config)


def test_juniors_needing_the_same_grade_share_one_line(make_workbook: MakeWorkbook) -> None:
    # Three HEOs (Grade 7 or above, two grades up) in three departments, and a Grade 6 who needs a Director;
    # everyone is a social researcher, so the recruits must not be.
    heos = [junior_row(Grade="HEO", Department=d, Profession="GSR") for d in ("DfT", "HMT", "DWP")]
    grade6 = junior_row(Grade="Grade 6", Department="ONS", Profession="GSR")
    unusable = senior_row(Grade="Grade 7", Department="ONS", Profession="GSR")
    result = run_matching(make_workbook([*heos, grade6, unusable]), build_config({}))
    assert result.pairings == []
    report = find_gaps(result)
    assert [(line.seniors, line.juniors) for line in report.lines] == [(3, 3), (1, 1)]
    low, high = report.lines
    assert (low.profile.grades, high.profile.grades) == ("Grade 7 or above", "Director or above")
    assert {p.email for p in low.paired} == {row["Email"] for row in heos}
    assert {p.email for p in high.paired} == {grade6["Email"]}
    assert not {"DfT", "HMT", "DWP"} & set(low.profile.departments) and "ONS" not in high.profile.departments
    assert "Social research" not in {*low.profile.professions, *high.profile.professions}
    assert low.describe().startswith("3 seniors at Grade 7 or above, from ")
    assert low.describe().endswith("would pair 3 more juniors")
    assert low.verified and high.verified and report.extra_pairs_all == 4


def test_a_junior_whose_partner_was_taken_hears_who_took_them(make_workbook: MakeWorkbook) -> None:
    first = junior_row(Name="Ann Ash", Department="DfT", Profession="GSR")
    second = junior_row(Name="Bea Birch", Department="DWP", Profession="GSR")
    senior = senior_row(Name="Sam Spruce", Department="HMT", Profession="GES", Capacity=1)
    result = run_matching(make_workbook([first, second, senior]), build_config({}))
    [pairing] = result.pairings
    [need] = find_gaps(result).needs
    assert need.junior.email != pairing.junior.email
    assert "Sam Spruce" in need.nearest_miss
    assert f"paired with {pairing.junior.name}" in need.nearest_miss


def test_a_junior_blocked_by_one_rule_hears_which_rule(make_workbook: MakeWorkbook) -> None:
    junior = junior_row(Name="Ann Ash", Grade="HEO", Department="DWP", Profession="GSR")
    same_department = senior_row(Name="Sam Spruce", Grade="Grade 7", Department="DWP", Profession="GES")
    two_rules = senior_row(Name="Tom Teak", Grade="SEO", Department="DWP", Profession="GES")  # too junior as well
    config = build_config({"round": {"senior_min_grade": "SEO"}})
    result = run_matching(make_workbook([junior, same_department, two_rules]), config)
    assert result.pairings == []
    [need] = find_gaps(result).needs
    assert "Sam Spruce" in need.nearest_miss and "same department" in need.nearest_miss
    assert "Tom Teak" not in need.nearest_miss
    assert "outside DWP" in need_text(need)


def test_a_junior_no_grade_can_reach_is_reported_not_recruited_for(make_workbook: MakeWorkbook) -> None:
    # Seniors must be Deputy Directors, at most two grades above: nobody can partner an EO.
    junior = junior_row(Grade="EO")
    senior = senior_row(Grade="Deputy Director")
    result = run_matching(make_workbook([junior, senior]),
                          build_config({"round": {"senior_min_grade": "SCS1", "max_grade_gap": 2}}))
    report = find_gaps(result)
    assert report.lines == []
    assert [n.junior.email for n in report.unreachable] == [junior["Email"]]
    assert "no grade" in need_text(report.unreachable[0])


# ---------------------------------------------------------------------------------------------
# 4. The commands.
# ---------------------------------------------------------------------------------------------

def invoke(*args: str) -> Any:
    return runner.invoke(app, [str(a) for a in args], env=WIDE)


def measure(path: Path, name: str) -> dict[str, Any]:
    """One row of the Comparison sheet, as {scenario: value}."""
    [row] = [r for r in read_sheet(path, "Comparison") if r["Measure"] == name]
    return {k: v for k, v in row.items() if k != "Measure"}


def verdict(output: str) -> str:
    [line] = [line for line in output.splitlines() if "pairs the most" in line or "No scenario" in line]
    return line


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rounds())
def test_compare_writes_one_pairings_sheet_per_scenario_and_a_chart(make_workbook: MakeWorkbook,
                                                                    people: list[dict[str, Any]]) -> None:
    path = write_round(make_workbook, people)
    before = path.read_bytes()
    output = path.with_name("compare.xlsx")
    result = invoke("compare", path, "--scenario", "now=mutual-2023", "--scenario", "pilot=mutual-2022", "-o", output)
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(output)
    assert book.sheetnames == ["Comparison", "Pairings — now", "Pairings — pilot", "Settings"]
    assert len(book["Comparison"]._charts) == 1
    pairs = measure(output, "Pairs made")
    assert pairs == {name: len(read_sheet(output, f"Pairings — {name}")) for name in ("now", "pilot")}
    assert pairs == {"now": most_pairs(people, build_config({"preset": "mutual-2023"})),
                     "pilot": most_pairs(people, build_config({"preset": "mutual-2022"}))}
    assert path.read_bytes() == before


def sheet_pairs(path: Path, name: str) -> dict[tuple[str, str], int]:
    """(junior email, senior email) -> score, from one scenario's Pairings sheet."""
    rows = read_sheet(path, f"Pairings — {name}")
    return {(row["Junior email"], row["Senior email"]): row["Score"] for row in rows}


def expected_change(path: Path, name: str, base: str) -> tuple[int, int, str]:
    """(new pairs, dropped pairs, change) of one scenario against the baseline, from the two Pairings sheets."""
    mine, theirs = sheet_pairs(path, name), sheet_pairs(path, base)
    new, dropped = len(mine.keys() - theirs.keys()), len(theirs.keys() - mine.keys())
    rescored = any(mine[pair] != theirs[pair] for pair in mine.keys() & theirs.keys())
    if name == base:
        return new, dropped, "baseline"
    return new, dropped, "different pairs" if new or dropped else "scores only" if rescored else "none"


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rounds())
def test_compare_counts_the_pairs_each_scenario_changes(make_workbook: MakeWorkbook,
                                                        people: list[dict[str, Any]]) -> None:
    path = write_round(make_workbook, people)
    output = path.with_name("compare.xlsx")
    result = invoke("compare", path, "--scenario", "now=mutual-2023", "--scenario", "pilot=mutual-2022",
                    "--scenario", "weighed=mutual-2023", "--set", "weighed:weights.aims=0", "-o", output)
    assert result.exit_code == 0, result.output
    shown = re.sub(r"\s+", " ", result.output)
    new = measure(output, "New pairs vs now (not made there)")
    dropped = measure(output, "Dropped pairs vs now (made there, not here)")
    change = measure(output, "Change vs now")
    for name in ("now", "pilot", "weighed"):
        assert (new[name], dropped[name], change[name]) == expected_change(output, name, "now"), name
        sentence = {"different pairs": f"{name}: different pairs from now — {new[name]} new, "
                                       f"{dropped[name]} of now's dropped.",
                    "scores only": f"{name}: same pairs as now, scores differ only",
                    "none": f"{name}: same pairs as now, with the same scores.",
                    "baseline": ""}[change[name]]
        assert sentence in shown
    extra = measure(output, "Extra pairs vs now")
    assert all(extra[name] == new[name] - dropped[name] for name in new)


def test_a_scenario_that_moves_only_the_scores_is_told_apart_from_one_that_moves_pairs(
        make_workbook: MakeWorkbook) -> None:
    # Different departments allow one pairing only: Ann (DfT) with Sam (HMT), Bea (HMT) with Tom (DfT).
    # Weighing shared aims differently moves both scores and neither pair. Letting partners share a
    # department lets Ann pair with Tom, who shares both her aims (Sam shares one, and Bea shares none).
    ann = junior_row(Name="Ann", Department="DfT", Profession="GSR", **{"Development aims": "Leadership; Wellbeing"})
    bea = junior_row(Name="Bea", Department="HMT", Profession="GSR", **{"Development aims": "Coaching"})
    sam = senior_row(Name="Sam", Department="HMT", Profession="GES", **{"Development aims": "Leadership"})
    tom = senior_row(Name="Tom", Department="DfT", Profession="GES", **{"Development aims": "Leadership; Wellbeing"})
    path = make_workbook([ann, bea, sam, tom])
    output = path.with_name("compare.xlsx")
    result = invoke("compare", path, "--scenario", "base=mutual-2023", "--scenario", "weighed=mutual-2023",
                    "--scenario", "loose=mutual-2023", "--scenario", "same=mutual-2023",
                    "--set", "weighed:weights.aims=0", "--set", "loose:rules.department=ignore", "-o", output)
    assert result.exit_code == 0, result.output
    assert measure(output, "Change vs base") == {"base": "baseline", "weighed": "scores only",
                                                 "loose": "different pairs", "same": "none"}
    assert measure(output, "New pairs vs base (not made there)") == {"base": 0, "weighed": 0, "loose": 2, "same": 0}
    assert measure(output, "Dropped pairs vs base (made there, not here)") == {"base": 0, "weighed": 0, "loose": 2,
                                                                              "same": 0}
    # Read back independently: the same pairs with other scores, and two pairs that are not the base's.
    base, weighed, loose = (sheet_pairs(output, name) for name in ("base", "weighed", "loose"))
    assert set(base) == {(ann["Email"], sam["Email"]), (bea["Email"], tom["Email"])} == set(weighed)
    assert all(weighed[pair] != base[pair] for pair in base)
    assert set(loose) == {(ann["Email"], tom["Email"]), (bea["Email"], sam["Email"])}
    assert measure(output, "Pairs made") == {"base": 2, "weighed": 2, "loose": 2, "same": 2}
    shown = re.sub(r"\s+", " ", result.output)
    assert "weighed: same pairs as base, scores differ only (2 pairs scored differently)." in shown
    assert "loose: different pairs from base — 2 new, 2 of base's dropped." in shown
    assert "same: same pairs as base, with the same scores." in shown
    assert "No scenario pairs more juniors than base." in shown
    # One yardstick: the same pairs score the same under the base's scoring, whatever each scenario weighs;
    # each scenario's own scoring is shown apart.
    yardstick = measure(output, "Average score (scored as base)")
    assert yardstick["weighed"] == yardstick["base"] == yardstick["same"]
    mean = round(sum(base.values()) / len(base), 1)
    assert yardstick["base"] == mean
    own = measure(output, "Average score (each scenario's own scoring)")
    assert own["base"] == mean and own["weighed"] == round(sum(weighed.values()) / len(weighed), 1) != mean


def test_set_changes_one_scenarios_rules_and_their_description(make_workbook: MakeWorkbook) -> None:
    # Only a shared profession stands between Ann and the one senior.
    path = make_workbook([junior_row(Name="Ann", Department="DfT", Profession="GSR"),
                          senior_row(Name="Sam", Department="HMT", Profession="GSR")])
    output = path.with_name("compare.xlsx")
    args = ("compare", path, "--scenario", "strict=mutual-2023", "--scenario", "relaxed=mutual-2023", "-o", output)
    plain = invoke(*args)
    assert plain.exit_code == 0, plain.output
    plain_rules = measure(output, "Rules")
    assert plain_rules["strict"] == plain_rules["relaxed"]
    changed = invoke(*args, "--set", "relaxed:rules.profession=prefer")
    assert changed.exit_code == 0, changed.output
    rules = measure(output, "Rules")
    assert rules["strict"] == plain_rules["strict"]
    assert rules["relaxed"] != plain_rules["relaxed"] and "rules.profession" in rules["relaxed"]
    assert "prefer" in rules["relaxed"]
    assert measure(output, "Pairs made") == {"strict": 0, "relaxed": 1}
    assert "relaxed" in verdict(changed.output)


@pytest.mark.parametrize(("args", "message"), [
    (["--scenario", "now"], "NAME=PRESET"),
    (["--scenario", "now=mutual-2099"], "mutual-2099"),
    (["--scenario", "now=missing.toml"], "missing.toml"),
    (["--scenario", "now=mutual-2023", "--set", "later:rules.profession=prefer"], "later"),
    (["--scenario", "now=mutual-2023", "--scenario", "now=reverse"], "now"),
])
def test_compare_rejects_bad_scenarios_with_a_clear_message(make_workbook: MakeWorkbook, args: list[str],
                                                            message: str) -> None:
    path = make_workbook([junior_row(), senior_row()])
    output = path.with_name("compare.xlsx")
    result = invoke("compare", path, *args, "-o", output)
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert exited_cleanly(result) and not isinstance(result.exception, MentormatchError)
    assert not output.exists()


def test_a_scenario_named_like_a_round_is_never_an_internal_error(make_workbook: MakeWorkbook) -> None:
    # "2022/23" is a natural name for a round; a sheet title cannot hold "/". Either the name is accepted
    # (its pairings still get a sheet of their own) or it is refused with a clear message.
    path = make_workbook([junior_row(), senior_row()])
    output = path.with_name("compare.xlsx")
    result = invoke("compare", path, "--scenario", "2022/23=mutual-2022", "--scenario", "now=mutual-2023", "-o", output)
    assert result.exit_code in (0, 1), result.output
    assert "internal error" not in result.output.lower()
    if result.exit_code == 0:
        sheets = openpyxl.load_workbook(output).sheetnames
        assert len([name for name in sheets if name.startswith("Pairings")]) == 2
    else:
        assert "2022/23" in result.output


def test_compare_reads_a_scenario_from_a_config_file(make_workbook: MakeWorkbook, tmp_path: Path) -> None:
    path = make_workbook([junior_row(Department="DfT", Profession="GSR"),
                          senior_row(Department="DfT", Profession="GES")])
    config = tmp_path / "relaxed.toml"
    config.write_text('[rules]\ndepartment = "ignore"\n', encoding="utf-8")
    output = path.with_name("compare.xlsx")
    result = invoke("compare", path, "--scenario", "strict=mutual-2023", "--scenario", f"loose={config}", "-o", output)
    assert result.exit_code == 0, result.output
    assert measure(output, "Pairs made") == {"strict": 0, "loose": 1}
    assert "relaxed.toml" in measure(output, "Rules")["loose"]


def test_compare_without_scenarios_names_the_relaxation_that_pairs_most(make_workbook: MakeWorkbook) -> None:
    # Ben may pair with either senior. Ann shares her profession with Sam, and her department and
    # profession with Tom: only letting partners share a profession gives her a partner.
    path = make_workbook([junior_row(Name="Ann", Grade="HEO", Department="DfT", Profession="GSR"),
                          senior_row(Name="Sam", Grade="Grade 7", Department="HMT", Profession="GSR"),
                          junior_row(Name="Ben", Grade="HEO", Department="DWP", Profession="GSS"),
                          senior_row(Name="Tom", Grade="Grade 7", Department="DfT", Profession="GSR")])
    before = path.read_bytes()
    output = path.with_name("compare.xlsx")
    result = invoke("compare", path, "-o", output)
    assert result.exit_code == 0, result.output
    pairs = measure(output, "Pairs made")
    assert pairs.pop("profession-prefer") == 2
    assert set(pairs.values()) == {1}  # the configured rules and every other relaxation
    line = verdict(result.output)
    assert "profession-prefer" in line and "+1" in line
    assert not any(name in line for name in pairs if name != "configured")
    assert path.read_bytes() == before


def blocked_round() -> list[dict[str, Any]]:
    """Five seniors for sixteen juniors from HEO to Grade 6, in seven departments and four professions."""
    departments = ("DfT", "HMT", "DWP", "ONS", "HMRC", "DfE", "Home Office")
    professions = ("GSS", "GES", "GSR", "GORS")
    grades = ("HEO", "SEO", "Grade 7", "HEO", "Grade 6", "SEO")
    juniors = [junior_row(Name=f"Junior {k}", Grade=grades[k % 6], Department=departments[k % 7],
                          Profession=professions[k % 4], **{"Expression of interest": "Keen to learn."})
               for k in range(16)]
    seniors = [senior_row(Name=f"Senior {k}", Grade=grade, Department=department, Profession=profession,
                          **{"Expression of interest": "Happy to help."})
               for k, (grade, department, profession) in enumerate([
                   ("Deputy Director", "ONS", "GSS"), ("Grade 7", "DWP", "GES"), ("Director", "HMT", "GSR"),
                   ("Grade 6", "DfE", "GES"), ("Grade 7", "DfT", "GSS")])]
    return [*juniors, *seniors]


def with_rows(path: Path, rows: list[dict[str, Any]], name: str) -> Path:
    """A copy of an applications workbook with rows added at the bottom (keyed by its headers)."""
    book = openpyxl.load_workbook(path)
    sheet = book.active
    headers = [cell.value for cell in sheet[1]]
    for row in rows:
        sheet.append([row.get(header, "") for header in headers])
    book.save(path.with_name(name))
    return path.with_name(name)


def recruit_rows(number: int, line: dict[str, Any]) -> list[dict[str, Any]]:
    """Senior applications of a Recruit sheet line's profile, mixing the grades, departments and professions named."""
    named = [[] if line[column] == "any" else line[column].split("; ")
             for column in ("From departments", "In professions")]
    people = recruits_for(number, line["Seniors to recruit"], band_grades(line["Grade"]), *named)
    return [as_row(person) for person in people]


def pairs_made(path: Path, *options: str) -> int:
    output = path.with_name(f"{path.stem}-pairings.xlsx")
    result = invoke("match", path, *options, "-o", output)
    assert result.exit_code == 0, result.output
    return len(read_sheet(output, "Pairings"))


@pytest.mark.parametrize(("preset", "lowest"), [("mutual-2023", "G7"), ("mutual-2022", "SCS1")])
def test_gaps_recommends_a_few_recruitable_profiles_each_proved_by_matching_again(
        make_workbook: MakeWorkbook, preset: str, lowest: str) -> None:
    path = make_workbook(blocked_round())
    before = path.read_bytes()
    output = path.with_name("gaps.xlsx")
    result = invoke("gaps", path, "--preset", preset, "-o", output)
    assert result.exit_code == 0, result.output
    assert openpyxl.load_workbook(output).sheetnames == ["Recruit", "Unmatched juniors", "Settings"]
    base = pairs_made(path, "--preset", preset)
    recruit = read_sheet(output, "Recruit")
    assert len(read_sheet(output, "Unmatched juniors")) == 16 - base
    assert 2 <= len(recruit) <= 5
    claimed = [line["More juniors paired"] for line in recruit]
    assert claimed == sorted(claimed, reverse=True) and all(count >= 1 for count in claimed)
    shown = re.sub(r"\s+", " ", result.output)
    for line in recruit:
        assert "outside" not in line["In words"]
        assert len(line["From departments"].split("; ")) <= 3 and len(line["In professions"].split("; ")) <= 3
        assert RANK[band_grades(line["Grade"])[0]] >= RANK[lowest]  # no senior the rules keep out
        assert line["Verified"] == "yes" and line["Pairs gained on re-run"] >= line["More juniors paired"]
        assert line["In words"].rsplit(", would pair", 1)[0] in shown

    # Each line's seniors, written into a copy of the applications as real applications, make the pairs it
    # claims when the round is matched again; so do all the lines together.
    everyone: list[dict[str, Any]] = []
    for number, line in enumerate(recruit, start=1):
        rows = recruit_rows(number, line)
        everyone += rows
        again = pairs_made(with_rows(path, rows, f"line{number}.xlsx"), "--preset", preset)
        assert again >= base + line["More juniors paired"], line["In words"]
    settings = {row["Setting"]: row["Value"] for row in read_sheet(output, "Settings")}
    together = settings["Pairs gained with every line added (re-run)"]
    assert pairs_made(with_rows(path, everyone, "every-line.xlsx"), "--preset", preset) >= base + together
    assert f"With every line recruited, {together} more junior" in shown
    assert path.read_bytes() == before


def test_gaps_says_so_when_no_profile_of_senior_would_help(make_workbook: MakeWorkbook, tmp_path: Path) -> None:
    # Seniors must be Deputy Directors, at most two grades above their partner: no grade can partner an EO.
    config = tmp_path / "strict.toml"
    config.write_text('[round]\nsenior_min_grade = "SCS1"\nmax_grade_gap = 2\n', encoding="utf-8")
    path = make_workbook([junior_row(Name="Eve Elm", Grade="EO"), senior_row(Grade="Deputy Director")])
    output = path.with_name("gaps.xlsx")
    result = invoke("gaps", path, "-c", config, "-o", output)
    assert result.exit_code == 0, result.output
    words = re.sub(r"\s+", " ", result.output)
    assert "No single profile of senior would pair any of the 1 unpaired junior" in words
    assert "Eve Elm: no grade on the ladder is far enough above them" in words
    assert read_sheet(output, "Recruit") == []
    [need] = read_sheet(output, "Unmatched juniors")
    assert need["Name"] == "Eve Elm" and need["Paired by line"] in ("", None)


def test_gaps_when_everyone_is_paired(make_workbook: MakeWorkbook) -> None:
    path = make_workbook([junior_row(Department="DfT", Profession="GSR"),
                          senior_row(Department="HMT", Profession="GES")])
    before = path.read_bytes()
    output = path.with_name("gaps.xlsx")
    result = invoke("gaps", path, "-o", output)
    assert result.exit_code == 0, result.output
    assert "no one to recruit for" in result.output
    assert read_sheet(output, "Recruit") == [] and read_sheet(output, "Unmatched juniors") == []
    assert path.read_bytes() == before


def test_rule_columns_of_a_round_with_no_one_left_to_pair_have_one_column_per_profile() -> None:
    grade_ok, department_ok, profession_ok = rule_columns([], ["G7"], ["DfT"], ["Statistics"], build_config({}))
    assert grade_ok.shape == department_ok.shape == profession_ok.shape == (0, 1)
