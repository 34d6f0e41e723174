"""Answers as real form exports spell them: no hard rule is broken by how someone wrote their answer.

Spellings are generated from the organisations register, the grade ladder and the professions
(title, abbreviation, "Title (ABBR)", "ABBR - Title", case and punctuation variants); the end-to-end
round checks its pairs against an oracle that knows each person's true organisation, grade and
professions from the generator, not from the package.
"""

from __future__ import annotations

import random
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import Facts, exited_cleanly, junior_row, most_pairs, read_sheet, senior_row
from conftest import allowed as rules_allow
from mentormatch.cli.app import app
from mentormatch.config import build_config
from mentormatch.matching.pipeline import run_matching
from mentormatch.validation.answers import FieldParser
from mentormatch.validation.checks import validate_file
from mentormatch.vocab import grades, professions
from mentormatch.vocab.organisations import organisations

DEFAULT = build_config({})
WIDE = {"COLUMNS": "200"}


def invoke(*args: object):
    return CliRunner().invoke(app, [str(a) for a in args], env=WIDE)


def parsed(field: str, answer: str, config=DEFAULT):
    """(value, codes of its problems, any error) for one answer."""
    value, notes = FieldParser(config).parse(field, answer)
    return value, [n.code for n in notes], any(n.error for n in notes)


def spellings(name: str, abbreviation: str) -> list[str]:
    """The ways a form's option list writes one name and its code."""
    found = [name, name.upper(), name.lower(), name.replace(" and ", " & "), f"The {name}" if not
             name.startswith("The ") else name[4:], f"  {name}  "]
    if abbreviation:
        found += [abbreviation, abbreviation.lower(), f"{name} ({abbreviation})", f"{abbreviation} - {name}",
                  f"{abbreviation} ({name})", f"{name} / {abbreviation}", f"{abbreviation}: {name}",
                  f"{name} ({abbreviation}) or equivalent"]
    return found


# --- organisations -----------------------------------------------------------------------------


def test_every_spelling_of_every_organisation_in_the_register_resolves_to_it():
    parser = FieldParser(DEFAULT)
    wrong = []
    for org in organisations().values():
        for spelling in spellings(org.title, org.abbreviation):
            value, notes = parser.parse("department", spelling)
            if value != org.name or notes:
                wrong.append((spelling, value, [n.code for n in notes]))
    assert wrong == []


@pytest.mark.parametrize(("answer", "organisation"), [
    ("Office for National Statistics (ONS)", "ONS"),
    ("ONS - Office for National Statistics", "ONS"),
    ("UK Statistics Authority / ONS", "ONS"),
    ("O.N.S.", "ONS"),
    ("Environment Agency", "Environment Agency"),
    ("environment agency", "Environment Agency"),
    ("Environment Agency (Defra)", "Environment Agency"),  # a body named with its own department is the body
    ("HMRC - HM Revenue & Customs", "HMRC"),
    ("Department for Environment, Food & Rural Affairs (Defra)", "Defra"),
    ("The National Archives", "The National Archives"),
    ("National Archives", "The National Archives"),
    ("ONS - Titchfield", "ONS"),  # an unrecognised part beside a recognised one is passed over
])
def test_compound_department_answers(answer, organisation):
    assert parsed("department", answer) == (organisation, [], False)


@pytest.mark.parametrize("answer", ["ONS / HMRC", "Home Office (DfT)", "DWP or HMRC"])
def test_an_answer_naming_two_organisations_is_an_error_naming_both(answer):
    value, codes, error = parsed("department", answer)
    assert (value, codes, error) == (None, ["ambiguous-department"], True)
    message = FieldParser(DEFAULT).parse("department", answer)[1][0].message
    first, second = (part.strip() for part in answer.replace("(", "/").replace(")", "").replace(" or ", "/").split("/"))
    assert parsed("department", first)[0] in message and parsed("department", second)[0] in message


def test_split_departments_stay_ambiguous_and_one_body_however_spelled():
    parser = FieldParser(DEFAULT)
    values = {parser.parse("department", spelling)[0] for spelling in
              ("BEIS", "beis", "Department for Business, Energy and Industrial Strategy", "BEIS (Department for "
               "Business, Energy & Industrial Strategy)")}
    assert values == {"BEIS"}
    assert parsed("department", "BEIS")[1:] == (["ambiguous-department"], False)  # kept, with a warning


def test_unknown_departments_are_normalised_and_typos_merged():
    parser = FieldParser(DEFAULT)
    values = [parser.parse("department", answer)[0] for answer in
              ("Widget Regulation Office", "widget regulation office", "Widget Regulaton Office",
               "Widget Regulation Office (WRO)", "WRO")]
    assert len(set(values)) == 1  # five spellings, one organisation
    typo = parser.parse("department", "Enviroment Agency")[0]  # a typo of a known name: kept, and may be it
    assert typo == "Enviroment Agency" and parser.possibly("department", typo) == ("Environment Agency",)
    assert parser.parse("department", "Gadget Standards Board")[0] not in values  # a different unknown body


def test_unknown_answers_can_be_errors():
    strict = build_config({"rules": {"unknown_answers": "error"}})
    assert parsed("department", "Widget Regulation Office", strict)[1:] == (["unknown-department"], True)
    assert parsed("profession", "Widgetry", strict)[1:] == (["unknown-profession"], True)
    assert parsed("department", "Widget Regulation Office")[1:] == (["unknown-department"], False)


# --- grades and professions --------------------------------------------------------------------


@pytest.mark.parametrize("grade", grades.LADDER, ids=lambda g: g.code)
def test_every_grade_resolves_however_a_form_writes_it(grade):
    parser = FieldParser(DEFAULT)
    run_together = [grade.label.replace(" ", "")] if any(c.isdigit() for c in grade.label) else []  # Grade7
    forms = [*spellings(grade.label, grade.code), *run_together, grade.code.lower(),
             *grades.ALIASES[grade.code], *(f"{alias} ({grade.code})" for alias in grades.ALIASES[grade.code])]
    if grade.code.isalpha():
        forms.append(".".join(grade.code) + ".")  # S.E.O.
    wrong = [(form, parser.parse("grade", form)) for form in forms if parser.parse("grade", form) != (grade.code, ())]
    assert wrong == []


@pytest.mark.parametrize(("answer", "code"), [
    ("Grade 7 (G7)", "G7"), ("Grade7", "G7"), ("G6 - Grade 6", "G6"), ("Deputy Director (SCS1)", "SCS1"),
    ("Deputy Director / SCS1", "SCS1"), ("SEO (Senior Executive Officer)", "SEO"), ("S.E.O.", "SEO"),
    ("PB1", "SCS1"), ("SCS Pay Band 1 (Deputy Director)", "SCS1"), ("Higher Executive Officer (HEO) or equivalent", "HEO"),
])
def test_grades_as_form_option_lists_write_them(answer, code):
    assert parsed("grade", answer) == (code, [], False)


@pytest.mark.parametrize("answer", ["Grade 6 / Grade 7", "HEO (SEO)", "G7 or G6"])
def test_an_answer_naming_two_grades_is_an_error(answer):
    assert parsed("grade", answer) == (None, ["ambiguous-grade"], True)


@pytest.mark.parametrize("answer", ["Band B", "B2", "Band B (B2)"])
def test_band_codes_are_still_never_guessed(answer):
    assert parsed("grade", answer)[1:] == (["unknown-grade"], True)


@pytest.mark.parametrize("profession", list(professions.register()))
def test_every_profession_resolves_however_a_form_writes_it(profession):
    badge = professions.register()[profession].short
    parser = FieldParser(DEFAULT)
    wrong = [(form, parser.parse("profession", form)) for form in spellings(profession, badge)
             if parser.parse("profession", form) != ((profession,), ())]
    assert wrong == []


@pytest.mark.parametrize(("answer", "named"), [
    ("GSS / GSR", {"Statistics", "Social research"}),
    ("GSS & GES", {"Statistics", "Economics"}),
    ("Statistics and Data Science", {"Statistics", "Data science"}),
    ("Government Statistical Service (GSS); GES", {"Statistics", "Economics"}),
])
def test_several_professions_in_one_answer_all_count(answer, named):
    value, codes, _error = parsed("profession", answer)
    assert set(value) == named and codes == []


# --- emails, do-not-match, capacity ------------------------------------------------------------


@pytest.mark.parametrize("pasted", ["<p2@x.gov.uk>", "Pat Two <p2@x.gov.uk>", "p2@x.gov.uk.", '"p2@x.gov.uk"',
                                    "mailto:P2@x.gov.uk", "(p2@x.gov.uk)", "'Pat Two' <P2@X.GOV.UK>"])
def test_pasted_do_not_match_emails_forbid_the_pair(make_workbook, pasted):
    junior = junior_row(**{"Do not match with": pasted})
    blocked = senior_row(Email="p2@x.gov.uk")
    other = senior_row(Department="DWP")
    result = run_matching(make_workbook([junior, blocked, other]), DEFAULT)
    assert [(p.junior.email, p.senior.email) for p in result.pairings] == [(junior["Email"], other["Email"])]
    assert not result.problems


@pytest.mark.parametrize("nobody", ["N/A", "None", "-", "No one", "0", "n/a", "none.", "Nobody"])
def test_a_do_not_match_answer_saying_nobody_is_empty(make_workbook, nobody):
    result = validate_file(make_workbook([junior_row(**{"Do not match with": nobody}), senior_row()]), DEFAULT)
    assert not result.problems and result.applicants[0].do_not_match == ()


def test_one_bad_do_not_match_entry_is_a_warning_and_the_others_still_count(make_workbook):
    junior = junior_row(**{"Do not match with": "Pat Two; p3@x.gov.uk"})
    result = run_matching(make_workbook([junior, senior_row(Email="p3@x.gov.uk")]), DEFAULT)
    assert [(p.code, p.severity.value, p.value) for p in result.problems] == [("invalid-do-not-match", "warning", "Pat Two")]
    assert not result.pairings  # p3 is still never paired with the junior


def test_emails_in_every_round_file_are_read_the_same_way(make_workbook, tmp_path):
    junior = junior_row(Email="ann@x.gov.uk")
    first = senior_row(Email="bob@x.gov.uk")
    second = senior_row(Email="cat@x.gov.uk", Department="DWP")
    source = make_workbook([junior, first, second])
    history = make_workbook([{"Junior email": "mailto:Ann@x.gov.uk", "Senior email": "Bob <bob@x.gov.uk>"}],
                            name="last-year.xlsx", sheet="Pairings")
    assert {p.senior.email for p in run_matching(source, DEFAULT).pairings} == {"bob@x.gov.uk"}  # the better fit
    with_history = run_matching(source, DEFAULT, history=[history])
    assert {p.senior.email for p in with_history.pairings} == {"cat@x.gov.uk"}
    excluded = make_workbook([{"A": '"ann@x.gov.uk"', "B": "<cat@x.gov.uk>."}], name="exclude.xlsx")
    assert not run_matching(source, DEFAULT, history=[history], do_not_match=excluded).pairings
    lock = make_workbook([{"A": "Ann <ANN@x.gov.uk>", "B": "mailto:cat@x.gov.uk"}], name="lock.xlsx")
    locked = run_matching(source, DEFAULT, lock=lock)
    assert [(p.senior.email, p.locked) for p in locked.pairings] == [("cat@x.gov.uk", True)]


@pytest.mark.parametrize(("answer", "capacity"), [("2", 2), ("2.0", 2), ("two", 2), ("Ten", 10), (3, 3), ("eleven", 11)])
def test_capacity_in_digits_or_words(answer, capacity):
    assert FieldParser(DEFAULT).parse("capacity", answer) == (capacity, ())


@pytest.mark.parametrize("answer", ["1_0", "0", "21", "twenty one", "1.5", "-1", "a couple", "1e1", "2 (3)", "2, maybe 3"])
def test_capacity_outside_one_to_twenty_says_exactly_that(answer):
    value, notes = FieldParser(DEFAULT).parse("capacity", answer)
    assert value is None and [n.code for n in notes] == ["invalid-capacity"]
    assert "number of partners from 1 to 20" in notes[0].message


# --- department scope and groups ---------------------------------------------------------------


def test_family_scope_counts_an_agency_as_its_department(make_workbook):
    junior = junior_row(Department="Environment Agency")
    senior = senior_row(Department="Department for Environment, Food & Rural Affairs")
    path = make_workbook([junior, senior])
    assert len(run_matching(path, DEFAULT).pairings) == 1  # different organisations
    family = run_matching(path, build_config({"rules": {"department_scope": "family"}}))
    assert not family.pairings and family.unmatched[0].code == "no-feasible-partner"


def test_department_groups_match_through_the_vocabulary(make_workbook):
    junior = junior_row(Department="Environment Agency (EA)")
    senior = senior_row(Department="DEFRA")
    grouped = build_config({"department_groups": {"Defra group": ["environment agency", "Defra"]}})
    assert not run_matching(make_workbook([junior, senior]), grouped).pairings


# --- the validate report and --aliases-out -----------------------------------------------------


def test_validate_lists_unrecognised_answers_and_writes_aliases_that_settle_them(make_workbook, tmp_path):
    rows = [junior_row(Department="Widget Regulation Office"), junior_row(Department="widget regulation office"),
            junior_row(Department="Enviroment Agency"), senior_row(Grade="Band B"), senior_row()]
    source = make_workbook(rows)
    aliases = tmp_path / "aliases.toml"
    result = invoke("validate", source, "--aliases-out", aliases)
    assert exited_cleanly(result) and result.exit_code == 1  # Band B is an error
    assert "Answers read with a warning" in result.output and "Widget Regulation Office" in result.output
    table = {answer.answers: answer for answer in validate_file(source, DEFAULT).unrecognised}
    assert table[("Widget Regulation Office", "widget regulation office")].rows == 2
    assert table[("Enviroment Agency",)].closest == ("Environment Agency",)
    block = tomllib.loads(aliases.read_text(encoding="utf-8"))
    assert block["aliases"]["departments"] == {"Enviroment Agency": "Environment Agency"}  # the others commented
    settled = build_config({"aliases": {**block["aliases"], "grades": {"Band B": "SEO"}}})
    assert not [u for u in validate_file(source, settled).unrecognised if "Enviroment Agency" in u.answers]


# --- a whole round of compound spellings, against an oracle -----------------------------------

ORGS = [("Office for National Statistics", "ONS"), ("HM Revenue and Customs", "HMRC"),
        ("Department for Work and Pensions", "DWP"), ("Department for Transport", "DfT"),
        ("Ministry of Justice", "MoJ"), ("Home Office", ""), ("Environment Agency", "EA"),
        ("Department for Education", "DfE"), ("Food Standards Agency", "FSA"), ("Met Office", ""),
        ("Valuation Office Agency", "VOA"), ("UK Health Security Agency", "UKHSA")]
PROFESSIONS = [("Government Statistical Service", "GSS"), ("Government Economic Service", "GES"),
               ("Government Social Research", "GSR"), ("Government Operational Research Service", "GORS")]
GRADES = [("Executive Officer", "EO", 3), ("Higher Executive Officer", "HEO", 4), ("Senior Executive Officer", "SEO", 5),
          ("Grade 7", "G7", 6), ("Grade 6", "G6", 7), ("Deputy Director", "SCS1", 8), ("Director", "SCS2", 9)]


def written(rng: random.Random, name: str, code: str, compound: bool) -> str:
    """One way of writing a name: plain (name or code) or, for `compound`, a form's option text."""
    if not compound or not code:
        return rng.choice([name, code or name, name.lower()])
    return rng.choice([f"{name} ({code})", f"{code} - {name}", f"{name} / {code}", f"{code} ({name})",
                       f"{name.upper()} ({code})"])


@pytest.mark.parametrize("seed", range(8))
def test_a_round_of_compound_spellings_breaks_no_rule_and_pairs_the_most(make_workbook, seed):
    rng = random.Random(seed)
    people, truth = [], {}
    for n in range(60):
        junior = n < 34
        label, code, rank = rng.choice(GRADES[:5] if junior else GRADES[3:])
        org = rng.choice(ORGS)
        profession = rng.choice(PROFESSIONS)
        compound = rng.random() < 0.4
        row = (junior_row if junior else senior_row)(
            Email=f"p{seed}-{n}@example.gov.uk", Grade=written(rng, label, code, compound),
            Department=written(rng, *org, compound), Profession=written(rng, *profession, compound))
        people.append(row)
        truth[row["Email"]] = (junior, rank, org[0], profession[0])
    result = run_matching(make_workbook(people), DEFAULT)
    facts = {email: Facts(email, rank, org, frozenset({profession})) for email, (_, rank, org, profession) in truth.items()}
    for pair in result.pairings:
        assert rules_allow(facts[pair.junior.email], facts[pair.senior.email]), (pair.junior, pair.senior)
    juniors = [facts[e] for e, t in truth.items() if t[0]]
    seniors = [facts[e] for e, t in truth.items() if not t[0]]
    assert len(result.pairings) == most_pairs(juniors, seniors)
    assert not [p for p in result.problems if p.code.startswith(("unknown", "ambiguous"))]




def test_the_example_round_shows_compound_answers_and_unlisted_organisations_at_work():
    source = Path(__file__).resolve().parents[1] / "examples" / "applications.xlsx"
    answers = read_sheet(source, "Form1")
    compound = [row[header] for row in answers for header in ("What is your grade?", "Which department do you work in?")
                if isinstance(row[header], str) and any(mark in row[header] for mark in ("(", " - ", "/"))]
    assert len(compound) >= 10
    result = validate_file(source, build_config({}))
    unlisted = {u.answers: u for u in result.unrecognised if u.field == "department"}
    assert unlisted[("Transport Scotland", "transport scotland")].rows == 2  # two spellings, one organisation
    assert not [p for p in result.problems if p.code.startswith(("ambiguous-grade", "unknown-grade")) and "(" in p.value]


def test_a_pasted_email_is_read_the_same_in_problems_and_unmatched(make_workbook):
    broken = junior_row(Email="Pat Four <mailto:P4@x.gov.uk>", Grade="Band B")
    result = run_matching(make_workbook([broken, senior_row()]), DEFAULT)
    assert {p.email for p in result.problems} == {"p4@x.gov.uk"}
    assert [u.email for u in result.unmatched if u.code == "left-out"] == ["p4@x.gov.uk"]
