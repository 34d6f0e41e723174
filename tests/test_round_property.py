"""A whole round across commands, against an oracle: shortlist -> match -> rematch.

Generated rounds go through the commands a coordinator runs, with withdrawals, resubmissions (a
senior's reduced capacity, a junior re-applying as a senior, an application broken by an edit, a
move to another department) and new applicants. An oracle that knows each person's true grade,
organisation and profession checks every workbook: each person in exactly one place, no one in two
pairs, capacities and rules kept, juniors off the shortlist never paired, the most pairs possible,
and a rematch under the recorded settings equal to one with the same options given again.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import (
    Facts,
    exited_cleanly,
    junior_row,
    read_sheet,
    senior_row,
    write_rows,
)
from conftest import allowed as rules_allow
from conftest import most_pairs as oracle_most_pairs
from mentormatch.cli.app import app

GRADES = {"EO": 3, "HEO": 4, "SEO": 5, "Grade 7": 6, "Grade 6": 7, "Deputy Director": 8, "Director": 9}
DEPARTMENTS = ["DfT", "HMRC", "DWP", "ONS", "MoJ"]
PROFESSIONS = ["GSS", "GES", "GSR", "GORS"]


@dataclass(frozen=True)
class Truth:
    """What the oracle knows of one person, from their latest submission."""

    junior: bool
    rank: int
    department: str
    profession: str
    capacity: int
    avoid: frozenset[str]
    valid: bool = True


def invoke(*args: object) -> None:
    result = CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})
    assert result.exit_code == 0 and exited_cleanly(result), result.output


def person(rng: random.Random, n: int, junior: bool, emails: list[str]) -> tuple[dict, Truth]:
    grade = rng.choice(["EO", "HEO", "SEO", "Grade 7"] if junior else ["Grade 7", "Grade 6", "Deputy Director",
                                                                        "Director"])
    department, profession = rng.choice(DEPARTMENTS), rng.choice(PROFESSIONS)
    avoid = [rng.choice(emails)] if emails and rng.random() < 0.15 else []
    capacity = 1 if junior else rng.choice([1, 1, 2, 3])
    email = f"{'j' if junior else 's'}{n}@example.gov.uk"
    make = junior_row if junior else senior_row
    row = make(Email=email, Grade=grade, Department=department, Profession=profession,
               Capacity="" if junior else capacity, **{"Do not match with": "; ".join(avoid)})
    return row, Truth(junior, GRADES[grade], department, profession, capacity, frozenset(avoid))


def people(rng: random.Random, seniors: int, juniors: int) -> tuple[list[dict], dict[str, Truth], list[str]]:
    """(rows, truth, senior emails) of a generated round: the seniors first, then juniors who may avoid one."""
    rows, truth, senior_emails = [], {}, []
    for n in range(seniors):
        row, facts = person(rng, n, False, [])
        rows.append(row)
        truth[row["Email"]] = facts
        senior_emails.append(row["Email"])
    for n in range(juniors):
        row, facts = person(rng, n, True, senior_emails)
        rows.append(row)
        truth[row["Email"]] = facts
    return rows, truth, senior_emails


def allowed(truth: dict[str, Truth], junior: str, senior: str, forbidden: set[tuple[str, str]]) -> bool:
    """The shared oracle's verdict on the truth of the two people."""
    return rules_allow(facts(truth, junior), facts(truth, senior), do_not_match=forbidden)


def facts(truth: dict[str, Truth], email: str) -> Facts:
    t = truth[email]
    return Facts(email, t.rank, t.department, frozenset({t.profession}), t.avoid)


def most_pairs(truth: dict[str, Truth], juniors: list[str], forbidden: set[tuple[str, str]],
               held: list[tuple[str, str]] = (), gone: set[str] = frozenset()) -> int:
    """The oracle's maximum number of new pairs, with `held` pairs kept and using their places."""
    used = {s: sum(1 for _j, t in held if t == s) for s in truth}
    slots = [s for s, t in truth.items() if t.valid and not t.junior and s not in gone
             for _ in range(t.capacity - used[s])]
    free = [j for j in juniors if j not in {h for h, _s in held}]
    return oracle_most_pairs([facts(truth, j) for j in free], [facts(truth, s) for s in slots], do_not_match=forbidden)


def check(workbook: Path, truth: dict[str, Truth], shortlisted: set[str], forbidden: set[tuple[str, str]],
          gone: set[str] = frozenset()) -> list[tuple[str, str]]:
    """The oracle's checks of one pairings workbook; returns its pairs."""
    pairs = [(row["Junior email"], row["Senior email"]) for row in read_sheet(workbook, "Pairings")]
    unmatched = {row["Email"]: row["Code"] for row in read_sheet(workbook, "Unmatched")}
    juniors = [j for j, _s in pairs]
    assert len(juniors) == len(set(juniors)), "a junior is in two pairs"
    assert not set(juniors) & {s for _j, s in pairs}, "someone is paired in both roles"
    for email, facts in truth.items():
        if email in gone:
            assert email not in unmatched and email not in {x for pair in pairs for x in pair}
            continue
        places = juniors.count(email) + (email in {s for _j, s in pairs}) + (email in unmatched)
        assert places == 1, f"{email} is in {places} places"
        if not facts.valid:
            assert unmatched.get(email) == "left-out"
        elif facts.junior and email not in shortlisted:
            assert unmatched.get(email) == "not-shortlisted"
    for junior, senior in pairs:
        assert truth[junior].valid and truth[senior].valid and truth[junior].junior and not truth[senior].junior
        assert allowed(truth, junior, senior, forbidden), (junior, senior)
    for senior, facts in truth.items():
        assert sum(1 for _j, s in pairs if s == senior) <= facts.capacity
    return pairs


@pytest.mark.parametrize("seed", range(int(__import__("os").environ.get("ROUND_SEEDS", 10))))
def test_a_round_holds_together_from_shortlist_to_rematch(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    rows, truth, seniors = people(rng, 8, 14)
    rng.shuffle(rows)
    applications = write_rows(tmp_path / "applications.xlsx", rows)
    juniors = sorted(e for e, t in truth.items() if t.junior)
    forbidden = {(rng.choice(juniors), rng.choice(seniors)) for _ in range(2)}
    exclude = write_rows(tmp_path / "exclude.csv", [{"a": j, "b": s} for j, s in sorted(forbidden)])

    # Shortlist, then match the shortlist.
    shortlist, pairings = tmp_path / "shortlist.xlsx", tmp_path / "pairings.xlsx"
    invoke("shortlist", applications, "--places", "8", "-o", shortlist)
    shortlisted = {row["Email"] for row in read_sheet(shortlist, "Selected")}
    outcome = [row["Email"] for sheet in ("Selected", "Reserve", "Not selected") for row in read_sheet(shortlist, sheet)]
    assert sorted(outcome) == juniors, "every junior once in the shortlist"
    invoke("match", applications, "--shortlist", shortlist, "--exclude", exclude, "-o", pairings)
    first = check(pairings, truth, shortlisted, forbidden)
    assert len(first) == most_pairs(truth, sorted(shortlisted), forbidden)

    # Between the rounds: a withdrawal, resubmissions and a new applicant.
    leaver = rng.choice(sorted({x for pair in first for x in pair}))
    gone = {leaver}
    later: list[dict] = []
    kept_seniors = sorted({s for j, s in first if leaver not in (j, s)})
    kept_juniors = sorted({j for j, s in first if leaver not in (j, s)})
    if kept_seniors:  # a senior cuts their capacity to one
        who = rng.choice(kept_seniors)
        later.append({**next(r for r in rows if r["Email"] == who), "Capacity": 1})
        truth[who] = replace(truth[who], capacity=1)
    if kept_juniors:  # a kept junior re-applies as a senior
        who = rng.choice(kept_juniors)
        later.append({**next(r for r in rows if r["Email"] == who), "Role": "Senior partner", "Grade": "Grade 6",
                      "Barriers": "No", "Capacity": 1})
        truth[who] = replace(truth[who], junior=False, rank=GRADES["Grade 6"], capacity=1)
    if len(kept_juniors) > 1:  # another breaks their application with an unknown grade
        who = next(j for j in kept_juniors if truth[j].junior)
        later.append({**next(r for r in rows if r["Email"] == who), "Grade": "Band B"})
        truth[who] = replace(truth[who], valid=False)
    mover = rng.choice(juniors)
    if truth[mover].valid and truth[mover].junior:  # a junior moves department
        department = rng.choice([d for d in DEPARTMENTS if d != truth[mover].department])
        later.append({**next(r for r in rows if r["Email"] == mover), "Department": department})
        truth[mover] = replace(truth[mover], department=department)
    newcomer, facts = person(rng, 99, True, seniors)
    later.append(newcomer)
    truth[newcomer["Email"]] = facts
    updated = write_rows(tmp_path / "applications-2.xlsx", [*rows, *later])

    after = tmp_path / "after.xlsx"
    invoke("rematch", pairings, "--withdrawn", leaver, "--applications", updated, "-o", after)
    second = check(after, truth, shortlisted, forbidden, gone)
    assert newcomer["Email"] not in {j for j, _s in second}, "a junior off the shortlist is never paired"
    # Pairs that still stand are kept exactly; the rest of the places go to as many pairs as possible.
    standing = [(j, s) for j, s in first if not {j, s} & gone and truth[j].valid and truth[j].junior
                and allowed(truth, j, s, forbidden)]
    kept = [pair for pair in second if pair in standing]
    places = {s: truth[s].capacity for s in truth}
    assert all(sum(1 for _j, s in kept if s == senior) <= places[senior] for senior in places)
    eligible = sorted(j for j in shortlisted if truth[j].valid and truth[j].junior and j not in gone)
    assert len(second) - len(kept) == most_pairs(truth, eligible, forbidden, kept, gone)

    # The recorded round equals the same options given again.
    repeated = tmp_path / "repeated.xlsx"
    invoke("rematch", pairings, "--withdrawn", leaver, "--applications", updated, "--preset", "mutual-2023",
           "--exclude", exclude, "-o", repeated)
    assert sorted(check(repeated, truth, shortlisted, forbidden, gone)) == sorted(second)
