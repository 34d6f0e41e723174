"""Answers as real forms and people write them, one small grammar each, read through a whole validation.

Each test writes a workbook from dicts, validates it, and asserts the value read for the applicant and
the (row, column, code) of every problem: grades (the SCS grammar, departmental schemes, job titles),
professions (the register, commas inside names), do-not-match answers (addresses anywhere, names),
capacity, Excel error cells, Northern Ireland bodies, look-alike letters and unsure answers.
"""

from __future__ import annotations

import tomllib

import openpyxl
import pytest
from typer.testing import CliRunner

from conftest import TEMPLATE_HEADERS, junior_row, senior_row, write_rows
from mentormatch.cli.app import app
from mentormatch.config import build_config
from mentormatch.matching.pipeline import match_validated
from mentormatch.validation.checks import validate_file
from mentormatch.vocab import grades

DEFAULT = build_config({})


def validated(tmp_path, rows, config=DEFAULT, headers=TEMPLATE_HEADERS):
    return validate_file(write_rows(tmp_path / "applications.xlsx", rows, headers), config)


def person(result, row):
    return next(a for a in result.applicants if a.row == row)


def codes(result):
    return {(p.row, p.column, p.code) for p in result.problems}


# --- the grade ladder --------------------------------------------------------------------------


def test_the_grade_ladder_is_pinned():
    """Rank, code and label of every rung: the two-grades-apart rule is computed from these ranks."""
    assert [(g.rank, g.code, g.label) for g in grades.LADDER] == [
        (1, "AA", "AA"), (2, "AO", "AO"), (3, "EO", "EO"), (4, "HEO", "HEO"), (5, "SEO", "SEO"),
        (6, "G7", "Grade 7"), (7, "G6", "Grade 6"), (8, "SCS1", "Deputy Director"), (9, "SCS2", "Director"),
        (10, "SCS3", "Director General"), (11, "SCS4", "Permanent Secretary")]


@pytest.mark.parametrize(("answer", "code"), [
    ("Senior Civil Service Pay Band 1", "SCS1"), ("SCS Band 2", "SCS2"), ("SCS PB 3", "SCS3"), ("SCS PB1", "SCS1"),
    ("SCS1A", "SCS1"), ("SCS 1A", "SCS1"), ("SCS Pay Band 1A", "SCS1"), ("Senior Civil Service Band 2", "SCS2"),
    ("scs pay band 4", "SCS4"), ("Deputy Director (SCS Pay Band 1)", "SCS1"), ("H.E.O.", "HEO"),
    ("(Grade 7)", "G7"), ("Grade 7 (or equivalent)", "G7"),
])
def test_the_scs_grammar_and_punctuation(tmp_path, answer, code):
    result = validated(tmp_path, [senior_row(Grade=answer) if code != "HEO" else junior_row(Grade=answer)])
    assert person(result, 2).grade == code and codes(result) == set()


@pytest.mark.parametrize(("answer", "code"), [
    ("Economic Adviser", "G7"), ("Senior Economic Adviser", "G6"), ("Research Officer", "HEO"),
    ("Senior Research Officer", "SEO"), ("Principal Research Officer", "G7"), ("Economic Adviser (Grade 7)", "G7"),
    ("Assistant Economist (HEO)", "HEO"),
])
def test_job_titles_that_are_grades(tmp_path, answer, code):
    row = senior_row(Grade=answer) if code in ("G7", "G6") else junior_row(Grade=answer)
    result = validated(tmp_path, [row])
    assert person(result, 2).grade == code and codes(result) == set()


@pytest.mark.parametrize(("answer", "named"), [
    ("Assistant Economist", "HEO or SEO"), ("Statistician", "SEO or Grade 7"),
    ("Economic Adviser (Grade 6)", "Grade 7 and Grade 6"), ("SCS", "Deputy Director or Director"),
])
def test_titles_spanning_grades_and_disagreeing_parts_are_ambiguous_never_guessed(tmp_path, answer, named):
    result = validated(tmp_path, [junior_row(Grade=answer)])
    assert result.applicants == [] and codes(result) == {(2, "Grade", "ambiguous-grade")}
    assert named in result.problems[0].message


@pytest.mark.parametrize(("answer", "code"), [("A2", "AO"), ("B3", "EO"), ("C4", "HEO"), ("C5", "SEO"),
                                              ("D6", "G7"), ("D7", "G6"), ("SMS1", "SCS1"), ("SMS 2", "SCS2")])
def test_fcdo_codes_are_read_for_fcdo_staff(tmp_path, answer, code):
    make = senior_row if grades.BY_CODE[code].rank >= 6 else junior_row
    result = validated(tmp_path, [make(Grade=answer, Department="Foreign, Commonwealth and Development Office")])
    assert person(result, 2).grade == code and codes(result) == set()


def test_a_departmental_code_elsewhere_is_unknown_and_says_who_uses_it(tmp_path):
    result = validated(tmp_path, [junior_row(Grade="C4", Department="DfT"), junior_row(Grade="B2"),
                                  junior_row(Grade="Band B")])
    assert result.applicants == []
    assert codes(result) == {(row, "Grade", "unknown-grade") for row in (2, 3, 4)}
    messages = {p.row: p.message for p in result.problems}
    assert "grade code of FCDO" in messages[2]
    assert "MoD" in messages[3] and "Scottish Government" in messages[3] and "NICS" in messages[4]


# --- professions -------------------------------------------------------------------------------


@pytest.mark.parametrize(("answer", "read"), [
    ("Policy Profession", ("Policy",)), ("Government Finance Function", ("Finance",)),
    ("Human Resources (HR)", ("Human resources",)), ("HR", ("Human resources",)),
    ("Digital, Data and Technology (DDaT)", ("Digital, data and technology",)),
    ("Government Communication Service", ("Communications",)), ("GCS", ("Communications",)),
    ("Operational Delivery Profession", ("Operational delivery",)), ("Commercial", ("Commercial",)),
    ("Government Legal Profession", ("Legal",)),
    ("Digital, Data and Technology; GSS", ("Digital, data and technology", "Statistics")),
    ("GSS;GSR;", ("Statistics", "Social research")),
])
def test_every_civil_service_profession_is_read_and_a_comma_inside_a_name_does_not_split_it(tmp_path, answer, read):
    result = validated(tmp_path, [junior_row(Profession=answer)])
    assert person(result, 2).professions == read and codes(result) == set()


def test_two_spellings_of_one_profession_never_pair(tmp_path):
    rows = [junior_row(Profession="Policy", Department="DfT"), senior_row(Profession="Policy Profession")]
    result = match_validated(validated(tmp_path, rows), DEFAULT)
    assert result.pairings == []


def test_the_profession_register_names_its_source_and_licence_and_gives_each_spelling_one_owner():
    from importlib import resources

    from mentormatch.vocab.professions import register
    from mentormatch.vocab.text import vocab_key

    text = resources.files("mentormatch.vocab").joinpath("professions.tsv").read_text(encoding="utf-8")
    assert "Open Government Licence" in text and "GOV.UK" in text
    owners: dict[str, set[str]] = {}
    for profession in register().values():
        for spelling in (profession.name, *profession.aliases):
            owners.setdefault(vocab_key(spelling), set()).add(profession.name)
    assert {key: names for key, names in owners.items() if len(names) > 1} == {}
    schemes = resources.files("mentormatch.vocab").joinpath("grade-schemes.tsv").read_text(encoding="utf-8")
    assert "Source" in schemes or "source" in schemes


# --- do-not-match ------------------------------------------------------------------------------


@pytest.mark.parametrize("answer", [
    "Jane Smith (avoid@x.gov.uk)", "avoid@x.gov.uk (line manager)", "Email: avoid@x.gov.uk",
    "Smith, Jane <avoid@x.gov.uk>", "Please do not match me with my manager avoid@x.gov.uk, thanks",
    "avoid@x.gov.uk - my line manager\nother@y.gov.uk - worked together", "mailto:Avoid@X.gov.uk",
])
def test_every_address_in_a_do_not_match_cell_counts_without_spurious_warnings(tmp_path, answer):
    result = validated(tmp_path, [junior_row(**{"Do not match with": answer})])
    assert "avoid@x.gov.uk" in person(result, 2).do_not_match and codes(result) == set()


def test_a_name_without_an_address_is_looked_up_among_the_applicants(tmp_path):
    rows = [junior_row(**{"Do not match with": "Jane Smith"}), senior_row(Name="Jane Smith"),
            junior_row(**{"Do not match with": "Smith, Jane"}), junior_row(**{"Do not match with": "Raj Patel"}),
            junior_row(**{"Do not match with": "Sam Jones"}), senior_row(Name="Sam Jones"), senior_row(Name="Sam Jones")]
    result = validated(tmp_path, rows)
    jane = person(result, 3).email
    assert jane in person(result, 2).do_not_match and jane in person(result, 4).do_not_match
    assert person(result, 5).do_not_match == () and person(result, 6).do_not_match == ()
    column = "Do not match with"
    assert codes(result) == {(2, column, "do-not-match-by-name"), (4, column, "do-not-match-by-name"),
                             (5, column, "invalid-do-not-match"), (6, column, "invalid-do-not-match")}
    several = next(p for p in result.problems if p.row == 6)
    assert "2 applicants have that name" in several.message and several.value == "Sam Jones"


def test_a_pair_named_on_a_do_not_match_list_by_name_is_never_made(tmp_path):
    rows = [junior_row(**{"Do not match with": "Jane Smith"}), senior_row(Name="Jane Smith")]
    assert match_validated(validated(tmp_path, rows), DEFAULT).pairings == []


# --- capacity ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("answer", "capacity", "warned"), [
    ("2 partners", 2, False), ("Up to 2", 2, False), ("Two (2)", 2, False), ("1 (one)", 1, False),
    ("up to 3 people", 3, False), ("1-2", 2, True), ("1 or 2", 2, True), ("1 to 3", 3, True),
    ("as many as needed", 4, True),
])
def test_capacity_as_people_write_it(tmp_path, answer, capacity, warned):
    config = build_config({"round": {"max_capacity": 4}})
    result = validated(tmp_path, [senior_row(Capacity=answer)], config)
    assert person(result, 2).capacity == capacity
    assert codes(result) == ({(2, "Capacity", "capacity-read")} if warned else set())


@pytest.mark.parametrize("answer", ["2 (3)", "about 2", "5"])
def test_capacity_that_is_unsure_or_over_the_maximum_is_an_error(tmp_path, answer):
    result = validated(tmp_path, [senior_row(Capacity=answer)], build_config({"round": {"max_capacity": 4}}))
    assert result.applicants == [] and codes(result) == {(2, "Capacity", "invalid-capacity")}


def test_excel_error_cells_are_problems_naming_the_cell_never_silent_defaults(tmp_path):
    path = write_rows(tmp_path / "applications.xlsx", [senior_row(), senior_row(), junior_row()])
    book = openpyxl.load_workbook(path)
    sheet = book.active
    for reference, value in (("K2", "#DIV/0!"), ("E3", "#N/A"), ("L4", "#VALUE!")):
        sheet[reference] = value
        sheet[reference].data_type = "e"
    book.save(path)
    result = validate_file(path, DEFAULT)
    assert codes(result) == {(2, "Capacity", "excel-error"), (3, "Department", "excel-error"),
                             (4, "Do not match with", "excel-error")}
    severities = {p.row: p.severity.value for p in result.problems}
    assert severities == {2: "warning", 3: "error", 4: "error"}  # a department and a do-not-match list must be read
    assert person(result, 2).capacity == 1 and [a.row for a in result.applicants] == [2]
    assert "#DIV/0!" in next(p.message for p in result.problems if p.row == 2)


def test_a_how_many_column_that_is_not_read_as_capacity_is_a_warning(tmp_path):
    headers = [*[h for h in TEMPLATE_HEADERS if h != "Capacity"], "How many could you support?"]
    rows = [{**senior_row(), "How many could you support?": 3}]
    result = validated(tmp_path, rows, headers=headers)
    assert {(p.column, p.code) for p in result.problems} == {("How many could you support?",
                                                               "capacity-column-unmapped")}


# --- organisations -----------------------------------------------------------------------------


@pytest.mark.parametrize(("answer", "read"), [
    ("Department of Health NI", "Department of Health (Northern Ireland)"),
    ("Department of Education (Northern Ireland)", "Department of Education (Northern Ireland)"),
    ("Department of Education NI", "Department of Education (Northern Ireland)"),
    ("Department of Health", "DHSC"), ("Department for Education", "DfE"),
])
def test_northern_ireland_departments_are_never_their_great_britain_namesakes(tmp_path, answer, read):
    result = validated(tmp_path, [junior_row(Department=answer)])
    assert person(result, 2).department == read and codes(result) == set()


@pytest.mark.parametrize("answer", ["\u041eNS", "HMR\u0421", "\uff2f\uff2e\uff33", "\u039fffice for National Statistics"])
def test_lookalike_letters_are_folded_with_a_warning(tmp_path, answer):
    result = validated(tmp_path, [junior_row(Department=answer)])
    assert person(result, 2).department in ("ONS", "HMRC")
    assert codes(result) == {(2, "Department", "lookalike-characters")}


def test_an_answer_a_small_edit_from_a_known_name_never_makes_a_pair_with_it(tmp_path):
    """'0NS' may be ONS: no pair with ONS, and none with another near spelling; the Summary counts them."""
    rows = [junior_row(Department="0NS", Profession="GSR"), senior_row(Department="ONS", Profession="GES"),
            senior_row(Department="Offce for National Statistics", Profession="GES"),
            junior_row(Profession="Goverment Statistical Servce", Department="DfT"),
            senior_row(Profession="GSS", Department="HMT")]
    validation = validated(tmp_path, rows)
    assert codes(validation) == {(2, "Department", "unknown-department"), (4, "Department", "unknown-department"),
                                 (5, "Profession", "unknown-profession")}
    assert "ONS" in next(p.message for p in validation.problems if p.row == 2)  # the warning names both
    result = match_validated(validation, DEFAULT)
    made = {(p.junior.row, p.senior.row) for p in result.pairings}
    assert not made & {(2, 3), (2, 4), (5, 6)}
    assert result.unsure_pairs == 3


# --- validate's table and --aliases-out --------------------------------------------------------


def test_validate_ends_with_every_answer_read_with_a_warning_and_writes_an_editable_block(tmp_path):
    rows = [junior_row(Department="0NS"), senior_row(Capacity="1-2"), junior_row(Department="\u041eNS"),
            junior_row(**{"Do not match with": "Jane Smith"}), senior_row(Name="Jane Smith")]
    source = write_rows(tmp_path / "applications.xlsx", rows)
    aliases = tmp_path / "aliases.toml"
    result = CliRunner().invoke(app, ["validate", str(source), "--aliases-out", str(aliases)],
                                env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    table = result.output[result.output.index("Answers read with a warning"):]
    for shown in ("0NS", "1-2", "Jane Smith", "Read as 2"):
        assert shown in table
    block = aliases.read_text(encoding="utf-8")
    assert tomllib.loads(block)["aliases"]["departments"] == {"0NS": "ONS"}
    assert "# Capacity: \"1-2\"" in block and "Jane Smith" in block


# --- answers that once slipped through (found in review) ------------------------------------------


@pytest.mark.parametrize(("answer", "read"), [
    ("GSS, GES and GSR", ("Statistics", "Economics", "Social research")),
    ("Finance, Policy & HR", ("Finance", "Policy", "Human resources")),
])
def test_every_profession_after_a_comma_counts(tmp_path, answer, read):
    result = validated(tmp_path, [junior_row(Profession=answer)])
    assert person(result, 2).professions == read


@pytest.mark.parametrize("answer", ["HMRC (Northern Ireland)", "DWP NI", "Cabinet Office (NI)"])
def test_a_northern_ireland_answer_naming_a_gb_department_is_never_paired_with_it(tmp_path, answer):
    gb = {"HMRC (Northern Ireland)": "HMRC", "DWP NI": "DWP", "Cabinet Office (NI)": "Cabinet Office"}[answer]
    rows = [junior_row(Department=answer), senior_row(Department=gb)]
    assert match_validated(validated(tmp_path, rows), DEFAULT).pairings == []


@pytest.mark.parametrize("answer", ["Home Office, ONS", "Home Office and ONS", "DWP; HMRC"])
def test_an_answer_naming_several_organisations_is_ambiguous(tmp_path, answer):
    result = validated(tmp_path, [junior_row(Department=answer)])
    assert result.applicants == [] and codes(result) == {(2, "Department", "ambiguous-department")}


@pytest.mark.parametrize("answer", ["G6 (substantive G7)", "Grade 7 - TDA Grade 6", "EO (acting HEO)"])
def test_a_grade_qualified_by_another_grade_is_ambiguous(tmp_path, answer):
    result = validated(tmp_path, [senior_row(Grade=answer)])
    assert result.applicants == [] and codes(result) == {(2, "Grade", "ambiguous-grade")}


def test_a_do_not_match_address_with_accents_is_read_whole(tmp_path):
    rows = [junior_row(**{"Do not match with": "Zoë Smith <zoë.smith@x.gov.uk>"}), senior_row(Email="zoë.smith@x.gov.uk")]
    result = validated(tmp_path, rows)
    assert person(result, 2).do_not_match == ("zoë.smith@x.gov.uk",)
    assert match_validated(result, DEFAULT).pairings == []


def test_a_header_with_wrapping_words_only_is_a_header(tmp_path):
    headers = [*TEMPLATE_HEADERS[:5], "Profession or function", *TEMPLATE_HEADERS[6:]]
    rows = [{**junior_row(), "Profession or function": "GSR"}]
    result = validated(tmp_path, rows, headers=headers)
    assert person(result, 2).professions == ("Social research",)


def test_an_excel_error_in_the_do_not_match_column_leaves_the_row_out(tmp_path):
    path = write_rows(tmp_path / "applications.xlsx", [junior_row(), senior_row()])
    book = openpyxl.load_workbook(path)
    book.active["L2"] = "#N/A"
    book.active["L2"].data_type = "e"
    book.save(path)
    result = validate_file(path, DEFAULT)
    assert [a.row for a in result.applicants] == [3]
    assert codes(result) == {(2, "Do not match with", "excel-error")}
