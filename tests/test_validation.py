"""Validation of an export: each problem located at the Excel row and the column as headed in the file."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import TEMPLATE_HEADERS, junior_row, senior_row
from mentormatch.config import build_config, load_config
from mentormatch.errors import MentormatchError
from mentormatch.inputs.reading import Grid
from mentormatch.outcomes import Severity
from mentormatch.validation.checks import validate_file, validate_grid
from mentormatch.vocab.emails import EMAIL

EOI = "Expression of interest"


def words(n: int) -> str:
    return " ".join(["word"] * n)


def validate(make_workbook, rows, config=None, **kwargs):
    """Write rows to a workbook and validate it (default preset unless a config is given)."""
    header_row = kwargs.pop("header_row", None)
    path = make_workbook(rows, **kwargs)
    return validate_file(path, config or load_config(), header_row=header_row)


def found(result, severity: Severity | None = None) -> set[tuple[int | None, str | None, str]]:
    """(row, column, code) of every problem, optionally of one severity."""
    return {(p.row, p.column, p.code) for p in result.problems if severity is None or p.severity is severity}


def rows_of(people) -> list[int]:
    return sorted(p.row for p in people)


# --- one broken row: an error, at its row and column, and the row is left out ----------------

ROW_ERRORS = [
    pytest.param(junior_row, {"Email": ""}, "Email", "missing-value", id="missing-email"),
    pytest.param(senior_row, {"Name": "  "}, "Name", "missing-value", id="missing-name"),
    pytest.param(junior_row, {"Role": ""}, "Role", "missing-value", id="missing-role"),
    pytest.param(senior_row, {"Grade": ""}, "Grade", "missing-value", id="missing-grade"),
    pytest.param(junior_row, {"Department": ""}, "Department", "missing-value", id="missing-department"),
    pytest.param(senior_row, {"Profession": ""}, "Profession", "missing-value", id="missing-profession"),
    pytest.param(senior_row, {EOI: ""}, EOI, "missing-value", id="missing-eoi"),
    pytest.param(junior_row, {"Email": "ann.example.gov.uk"}, "Email", "invalid-email", id="email-without-at"),
    pytest.param(junior_row, {"Email": "ann@example"}, "Email", "invalid-email", id="email-without-domain"),
    pytest.param(junior_row, {"Email": "ann smith@example.gov.uk"}, "Email", "invalid-email", id="email-with-space"),
    pytest.param(junior_row, {"Grade": "Band B"}, "Grade", "unknown-grade", id="band-code"),
    pytest.param(senior_row, {"Grade": "B2"}, "Grade", "unknown-grade", id="band-b2"),
    pytest.param(junior_row, {"Role": "Mentor"}, "Role", "unknown-role", id="role-neither"),
    pytest.param(junior_row, {"Role": "Junior or senior partner"}, "Role", "unknown-role", id="role-both"),
    pytest.param(junior_row, {"Grade": "Deputy Director"}, "Grade", "junior-above-grade-limit", id="junior-scs"),
    pytest.param(senior_row, {"Grade": "SEO"}, "Grade", "senior-below-grade-limit", id="senior-seo"),
    pytest.param(junior_row, {"Barriers": "No"}, "Barriers", "no-barriers-declared", id="barriers-no"),
    pytest.param(junior_row, {"Barriers": ""}, "Barriers", "no-barriers-declared", id="barriers-blank"),
    pytest.param(junior_row, {EOI: words(151)}, EOI, "eoi-too-long", id="eoi-151-words"),
    pytest.param(senior_row, {"Capacity": "a couple"}, "Capacity", "invalid-capacity", id="capacity-not-a-number"),
    pytest.param(senior_row, {"Capacity": "1_0"}, "Capacity", "invalid-capacity", id="capacity-underscored"),
    pytest.param(senior_row, {"Capacity": "twenty one"}, "Capacity", "invalid-capacity", id="capacity-word-over-twenty"),
    pytest.param(senior_row, {"Capacity": 0}, "Capacity", "invalid-capacity", id="capacity-zero"),
    pytest.param(senior_row, {"Capacity": 1.5}, "Capacity", "invalid-capacity", id="capacity-fraction"),
    pytest.param(senior_row, {"Capacity": -1}, "Capacity", "invalid-capacity", id="capacity-negative"),
]


@pytest.mark.parametrize(("factory", "change", "column", "code"), ROW_ERRORS)
def test_a_row_error_is_reported_where_the_user_will_find_it(make_workbook, factory, change, column, code):
    result = validate(make_workbook, [senior_row(), factory(**change), junior_row()])
    assert found(result) == {(3, column, code)}
    assert result.problems[0].severity is Severity.ERROR
    assert rows_of(result.applicants) == [2, 4]
    assert [e.row for e in result.left_out] == [3]
    assert result.left_out[0].reason.startswith("left out: ")


def test_several_errors_in_one_row_are_all_reported(make_workbook):
    result = validate(make_workbook, [junior_row(Email="nobody", Grade="Band B", Role="", Capacity="a couple")])
    assert found(result) == {(2, "Email", "invalid-email"), (2, "Grade", "unknown-grade"),
                             (2, "Role", "missing-value"), (2, "Capacity", "invalid-capacity")}
    assert len(result.left_out) == 1 and not result.applicants


def test_error_values_show_what_was_written(make_workbook):
    result = validate(make_workbook, [
        junior_row(Email="Ann.Example.gov.uk"),
        junior_row(**{"Do not match with": "bob@example.gov.uk; Carol"}),  # a warning on that entry
        senior_row(Capacity=1.5),
        junior_row(**{EOI: words(151)}),
    ])
    values = {(p.row, p.code): p.value for p in result.problems}
    assert values == {(2, "invalid-email"): "Ann.Example.gov.uk", (3, "invalid-do-not-match"): "Carol",
                      (4, "invalid-capacity"): "1.5", (5, "eoi-too-long"): "151 words"}
    assert "151 words; the limit is 150" in result.problems[-1].message


def test_unknown_grade_suggests_the_closest_grade(make_workbook):
    result = validate(make_workbook, [senior_row(Grade="Deputy Directr"), senior_row(Grade="Band B")])
    messages = {p.row: p.message for p in result.problems}
    assert "Did you mean Deputy Director" in messages[2]
    assert "Did you mean" not in messages[3]  # nothing is close to a band code: no guess offered


# --- warnings: reported, and the row is kept ---------------------------------------------------

ROW_WARNINGS = [
    pytest.param(junior_row, {"Department": "BEIS"}, "Department", "ambiguous-department", "BEIS", id="beis"),
    pytest.param(senior_row, {"Department": "Department for Business, Energy & Industrial Strategy"}, "Department",
                 "ambiguous-department", "Department for Business, Energy & Industrial Strategy", id="beis-long"),
    pytest.param(junior_row, {"Department": "Ministry of Magic"}, "Department", "unknown-department",
                 "Ministry of Magic", id="unknown-department"),
    pytest.param(senior_row, {"Profession": "Astrology"}, "Profession", "unknown-profession", "Astrology",
                 id="unknown-profession"),
    pytest.param(senior_row, {"Profession": "GSS; Astrology"}, "Profession", "unknown-profession", "Astrology",
                 id="unknown-profession-in-list"),
    pytest.param(junior_row, {"Grade": "Fast Stream"}, "Grade", "fast-stream-grade", "Fast Stream", id="fast-stream"),
]


@pytest.mark.parametrize(("factory", "change", "column", "code", "value"), ROW_WARNINGS)
def test_a_warning_keeps_the_row(make_workbook, factory, change, column, code, value):
    result = validate(make_workbook, [junior_row(), factory(**change)])
    assert found(result) == {(3, column, code)}
    assert result.problems[0].severity is Severity.WARNING and result.problems[0].value == value
    assert rows_of(result.applicants) == [2, 3] and not result.left_out


def test_kept_values_after_warnings(make_workbook):
    result = validate(make_workbook, [junior_row(Grade="Fast Stream", Department="BEIS"),
                                      senior_row(Profession="GSS; Astrology", Department="Ministry of Magic")])
    junior, senior = result.applicants
    assert junior.grade == "HEO" and junior.department == "BEIS"
    assert senior.professions == ("Statistics", "Astrology") and senior.department == "Ministry of Magic"
    fast_stream = next(p for p in result.problems if p.code == "fast-stream-grade")
    assert "Read as HEO" in fast_stream.message


def test_fast_stream_grade_follows_the_config(make_workbook):
    result = validate(make_workbook, [junior_row(Grade="Fast Streamer")],
                      build_config({"round": {"fast_stream_grade": "SEO"}}))
    assert result.applicants[0].grade == "SEO" and found(result) == {(2, "Grade", "fast-stream-grade")}


def test_config_aliases_settle_band_codes_and_beis(make_workbook):
    config = build_config({"aliases": {"grades": {"Band B": "SEO"}, "departments": {"BEIS": "DESNZ"},
                                       "professions": {"Astrology": "Data science"}}})
    result = validate(make_workbook, [junior_row(Grade="Band B", Department="BEIS", Profession="Astrology")], config)
    assert not result.problems
    applicant = result.applicants[0]
    assert (applicant.grade, applicant.department, applicant.professions) == ("SEO", "DESNZ", ("Data science",))


# --- round settings that switch rules off or move limits ----------------------------------------


def test_barriers_not_required_when_the_round_says_so(make_workbook):
    config = build_config({"round": {"require_barriers": False}})
    result = validate(make_workbook, [junior_row(Barriers="No"), junior_row(Barriers="")], config)
    assert not result.problems and rows_of(result.applicants) == [2, 3]


def test_barriers_column_may_be_absent_when_not_required(make_workbook):
    rows = [{k: v for k, v in junior_row().items() if k != "Barriers"}]
    config = build_config({"round": {"require_barriers": False}})
    assert len(validate(make_workbook, rows, config).applicants) == 1
    with pytest.raises(MentormatchError, match="no column for barriers"):
        validate(make_workbook, rows, name="again.xlsx")


@pytest.mark.parametrize("answer", ["Yes", "yes - socio-economic background", "Y", "TRUE"])
def test_yes_like_barrier_answers_are_accepted(make_workbook, answer):
    assert not validate(make_workbook, [junior_row(Barriers=answer)]).problems


def test_eoi_exactly_at_the_limit_passes(make_workbook):
    result = validate(make_workbook, [junior_row(**{EOI: words(150)}), senior_row(**{EOI: words(151)})])
    assert found(result) == {(3, EOI, "eoi-too-long")}


def test_eoi_words_are_counted_as_the_template_and_a_word_processor_count_them(make_workbook):
    # Runs of characters between spaces and line breaks: a spaced dash is a word, "e-mail" is one.
    assert not validate(make_workbook, [junior_row(**{EOI: words(148) + " e-mail\n\u2014"})]).problems
    over = validate(make_workbook, [junior_row(**{EOI: words(150) + " \u2014"})], name="over.xlsx").problems
    assert [(p.code, p.value) for p in over] == [("eoi-too-long", "151 words")]


def test_eoi_not_required_and_unlimited_when_configured(make_workbook):
    config = build_config({"round": {"require_eoi": False, "eoi_word_limit": 0}})
    result = validate(make_workbook, [junior_row(**{EOI: ""}), junior_row(**{EOI: words(500)})], config)
    assert not result.problems and len(result.applicants) == 2


def test_preset_mutual_2022_has_a_100_word_limit_and_scs_seniors(make_workbook):
    config = load_config(preset="mutual-2022")
    result = validate(make_workbook, [
        junior_row(**{EOI: words(100)}),
        junior_row(**{EOI: words(101)}),
        senior_row(Grade="Grade 6"),
        senior_row(Grade="Deputy Director"),
    ], config)
    assert found(result) == {(3, EOI, "eoi-too-long"), (4, "Grade", "senior-below-grade-limit")}
    assert rows_of(result.applicants) == [2, 5]


def test_preset_reverse_takes_juniors_to_grade_6_and_scs_seniors_only(make_workbook):
    config = build_config({"preset": "reverse"})
    assert config.round.min_grade_gap == 1
    result = validate(make_workbook, [
        junior_row(Grade="Grade 6", **{EOI: ""}),
        junior_row(Grade="Deputy Director"),
        senior_row(Grade="Grade 6"),
        senior_row(Grade="Director", **{EOI: words(400)}),
    ], config)
    assert found(result) == {(3, "Grade", "junior-above-grade-limit"), (4, "Grade", "senior-below-grade-limit")}
    assert rows_of(result.applicants) == [2, 5]


def test_config_grade_limits_move_the_boundaries(make_workbook):
    config = build_config({"round": {"junior_max_grade": "SEO", "senior_min_grade": "Grade 6"}})
    result = validate(make_workbook, [junior_row(Grade="SEO"), junior_row(Grade="Grade 7"),
                                      senior_row(Grade="Grade 7"), senior_row(Grade="Grade 6")], config)
    assert found(result) == {(3, "Grade", "junior-above-grade-limit"), (4, "Grade", "senior-below-grade-limit")}


def test_capacity_blank_uses_the_default_and_a_number_is_kept(make_workbook):
    result = validate(make_workbook, [senior_row(Capacity=""), senior_row(Capacity=3), senior_row(Capacity="2")],
                      build_config({"round": {"default_capacity": 2}}))
    assert [a.capacity for a in result.applicants] == [2, 3, 2]


def test_without_a_capacity_column_every_senior_takes_the_default(make_workbook):
    rows = [{k: v for k, v in senior_row().items() if k != "Capacity"} for _ in range(2)]
    result = validate(make_workbook, rows, build_config({"round": {"default_capacity": 3}}))
    assert [a.capacity for a in result.applicants] == [3, 3]


def test_exclusions_are_read_as_emails(make_workbook):
    result = validate(make_workbook, [junior_row(**{"Do not match with": "Bob@Example.gov.uk; carol@example.gov.uk"})])
    assert result.applicants[0].do_not_match == ("bob@example.gov.uk", "carol@example.gov.uk")


# --- duplicates and emails -----------------------------------------------------------------


def test_duplicate_email_keeps_the_last_row_without_dates(make_workbook):
    result = validate(make_workbook, [junior_row(Email="ann@example.gov.uk", Name="Ann first"), senior_row(),
                                      junior_row(Email="ann@example.gov.uk", Name="Ann again")])
    assert found(result) == {(2, "Email", "duplicate-email")}
    assert rows_of(result.applicants) == [3, 4]
    # The earlier row is set aside, not left out: Ann is one person, counted by her latest row.
    assert not result.left_out
    assert [(e.row, e.name) for e in result.superseded] == [(2, "Ann first")]
    assert result.superseded[0].reason == "superseded by the submission in row 4"


def test_duplicate_email_keeps_the_latest_submission_when_every_row_has_a_date(make_workbook):
    result = validate(make_workbook, [
        junior_row(Email="ann@example.gov.uk", Submitted="03/03/2024 09:00:00"),
        junior_row(Email="ann@example.gov.uk", Submitted="01/03/2024 09:00:00"),
        junior_row(Email="ann@example.gov.uk", Submitted="02/03/2024 17:30:00"),
    ])
    assert found(result) == {(3, "Email", "duplicate-email"), (4, "Email", "duplicate-email")}
    assert rows_of(result.applicants) == [2]
    assert rows_of(result.superseded) == [3, 4]
    assert all(e.reason == "superseded by the submission in row 2" for e in result.superseded)


def test_duplicate_email_falls_back_to_the_last_row_when_a_date_is_missing(make_workbook):
    result = validate(make_workbook, [
        junior_row(Email="ann@example.gov.uk", Submitted="03/03/2024 09:00:00"),
        junior_row(Email="ann@example.gov.uk", Submitted=""),
    ])
    assert rows_of(result.applicants) == [3] and found(result) == {(2, "Email", "duplicate-email")}


def test_duplicate_email_with_dates_from_two_exports_does_not_crash(make_workbook):
    # One export writes ISO times with a zone, another day/month/year: both are dates, so the later one wins.
    result = validate(make_workbook, [
        junior_row(Email="ann@example.gov.uk", Submitted="2024-03-01T10:00:00Z"),
        junior_row(Email="ann@example.gov.uk", Submitted="02/03/2024 09:00"),
    ], name="merged.csv")
    assert rows_of(result.applicants) == [3] and found(result) == {(2, "Email", "duplicate-email")}


SPELLINGS_OF_ANN = [
    pytest.param("Ann@Example.GOV.uk", id="case"),
    pytest.param("  ann@example.gov.uk  ", id="spaces"),
    pytest.param("ann\u200b@example.gov.uk", id="zero-width-space"),
    pytest.param("\u00a0ann@example.gov.uk\u00a0", id="non-breaking-space"),
    pytest.param("\ufeffann@example.gov.uk", id="byte-order-mark"),
    pytest.param("mailto:ann@example.gov.uk", id="mailto"),
    pytest.param("MAILTO:Ann@Example.gov.uk", id="mailto-capitals"),
]


@pytest.mark.parametrize("spelling", SPELLINGS_OF_ANN)
def test_email_spellings_are_normalised_and_caught_as_duplicates(make_workbook, spelling):
    result = validate(make_workbook, [junior_row(Email=spelling), junior_row(Email="ann@example.gov.uk")])
    assert found(result) == {(2, "Email", "duplicate-email")}
    assert [a.email for a in result.applicants] == ["ann@example.gov.uk"]


def test_a_row_left_out_is_still_matched_to_its_resubmission_by_email(make_workbook):
    # The first submission breaks a rule (no barriers declared); the email is spelt as a mailto link.
    result = validate(make_workbook, [junior_row(Email="MAILTO:Ann@Example.gov.uk", Barriers="No"),
                                      junior_row(Email="ann@example.gov.uk")])
    assert found(result) == {(2, "Barriers", "no-barriers-declared"), (2, "Email", "duplicate-email")}
    assert [a.email for a in result.applicants] == ["ann@example.gov.uk"]


def test_all_spellings_of_one_email_in_one_file_leave_one_applicant(make_workbook):
    spellings = ["Ann@Example.GOV.uk", "  ann@example.gov.uk  ", "ann\u200b@example.gov.uk",
                 "\u00a0ann@example.gov.uk\u00a0"]
    result = validate(make_workbook, [junior_row(Email=s) for s in spellings])
    assert found(result) == {(row, "Email", "duplicate-email") for row in (2, 3, 4)}
    assert [(a.row, a.email) for a in result.applicants] == [(5, "ann@example.gov.uk")]


# --- every row accounted for, at the row number Excel shows -------------------------------------


def test_every_non_blank_row_is_kept_or_excluded_exactly_once(make_workbook):
    blank = dict.fromkeys(TEMPLATE_HEADERS, "")
    rows = [junior_row(), blank, senior_row(Grade="SEO"), junior_row(Email="dup@example.gov.uk"), blank, blank,
            junior_row(Email="dup@example.gov.uk", Grade="Band B"), senior_row(Department="BEIS"),
            junior_row(Email="dup@example.gov.uk")]
    result = validate(make_workbook, rows)
    kept, excluded, superseded = rows_of(result.applicants), rows_of(result.left_out), rows_of(result.superseded)
    assert result.rows_read == 6
    assert sorted(kept + excluded + superseded) == [2, 4, 5, 8, 9, 10]
    # Row 8 has an error and a later submission (row 10): it is superseded, so its person is counted once.
    assert kept == [2, 9, 10] and excluded == [4] and superseded == [5, 8]
    assert found(result) == {(4, "Grade", "senior-below-grade-limit"), (5, "Email", "duplicate-email"),
                             (8, "Grade", "unknown-grade"), (8, "Email", "duplicate-email"),
                             (9, "Department", "ambiguous-department")}


ROW_KINDS = {
    "junior": lambda: junior_row(),
    "senior": lambda: senior_row(),
    "bad email": lambda: junior_row(Email="not an email"),
    "bad grade": lambda: senior_row(Grade="Band C"),
    "blank email": lambda: senior_row(Email=""),
    "repeat": lambda: junior_row(Email="repeat@example.gov.uk"),
    "bad repeat": lambda: senior_row(Email="Repeat@example.gov.uk", Capacity="lots"),
    "blank": lambda: dict.fromkeys(TEMPLATE_HEADERS, "  "),
}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(sorted(ROW_KINDS)), min_size=1, max_size=12).filter(lambda ks: set(ks) != {"blank"}))
def test_any_mix_of_rows_is_accounted_for(kinds):
    rows = [ROW_KINDS[kind]() for kind in kinds]
    grid = Grid(Path("applications.xlsx"), "Applications",
                [list(TEMPLATE_HEADERS), *[[row[h] for h in TEMPLATE_HEADERS] for row in rows]])
    result = validate_grid(grid, load_config())
    filled = [number for number, kind in enumerate(kinds, start=2) if kind != "blank"]
    assert result.rows_read == len(filled)
    assert sorted(rows_of(result.applicants) + rows_of(result.left_out) + rows_of(result.superseded)) == filled
    people = [e.email for e in [*result.applicants, *result.left_out] if EMAIL.match(e.email)]
    assert len(people) == len(set(people))  # each person once: by their latest row
    assert {e.row for e in result.superseded} == {p.row for p in result.problems if p.code == "duplicate-email"}
    emails = [a.email for a in result.applicants]
    assert len(emails) == len(set(emails))
    assert all(p.row in filled for p in result.problems)


# --- headers: the template's, a form's through [columns], a title block above -------------------

FORM_HEADERS = {
    "email": "Contact (work)", "name": "Applicant", "role": "Applying to be a", "grade": "Current band",
    "department": "Employer", "profession": "Analytical specialism", "barriers": "Obstacles to progression?",
    "eoi": "Why mentoring? (max 150 words)", "capacity": "Partners you could take",
}
TEMPLATE_FIELD = {"email": "Email", "name": "Name", "role": "Role", "grade": "Grade", "department": "Department",
                  "profession": "Profession", "barriers": "Barriers", "eoi": EOI, "capacity": "Capacity"}


def as_form(row: dict) -> dict:
    return {FORM_HEADERS[field]: row[header] for field, header in TEMPLATE_FIELD.items()}


def test_form_headers_are_read_through_the_config_column_mapping(make_workbook):
    rows = [as_form(junior_row()), as_form(senior_row(Grade="SEO")), as_form(senior_row(Capacity="a couple"))]
    result = validate(make_workbook, rows, build_config({"columns": FORM_HEADERS}))
    assert found(result) == {(3, "Current band", "senior-below-grade-limit"),
                             (4, "Partners you could take", "invalid-capacity")}
    assert rows_of(result.applicants) == [2]
    assert result.columns.header("eoi") == "Why mentoring? (max 150 words)"


def test_form_headers_without_a_mapping_are_refused_with_advice(make_workbook):
    with pytest.raises(MentormatchError, match=r"\[columns\]"):
        validate(make_workbook, [as_form(junior_row())])


def test_a_mapped_header_missing_from_the_file_is_named(make_workbook):
    config = build_config({"columns": {**FORM_HEADERS, "grade": "Grade (current)"}})
    with pytest.raises(MentormatchError, match=r"grade = 'Grade \(current\)'"):
        validate(make_workbook, [as_form(junior_row())], config)


@pytest.mark.parametrize("respell", [str.upper, str.lower, lambda h: f"  {h.title()}  ", lambda h: h.replace(" ", "   ")])
def test_template_headers_are_recognised_whatever_their_case_and_spacing(make_workbook, respell):
    headers = [respell(h) for h in TEMPLATE_HEADERS]
    rows = [dict(zip(headers, row.values(), strict=True)) for row in (junior_row(), junior_row(Email="nobody"))]
    result = validate(make_workbook, rows)
    email_header = " ".join(respell("Email").split())
    assert found(result) == {(3, email_header, "invalid-email")}
    assert rows_of(result.applicants) == [2]


def test_common_export_headers_are_recognised_without_config(make_workbook):
    renamed = {"Email": "Email address", "Name": "Full name", "Role": "Which role are you applying for?",
               "Grade": "What is your grade?", "Department": "Which department do you work in?",
               "Profession": "What is your profession (or main area of work)?",
               "Barriers": "Do you consider there to be barriers to your career progression?",
               EOI: "Expression of interest (maximum 150 words)",
               "Do not match with": "Is there anyone you should not be matched with (email)?",
               "Submitted": "Completion time"}
    rows = [{renamed.get(k, k): v for k, v in row.items()}
            for row in (junior_row(), junior_row(**{"Do not match with": "Bob Smith"}))]
    result = validate(make_workbook, rows)
    assert found(result) == {(3, "Is there anyone you should not be matched with (email)?", "invalid-do-not-match")}


def test_a_title_block_above_the_headers_is_skipped_and_rows_keep_their_excel_numbers(make_workbook):
    title = [["Mutual mentoring applications 2024"], ["Exported from Microsoft Forms on 1 March"], []]
    blank = dict.fromkeys(TEMPLATE_HEADERS, "")
    result = validate(make_workbook, [junior_row(), blank, junior_row(Grade="Band B")], title_rows=title)
    assert result.columns.header_row == 4
    assert found(result) == {(7, "Grade", "unknown-grade")}
    assert rows_of(result.applicants) == [5]


def test_header_row_overrides_detection_when_the_title_looks_like_headers(make_workbook):
    title = [["Name of scheme: mutual mentoring", "Email the team with any questions"]]
    rows = [junior_row(), senior_row(Grade="SEO")]
    with pytest.raises(MentormatchError):
        validate(make_workbook, rows, title_rows=title)
    result = validate(make_workbook, rows, title_rows=title, header_row=2, name="again.xlsx")
    assert found(result) == {(4, "Grade", "senior-below-grade-limit")}


def test_a_repeated_header_is_reported_and_the_first_column_used(tmp_path):
    path = tmp_path / "applications.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([*TEMPLATE_HEADERS, "Email"])
        row = junior_row()
        writer.writerow([*row.values(), "other@example.gov.uk"])
    result = validate_file(path, load_config())
    assert found(result) == {(None, "Email", "duplicate-header")}
    assert result.applicants[0].email == row["Email"]


# --- configuration errors --------------------------------------------------------------------


@pytest.mark.parametrize(("data", "expected"), [
    pytest.param({"preset": "mutual-2025"}, r"Unknown preset 'mutual-2025'.*mutual-2023, mutual-2022, reverse",
                 id="unknown-preset"),
    pytest.param({"round": {"junior_max_grade": "Band B"}}, r"round\.junior_max_grade: unknown grade 'Band B'",
                 id="unknown-grade"),
    pytest.param({"columns": {"emial": "Email"}}, r"columns: unknown field\(s\) emial; fields are email, name",
                 id="unknown-column-field"),
    pytest.param({"round": {"min_grade_gap": 3, "max_grade_gap": 2}}, r"round: max_grade_gap must be 0",
                 id="gaps-out-of-order"),
    pytest.param({"aliases": {"grades": {"Band B": "Band C"}}}, r"aliases\.grades: unknown grade 'Band C'",
                 id="alias-to-unknown-grade"),
    pytest.param({"round": {"eoi_limit": 100}}, r"round\.eoi_limit", id="misspelt-key"),
])
def test_invalid_config_is_refused_with_a_readable_message(data, expected):
    with pytest.raises(MentormatchError, match=expected) as caught:
        build_config(data)
    assert "Traceback" not in str(caught.value) and "pydantic" not in str(caught.value)


def test_preset_argument_overrides_the_file_and_keeps_its_other_settings(tmp_path):
    path = tmp_path / "mentormatch.toml"
    path.write_text('preset = "mutual-2022"\n[round]\neoi_word_limit = 120\n', encoding="utf-8")
    config = load_config(path, preset="reverse")
    assert config.preset == "reverse" and config.round.senior_min_grade == "SCS1"
    assert config.round.eoi_word_limit == 120


def test_the_eligibility_models_are_the_documented_schema(tmp_path):
    """The template, `init`, the config's fields and the README's [columns] row all follow the models."""
    import re

    import openpyxl

    from mentormatch.config import COLUMN_FIELDS, FIELDS, init_template
    from mentormatch.inputs.headers import EXACT
    from mentormatch.outputs.template import write_template
    from mentormatch.validation.models import (
        Application,
        JuniorApplication,
        SeniorApplication,
    )

    fields = list(Application.model_fields)
    assert fields == list(FIELDS)
    assert list(JuniorApplication.model_fields) == list(SeniorApplication.model_fields) == fields
    headers = [c.value for c in openpyxl.load_workbook(write_template(tmp_path / "t.xlsx"))["Applications"][1]]
    assert [h for h in headers if h != "EOI words"] == [EXACT[name][0] for name in fields]
    columns = [*fields[:2], "first_name", "last_name", *fields[2:]]  # a name may be asked in two columns
    assert list(COLUMN_FIELDS) == columns
    assert re.findall(r"^# (\w+) = ", init_template().split("[columns]", 1)[1].split("\n[", 1)[0], re.M) == columns
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    columns_row = next(line for line in readme.splitlines() if line.startswith("| `[columns]`"))
    assert re.findall(r"`(\w+)`", columns_row.split("|")[3]) == columns


def test_each_role_has_its_own_eligibility_rules(make_workbook):
    # A Grade 6 junior is eligible and a Grade 6 senior too; a Deputy Director junior and an SEO senior are not.
    result = validate(make_workbook, [junior_row(Grade="Grade 6"), senior_row(Grade="Grade 6"),
                                      junior_row(Grade="Deputy Director"), senior_row(Grade="SEO"),
                                      senior_row(Barriers="No")])
    assert rows_of(result.applicants) == [2, 3, 6]  # a senior need not declare barriers
    assert {(p.row, p.code) for p in result.errors} == {(4, "junior-above-grade-limit"), (5, "senior-below-grade-limit")}


def test_the_models_raise_pydantic_errors_typed_by_problem_code():
    from pydantic import ValidationError

    from mentormatch.validation.answers import FieldParser
    from mentormatch.validation.models import JuniorApplication, RoundContext

    config = build_config({"round": {"eoi_word_limit": 3}})
    context = RoundContext(config.round, FieldParser(config))
    answers = {"email": "Pat <pat@x.gov.uk>", "name": "Pat", "role": "Junior partner", "grade": "Grade 7 (G7)",
               "department": "ONS", "profession": "GSS", "barriers": "No", "eoi": "one two three four"}
    with pytest.raises(ValidationError) as caught:
        JuniorApplication.model_validate(answers, context=context)
    assert {(e["loc"][0], e["type"]) for e in caught.value.errors()} == {("barriers", "no-barriers-declared"),
                                                                          ("eoi", "eoi-too-long")}
    passing = JuniorApplication.model_validate({**answers, "barriers": "Yes", "eoi": "one two"}, context=context)
    assert (passing.email, passing.grade, passing.department, passing.profession) == (
        "pat@x.gov.uk", "G7", "ONS", ("Statistics",))
