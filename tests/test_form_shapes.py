"""Forms that ask in their own words: a role asked as yes/no, names in two columns, multi-select answers as Forms join them.

The fixture is the published question headings of another Civil Service mentoring scheme's Google Form,
with about 40 realistic rows built from dicts: it must run end to end (validate, match, introduce) with a
config of a few lines.
"""

from __future__ import annotations

import email
import random
from email import policy
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import exited_cleanly, junior_row, read_sheet, senior_row, write_rows
from mentormatch.cli.app import app
from mentormatch.config import build_config
from mentormatch.validation.checks import validate_file

GOOGLE_FORM = ("Timestamp", "Do you want to sign up as a mentor?",
               "Do you agree to us using the information you provide to us in this way?", "Your first name",
               "Your last name", "Your Civil Service email address", "Your job title or role",
               "Your department or agency", "Your grade", "Your profession")
FIRST = ["Amara", "Ben", "Chloe", "Dev", "Elena", "Femi", "Grace", "Hamza", "Isla", "Jon", "Kiran", "Lena", "Mo",
         "Nia", "Owen", "Priya", "Quinn", "Rosa", "Sami", "Tara"]
LAST = ["Okafor", "Hughes", "Patel", "Nakamura", "Rossi", "Adeyemi", "Walsh", "Khan", "Murray", "Price"]
DEPARTMENTS = ["HMRC", "DWP", "Department for Transport", "ONS", "Ministry of Justice", "Home Office", "DfE",
               "Cabinet Office"]
CONFIG = """\
[round]
require_barriers = false
require_eoi = false

[aliases.roles]
"Yes" = "senior"
"No" = "junior"
"""


def invoke(*args: object):
    return CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})


def google_form_rows(count: int = 40, seed: int = 7) -> list[dict[str, object]]:
    """Rows of the form: about a third senior mentors (Grade 7 and above), the rest junior mentees."""
    rng = random.Random(seed)
    rows = []
    for n in range(count):
        senior = n % 3 == 0
        first, last = FIRST[n % len(FIRST)], LAST[(n * 7) % len(LAST)]
        rows.append({
            "Timestamp": f"0{1 + n % 9}/03/2026 10:{n % 60:02d}:00",
            "Do you want to sign up as a mentor?": "Yes" if senior else "No",
            "Do you agree to us using the information you provide to us in this way?": "Yes, I agree",
            "Your first name": first, "Your last name": last,
            "Your Civil Service email address": f"{first}.{last}{n}@example.gov.uk".lower(),
            "Your job title or role": rng.choice(["Senior Statistician", "Policy Adviser", "Team Leader"]),
            "Your department or agency": rng.choice(DEPARTMENTS),
            "Your grade": rng.choice(["Grade 7", "Grade 6", "Deputy Director"] if senior else ["EO", "HEO", "SEO"]),
            "Your profession": rng.choice(["GSS", "GES", "Policy Profession", "Operational Delivery"]),
        })
    return rows


@pytest.fixture
def google_form(tmp_path: Path) -> tuple[Path, Path]:
    source = write_rows(tmp_path / "signups.xlsx", google_form_rows(), GOOGLE_FORM)
    config = tmp_path / "mentormatch.toml"
    config.write_text(CONFIG, encoding="utf-8")
    return source, config


def test_the_google_form_runs_end_to_end_with_a_few_lines_of_config(google_form, tmp_path):
    source, config = google_form
    checked = invoke("validate", source, "--config", config)
    assert checked.exit_code == 0 and exited_cleanly(checked), checked.output
    assert "Your job title or role" in checked.output  # listed as ignored, never taken for the role
    pairings = tmp_path / "pairings.xlsx"
    matched = invoke("match", source, "--config", config, "-o", pairings)
    assert matched.exit_code == 0, matched.output
    pairs = read_sheet(pairings, "Pairings")
    assert len(pairs) >= 10
    rows = {r["Your Civil Service email address"]: r for r in google_form_rows()}
    for pair in pairs:  # names joined from two columns; the role read from the yes/no answers
        junior, senior = rows[pair["Junior email"]], rows[pair["Senior email"]]
        assert pair["Junior name"] == f"{junior['Your first name']} {junior['Your last name']}"
        assert junior["Do you want to sign up as a mentor?"] == "No"
        assert senior["Do you want to sign up as a mentor?"] == "Yes"
    outbox = tmp_path / "outbox"
    drafted = invoke("introduce", pairings, "-o", outbox)
    assert drafted.exit_code == 0, drafted.output
    first = email.message_from_bytes(sorted(outbox.glob("pair-*.eml"))[0].read_bytes(), policy=policy.default)
    body = first.get_content()
    pair = pairs[0]
    assert pair["Junior name"] in body or pair["Senior name"] in body
    explained = invoke("match", source, "--config", config, "-o", tmp_path / "again.xlsx",
                       "--explain", pair["Junior email"])
    assert pair["Junior name"] in explained.output


def test_without_aliases_mutual_mentoring_refuses_mentor_and_says_how_to_map_it(google_form, tmp_path):
    source, _config = google_form
    settings = tmp_path / "no-aliases.toml"
    settings.write_text("[round]\nrequire_barriers = false\nrequire_eoi = false\n", encoding="utf-8")
    result = validate_file(source, build_config({"round": {"require_barriers": False, "require_eoi": False}}))
    assert result.applicants == []
    assert {p.code for p in result.problems if p.column == "Do you want to sign up as a mentor?"} == {"unknown-role"}
    assert "[aliases.roles]" in result.problems[0].message


def test_reverse_mentoring_reads_mentor_as_the_junior_partner_with_a_warning(tmp_path):
    rows = [junior_row(Role="Mentor"), senior_row(Role="Mentee", Grade="Deputy Director"),
            junior_row(Role="Reverse mentor"), senior_row(Role="Mentee (senior)", Grade="Director")]
    path = write_rows(tmp_path / "a.xlsx", rows)
    result = validate_file(path, build_config({}, preset="reverse"))
    assert {a.row: a.role.value for a in result.applicants} == {2: "junior", 3: "senior", 4: "junior", 5: "senior"}
    assert {(p.row, p.code) for p in result.problems} == {(2, "role-read"), (3, "role-read")}
    mutual = validate_file(path, build_config({}))
    assert {a.row for a in mutual.applicants} == {4, 5}  # "Mentor" alone says nothing under mutual mentoring
    assert {(p.row, p.code) for p in mutual.problems} == {(2, "unknown-role"), (3, "unknown-role")}


def test_a_yes_no_question_that_names_the_role_maps_without_aliases(tmp_path):
    headers = ("Email", "Name", "Are you applying as a senior partner?", "Grade", "Department", "Profession",
               "Barriers", "Expression of interest")
    junior, senior = junior_row(), senior_row()
    rows = [{**junior, "Are you applying as a senior partner?": "No"},
            {**senior, "Are you applying as a senior partner?": "Yes"}]
    result = validate_file(write_rows(tmp_path / "a.xlsx", rows, headers), build_config({}))
    assert {a.row: a.role.value for a in result.applicants} == {2: "junior", 3: "senior"}
    assert {p.code for p in result.problems} == {"role-read"}


def test_config_role_aliases_are_checked(tmp_path):
    from mentormatch.errors import MentormatchError

    with pytest.raises(MentormatchError, match=r"aliases\.roles"):
        build_config({"aliases": {"roles": {"Yes": "mentor"}}})


def test_names_in_two_columns_are_joined_and_columns_accept_first_and_last_name(tmp_path):
    headers = ("Email", "Given name", "Surname", "Role", "Grade", "Department", "Profession", "Barriers",
               "Expression of interest")
    row = {**junior_row(), "Given name": "Ada", "Surname": "Lovelace"}
    assert [a.name for a in validate_file(write_rows(tmp_path / "a.xlsx", [row], headers), build_config({})).applicants] \
        == ["Ada Lovelace"]
    mapped = build_config({"columns": {"first_name": "Given name", "last_name": "Surname"}})
    assert [a.name for a in validate_file(tmp_path / "a.xlsx", mapped).applicants] == ["Ada Lovelace"]


@pytest.mark.parametrize(("cells", "read", "setting"), [
    (["Leadership;Wellbeing;", "Data, tools and methods;"], {2: ("Leadership", "Wellbeing"),
                                                          3: ("Data, tools and methods",)}, "auto"),
    (["Leadership, Wellbeing", "Data, tools and methods"], {2: ("Leadership", "Wellbeing"),
                                                         3: ("Data, tools and methods",)}, "auto"),
    (["Leadership, Wellbeing", "A, B"], {2: ("Leadership, Wellbeing",), 3: ("A, B",)}, ";"),
])
def test_multi_select_answers_split_as_the_form_joined_them(tmp_path, cells, read, setting):
    rows = [junior_row(**{"Development aims": cells[0]}), junior_row(**{"Development aims": cells[1]})]
    result = validate_file(write_rows(tmp_path / "a.xlsx", rows), build_config({"round": {"list_separator": setting}}))
    assert {a.row: a.aims for a in result.applicants} == read


def test_a_microsoft_forms_export_with_trailing_semicolons(tmp_path):
    headers = ("ID", "Start time", "Completion time", "Email", "Name", "Role", "Grade", "Department", "Profession",
               "Barriers", "Expression of interest", "Development aims", "Networks")
    rows = [{**junior_row(**{"Development aims": "Leadership;Career planning, promotion and progression;",
                             "Networks": "Race to the Top;Disability;", "Profession": "GSS;GSR;"}),
             "ID": 1, "Start time": "", "Completion time": "2026-03-01 10:00:00"},
            {**senior_row(**{"Development aims": "Leadership;", "Department": "DWP"}), "ID": 2, "Start time": "",
             "Completion time": "2026-03-01 11:00:00"}]
    result = validate_file(write_rows(tmp_path / "ms.xlsx", rows, headers), build_config({}))
    junior = result.applicants[0]
    assert junior.aims == ("Leadership", "Career planning, promotion and progression")
    assert junior.networks == ("Race to the Top", "Disability")
    assert junior.professions == ("Statistics", "Social research")
