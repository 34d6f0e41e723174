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
from conftest import exited_cleanly, junior_row, kuhn, read_sheet, senior_row
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from mentormatch.cli.app import app
from mentormatch.config import Config, build_config
from mentormatch.errors import MentormatchError
from mentormatch.matching.pipeline import MatchResult, run_matching
from mentormatch.round.compare import build_scenarios, compare_scenarios
from mentormatch.round.gaps import GapReport, find_gaps, need_text

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
                "capacity": draw(st.integers(1, 3)) if role == "senior" else 1, "exclusions": []}

    juniors = [person("junior", i, JUNIOR_GRADES) for i in range(draw(st.integers(3, 10)))]
    seniors = [person("senior", i, SENIOR_GRADES) for i in range(draw(st.integers(1, 6)))]
    for _ in range(draw(st.integers(0, 2))):
        junior, senior = draw(st.sampled_from(juniors)), draw(st.sampled_from(seniors))
        junior["exclusions"].append(senior["email"])
    return [*juniors, *seniors]


def as_row(person: dict[str, Any]) -> dict[str, Any]:
    make = senior_row if person["role"] == "senior" else junior_row
    return make(Email=person["email"], Name=person["name"], Grade=person["grade"], Department=person["department"],
                Profession="; ".join(person["professions"]),
                Capacity=person.get("capacity_answer", person["capacity"]) if person["role"] == "senior" else "",
                **{"Expression of interest": " ".join(["word"] * person["eoi_words"]),
                   "Do not match with": "; ".join(person["exclusions"])})


def eligible(person: dict[str, Any], config: Config) -> bool:
    """Whether the round's settings let this application in (every generated row is otherwise valid)."""
    limits = config.round
    if limits.eoi_word_limit and person["eoi_words"] > limits.eoi_word_limit:
        return False
    if person["role"] == "junior":
        return RANK[person["grade"]] <= RANK[limits.junior_max_grade]
    return RANK[person["grade"]] >= RANK[limits.senior_min_grade]


def allowed(junior: dict[str, Any], senior: dict[str, Any], config: Config) -> bool:
    """The hard rules of `config`, from the applicants' own answers."""
    gap = RANK[senior["grade"]] - RANK[junior["grade"]]
    return (gap >= config.round.min_grade_gap
            and (not config.round.max_grade_gap or gap <= config.round.max_grade_gap)
            and (config.rules.department != "hard" or junior["department"] != senior["department"])
            and (config.rules.profession != "hard" or not set(junior["professions"]) & set(senior["professions"]))
            and senior["email"] not in junior["exclusions"] and junior["email"] not in senior["exclusions"])


def most_pairs(people: list[dict[str, Any]], config: Config) -> int:
    """The largest number of pairs under `config`, from the applicants' answers alone."""
    juniors = [p for p in people if p["role"] == "junior" and eligible(p, config)]
    slots = [s for s in people if s["role"] == "senior" and eligible(s, config) for _ in range(s["capacity"])]
    adjacent = [[k for k, s in enumerate(slots) if allowed(j, s, config)] for j in juniors]
    return kuhn(adjacent, len(slots))


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
# 2-3. gaps: every recruitment line works, proved with real applicants of that profile; juniors
#      needing the same grade share a line.
# ---------------------------------------------------------------------------------------------

@st.composite
def gap_settings(draw: st.DrawFn) -> dict[str, Any]:
    gap = draw(st.integers(1, 3))
    return {"round": {"min_grade_gap": gap, "max_grade_gap": draw(st.sampled_from([0, 0, gap, gap + 1])),
                      "senior_min_grade": draw(st.sampled_from(["G7", "G7", "G6", "SCS1"]))},
            "rules": {"department": draw(st.sampled_from(["hard", "hard", "prefer", "ignore"])),
                      "profession": draw(st.sampled_from(["hard", "hard", "prefer", "ignore"]))}}


def recruits_for(line_number: int, count: int, rank: int) -> list[dict[str, Any]]:
    """Real applicants of a line's profile: its grade, a department and profession nobody else has,
    capacity left blank (the default of one)."""
    return [{"role": "senior", "email": f"recruit{line_number}-{k}@example.gov.uk",
             "name": f"Recruit {line_number}.{k}",
             "grade": CODE_AT[rank], "department": FRESH_DEPARTMENT, "professions": [FRESH_PROFESSION],
             "eoi_words": 12, "capacity": 1, "capacity_answer": "", "exclusions": []} for k in range(count)]


def paired_juniors(result: MatchResult) -> set[str]:
    return {p.junior.email for p in result.pairings}


def lined_juniors(report: GapReport) -> list[str]:
    return [person.email for line in report.lines for person in line.juniors]


@HYPOTHESIS
@given(rounds(), gap_settings())
def test_every_recruitment_line_is_verified_and_really_works(make_workbook: MakeWorkbook, people: list[dict[str, Any]],
                                                            data: dict[str, Any]) -> None:
    config = build_config(data)
    path = write_round(make_workbook, people)
    result = run_matching(path, config)
    report = find_gaps(result)
    base = len(result.pairings)
    assert base == most_pairs(people, config)

    # Every unmatched eligible junior is on exactly one line, or unreachable.
    left = {p["email"] for p in people if p["role"] == "junior" and eligible(p, config)} - paired_juniors(result)
    on_lines = lined_juniors(report)
    assert len(on_lines) == len(set(on_lines))
    assert set(on_lines) | {n.junior.email for n in report.unreachable} == left
    assert not set(on_lines) & {n.junior.email for n in report.unreachable}
    assert {n.junior.email for n in report.needs} == left

    # Each need follows the round's grade rules; the departments and professions to avoid follow the hard rules.
    floor = RANK[data["round"]["senior_min_grade"]]
    max_gap = data["round"]["max_grade_gap"]
    for need in report.needs:
        rank = RANK[need.junior.grade]
        assert need.min_rank == max(rank + data["round"]["min_grade_gap"], floor)
        assert need.max_rank == (min(rank + max_gap, RANK["SCS4"]) if max_gap else RANK["SCS4"])
        assert (need in report.unreachable) == (need.min_rank > need.max_rank)
        hard_department, hard_profession = data["rules"]["department"] == "hard", data["rules"]["profession"] == "hard"
        assert need.avoid_department == (need.junior.department_key if hard_department else None)
        assert set(need.avoid_professions) == (set(need.junior.professions) if hard_profession else set())
        assert need_text(need)

    # Lines come lowest grade first, and each line's profile suits every junior on it.
    assert [line.rank for line in report.lines] == sorted(line.rank for line in report.lines)
    need_of = {n.junior.email: n for n in report.needs}
    for line in report.lines:
        assert line.verified and line.extra_pairs >= len(line.juniors)
        assert line.seniors == len(line.juniors)  # default capacity of one partner each
        for person in line.juniors:
            need = need_of[person.email]
            assert need.min_rank <= line.rank <= need.max_rank
            assert need.avoid_department is None or need.avoid_department in line.departments
            assert set(need.avoid_professions) <= set(line.professions)

    # Proof with real applicants of each line's profile: one more pair per junior the line claims, and
    # those juniors can all be partnered at once (so some best matching pairs every one of them).
    everyone = []
    for number, line in enumerate(report.lines, start=1):
        added = recruits_for(number, line.seniors, line.rank)
        everyone += added
        rerun = run_matching(write_round(make_workbook, [*people, *added], name=f"line{number}.xlsx"), config)
        claimed = {person.email for person in line.juniors}
        assert len(rerun.pairings) == base + len(claimed), line.describe()
        assert most_pairs([*people, *added], config) == base + len(claimed)
        assert most_pairs([p for p in [*people, *added] if p["role"] == "senior" or p["email"] in claimed],
                          config) == len(claimed)
    # Recruiting the whole list pairs every junior on it.
    rerun = run_matching(write_round(make_workbook, [*people, *everyone], name="all.xlsx"), config)
    assert set(lined_juniors(report)) <= paired_juniors(rerun)
    assert len(rerun.pairings) == base + len(lined_juniors(report)) == base + report.extra_pairs_all


def test_a_line_recruit_can_partner_exactly_the_juniors_it_names(make_workbook: MakeWorkbook) -> None:
    # Two HEOs need Grade 7 or above, an SEO needs Grade 6 or above; the one senior shares everyone's
    # department and profession. The line naming the SEO promises that a senior of its profile can
    # partner the SEO with everyone else kept as they are. Recruited alone (the HEOs' line not
    # recruited), the optimiser may prefer to give that senior to an HEO, so the claim is checked
    # with the recruit kept for the SEO by its own "Do not match with" answer.
    heos = [junior_row(Name=f"Heo {k}", Grade="HEO", Department="DfT", Profession="GSS") for k in (1, 2)]
    seo = junior_row(Name="Seo", Grade="SEO", Department="DfT", Profession="GSS", **{"Development aims": "Coaching"})
    blocked = senior_row(Grade="Grade 7", Department="DfT", Profession="GSS")
    rows = [*heos, seo, blocked]
    result = run_matching(make_workbook(rows), build_config({}))
    report = find_gaps(result)
    [line] = [line for line in report.lines if seo["Email"] in {p.email for p in line.juniors}]
    assert line.verified and [p.email for p in line.juniors] == [seo["Email"]]
    recruit = senior_row(Name="Rae Recruit", Grade=CODE_AT[line.rank], Department=FRESH_DEPARTMENT,
                         Profession=FRESH_PROFESSION, Capacity="",
                         **{"Do not match with": "; ".join(h["Email"] for h in heos)})
    rerun = run_matching(make_workbook([*rows, recruit], name="recruited.xlsx"), build_config({}))
    assert len(rerun.pairings) == len(result.pairings) + line.extra_pairs
    assert seo["Email"] in paired_juniors(rerun)


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


def test_juniors_needing_the_same_grade_share_one_line(make_workbook: MakeWorkbook) -> None:
    # Three HEOs (Grade 7 or above, two grades up) in three departments, and a Grade 6 who needs a Director.
    heos = [junior_row(Grade="HEO", Department=d, Profession="GSR") for d in ("DfT", "HMT", "DWP")]
    grade6 = junior_row(Grade="Grade 6", Department="ONS", Profession="GSR")
    unusable = senior_row(Grade="Grade 7", Department="ONS", Profession="GSR")
    result = run_matching(make_workbook([*heos, grade6, unusable]), build_config({}))
    assert result.pairings == []
    report = find_gaps(result)
    assert len(report.lines) == 2
    low, high = report.lines
    assert {p.email for p in low.juniors} == {row["Email"] for row in heos}
    assert {p.email for p in high.juniors} == {grade6["Email"]}
    assert (low.rank, high.rank) == (RANK["G7"], RANK["SCS2"])
    assert "at Grade 7 or above" in low.describe() and all(d in low.describe() for d in ("DfT", "HMT", "DWP"))
    assert "at Director or above" in high.describe()
    assert low.verified and high.verified and report.extra_pairs_all == 4


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


def test_gaps_writes_the_shopping_list_and_leaves_the_input_alone(make_workbook: MakeWorkbook) -> None:
    heos = [junior_row(Grade="HEO", Department=d, Profession="GSR") for d in ("DfT", "HMT")]
    grade6 = junior_row(Grade="Grade 6", Department="ONS", Profession="GSR")
    senior = senior_row(Grade="Grade 7", Department="ONS", Profession="GES")
    path = make_workbook([*heos, grade6, senior])
    before = path.read_bytes()
    output = path.with_name("gaps.xlsx")
    result = invoke("gaps", path, "-o", output)
    assert result.exit_code == 0, result.output
    assert openpyxl.load_workbook(output).sheetnames == ["Recruit", "Unmatched juniors", "Settings"]
    report = find_gaps(run_matching(path, build_config({})))
    recruit = read_sheet(output, "Recruit")
    assert [r["In words"] for r in recruit] == [line.describe() for line in report.lines]
    assert all(r["Verified"] == "yes" for r in recruit)
    unpaired = {r["Email"] for r in read_sheet(output, "Unmatched juniors")}
    assert unpaired == {n.junior.email for n in report.needs} and grade6["Email"] in unpaired
    assert all(line.describe() in re.sub(r"\s+", " ", result.output) for line in report.lines)
    assert path.read_bytes() == before


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
