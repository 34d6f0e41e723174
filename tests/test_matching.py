"""Matching rounds end to end: run_matching on generated workbooks, checked against the rules themselves."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import Facts, HardRules, junior_row, kuhn, senior_row
from conftest import allowed as rules_allow
from mentormatch.config import build_config
from mentormatch.errors import MentormatchError
from mentormatch.matching.pipeline import MatchResult, run_matching
from mentormatch.round.drilldown import explain_applicant

MakeWorkbook = Callable[..., Path]

# The grade ladder as a user knows it, written out here rather than read from the package.
RANK = {"EO": 3, "HEO": 4, "SEO": 5, "G7": 6, "G6": 7, "SCS1": 8, "SCS2": 9}
JUNIOR_GRADES = ("EO", "HEO", "SEO", "G7", "G6")
SENIOR_GRADES = ("G7", "G6", "SCS1", "SCS2")
DEPARTMENTS = ("DfT", "HMT", "DWP", "ONS")
PROFESSIONS = ("GSS", "GES", "GSR")
AIMS = ("Leadership", "Wellbeing", "Coaching", "Networking")
DEFAULT = build_config({})


def pairs_of(result: MatchResult) -> set[tuple[str, str]]:
    return {(p.junior.email, p.senior.email) for p in result.pairings}


def partner_of(result: MatchResult, email: str) -> list[str]:
    return [p.senior.email for p in result.pairings if p.junior.email == email]


def unmatched_of(result: MatchResult, email: str) -> Any:
    found = [u for u in result.unmatched if u.email == email]
    assert len(found) == 1, f"{email} should be listed once as unmatched, found {found}"
    return found[0]


def write_pairs(path: Path, pairs: list[tuple[str, str]], header: tuple[str, str] | None = None) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        if header:
            writer.writerow(header)
        writer.writerows(pairs)
    return path


def sheet(make_workbook: MakeWorkbook, *rows: dict[str, Any], name: str = "applications.xlsx") -> Path:
    return make_workbook(list(rows), name=name)


# ---------------------------------------------------------------------------------------------
# The property: random small rounds, checked against a feasibility graph built from the fields.
# ---------------------------------------------------------------------------------------------

@st.composite
def rounds(draw: st.DrawFn) -> dict[str, Any]:
    profs = st.lists(st.sampled_from(PROFESSIONS), min_size=1, max_size=2, unique=True)
    aims = st.lists(st.sampled_from(AIMS), min_size=0, max_size=2, unique=True)
    juniors = [{"email": f"j{i:02d}@example.gov.uk", "grade": draw(st.sampled_from(JUNIOR_GRADES)),
                "department": draw(st.sampled_from(DEPARTMENTS)), "professions": draw(profs),
                "aims": draw(aims), "capacity": 1, "do_not_match": []}
               for i in range(draw(st.integers(3, 12)))]
    seniors = [{"email": f"s{i:02d}@example.gov.uk", "grade": draw(st.sampled_from(SENIOR_GRADES)),
                "department": draw(st.sampled_from(DEPARTMENTS)), "professions": draw(profs),
                "aims": draw(aims), "capacity": draw(st.integers(1, 2)), "do_not_match": []}
               for i in range(draw(st.integers(2, 8)))]
    for _ in range(draw(st.integers(0, 3))):
        j = draw(st.integers(0, len(juniors) - 1))
        s = draw(st.integers(0, len(seniors) - 1))
        if draw(st.booleans()):
            juniors[j]["do_not_match"].append(seniors[s]["email"])
        else:
            seniors[s]["do_not_match"].append(juniors[j]["email"])
    # Rows with an error (no barriers declared; a senior below the senior grade limit) are left out.
    invalid = [junior_row(Email=f"x{i}@example.gov.uk", Barriers="No") if draw(st.booleans())
               else senior_row(Email=f"x{i}@example.gov.uk", Grade="SEO")
               for i in range(draw(st.integers(0, 2)))]
    min_gap = draw(st.integers(1, 3))
    rules = {"min_gap": min_gap, "max_gap": draw(st.sampled_from([0, min_gap, min_gap + 1, min_gap + 2])),
             "department": draw(st.sampled_from(["hard", "hard", "prefer", "ignore"])),
             "profession": draw(st.sampled_from(["hard", "hard", "prefer", "ignore"]))}
    return {"juniors": juniors, "seniors": seniors, "invalid": invalid, "rules": rules}


def as_row(person: dict[str, Any], senior: bool) -> dict[str, Any]:
    make = senior_row if senior else junior_row
    return make(Email=person["email"], Grade=person["grade"], Department=person["department"],
                Profession="; ".join(person["professions"]), Capacity=person["capacity"] if senior else "",
                **{"Development aims": "; ".join(person["aims"]),
                   "Do not match with": "; ".join(person["do_not_match"])})


def allowed(junior: dict[str, Any], senior: dict[str, Any], rules: dict[str, Any] | None = None) -> bool:
    """The round's hard rules (default settings unless given), from the applicants' own answers."""
    def facts(person: dict[str, Any]) -> Facts:
        return Facts(person["email"], RANK[person["grade"]], person["department"], frozenset(person["professions"]),
                     frozenset(person["do_not_match"]))

    return rules_allow(facts(junior), facts(senior), HardRules(**rules) if rules else HardRules())


def config_for(rules: dict[str, Any]) -> Any:
    return build_config({"round": {"min_grade_gap": rules["min_gap"], "max_grade_gap": rules["max_gap"]},
                         "rules": {"department": rules["department"], "profession": rules["profession"]}})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rounds())
def test_random_rounds_keep_every_rule_and_pair_as_many_as_possible(make_workbook: MakeWorkbook,
                                                                    data: dict[str, Any]) -> None:
    juniors, seniors, invalid, rules = data["juniors"], data["seniors"], data["invalid"], data["rules"]
    rows = [*(as_row(p, False) for p in juniors), *(as_row(p, True) for p in seniors), *invalid]
    path = make_workbook(rows, name="round.xlsx")
    config = config_for(rules)
    result = run_matching(path, config)

    def ok(junior: dict[str, Any], senior: dict[str, Any]) -> bool:
        return allowed(junior, senior, rules)

    by_email = {p["email"]: p for p in [*juniors, *seniors]}
    # No pair breaks a hard rule; juniors at most once; seniors within capacity.
    for junior_email, senior_email in pairs_of(result):
        assert ok(by_email[junior_email], by_email[senior_email]), (junior_email, senior_email)
    junior_count = Counter(p.junior.email for p in result.pairings)
    senior_count = Counter(p.senior.email for p in result.pairings)
    assert all(n == 1 for n in junior_count.values())
    assert all(n <= by_email[email]["capacity"] for email, n in senior_count.items())
    assert set(junior_count) <= {p["email"] for p in juniors}
    assert set(senior_count) <= {p["email"] for p in seniors}

    # Everyone is accounted for exactly once: paired, or unmatched with a reason.
    paired = set(junior_count) | set(senior_count)
    unmatched = Counter(u.email for u in result.unmatched)
    assert all(n == 1 for n in unmatched.values())
    assert not paired & set(unmatched)
    assert paired | set(unmatched) == {*by_email, *(row["Email"] for row in invalid)}
    for row in invalid:
        assert unmatched_of(result, row["Email"]).code == "left-out"

    # As many pairs as the rules allow (seniors expanded into one slot per place).
    slots = [s for s in seniors for _ in range(s["capacity"])]
    adjacent = [[k for k, s in enumerate(slots) if ok(j, s)] for j in juniors]
    assert len(result.pairings) == kuhn(adjacent, len(slots))
    assert result.maximum_pairs == len(result.pairings)

    # Someone unpaired either had nobody allowed, or everybody allowed was taken.
    for junior in juniors:
        if junior["email"] not in junior_count:
            expected = "partners-taken" if any(ok(junior, s) for s in seniors) else "no-feasible-partner"
            assert unmatched_of(result, junior["email"]).code == expected
    for senior in seniors:
        if senior["email"] not in senior_count:
            expected = "partners-taken" if any(ok(j, senior) for j in juniors) else "no-feasible-partner"
            assert unmatched_of(result, senior["email"]).code == expected

    # Deterministic, and independent of the order rows were written in.
    assert pairs_of(run_matching(path, config)) == pairs_of(result)
    reversed_path = make_workbook(rows[::-1], name="reversed.xlsx")
    assert pairs_of(run_matching(reversed_path, config)) == pairs_of(result)


# ---------------------------------------------------------------------------------------------
# Rules as settings.
# ---------------------------------------------------------------------------------------------

# The department and profession rules behave alike: each twin below runs once per rule, with a
# junior and senior who break only that rule (same department, or a shared profession).
BREAKS_ONLY = {
    "department": ({"Department": "DfT", "Profession": "GSR"}, {"Department": "DfT", "Profession": "GES"},
                   "same department"),
    "profession": ({"Department": "DfT", "Profession": "GSS"}, {"Department": "HMT", "Profession": "GSS; GES"},
                   "shared profession"),
}
# Two juniors and two seniors who can all be paired without breaking the rule: (juniors, seniors),
# where junior i breaks the rule with senior i only.
CROSSED = {
    "department": ([{"Department": "DfT", "Profession": "GSR"}, {"Department": "HMT", "Profession": "GSR"}],
                   [{"Department": "DfT", "Profession": "GES"}, {"Department": "HMT", "Profession": "GES"}]),
    "profession": ([{"Department": "DfT", "Profession": "GSS"}, {"Department": "DfT", "Profession": "GES"}],
                   [{"Department": "HMT", "Profession": "GSS"}, {"Department": "HMT", "Profession": "GES"}]),
}


@pytest.mark.parametrize("setting", ["prefer", "ignore"])
@pytest.mark.parametrize("rule", ["department", "profession"])
def test_relaxed_rule_allows_the_pair_when_it_is_the_only_option(make_workbook: MakeWorkbook, rule: str,
                                                                setting: str) -> None:
    junior_fields, senior_fields, noted = BREAKS_ONLY[rule]
    junior, senior = junior_row(**junior_fields), senior_row(**senior_fields)
    path = sheet(make_workbook, junior, senior)
    assert pairs_of(run_matching(path, DEFAULT)) == set()
    result = run_matching(path, build_config({"rules": {rule: setting}}))
    assert pairs_of(result) == {(junior["Email"], senior["Email"])}
    assert noted in result.pairings[0].why


@pytest.mark.parametrize("rule", ["department", "profession"])
def test_prefer_avoids_breaking_the_rule_when_there_is_an_alternative(make_workbook: MakeWorkbook, rule: str) -> None:
    # Each junior breaks the rule with one senior; otherwise everyone is alike. Both pairs can be
    # made without breaking it, so "prefer" must do that, whatever the row order.
    juniors = [junior_row(**fields) for fields in CROSSED[rule][0]]
    seniors = [senior_row(**fields) for fields in CROSSED[rule][1]]
    expected = {(juniors[0]["Email"], seniors[1]["Email"]), (juniors[1]["Email"], seniors[0]["Email"])}
    for order in ([*juniors, *seniors], [seniors[1], juniors[1], seniors[0], juniors[0]]):
        result = run_matching(sheet(make_workbook, *order), build_config({"rules": {rule: "prefer"}}))
        assert pairs_of(result) == expected


def test_department_prefer_never_costs_a_pair(make_workbook: MakeWorkbook) -> None:
    # The DfT junior can only be paired within DfT (the HMT senior shares their profession); pairing
    # the HMT junior across departments would leave the DfT junior out, so both pairs are same-department
    # on one side and the count wins.
    j_dft = junior_row(Department="DfT", Profession="GSR")
    j_hmt = junior_row(Department="HMT", Profession="GES")
    s_dft = senior_row(Department="DfT", Profession="GSS")
    s_hmt = senior_row(Department="HMT", Profession="GSR")
    result = run_matching(sheet(make_workbook, j_dft, j_hmt, s_dft, s_hmt),
                          build_config({"rules": {"department": "prefer"}}))
    assert pairs_of(result) == {(j_dft["Email"], s_dft["Email"]), (j_hmt["Email"], s_hmt["Email"])}


def test_department_ignore_does_not_weigh_department(make_workbook: MakeWorkbook) -> None:
    # With "ignore", a same-department senior sharing the junior's aims beats a cross-department one.
    junior = junior_row(Department="DfT", Profession="GSR", **{"Development aims": "Wellbeing"})
    same = senior_row(Department="DfT", Profession="GES", **{"Development aims": "Wellbeing"})
    other = senior_row(Department="HMT", Profession="GES", **{"Development aims": "Coaching"})
    path = sheet(make_workbook, junior, same, other)
    assert pairs_of(run_matching(path, DEFAULT)) == {(junior["Email"], other["Email"])}
    result = run_matching(path, build_config({"rules": {"department": "ignore"}}))
    assert pairs_of(result) == {(junior["Email"], same["Email"])}


def test_max_grade_gap_caps_the_gap(make_workbook: MakeWorkbook) -> None:
    junior = junior_row(Grade="HEO")
    far = senior_row(Grade="SCS1")  # four grades above HEO
    path = sheet(make_workbook, junior, far)
    assert pairs_of(run_matching(path, DEFAULT)) == {(junior["Email"], far["Email"])}
    capped = build_config({"round": {"max_grade_gap": 3}})
    result = run_matching(path, capped)
    assert pairs_of(result) == set()
    assert unmatched_of(result, junior["Email"]).code == "no-feasible-partner"
    near = senior_row(Grade="G6")  # three grades above HEO
    assert pairs_of(run_matching(sheet(make_workbook, junior, far, near, name="near.xlsx"), capped)) == {
        (junior["Email"], near["Email"])}


def test_reason_for_a_gap_over_the_maximum_names_the_maximum(make_workbook: MakeWorkbook) -> None:
    # A Deputy Director applied, four grades above the HEO junior; the only obstacle is the cap of
    # three grades. Neither reason may claim that nobody senior (or junior) enough applied: each
    # should point at the 3-grade maximum that the user set.
    junior = junior_row(Grade="HEO", Department="DfT", Profession="GSR")
    senior = senior_row(Grade="SCS1", Department="HMT", Profession="GES")
    result = run_matching(sheet(make_workbook, junior, senior), build_config({"round": {"max_grade_gap": 3}}))
    for person in (junior, senior):
        entry = unmatched_of(result, person["Email"])
        assert entry.code == "no-feasible-partner"
        assert "3 grades" in entry.reason, entry.reason


@pytest.mark.parametrize(("junior_grade", "senior_grade", "allowed_pair"), [
    ("SEO", "Grade 7", False),
    ("HEO", "Grade 7", True),
    ("Grade 7", "Deputy Director", True),
    ("Grade 6", "Deputy Director", False),
])
def test_min_grade_gap_of_two(make_workbook: MakeWorkbook, junior_grade: str, senior_grade: str,
                              allowed_pair: bool) -> None:
    junior = junior_row(Grade=junior_grade)
    senior = senior_row(Grade=senior_grade)
    result = run_matching(sheet(make_workbook, junior, senior), build_config({"round": {"min_grade_gap": 2}}))
    assert pairs_of(result) == ({(junior["Email"], senior["Email"])} if allowed_pair else set())


# ---------------------------------------------------------------------------------------------
# Exclusions and locked pairs.
# ---------------------------------------------------------------------------------------------

def _two_seniors() -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    # The junior shares aims with `liked`, so without an exclusion they go to `liked`.
    junior = junior_row(**{"Development aims": "Wellbeing"})
    liked = senior_row(**{"Development aims": "Wellbeing"})
    other = senior_row(**{"Development aims": "Coaching"})
    return junior, liked, other


def test_junior_listing_a_senior_is_never_paired_with_them(make_workbook: MakeWorkbook) -> None:
    junior, liked, other = _two_seniors()
    assert pairs_of(run_matching(sheet(make_workbook, junior, liked, other), DEFAULT)) == {
        (junior["Email"], liked["Email"])}
    junior["Do not match with"] = liked["Email"].upper()
    result = run_matching(sheet(make_workbook, junior, liked, other, name="excl.xlsx"), DEFAULT)
    assert pairs_of(result) == {(junior["Email"], other["Email"])}


def test_senior_listing_a_junior_is_never_paired_with_them(make_workbook: MakeWorkbook) -> None:
    junior, liked, other = _two_seniors()
    liked["Do not match with"] = junior["Email"]
    result = run_matching(sheet(make_workbook, junior, liked, other), DEFAULT)
    assert pairs_of(result) == {(junior["Email"], other["Email"])}


def test_exclusion_leaving_no_option_gives_a_reason(make_workbook: MakeWorkbook) -> None:
    junior = junior_row()
    senior = senior_row()
    senior["Do not match with"] = junior["Email"]
    result = run_matching(sheet(make_workbook, junior, senior), DEFAULT)
    assert pairs_of(result) == set()
    entry = unmatched_of(result, junior["Email"])
    assert entry.code == "no-feasible-partner"
    assert "do-not-match" in entry.reason


@pytest.mark.parametrize("junior_first", [True, False])
def test_exclude_file_forbids_pairs_in_either_column_order(make_workbook: MakeWorkbook, tmp_path: Path,
                                                           junior_first: bool) -> None:
    junior, liked, other = _two_seniors()
    path = sheet(make_workbook, junior, liked, other)
    pair = (junior["Email"], liked["Email"]) if junior_first else (liked["Email"], junior["Email"])
    exclude = write_pairs(tmp_path / "exclude.csv", [pair], header=("first", "second") if junior_first else None)
    result = run_matching(path, DEFAULT, do_not_match=exclude)
    assert pairs_of(result) == {(junior["Email"], other["Email"])}


def test_locked_pair_is_kept_marked_and_uses_capacity(make_workbook: MakeWorkbook, tmp_path: Path) -> None:
    # Left alone, the locked junior goes to `liked` (shared aims) and `waiting`, who can only go to the
    # locked senior, goes there. The lock holds anyway; the locked senior has one place, so `waiting`
    # is left out, as "partners-taken".
    locked_junior = junior_row(Department="DfT", Profession="GSR", **{"Development aims": "Wellbeing"})
    waiting = junior_row(Department="ONS", Profession="GSR", **{"Development aims": "Coaching"})
    locked_senior = senior_row(Department="HMT", Profession="GES", Capacity=1, **{"Development aims": "Coaching"})
    liked = senior_row(Department="ONS", Profession="GES", **{"Development aims": "Wellbeing"})
    path = sheet(make_workbook, locked_junior, waiting, locked_senior, liked)
    assert pairs_of(run_matching(path, DEFAULT)) == {(waiting["Email"], locked_senior["Email"]),
                                                     (locked_junior["Email"], liked["Email"])}
    lock = write_pairs(tmp_path / "lock.csv", [(locked_junior["Email"], locked_senior["Email"])])
    result = run_matching(path, DEFAULT, lock=lock)
    assert pairs_of(result) == {(locked_junior["Email"], locked_senior["Email"])}
    [pairing] = result.pairings
    assert pairing.locked
    assert unmatched_of(result, waiting["Email"]).code == "partners-taken"


def test_locked_pair_leaves_spare_capacity_to_others(make_workbook: MakeWorkbook, tmp_path: Path) -> None:
    locked_junior, a, b = junior_row(), junior_row(), junior_row()
    senior = senior_row(Capacity=2)
    path = sheet(make_workbook, locked_junior, a, b, senior)
    lock = write_pairs(tmp_path / "lock.csv", [(senior["Email"], locked_junior["Email"])],
                       header=("senior", "junior"))
    result = run_matching(path, DEFAULT, lock=lock)
    assert len(result.pairings) == 2
    assert (locked_junior["Email"], senior["Email"]) in pairs_of(result)
    assert [p.locked for p in result.pairings if p.junior.email == locked_junior["Email"]] == [True]
    assert [p.locked for p in result.pairings if p.junior.email != locked_junior["Email"]] == [False]
    assert len({a["Email"], b["Email"]} & {u.email for u in result.unmatched}) == 1


def test_locked_pair_breaking_a_rule_is_kept_with_a_warning(make_workbook: MakeWorkbook, tmp_path: Path) -> None:
    junior = junior_row(Department="DfT")
    senior = senior_row(Department="DfT")
    path = sheet(make_workbook, junior, senior)
    lock = write_pairs(tmp_path / "lock.csv", [(junior["Email"], senior["Email"])])
    result = run_matching(path, DEFAULT, lock=lock)
    assert pairs_of(result) == {(junior["Email"], senior["Email"])}
    assert result.pairings[0].locked
    assert "locked-pair-breaks-rule" in {p.code for p in result.problems}


def test_lock_naming_unknown_email_is_invalid_and_not_kept(make_workbook: MakeWorkbook, tmp_path: Path) -> None:
    junior = junior_row()
    senior = senior_row()
    path = sheet(make_workbook, junior, senior)
    lock = write_pairs(tmp_path / "lock.csv", [("nobody@example.gov.uk", senior["Email"])])
    result = run_matching(path, DEFAULT, lock=lock)
    assert "locked-pair-invalid" in {p.code for p in result.problems}
    assert not any(p.locked for p in result.pairings)
    assert pairs_of(result) == {(junior["Email"], senior["Email"])}


# ---------------------------------------------------------------------------------------------
# Why people are unmatched.
# ---------------------------------------------------------------------------------------------

def test_no_feasible_partner_names_the_department(make_workbook: MakeWorkbook) -> None:
    junior = junior_row(Department="DWP", Profession="GSR")
    senior = senior_row(Department="DWP", Profession="GES")
    result = run_matching(sheet(make_workbook, junior, senior), DEFAULT)
    entry = unmatched_of(result, junior["Email"])
    assert entry.code == "no-feasible-partner"
    assert "DWP" in entry.reason


def test_no_feasible_partner_names_the_profession(make_workbook: MakeWorkbook) -> None:
    junior = junior_row(Department="DfT", Profession="GSS")
    senior = senior_row(Department="HMT", Profession="GSS")
    result = run_matching(sheet(make_workbook, junior, senior), DEFAULT)
    entry = unmatched_of(result, junior["Email"])
    assert entry.code == "no-feasible-partner"
    assert "GSS" in entry.reason


def test_no_senior_senior_enough(make_workbook: MakeWorkbook) -> None:
    junior = junior_row(Grade="G6")
    senior = senior_row(Grade="G7")
    result = run_matching(sheet(make_workbook, junior, senior), DEFAULT)
    assert unmatched_of(result, junior["Email"]).code == "no-feasible-partner"
    assert unmatched_of(result, senior["Email"]).code == "no-feasible-partner"


def test_partners_taken_when_the_only_senior_went_to_someone_else(make_workbook: MakeWorkbook) -> None:
    first, second = junior_row(), junior_row()
    senior = senior_row(Capacity=1)
    result = run_matching(sheet(make_workbook, first, second, senior), DEFAULT)
    assert len(result.pairings) == 1
    left = ({first["Email"], second["Email"]} - {p.junior.email for p in result.pairings}).pop()
    assert unmatched_of(result, left).code == "partners-taken"


def test_row_with_an_error_is_unmatched_as_excluded_with_the_problem(make_workbook: MakeWorkbook) -> None:
    wordy = junior_row(**{"Expression of interest": " ".join(["word"] * 163)})
    junior = junior_row()
    senior = senior_row()
    result = run_matching(sheet(make_workbook, wordy, junior, senior), DEFAULT)
    entry = unmatched_of(result, wordy["Email"])
    assert entry.code == "left-out"
    assert "163" in entry.reason and "EOI" in entry.reason
    assert wordy["Email"] not in {p.junior.email for p in result.pairings}
    assert pairs_of(result) == {(junior["Email"], senior["Email"])}


# ---------------------------------------------------------------------------------------------
# Quality, seeds and explanations.
# ---------------------------------------------------------------------------------------------

def test_junior_goes_to_the_senior_sharing_their_aims(make_workbook: MakeWorkbook) -> None:
    junior = junior_row(**{"Development aims": "Wellbeing"})
    sharing = senior_row(**{"Development aims": "Coaching; Wellbeing"})
    other = senior_row(**{"Development aims": "Coaching"})
    for order in ((junior, sharing, other), (other, junior, sharing)):
        result = run_matching(sheet(make_workbook, *order), DEFAULT)
        [pairing] = result.pairings
        assert pairing.senior.email == sharing["Email"]
        assert "wellbeing" in pairing.why.lower()
    alone = run_matching(sheet(make_workbook, junior, other, name="alone.xlsx"), DEFAULT)
    [second_best] = alone.pairings
    assert "wellbeing" not in second_best.why.lower()
    assert pairing.score > second_best.score


def _tied_round(make_workbook: MakeWorkbook) -> Path:
    # Three interchangeable juniors and two interchangeable seniors (one with two places): all ties.
    juniors = [junior_row() for _ in range(3)]
    seniors = [senior_row(Capacity=1), senior_row(Capacity=2)]
    return sheet(make_workbook, *juniors, *seniors)


def test_without_seed_ties_are_broken_the_same_way_every_time(make_workbook: MakeWorkbook) -> None:
    path = _tied_round(make_workbook)
    first = run_matching(path, DEFAULT)
    assert all(pairs_of(run_matching(path, DEFAULT)) == pairs_of(first) for _ in range(3))


def test_seeds_give_valid_results_with_equal_count_and_score(make_workbook: MakeWorkbook) -> None:
    path = _tied_round(make_workbook)
    baseline = run_matching(path, DEFAULT)
    assert len(baseline.pairings) == 3
    for seed in range(8):
        result = run_matching(path, DEFAULT, seed=seed)
        assert len(result.pairings) == len(baseline.pairings)
        assert sum(p.score for p in result.pairings) == sum(p.score for p in baseline.pairings)
        assert len({p.junior.email for p in result.pairings}) == len(result.pairings)
        per_senior = Counter(p.senior.email for p in result.pairings)
        capacity = {p.senior.email: p.senior.capacity for p in result.pairings}
        assert all(n <= capacity[email] for email, n in per_senior.items())
        assert result.seed == seed


def test_seed_only_reorders_ties_never_trades_quality(make_workbook: MakeWorkbook) -> None:
    junior = junior_row(**{"Development aims": "Wellbeing"})
    sharing = senior_row(**{"Development aims": "Wellbeing"})
    other = senior_row(**{"Development aims": "Coaching"})
    path = sheet(make_workbook, junior, sharing, other)
    for seed in range(8):
        assert pairs_of(run_matching(path, DEFAULT, seed=seed)) == {(junior["Email"], sharing["Email"])}


def test_explanation_lists_the_partner_first(make_workbook: MakeWorkbook) -> None:
    junior = junior_row(**{"Development aims": "Wellbeing"})
    sharing = senior_row(**{"Development aims": "Wellbeing"})
    other = senior_row(**{"Development aims": "Coaching"})
    result = run_matching(sheet(make_workbook, junior, sharing, other), DEFAULT)
    explanation = explain_applicant(result, junior["Email"].upper())
    assert [p.senior.email for p in explanation.pairings] == [sharing["Email"]]
    assert explanation.unmatched is None
    assert explanation.alternatives[0].email == sharing["Email"]
    assert explanation.alternatives[0].status == "their partner"
    assert [a.status for a in explanation.alternatives[1:]] == ["free, but pairing them would leave someone "
                                                                "else without a partner"]


def test_explanation_says_why_a_better_fit_was_not_the_partner(make_workbook: MakeWorkbook) -> None:
    junior = junior_row(Department="DfT", **{"Development aims": "Wellbeing"})
    forbidden = senior_row(Department="DfT", **{"Development aims": "Wellbeing"})
    partner = senior_row(Department="HMT", **{"Development aims": "Coaching"})
    result = run_matching(sheet(make_workbook, junior, forbidden, partner), DEFAULT)
    status = {a.email: a.status for a in explain_applicant(result, junior["Email"]).alternatives}
    assert status[partner["Email"]] == "their partner"
    assert status[forbidden["Email"]].startswith("not allowed") and "department" in status[forbidden["Email"]]


def test_explanation_of_unmatched_junior_and_unknown_email(make_workbook: MakeWorkbook) -> None:
    first, second = junior_row(), junior_row()
    senior = senior_row()
    result = run_matching(sheet(make_workbook, first, second, senior), DEFAULT)
    paired = result.pairings[0].junior.email
    left = ({first["Email"], second["Email"]} - {paired}).pop()
    explanation = explain_applicant(result, left)
    assert explanation.pairings == []
    assert explanation.unmatched is not None and explanation.unmatched.code == "partners-taken"
    assert explanation.alternatives[0].status.startswith("paired with")
    with pytest.raises(MentormatchError):
        explain_applicant(result, "nobody@example.gov.uk")
