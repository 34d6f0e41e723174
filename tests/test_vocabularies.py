"""The spellings people type for grades, departments and professions, and the word counter."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mentormatch.vocab import grades, professions
from mentormatch.vocab.departments import closed_body, department_vocabulary
from mentormatch.vocab.grades import grade_vocabulary, parse_grade_code
from mentormatch.vocab.professions import profession_vocabulary
from mentormatch.vocab.text import count_words, split_choices


def _every_spelling(aliases: dict[str, tuple[str, ...]]) -> list[tuple[str, str]]:
    """(spelling, canonical) for the canonical value itself and each of its aliases."""
    return [(spelling, canonical) for canonical, spellings in aliases.items() for spelling in (canonical, *spellings)]


# --- grades --------------------------------------------------------------------------------


@pytest.mark.parametrize(("spelling", "code"), _every_spelling(grades.ALIASES))
def test_every_listed_grade_spelling_maps_to_its_grade(spelling, code):
    vocabulary = grade_vocabulary()
    assert vocabulary.lookup(spelling) == code
    assert vocabulary.lookup(f"  {spelling.upper()} ") == code  # case and stray spaces do not matter


@pytest.mark.parametrize(("spelling", "code"), [
    ("Grade 7 (or equivalent)", "G7"),
    ("SEO (equivalent)", "SEO"),
    ("HEO or equivalent", "HEO"),
    ("HEO(D)", "HEO"),
    ("heo (d)", "HEO"),
    ("Deputy Director", "SCS1"),
    ("Director", "SCS2"),
    ("7", "G7"),
    ("6", "G6"),
    ("SCS Pay Band 1", "SCS1"),
])
def test_grades_as_forms_write_them(spelling, code):
    assert grade_vocabulary().lookup(spelling) == code


@pytest.mark.parametrize("spelling", ["Band B", "B2", "Band A", "Grade 8", "Fast Stream", ""])
def test_department_band_codes_and_other_guesses_are_not_grades(spelling):
    assert grade_vocabulary().lookup(spelling) is None


@pytest.mark.parametrize(("typo", "first_suggestion"), [
    ("Grade7x", "G7"),
    ("Deputy Directr", "SCS1"),
    ("Senoir Executive Officer", "SEO"),
    ("Principle", "G7"),
])
def test_near_misses_get_the_closest_grade_suggested_first(typo, first_suggestion):
    vocabulary = grade_vocabulary()
    assert vocabulary.lookup(typo) is None
    suggestions = vocabulary.suggest(typo)
    assert suggestions[0] == first_suggestion
    assert len(suggestions) <= 3 and len(set(suggestions)) == len(suggestions)


def test_unknown_grade_in_configuration_is_refused_with_the_valid_codes():
    assert parse_grade_code("Grade 6 (or equivalent)").code == "G6"
    with pytest.raises(ValueError, match=r"'Band B'.*AA, AO, EO, HEO, SEO, G7, G6, SCS1"):
        parse_grade_code("Band B")


# --- departments ---------------------------------------------------------------------------


# Every organisation of the register and its spellings: tests/test_organisations.py.


@pytest.mark.parametrize(("spelling", "canonical"), [
    ("HM Revenue & Customs", "HMRC"),
    ("hm revenue and customs", "HMRC"),
    ("Department for Environment, Food & Rural Affairs", "Defra"),
    ("Department of Health & Social Care", "DHSC"),
    ("DLUHC", "MHCLG"),
    ("Department for Levelling Up, Housing & Communities", "MHCLG"),
    ("FCO", "FCDO"),
    ("DFID", "FCDO"),
    ("Department for Transport (excluding agencies)", "DfT"),
    ("DWP (excl. agencies)", "DWP"),
    ("Ministry of Justice (including agencies)", "MoJ"),
    ("His Majesty\u2019s Treasury", "HMT"),  # a curly apostrophe, as Word and Forms type it
    ("mod", "MOD"),
])
def test_departments_as_people_write_them(spelling, canonical):
    assert department_vocabulary().lookup(spelling) == canonical


@pytest.mark.parametrize("spelling", ["BEIS", "Department for Business, Energy & Industrial Strategy"])
def test_beis_is_not_guessed_but_recognised_as_ambiguous(spelling):
    assert department_vocabulary().lookup(spelling) is None
    assert closed_body(spelling) == ("BEIS", "BEIS was split into DESNZ, DSIT and DBT in 2023")


# --- professions ---------------------------------------------------------------------------


@pytest.mark.parametrize(("spelling", "canonical"), _every_spelling({p.name: p.aliases for p in professions.register().values()}))
def test_every_listed_profession_spelling_maps_to_its_profession(spelling, canonical):
    assert profession_vocabulary().lookup(spelling) == canonical


@pytest.mark.parametrize(("spelling", "canonical"), [
    ("GSS", "Statistics"),
    ("GSG", "Statistics"),
    ("GES", "Economics"),
    ("GSR", "Social research"),
    ("GORS", "Operational research"),
    ("OR", "Operational research"),
    ("Actuary", "Actuarial"),
    ("Data Scientist", "Data science"),
    ("statisticians", "Statistics"),
])
def test_profession_badges_and_job_titles(spelling, canonical):
    assert profession_vocabulary().lookup(spelling) == canonical


def test_an_unlisted_profession_is_unknown():
    assert profession_vocabulary().lookup("Widgetry") is None


# --- aliases from the config ---------------------------------------------------------------


def test_config_grade_aliases_extend_the_ladder_without_changing_the_built_in_one():
    extended = grade_vocabulary({"Band B": "SEO", "B2": "HEO"})
    assert extended.lookup("band b") == "SEO" and extended.lookup("B2") == "HEO"
    assert extended.lookup("Grade 7") == "G7"  # built-in spellings still work
    assert grade_vocabulary().lookup("Band B") is None


def test_config_department_alias_settles_beis_and_may_name_any_spelling_of_the_target():
    extended = department_vocabulary({"BEIS": "DESNZ", "Dept for Transport": "Department for Transport"})
    assert extended.lookup("BEIS") == "DESNZ"
    assert extended.lookup("dept for transport") == "DfT"  # the target's full name resolves to its short name
    assert department_vocabulary().lookup("BEIS") is None


def test_config_alias_to_a_new_value_makes_that_value_canonical():
    extended = profession_vocabulary({"Performance analysis": "Operational research", "PA": "Policy analysis"})
    assert extended.lookup("performance analysis") == "Operational research"
    assert extended.lookup("PA") == "Policy analysis"


# --- words and lists -----------------------------------------------------------------------


@pytest.mark.parametrize(("text", "words"), [
    ("", 0),
    ("   ", 0),
    ("\u2014", 1),
    ("-", 1),
    ("I want to learn \u2014 and to listen - really", 10),
    ("e-mail", 1),
    ("2024", 1),
    ("In 2024 I led 3 projects.", 6),
    ("don't", 1),
    ("caf\u00e9 na\u00efve", 2),
    ("line\nbreak\tand  spaces", 4),
    ("... !!! ?", 3),
])
def test_count_words(text, words):
    assert count_words(text) == words


@given(st.lists(st.text(alphabet="abcXYZ019\u00e9-'.", min_size=1).filter(lambda w: any(c.isalnum() for c in w)),
                max_size=40),
       st.sampled_from([" ", "\n", "  ", "\t", "\r\n", "\u00a0"]))
def test_word_count_is_the_number_of_words_whatever_separates_them(words, separator):
    assert count_words(separator.join(words)) == len(words)


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60))
def test_word_count_matches_its_definition_on_any_text(text):
    # The definition: a word is a run of characters between spaces, tabs and line breaks.
    assert count_words(text) == len(re.findall(r"\S+", text))


@pytest.mark.parametrize(("text", "items"), [
    ("Leadership; Wellbeing", ["Leadership", "Wellbeing"]),
    ("Leadership, Wellbeing\nCareer planning", ["Leadership", "Wellbeing", "Career planning"]),
    ("  Leadership ;; ; Wellbeing;", ["Leadership", "Wellbeing"]),
    ("Leadership; Leadership", ["Leadership"]),
    ("", []),
])
def test_multi_select_answers_split_into_their_items(text, items):
    assert split_choices(text, ";" if ";" in text else ",") == items


def test_the_template_and_validate_count_the_corpus_alike(make_workbook):
    """The corpus that scripts/recalc_template.py checks in LibreOffice against the template's live count."""
    import json
    from pathlib import Path

    from mentormatch.config import build_config
    from mentormatch.validation.checks import validate_file

    corpus = json.loads((Path(__file__).resolve().parents[1] / "scripts" / "eoi_word_corpus.json").read_text("utf-8"))
    rows = [{"Email": f"p{n}@x.gov.uk", "Name": "P", "Role": "Junior partner", "Grade": "HEO", "Department": "ONS",
             "Profession": "GSS", "Barriers": "Yes", "Expression of interest": entry["text"]}
            for n, entry in enumerate(corpus)]
    result = validate_file(make_workbook(rows), build_config({"round": {"require_eoi": False}}))
    assert [a.eoi_words for a in sorted(result.applicants, key=lambda a: a.row)] == [e["words"] for e in corpus]


def test_template_rows_a_spreadsheet_calculated_are_not_applications(make_workbook):
    from mentormatch.config import build_config
    from mentormatch.outputs.template import HEADERS
    from mentormatch.validation.checks import validate_file

    filled = {"Email": "ann@x.gov.uk", "Name": "Ann", "Role": "Junior partner", "Grade": "HEO", "Department": "ONS",
              "Profession": "GSS", "Barriers": "Yes", "Expression of interest": "Two words", "EOI words": 2}
    blank = [dict.fromkeys(HEADERS, None) | {"EOI words": 0} for _ in range(500)]  # an older template's zeros
    result = validate_file(make_workbook([filled, *blank], headers=list(HEADERS)), build_config({}))
    assert result.rows_read == 1 and not result.problems
