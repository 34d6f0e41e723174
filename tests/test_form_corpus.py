"""A seeded corpus of form exports, spelled as real Microsoft and Google Forms exports and real people write them.

Each of several hundred small rounds (16 to 40 applicants) is generated together with its `Truth`: what a
careful coordinator knows about every applicant (true grade rank, organisation, professions, capacity and
the people they must not be matched with). The round's cells go through the tool in memory
(`Grid` -> `validate_grid` -> `match_validated`, default preset mutual-2023) and the result is checked
against an oracle built only from the truth, never from what the tool read:

1. no pairing breaks a hard rule under the truth (grade gap, organisation, profession, do-not-match,
   capacity, one partner per junior, the right roles);
2. every applicant written only in spellings a coordinator reads unambiguously is accepted, and read as
   the truth (grade rank, capacity, which people share an organisation or a profession);
3. no applicant whose grade answer is ambiguous ("B2", "Band B", "Assistant Economist", a title and grade
   that disagree, an FCDO code outside the FCDO) is paired;
4. the number of pairs is the most the truth allows among the accepted applicants (a max-cardinality
   bipartite matching with each senior expanded into capacity slots, by the shared oracle in conftest); in rounds
   holding near-typo answers ("0NS", "Goverment Statistical Servce"), which the tool may treat cautiously,
   it is at most that;
5. every row is accounted for: paired, or unmatched with a reason (rows left out included).

Do-not-match answers are checked through their outcome (check 1 and the count of check 4), not by how the
tool stores them. A control corpus (`plain=True`: one everyday spelling per answer) runs every check too and
must pass, so a failure of the corpus comes from reading its spellings, not from the oracle or the generator.
Seeds are fixed (`SEEDS`) and checked in chunks, so a failure names each failing seed and row.
"""

from __future__ import annotations

import csv
import functools
import itertools
import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest

from conftest import Facts, HardRules
from conftest import most_pairs as oracle_most_pairs
from mentormatch.config import build_config
from mentormatch.inputs.headers import map_columns
from mentormatch.inputs.reading import Grid, read_grid
from mentormatch.matching.pipeline import MatchResult, match_validated
from mentormatch.validation.checks import ValidationResult, validate_grid

SEEDS = range(300)
CHUNK = 25
CONFIG = build_config({})  # mutual-2023: juniors <= Grade 6 with barriers, seniors >= Grade 7, gap >= 2
MIN_GAP = 2

# --- the truth tables -----------------------------------------------------------------------------------

GRADE_RANK: dict[str, int] = {
    "AA": 1, "AO": 2, "EO": 3, "HEO": 4, "SEO": 5, "G7": 6, "G6": 7,
    "SCS1": 8, "SCS2": 9, "SCS3": 10, "SCS4": 11,
}  # SCS1 Deputy Director, SCS2 Director, SCS3 Director General, SCS4 Permanent Secretary
JUNIOR_GRADES: dict[str, float] = {"EO": 0.2, "HEO": 0.3, "SEO": 0.3, "G7": 0.14, "G6": 0.06}
SENIOR_GRADES: dict[str, float] = {"G7": 0.2, "G6": 0.3, "SCS1": 0.3, "SCS2": 0.15, "SCS3": 0.05}

# Grade answers a coordinator reads as one grade, whatever the department.
GRADE_SPELLINGS: dict[str, tuple[str, ...]] = {
    "EO": ("EO", "Executive Officer"),
    "HEO": ("HEO", "Higher Executive Officer", "H.E.O.", "HEO (or equivalent)", "Research Officer"),
    "SEO": ("SEO", "SEO (Senior Executive Officer)", "Senior Research Officer"),
    "G7": ("Grade 7", "G7", "Grade 7 (G7)", "Gr7", "Grade7", "Economic Adviser", "Principal Research Officer",
           "Economic Adviser (Grade 7)"),
    "G6": ("Grade 6", "G6", "Senior Economic Adviser"),
    "SCS1": ("Deputy Director", "SCS Pay Band 1", "SCS PB1", "SCS1", "SCS 1A", "Senior Civil Service Pay Band 1",
             "SCS Band 1", "Deputy Director (SCS1)"),
    "SCS2": ("Director", "SCS Band 2", "Senior Civil Service Pay Band 2"),
    "SCS3": ("SCS PB 3", "Director General"),
}
# The FCDO's own grade codes: unambiguous only when the person works in the FCDO.
FCDO_GRADE_CODES: dict[str, str] = {
    "A2": "AO", "B3": "EO", "C4": "HEO", "C5": "SEO", "D6": "G7", "D7": "G6", "SMS1": "SCS1", "SMS2": "SCS2",
}
# Grade answers that do not say which grade: the grades of the people who may write them (None: any grade).
AMBIGUOUS_GRADES: dict[str, frozenset[str] | None] = {
    "B2": None,
    "Band B": None,
    "Assistant Economist": frozenset({"HEO", "SEO"}),
    "Economic Adviser (Grade 6)": frozenset({"G7", "G6"}),  # the title says Grade 7, the answer Grade 6
    "D6": None,  # an FCDO code, written by someone outside the FCDO
}

ORGANISATIONS: dict[str, float] = {
    "ONS": 0.16, "HMRC": 0.14, "DfT": 0.1, "DWP": 0.1, "DHSC": 0.12, "DfE": 0.1, "FCDO": 0.1,
    "DoH NI": 0.09, "DE NI": 0.09,  # Northern Ireland departments: not their GB namesakes
}
DEPARTMENT_SPELLINGS: dict[str, tuple[str, ...]] = {
    "ONS": ("ONS", "Office for National Statistics", "Office for National Statistics (ONS)"),
    "HMRC": ("HMRC", "HM Revenue and Customs", "HMRC - HM Revenue and Customs"),
    "DfT": ("DfT", "Department for Transport"),
    "DWP": ("DWP", "Department for Work and Pensions"),
    "DHSC": ("DHSC", "Department of Health and Social Care"),
    "DfE": ("DfE", "Department for Education"),
    "FCDO": ("FCDO", "Foreign, Commonwealth and Development Office"),
    "DoH NI": ("Department of Health NI", "Department of Health (Northern Ireland)"),
    "DE NI": ("Department of Education (Northern Ireland)", "Department of Education NI"),
}
# Look-alike characters pasted into an answer: still the organisation (the tool may warn).
LOOKALIKE_DEPARTMENTS: dict[str, tuple[str, ...]] = {
    "ONS": ("\u041eNS",  # Cyrillic capital O
            "\uff2f\uff2e\uff33"),  # full-width ONS
    "HMRC": ("HMR\u0421",),  # Cyrillic capital Es
}
# A typo away from a name: the tool may block what it is unsure of, but must never break a rule.
NEAR_TYPO_DEPARTMENTS: dict[str, tuple[str, ...]] = {"ONS": ("0NS", "Offce for National Statistics")}
NEAR_TYPO_PROFESSIONS: dict[str, tuple[str, ...]] = {"Statistics": ("Goverment Statistical Servce",)}

PROFESSION_SPELLINGS: dict[str, tuple[str, ...]] = {
    "Statistics": ("GSS", "Government Statistical Service", "Statistics"),
    "Economics": ("GES", "Government Economic Service", "Economist"),
    "Social research": ("GSR", "Government Social Research"),
    "Operational research": ("GORS",),
    "Policy": ("Policy", "Policy Profession"),
    "Finance": ("Finance", "Government Finance Function", "Finance Profession"),
    "HR": ("HR", "Human Resources (HR)", "Human Resources"),
    "DDaT": ("DDaT", "Digital, Data and Technology (DDaT)", "Digital, Data and Technology"),
    "Communications": ("GCS", "Government Communication Service", "Communications"),
    "Operational delivery": ("Operational Delivery", "Operational Delivery Profession"),
    "Project delivery": ("Project Delivery", "Project Delivery Profession"),
    "Commercial": ("Commercial", "Government Commercial Function"),
}
CAPACITY_SPELLINGS: dict[int, tuple[object, ...]] = {
    1: (None, "", "1", 1, "1 (one)"),  # blank is the default, one partner
    2: ("2", 2, "two", "2 partners", "Up to 2", "Two (2)", "1-2", "1 or 2"),  # a range means its top
}
NOBODY: tuple[object, ...] = ("N/A", "None", "", None)

# Do-not-match answers naming one person ({e} email, {n} full name, {f} first, {l} last name) or two.
ONE_EXCLUSION = (
    "{e}", "{n} ({e})", "{e} (line manager)", "Email: {e}", "{l}, {f} <{e}>",
    "Please do not match me with my manager {e}, thanks", "{n}",  # a name alone: unique in the round
)
TWO_EXCLUSIONS = (
    "{e}; {e2}", "{e} (line manager)\n{e2} (works in my team)", "{e} - my manager\n{e2} - a close colleague",
)
# Each field's header as the template writes it, then the form-question wordings the column mapper knows.
HEADERS: dict[str, tuple[str, ...]] = {
    "email": ("Email", "Email address", "Work email"),
    "name": ("Name", "Full name"),
    "role": ("Role", "Which role are you applying for?"),
    "grade": ("Grade", "What is your grade?"),
    "department": ("Department", "Which department do you work in?"),
    "profession": ("Profession", "What is your profession (or main area of work)?"),
    "barriers": ("Barriers", "Barriers to progression"),
    "eoi": ("Expression of interest", "EOI"),
    "aims": ("Development aims", "What would you like to focus on?"),
    "capacity": ("Capacity", "How many partners could you take on?"),
    "do_not_match": ("Do not match with", "Is there anyone you should not be matched with?"),
}
FIRST_NAMES = (
    "Aisha", "Ben", "Chloe", "Dev", "Eilidh", "Femi", "Grace", "Harpreet", "Ioan", "Jane", "Kwame", "Laura",
    "Mohammed", "Niamh", "Oliver", "Priya", "Qasim", "Rhiannon", "Sam", "Tomasz", "Uma", "Victor", "Wen",
    "Yusuf", "Zara", "Ciaran", "Siobhan", "Amara", "Dylan", "Fatima", "Gareth", "Hana", "Imran", "Joanna",
    "Kofi", "Lucy", "Marek", "Nadia", "Owen", "Ruth",
)
LAST_NAMES = (
    "Smith", "Jones", "Patel", "Khan", "O'Brien", "Williams", "Nguyen", "Campbell", "Okafor", "Evans",
    "Hughes", "Begum", "Murphy", "Kowalski", "Taylor", "Ahmed", "MacDonald", "Singh", "Davies", "Clarke",
    "Brown", "Ali", "Thomas", "Mensah", "Wright", "Chen", "Robinson", "Hussain", "Walker", "Lewis",
    "Morgan", "Quinn", "Edwards", "Shah", "Price", "Kelly", "Scott", "Owusu", "Baker", "Smith-Jones",
)
EOIS = (
    "I would like to learn how senior leaders make decisions.",
    "I want to understand how policy is shaped at the top of a department.",
    "Mentoring would help me plan the next step in my career.",
    "I hope to build confidence in presenting analysis to senior colleagues.",
    "Happy to share what I have learnt and to learn in return.",
    "I want to hear about barriers colleagues face and help remove them.",
)
AIMS = ("Leadership; Wellbeing", "Career planning", "Influencing; Networking", "Leadership", "")

CLEAR, AMBIGUOUS, NEAR = "clear", "ambiguous grade", "near typo"

# The control corpus (`plain=True`): one everyday spelling per value, which the tool has long read; only band
# codes as ambiguous grades, no look-alikes, no near typos. Every check must pass on it, whatever the spellings
# above do: it shows a failure of the corpus comes from reading, not from the oracle or the generator.
PLAIN_GRADES: dict[str, str] = {
    "EO": "EO", "HEO": "HEO", "SEO": "SEO", "G7": "Grade 7", "G6": "Grade 6",
    "SCS1": "Deputy Director", "SCS2": "Director", "SCS3": "Director General",
}
PLAIN_AMBIGUOUS_GRADES = ("B2", "Band B", "D6")
PLAIN_DEPARTMENTS: dict[str, str] = {
    "ONS": "ONS", "HMRC": "HMRC", "DfT": "DfT", "DWP": "DWP", "DHSC": "DHSC", "DfE": "DfE", "FCDO": "FCDO",
    "DoH NI": "Department of Health (Northern Ireland)", "DE NI": "Department of Education (Northern Ireland)",
}
PLAIN_PROFESSIONS: dict[str, str] = {
    "Statistics": "GSS", "Economics": "GES", "Social research": "GSR", "Operational research": "GORS",
    "Policy": "Policy", "Finance": "Finance", "HR": "HR", "DDaT": "DDaT", "Communications": "GCS",
    "Operational delivery": "Operational Delivery", "Project delivery": "Project Delivery",
    "Commercial": "Commercial",
}


@dataclass(frozen=True)
class Truth:
    """What a careful coordinator knows about one applicant, and what the form row says."""

    row: int  # Excel row: the header is row 1
    email: str
    name: str
    role: str  # "junior" or "senior"
    grade: str  # a GRADE_RANK key
    organisation: str
    professions: frozenset[str]
    capacity: int
    avoid: frozenset[str]  # emails of the people this applicant must not be matched with
    kind: str  # CLEAR: only unambiguous spellings; AMBIGUOUS: the grade answer; NEAR: a near-typo answer
    written: dict[str, object] = field(compare=False, hash=False)  # field -> cell as written

    @property
    def rank(self) -> int:
        """Rank on the grade ladder (AA 1 ... Permanent Secretary 11)."""
        return GRADE_RANK[self.grade]


@dataclass(frozen=True)
class Round:
    """One generated form export and the truth about every row."""

    seed: int
    headers: list[str]
    rows: list[list[object]]
    people: list[Truth]

    @property
    def has_near_typos(self) -> bool:
        """True when some answer is a typo away from a name (the tool may then block more than it must)."""
        return any(p.kind == NEAR for p in self.people)

    def by_row(self) -> dict[int, Truth]:
        """The truth of each Excel row."""
        return {p.row: p for p in self.people}


# --- the oracle -----------------------------------------------------------------------------------------


def broken_rules(junior: Truth, senior: Truth) -> list[str]:
    """The hard rules a junior-senior pair breaks under the truth (empty: the pair is allowed)."""
    broken = []
    if junior.role != "junior" or senior.role != "senior":
        broken.append(f"roles are {junior.role} + {senior.role}")
    if senior.rank - junior.rank < MIN_GAP:
        broken.append(f"grade gap {senior.grade} - {junior.grade} is under {MIN_GAP}")
    if junior.organisation == senior.organisation:
        broken.append(f"both work in {junior.organisation}")
    if shared := junior.professions & senior.professions:
        broken.append(f"both are in {', '.join(sorted(shared))}")
    if senior.email in junior.avoid:
        broken.append("the junior asked not to be matched with the senior")
    if junior.email in senior.avoid:
        broken.append("the senior asked not to be matched with the junior")
    return broken


def most_pairs(juniors: Sequence[Truth], seniors: Sequence[Truth]) -> int:
    """The most pairs the truth allows, by the shared oracle (each senior once per place); roles are checked here."""
    def facts(person: Truth) -> Facts:
        return Facts(person.email, person.rank, person.organisation, person.professions, person.avoid)

    assert all(j.role == "junior" for j in juniors) and all(s.role == "senior" for s in seniors)
    return oracle_most_pairs([facts(j) for j in juniors], [facts(s) for s in seniors for _ in range(s.capacity)],
                             HardRules(min_gap=MIN_GAP))


# --- the generator --------------------------------------------------------------------------------------


@dataclass
class _Draft:
    role: str
    grade: str
    organisation: str
    professions: list[str]
    capacity: int
    kind: str
    first: str = ""
    last: str = ""
    email: str = ""
    row: int = 0
    avoid: list[_Draft] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"


def _weighted(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _compatible(a: _Draft, b: _Draft) -> bool:
    """Grade gap, organisation and profession allow the pair (do-not-match lists aside)."""
    junior, senior = (a, b) if a.role == "junior" else (b, a)
    return (GRADE_RANK[senior.grade] - GRADE_RANK[junior.grade] >= MIN_GAP
            and junior.organisation != senior.organisation and not set(junior.professions) & set(senior.professions))


def _grade_answer(rng: random.Random, person: _Draft, plain: bool) -> str:
    if plain:
        if person.kind == AMBIGUOUS:
            return rng.choice([s for s in PLAIN_AMBIGUOUS_GRADES if not (s == "D6" and person.organisation == "FCDO")])
        return PLAIN_GRADES[person.grade]
    if person.kind == AMBIGUOUS:
        choices = [s for s, grades in AMBIGUOUS_GRADES.items() if (grades is None or person.grade in grades)
                   and not (s == "D6" and person.organisation == "FCDO")]
        return rng.choice(choices)
    codes = [c for c, g in FCDO_GRADE_CODES.items() if g == person.grade]
    if person.organisation == "FCDO" and codes and rng.random() < 0.5:
        return rng.choice(codes)
    return rng.choice(GRADE_SPELLINGS[person.grade])


def _department_answer(rng: random.Random, person: _Draft, typo: bool, plain: bool) -> str:
    if plain:
        return PLAIN_DEPARTMENTS[person.organisation]
    if typo:
        return rng.choice(NEAR_TYPO_DEPARTMENTS[person.organisation])
    if person.organisation in LOOKALIKE_DEPARTMENTS and rng.random() < 0.15:
        return rng.choice(LOOKALIKE_DEPARTMENTS[person.organisation])
    return rng.choice(DEPARTMENT_SPELLINGS[person.organisation])


def _profession_answer(rng: random.Random, person: _Draft, typo: bool, microsoft: bool, plain: bool) -> str:
    spelled = [PLAIN_PROFESSIONS[p] if plain
               else rng.choice(NEAR_TYPO_PROFESSIONS[p]) if typo and p in NEAR_TYPO_PROFESSIONS
               else rng.choice(PROFESSION_SPELLINGS[p]) for p in person.professions]
    return "".join(f"{s};" for s in spelled) if microsoft else "; ".join(spelled)


def _exclusion_answer(rng: random.Random, person: _Draft, plain: bool) -> object:
    if not person.avoid:
        return rng.choice(NOBODY)
    if plain:
        return "; ".join(d.email for d in person.avoid)
    first = person.avoid[0]
    slots = {"e": first.email, "n": first.name, "f": first.first, "l": first.last}
    if len(person.avoid) == 2:
        return rng.choice(TWO_EXCLUSIONS).format(e2=person.avoid[1].email, **slots)
    return rng.choice(ONE_EXCLUSION).format(**slots)


def _capacity_answer(rng: random.Random, person: _Draft, plain: bool) -> object:
    if person.role != "senior":
        return None
    return str(person.capacity) if plain else rng.choice(CAPACITY_SPELLINGS[person.capacity])


def generate_round(seed: int, *, plain: bool = False) -> Round:
    """A form export of 16-40 applications with the truth about each; the same seed gives the same round.

    `plain`: the control corpus, every answer in its one everyday spelling (see PLAIN_GRADES).
    """
    rng = random.Random(seed)
    size = rng.randint(16, 40)
    n_juniors = round(size * rng.uniform(0.5, 0.65))
    drafts = []
    for index in range(size):
        role = "junior" if index < n_juniors else "senior"
        grade = _weighted(rng, JUNIOR_GRADES if role == "junior" else SENIOR_GRADES)
        professions = rng.sample(list(PROFESSION_SPELLINGS), 2 if rng.random() < 0.3 else 1)
        capacity = (2 if rng.random() < 0.4 else 1) if role == "senior" else 1
        drafts.append(_Draft(role, grade, _weighted(rng, ORGANISATIONS), professions, capacity, CLEAR))
    # A few ambiguous grades in most rounds; near-typo answers in about one round in four.
    for person in rng.sample(drafts, rng.choice([0, 0, 1, 1, 2, 3])):
        person.kind = AMBIGUOUS
    typo_department: set[int] = set()
    if not plain and rng.random() < 0.25:
        for person in rng.sample([d for d in drafts if d.kind == CLEAR], rng.randint(1, 2)):
            person.kind = NEAR
            if rng.random() < 0.5:
                person.organisation = "ONS"
                typo_department.add(id(person))
            elif "Statistics" not in person.professions:
                person.professions = ["Statistics", *person.professions[:1]]
    rng.shuffle(drafts)
    names = rng.sample(list(itertools.product(FIRST_NAMES, LAST_NAMES)), size)
    counters = Counter[str]()
    for row, (person, (first, last)) in enumerate(zip(drafts, names, strict=True), start=2):
        counters[person.role] += 1
        person.first, person.last, person.row = first, last, row
        person.email = f"{person.role[0]}{counters[person.role]}.r{seed}@example.gov.uk"
    for person in drafts:
        wanted = 0 if rng.random() < 0.78 else 1 if rng.random() < 0.75 else 2
        others = [d for d in drafts if d.role != person.role]
        liked = [d for d in others if _compatible(person, d)]  # the people they might otherwise be paired with
        pool = liked if len(liked) >= wanted else others
        person.avoid = rng.sample(pool, min(wanted, len(pool)))

    microsoft = rng.random() < 0.4
    google = not microsoft and rng.random() < 0.3
    fields = list(HEADERS)
    headers = [rng.choice(HEADERS[f]) if rng.random() < 0.35 else HEADERS[f][0] for f in fields]
    prefix = ["ID", "Start time", "Completion time"] if microsoft else ["Timestamp"] if google else []
    rows, people = [], []
    for person in sorted(drafts, key=lambda d: d.row):
        typo = person.kind == NEAR
        written: dict[str, object] = {
            "email": person.email,
            "name": person.name,
            "role": "Junior partner" if person.role == "junior" else "Senior partner",
            "grade": _grade_answer(rng, person, plain),
            "department": _department_answer(rng, person, typo and id(person) in typo_department, plain),
            "profession": _profession_answer(rng, person, typo and id(person) not in typo_department, microsoft,
                                             plain),
            "barriers": "Yes" if person.role == "junior" else rng.choice(["No", None]),
            "eoi": rng.choice(EOIS),
            "aims": rng.choice(AIMS),
            "capacity": _capacity_answer(rng, person, plain),
            "do_not_match": _exclusion_answer(rng, person, plain),
        }
        stamp = f"2024-03-{1 + person.row % 28:02d} 09:{person.row % 60:02d}:{seed % 60:02d}"
        front: list[object] = [person.row - 1, stamp, stamp] if microsoft else [stamp] if google else []
        rows.append([*front, *(written[f] for f in fields)])
        people.append(Truth(person.row, person.email, person.name, person.role, person.grade, person.organisation,
                            frozenset(person.professions), person.capacity, frozenset(d.email for d in person.avoid),
                            person.kind, written))
    return Round(seed, [*prefix, *headers], rows, people)


# --- running the tool -----------------------------------------------------------------------------------


@dataclass
class Played:
    """A round as the tool saw it: validation and matching, or the exception that stopped them."""

    round: Round
    validation: ValidationResult | None = None
    result: MatchResult | None = None
    crash: str = ""


def grid_of(round_: Round, *, as_text: bool = False) -> Grid:
    """The round as the grid a reader gives: typed cells, or (`as_text`) every cell a string, as from a CSV."""
    table = [round_.headers, *round_.rows]
    if as_text:
        table = [["" if c is None else str(c) for c in line] for line in table]
        return Grid(Path("form.csv"), "", table)
    return Grid(Path("form.xlsx"), "Form1", table)


@functools.cache
def played(seed: int, plain: bool = False) -> Played:
    """Generate, validate and match one round (once per test session)."""
    round_ = generate_round(seed, plain=plain)
    outcome = Played(round_)
    try:
        outcome.validation = validate_grid(grid_of(round_), CONFIG)
        outcome.result = match_validated(outcome.validation, CONFIG)
    except Exception as exc:  # reported as the seed's failure, not as an error of the whole chunk
        outcome.crash = f"{type(exc).__name__}: {exc}"
    return outcome


def chunks() -> list[range]:
    """SEEDS in runs of CHUNK."""
    return [SEEDS[i:i + CHUNK] for i in range(0, len(SEEDS), CHUNK)]


def _chunk_id(seeds: range) -> str:
    return f"seeds-{seeds[0]:03d}-{seeds[-1]:03d}"


def _describe(person: Truth) -> str:
    return f"row {person.row} ({person.role} {person.email})"


def _problems_at(validation: ValidationResult, row: int) -> str:
    found = [f"{p.code}[{p.severity}] {p.column}={p.value!r}" for p in validation.problems if p.row == row]
    return "; ".join(found) or "no problems reported"


def check_chunk(seeds: Sequence[int], check: Callable[[Played], list[str]], *, plain: bool = False) -> None:
    """Run `check` on every round of the chunk; fail once, listing every seed's failures."""
    failures = []
    for seed in seeds:
        outcome = played(seed, plain)
        found = [f"tool crashed: {outcome.crash}"] if outcome.crash else check(outcome)
        failures += [f"seed {seed}: {line}" for line in found]
    if failures:
        shown = failures[:40]
        more = f"\n... and {len(failures) - len(shown)} more" if len(failures) > len(shown) else ""
        pytest.fail(f"{len(failures)} failure(s) in seeds {seeds[0]}-{seeds[-1]}:\n" + "\n".join(shown) + more, pytrace=False)


def _accepted_rows(validation: ValidationResult) -> set[int]:
    return {a.row for a in validation.applicants}


# --- the checks ------------------------------------------------------------------------------------------


def pairs_breaking_rules(outcome: Played) -> list[str]:
    """Every pairing that breaks a hard rule under the truth, a senior over capacity, a junior paired twice."""
    assert outcome.result is not None
    truth = outcome.round.by_row()
    found = []
    juniors: Counter[int] = Counter()
    seniors: Counter[int] = Counter()
    for pairing in outcome.result.pairings:
        junior, senior = truth.get(pairing.junior.row), truth.get(pairing.senior.row)
        if junior is None or senior is None or junior.email != pairing.junior.email \
                or senior.email != pairing.senior.email:
            found.append(f"pairing {pairing.junior.email} + {pairing.senior.email} is not of two generated rows")
            continue
        juniors[junior.row] += 1
        seniors[senior.row] += 1
        for rule in broken_rules(junior, senior):
            found.append(f"{_describe(junior)} + {_describe(senior)}: {rule} "
                         f"(written {junior.written} / {senior.written})")
    for row, n in juniors.items():
        if n > 1:
            found.append(f"junior {_describe(truth[row])} is paired {n} times")
    for row, n in seniors.items():
        if n > truth[row].capacity:
            found.append(f"senior {_describe(truth[row])} has {n} partners, capacity {truth[row].capacity} "
                         f"(written {truth[row].written['capacity']!r})")
    return found


def clear_rows_refused(outcome: Played) -> list[str]:
    """Every row written only in unambiguous spellings that the tool left out, with its problems."""
    assert outcome.validation is not None
    accepted = _accepted_rows(outcome.validation)
    excluded = {u.row for u in outcome.validation.left_out}
    return [f"{_describe(p)} refused: {_problems_at(outcome.validation, p.row)} (written "
            f"{ {k: v for k, v in p.written.items() if k not in ('eoi', 'aims', 'name')} })"
            for p in outcome.round.people
            if p.kind == CLEAR and (p.row not in accepted or p.row in excluded)]


def clear_rows_misread(outcome: Played) -> list[str]:
    """Accepted clear rows whose grade rank or capacity is not the truth, or whose organisation and
    professions are not told apart (or together) as the truth does, for every two accepted clear rows.

    Near-typo rows are not compared: the tool may read them cautiously, which the rule check covers.
    """
    assert outcome.validation is not None
    truth = outcome.round.by_row()
    read = [(truth[a.row], a) for a in outcome.validation.applicants if a.row in truth and truth[a.row].kind == CLEAR]
    found = []
    for person, applicant in read:
        if applicant.rank != person.rank:
            found.append(f"{_describe(person)}: grade {person.written['grade']!r} read as {applicant.grade_label} "
                         f"(rank {applicant.rank}), truth {person.grade} (rank {person.rank})")
        if applicant.capacity != person.capacity:
            found.append(f"{_describe(person)}: capacity {person.written['capacity']!r} read as "
                         f"{applicant.capacity}, truth {person.capacity}")
    told: set[tuple[str, frozenset[object]]] = set()  # each two spellings once per round
    for (a, read_a), (b, read_b) in itertools.combinations(read, 2):
        same, read_same = a.organisation == b.organisation, read_a.department == read_b.department
        spellings = ("org", frozenset([a.written["department"], b.written["department"]]))
        if same != read_same and spellings not in told:
            told.add(spellings)
            found.append(f"departments {a.written['department']!r} (read {read_a.department!r}) and "
                         f"{b.written['department']!r} (read {read_b.department!r}) read as "
                         f"{'the same' if read_same else 'different'} organisation(s), truth "
                         f"{a.organisation} / {b.organisation}")
        shares = bool(a.professions & b.professions)
        read_shares = bool(set(read_a.professions) & set(read_b.professions))
        spellings = ("prof", frozenset([a.written["profession"], b.written["profession"]]))
        if shares != read_shares and spellings not in told:
            told.add(spellings)
            found.append(f"professions {a.written['profession']!r} (read {read_a.professions}) and "
                         f"{b.written['profession']!r} (read {read_b.professions}) read as "
                         f"{'sharing' if read_shares else 'not sharing'} a profession, truth "
                         f"{sorted(a.professions)} / {sorted(b.professions)}")
    return found


def ambiguous_rows_paired(outcome: Played) -> list[str]:
    """Every row with an ambiguous grade answer that the tool paired (it must leave them out, never guess)."""
    assert outcome.result is not None
    truth = outcome.round.by_row()
    paired = {p.junior.row for p in outcome.result.pairings} | {p.senior.row for p in outcome.result.pairings}
    return [f"{_describe(truth[row])} with grade {truth[row].written['grade']!r} was paired"
            for row in sorted(paired) if row in truth and truth[row].kind == AMBIGUOUS]


def pair_count_off(outcome: Played) -> list[str]:
    """The pair count against the most the truth allows among accepted rows (ambiguous grades left aside)."""
    assert outcome.result is not None and outcome.validation is not None
    round_ = outcome.round
    accepted = _accepted_rows(outcome.validation)
    pool = [p for p in round_.people if p.row in accepted and p.kind != AMBIGUOUS]
    best = most_pairs([p for p in pool if p.role == "junior"], [p for p in pool if p.role == "senior"])
    made = len(outcome.result.pairings)
    if round_.has_near_typos:
        return [] if made <= best else [f"{made} pairs, over the {best} the truth allows (near-typo round)"]
    return [] if made == best else [f"{made} pairs, the truth allows {best} among the {len(pool)} accepted rows"]


def rows_unaccounted(outcome: Played) -> list[str]:
    """Rows that are not exactly one of: paired, or unmatched (left-out rows included) with a reason."""
    assert outcome.result is not None and outcome.validation is not None
    result = outcome.result
    rows = set(range(2, len(outcome.round.rows) + 2))
    paired = [p.junior.row for p in result.pairings] + [p.senior.row for p in result.pairings]
    unmatched = [u.row for u in result.unmatched]
    found = [f"row {u.row} unmatched without a reason" for u in result.unmatched if not u.reason.strip()]
    found += [f"row {row} is both paired and unmatched" for row in set(paired) & set(unmatched)]
    found += [f"row {row} is unmatched {n} times" for row, n in Counter(unmatched).items() if n > 1]
    found += [f"row {row} left out but not in the unmatched list" for row in
              {u.row for u in outcome.validation.left_out} - set(unmatched)]
    superseded = {u.row for u in outcome.validation.superseded}
    found += [f"row {row} superseded, though every email is unique" for row in sorted(superseded)]
    seen = set(paired) | set(unmatched)
    found += [f"row {row} is neither paired nor unmatched" for row in sorted(rows - seen)]
    found += [f"row {row} is not a generated row" for row in sorted(seen - rows)]
    return found


# --- the corpus, seed by seed ---------------------------------------------------------------------------


@pytest.mark.parametrize("seeds", chunks(), ids=_chunk_id)
def test_no_pair_breaks_a_rule_under_the_truth(seeds: range) -> None:
    """Every pair keeps a gap of 2+ grades, different true organisations, no shared true profession,
    neither on the other's do-not-match list; no senior over their true capacity; no junior twice."""
    check_chunk(seeds, pairs_breaking_rules)


@pytest.mark.parametrize("seeds", chunks(), ids=_chunk_id)
def test_clearly_written_rows_are_accepted(seeds: range) -> None:
    """A row written only in spellings a careful coordinator reads unambiguously is never left out."""
    check_chunk(seeds, clear_rows_refused)


@pytest.mark.parametrize("seeds", chunks(), ids=_chunk_id)
def test_clearly_written_rows_are_read_as_the_truth(seeds: range) -> None:
    """An accepted clear row has its true grade rank and capacity, and shares an organisation or a profession
    with another accepted clear row exactly when the truth says so."""
    check_chunk(seeds, clear_rows_misread)


@pytest.mark.parametrize("seeds", chunks(), ids=_chunk_id)
def test_ambiguous_grades_are_never_paired(seeds: range) -> None:
    """'B2', 'Band B', 'Assistant Economist', 'Economic Adviser (Grade 6)', 'D6' outside the FCDO: never paired."""
    check_chunk(seeds, ambiguous_rows_paired)


@pytest.mark.parametrize("seeds", chunks(), ids=_chunk_id)
def test_pair_count_is_the_most_the_truth_allows(seeds: range) -> None:
    """As many pairs as a max-cardinality matching under the truth (at most that where near typos are)."""
    check_chunk(seeds, pair_count_off)


@pytest.mark.parametrize("seeds", chunks(), ids=_chunk_id)
def test_every_row_is_accounted_for(seeds: range) -> None:
    """Each generated row ends paired, or unmatched with a reason (rows left out among them), exactly once."""
    check_chunk(seeds, rows_unaccounted)


# --- focused tests ---------------------------------------------------------------------------------------


CHECKS: dict[str, Callable[[Played], list[str]]] = {
    "rules": pairs_breaking_rules, "accepted": clear_rows_refused, "read": clear_rows_misread,
    "ambiguous": ambiguous_rows_paired, "count": pair_count_off, "accounted": rows_unaccounted,
}


@pytest.mark.parametrize("check", CHECKS)
def test_every_check_passes_on_the_plain_control_corpus(check: str) -> None:
    """The same generator and oracle with one everyday spelling per answer ('HEO', 'Grade 7', 'ONS', 'GSS',
    plain emails): every check passes, so the corpus's failures come from reading its spellings."""
    check_chunk(SEEDS[::5], CHECKS[check], plain=True)


@pytest.mark.parametrize("seed", [0, 7, 42, 101, 299])
def test_grid_of_csv_style_strings_reads_like_the_typed_grid(seed: int) -> None:
    """Every cell a string (blank as ''), as a CSV reader gives them: the same rows accepted, read the same
    way, and as many pairs, as from the typed cells."""
    typed = played(seed)
    assert not typed.crash, typed.crash
    assert typed.validation is not None and typed.result is not None
    validation = validate_grid(grid_of(typed.round, as_text=True), CONFIG)
    result = match_validated(validation, CONFIG)

    def reading(v: ValidationResult) -> list[tuple[object, ...]]:
        return [(a.row, a.email, a.role, a.grade, a.department, a.professions, a.capacity, a.do_not_match)
                for a in sorted(v.applicants, key=lambda a: a.row)]

    assert reading(validation) == reading(typed.validation), f"seed {seed}"
    assert [u.row for u in validation.left_out] == [u.row for u in typed.validation.left_out], f"seed {seed}"
    assert len(result.pairings) == len(typed.result.pairings), f"seed {seed}"


@pytest.mark.parametrize("seed", [3, 150])
def test_csv_file_of_a_round_reads_back_as_its_strings(seed: int, tmp_path: Path) -> None:
    """A round written as a UTF-8 CSV (as Forms exports it) reads back cell for cell as the CSV-style grid."""
    round_ = generate_round(seed)
    expected = grid_of(round_, as_text=True).rows
    path = tmp_path / "form.csv"
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        csv.writer(handle).writerows(expected)
    assert read_grid(path).rows == expected, f"seed {seed}"


def test_every_header_wording_is_mapped_to_its_field() -> None:
    """The generator's header wordings are ones the column mapper recognises (else the corpus tests the headers)."""
    for choice in range(max(len(v) for v in HEADERS.values())):
        headers = [v[min(choice, len(v) - 1)] for v in HEADERS.values()]
        for prefix in ([], ["ID", "Start time", "Completion time"], ["Timestamp"]):
            columns = map_columns(Grid(Path("form.xlsx"), "Form1", [[*prefix, *headers]]), {})
            assert {f: columns.headers[i] for f, i in columns.index.items() if f in HEADERS} == dict(
                zip(HEADERS, headers, strict=True)), (prefix, headers)


def test_generator_is_deterministic_and_well_formed() -> None:
    """The same seed gives the same round; every round keeps the generator's promises, which the oracle relies on:
    unique emails and names, grades within each role's range, FCDO codes only for the FCDO, do-not-match names of
    the other role only, and, over the corpus, every listed spelling used at least once."""
    assert generate_round(5) == generate_round(5)
    used: dict[str, set[object]] = {"grade": set(), "department": set(), "profession": set(), "capacity": set()}
    for seed in SEEDS:
        round_ = generate_round(seed)
        people = round_.people
        assert 16 <= len(people) <= 40
        assert [p.row for p in people] == list(range(2, len(people) + 2))
        assert len({p.email for p in people}) == len(people) and len({p.name for p in people}) == len(people)
        role_of = {p.email: p.role for p in people}
        for p in people:
            assert p.grade in (JUNIOR_GRADES if p.role == "junior" else SENIOR_GRADES), (seed, p)
            assert all(role_of[e] != p.role for e in p.avoid), (seed, p)
            assert len(p.avoid) <= 2 and p.capacity in (1, 2) and (p.role == "senior" or p.capacity == 1)
            grade = p.written["grade"]
            if p.kind == AMBIGUOUS:
                assert grade in AMBIGUOUS_GRADES and not (grade == "D6" and p.organisation == "FCDO"), (seed, p)
            elif grade in FCDO_GRADE_CODES and grade not in GRADE_SPELLINGS.get(p.grade, ()):
                assert p.organisation == "FCDO" and FCDO_GRADE_CODES[str(grade)] == p.grade, (seed, p)
            else:
                assert grade in GRADE_SPELLINGS[p.grade], (seed, p)
            if p.kind != NEAR:
                spellings = DEPARTMENT_SPELLINGS[p.organisation] + LOOKALIKE_DEPARTMENTS.get(p.organisation, ())
                assert p.written["department"] in spellings, (seed, p)
            written = str(p.written["do_not_match"] or "")
            for email in p.avoid:  # every person avoided is named, by email or by their unique name
                named = next(q for q in people if q.email == email)
                assert email in written or written == named.name, (seed, p)
            used["grade"].add(grade)
            used["department"].add(p.written["department"])
            used["profession"].update(s.strip() for s in str(p.written["profession"]).split(";") if s.strip())
            used["capacity"].add(p.written["capacity"] if p.role == "senior" else "junior")
    listed_grades = {s for v in GRADE_SPELLINGS.values() for s in v} | set(AMBIGUOUS_GRADES)
    listed_grades |= {c for c, g in FCDO_GRADE_CODES.items() if g in JUNIOR_GRADES or g in SENIOR_GRADES}
    assert listed_grades <= used["grade"], listed_grades - used["grade"]
    listed_departments = {s for table in (DEPARTMENT_SPELLINGS, LOOKALIKE_DEPARTMENTS, NEAR_TYPO_DEPARTMENTS)
                          for v in table.values() for s in v}
    assert listed_departments <= used["department"], listed_departments - used["department"]
    listed_professions = {s for table in (PROFESSION_SPELLINGS, NEAR_TYPO_PROFESSIONS)
                          for v in table.values() for s in v}
    assert listed_professions <= used["profession"], listed_professions - used["profession"]
    listed_capacities = {s for v in CAPACITY_SPELLINGS.values() for s in v}
    assert listed_capacities <= used["capacity"], listed_capacities - used["capacity"]


def test_truth_tables_are_encoded_as_specified() -> None:
    """Spot checks of the tables against the ladder and the FCDO's codes, and that no spelling names two things."""
    assert [GRADE_RANK[c] for c in ("AA", "AO", "EO", "HEO", "SEO", "G7", "G6", "SCS1", "SCS2", "SCS3", "SCS4")] \
        == list(range(1, 12))
    assert FCDO_GRADE_CODES == {"A2": "AO", "B3": "EO", "C4": "HEO", "C5": "SEO", "D6": "G7", "D7": "G6",
                                "SMS1": "SCS1", "SMS2": "SCS2"}
    assert "Economic Adviser" in GRADE_SPELLINGS["G7"] and "Senior Economic Adviser" in GRADE_SPELLINGS["G6"]
    assert "Research Officer" in GRADE_SPELLINGS["HEO"] and "Senior Research Officer" in GRADE_SPELLINGS["SEO"]
    assert "Principal Research Officer" in GRADE_SPELLINGS["G7"] and "SCS Band 2" in GRADE_SPELLINGS["SCS2"]
    for table in (GRADE_SPELLINGS, DEPARTMENT_SPELLINGS, PROFESSION_SPELLINGS, LOOKALIKE_DEPARTMENTS):
        owners = Counter(s for v in table.values() for s in v)
        assert all(n == 1 for n in owners.values()), owners.most_common(3)
    unambiguous = {s for v in GRADE_SPELLINGS.values() for s in v}
    assert not unambiguous & set(AMBIGUOUS_GRADES) and not unambiguous & set(FCDO_GRADE_CODES)
    assert "\u041e" in LOOKALIKE_DEPARTMENTS["ONS"][0] and "\u0421" in LOOKALIKE_DEPARTMENTS["HMRC"][0]
    assert LOOKALIKE_DEPARTMENTS["ONS"][1] == "ＯＮＳ"
    assert set(ORGANISATIONS) == set(DEPARTMENT_SPELLINGS)


def _brute_force_pairs(juniors: list[Truth], seniors: list[Truth]) -> int:
    """The most pairs by trying every assignment of each junior to a senior or to nobody (tiny rounds only)."""
    best = 0
    for choice in itertools.product([None, *range(len(seniors))], repeat=len(juniors)):
        taken = Counter(c for c in choice if c is not None)
        if all(taken[s] <= seniors[s].capacity for s in taken) and all(
                c is None or not broken_rules(j, seniors[c]) for j, c in zip(juniors, choice, strict=True)):
            best = max(best, sum(taken.values()))
    return best


def test_the_oracle_agrees_with_brute_force() -> None:
    """most_pairs (capacity slots + Kuhn) equals an exhaustive search on small random rounds, and
    broken_rules names each rule it is given a reason to."""
    rng = random.Random(2024)
    for trial in range(200):
        people = []
        for k in range(rng.randint(2, 7)):
            role = rng.choice(["junior", "senior"])
            people.append(Truth(k + 2, f"p{k}@example.gov.uk", f"P {k}", role,
                                _weighted(rng, JUNIOR_GRADES if role == "junior" else SENIOR_GRADES),
                                rng.choice(["ONS", "HMRC", "DoH NI", "DHSC"]),
                                frozenset(rng.sample(["Statistics", "Economics", "Policy", "HR"], rng.randint(1, 2))),
                                rng.randint(1, 3) if role == "senior" else 1,
                                frozenset(f"p{i}@example.gov.uk" for i in range(7) if rng.random() < 0.15),
                                CLEAR, {}))
        juniors = [p for p in people if p.role == "junior"]
        seniors = [p for p in people if p.role == "senior"]
        assert most_pairs(juniors, seniors) == _brute_force_pairs(juniors, seniors), trial
    base = dict(row=2, name="A", kind=CLEAR, written={}, capacity=1, avoid=frozenset())
    junior = Truth(email="j@x.gov.uk", role="junior", grade="HEO", organisation="DHSC",
                   professions=frozenset({"Policy"}), **base)
    senior = Truth(email="s@x.gov.uk", role="senior", grade="G7", organisation="DoH NI",
                   professions=frozenset({"HR"}), **base)
    assert broken_rules(junior, senior) == []  # HEO -> Grade 7 is two grades; DHSC and DoH NI differ
    assert [len(broken_rules(junior, replace(senior, **change))) for change in (
        {"grade": "SEO"}, {"organisation": "DHSC"}, {"professions": frozenset({"HR", "Policy"})},
        {"avoid": frozenset({"j@x.gov.uk"})})] == [1, 1, 1, 1]
    assert len(broken_rules(replace(junior, avoid=frozenset({"s@x.gov.uk"})), senior)) == 1
    assert most_pairs([junior, replace(junior, email="j2@x.gov.uk")], [replace(senior, capacity=2)]) == 2
