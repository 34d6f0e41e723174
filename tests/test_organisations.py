"""The register of government organisations: every spelling finds its organisation, and only that one."""

from __future__ import annotations

import importlib
import importlib.resources
import sys
import tomllib
from collections import defaultdict
from importlib.resources.abc import Traversable
from pathlib import Path

import pytest

import mentormatch.vocab
from mentormatch.vocab.lookup import Vocabulary
from mentormatch.vocab.organisations import (
    ambiguous_organisations,
    family_of,
    organisation_aliases,
    organisations,
)
from mentormatch.vocab.text import vocab_key

# The short names outputs already show, with the spellings departments.py accepted before the register
# existed: a snapshot, so that a rebuilt register cannot quietly drop one.
LEGACY: dict[str, tuple[str, ...]] = {
    "Cabinet Office": ("CO",),
    "HMT": ("HM Treasury", "Treasury", "Her Majesty's Treasury", "His Majesty's Treasury"),
    "Home Office": ("HO",),
    "MoJ": ("Ministry of Justice",),
    "MOD": ("Ministry of Defence",),
    "DfE": ("Department for Education",),
    "DfT": ("Department for Transport",),
    "DWP": ("Department for Work and Pensions",),
    "DHSC": ("Department of Health and Social Care", "DH", "Department of Health"),
    "FCDO": ("Foreign, Commonwealth and Development Office", "FCO", "Foreign and Commonwealth Office",
             "DFID", "Department for International Development"),
    "Defra": ("Department for Environment, Food and Rural Affairs",),
    "DBT": ("Department for Business and Trade", "DIT", "Department for International Trade"),
    "DESNZ": ("Department for Energy Security and Net Zero",),
    "DSIT": ("Department for Science, Innovation and Technology",),
    "DCMS": ("Department for Culture, Media and Sport", "Department for Digital, Culture, Media and Sport"),
    "MHCLG": ("Ministry of Housing, Communities and Local Government", "DLUHC",
              "Department for Levelling Up, Housing and Communities", "DCLG"),
    "NIO": ("Northern Ireland Office",),
    "UKEF": ("UK Export Finance",),
    "ONS": ("Office for National Statistics", "UKSA", "UK Statistics Authority", "ONS/UKSA"),
    "HMRC": ("HM Revenue and Customs", "Her Majesty's Revenue and Customs", "His Majesty's Revenue and Customs"),
    "GAD": ("Government Actuary's Department",),
    "FSA": ("Food Standards Agency",),
    "CMA": ("Competition and Markets Authority",),
    "Ofsted": (),
    "Ofqual": (),
    "Ofgem": (),
    "Ofwat": (),
    "NCA": ("National Crime Agency",),
    "CPS": ("Crown Prosecution Service",),
    "HM Land Registry": ("Land Registry", "HMLR"),
    "The National Archives": ("National Archives", "TNA"),
    "Scottish Government": ("SG", "Scot Gov"),
    "Welsh Government": ("WG", "Llywodraeth Cymru"),
    "NICS": ("Northern Ireland Civil Service", "NISRA", "Northern Ireland Statistics and Research Agency"),
    "UKHSA": ("UK Health Security Agency",),
    "Met Office": (),
    "VOA": ("Valuation Office Agency",),
    "DVLA": ("Driver and Vehicle Licensing Agency",),
}
PROJECT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    return Vocabulary(organisation_aliases())


def _variants(spelling: str) -> list[str]:
    """How the same spelling arrives in a form: other cases, stray spaces, '&' for 'and' and back."""
    found = [spelling, spelling.upper(), spelling.lower(), f"  {spelling} "]
    if " & " in spelling:  # between words only: "NS&I" is not written "NSandI"
        found.append(spelling.replace(" & ", " and "))
    if " and " in spelling:
        found.append(spelling.replace(" and ", " & "))
    if spelling.startswith("The "):  # vocab_key keeps a leading "The": the register lists both forms
        found.append(spelling.removeprefix("The "))
    return found


def test_every_title_abbreviation_and_alias_finds_its_organisation(vocabulary: Vocabulary) -> None:
    wrong = [(variant, org.name, vocabulary.lookup(variant))
             for org in organisations().values()
             for spelling in (org.name, org.title, org.abbreviation, *org.aliases) if spelling
             for variant in _variants(spelling) if vocabulary.lookup(variant) != org.name]
    assert not wrong, f"{len(wrong)} spellings miss their organisation, e.g. {wrong[:5]}"


def test_no_spelling_names_two_organisations() -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for name, spellings in organisation_aliases().items():
        for spelling in (name, *spellings):
            owners[vocab_key(spelling)].add(name)
    shared = {key: names for key, names in owners.items() if len(names) > 1}
    assert not shared, f"spellings shared by several organisations: {shared}"


@pytest.mark.parametrize(("name", "aliases"), LEGACY.items(), ids=list(LEGACY))
def test_the_existing_short_names_keep_their_spellings(vocabulary: Vocabulary, name: str,
                                                       aliases: tuple[str, ...]) -> None:
    assert name in organisations()
    found = {spelling: vocabulary.lookup(spelling) for spelling in (name, *aliases)}
    assert found == dict.fromkeys((name, *aliases), name)


@pytest.mark.parametrize("spelling", ["ONS", "UKSA", "Office for National Statistics", "UK Statistics Authority",
                                      "ons/uksa", "office for national statistics"])
def test_the_statistics_office_and_its_authority_are_one_organisation(vocabulary: Vocabulary, spelling: str) -> None:
    assert vocabulary.lookup(spelling) == "ONS"


@pytest.mark.parametrize(("spelling", "name"), [
    ("Department for Environment, Food & Rural Affairs", "Defra"),
    ("Department for Environment Food and Rural Affairs", "Defra"),
    ("HM Revenue & Customs", "HMRC"),
    ("Environment Agency", "Environment Agency"),
    ("EA", "Environment Agency"),
    ("Insolvency Service", "The Insolvency Service"),
    ("The National Archives", "The National Archives"),
    ("Education and Skills Funding Agency", "DfE"),  # closed in 2025: its one successor answers for it
    ("Highways England", "National Highways"),
    ("DLUHC", "MHCLG"),
])
def test_forms_and_former_names_find_the_organisation(vocabulary: Vocabulary, spelling: str, name: str) -> None:
    assert vocabulary.lookup(spelling) == name


@pytest.mark.parametrize(("name", "family"), [
    ("Environment Agency", "Defra"),
    ("Defra", "Defra"),
    ("Met Office", "DSIT"),
    ("UKHSA", "DHSC"),
    ("VOA", "HMRC"),
    ("DVLA", "DfT"),
    ("Sellafield Ltd", "DESNZ"),  # via the Nuclear Decommissioning Authority
    ("Government Data Quality Hub", "ONS"),
    ("Department of Finance (Northern Ireland)", "NICS"),
    ("ONS", "ONS"),
    ("CMA", "CMA"),  # a non-ministerial department is its own family, whatever GOV.UK lists above it
])
def test_an_organisation_belongs_to_its_department_family(name: str, family: str) -> None:
    assert family_of(name) == family


def test_unknown_names_are_their_own_family_and_spellings_are_understood() -> None:
    assert family_of("Department of Made-Up Things") == "Department of Made-Up Things"
    assert family_of("EA") == "Defra"


def test_every_family_is_an_organisation_and_every_department_heads_its_own() -> None:
    register = organisations()
    assert {org.family for org in register.values()} <= set(register)
    heads = {"Ministerial department", "Non-ministerial department", "Devolved government"}
    assert [org.name for org in register.values() if org.format in heads and org.family != org.name] == []


@pytest.mark.parametrize("spelling", ["BEIS", "Department for Business, Energy and Industrial Strategy",
                                      "department for business energy & industrial strategy"])
def test_a_department_split_between_successors_is_reported_not_guessed(vocabulary: Vocabulary,
                                                                        spelling: str) -> None:
    assert vocabulary.lookup(spelling) is None
    notes = {vocab_key(ambiguous): note for ambiguous, note in ambiguous_organisations().items()}
    assert "DESNZ" in notes[vocab_key(spelling)] and "DSIT" in notes[vocab_key(spelling)]


def test_no_ambiguous_spelling_resolves_to_an_organisation(vocabulary: Vocabulary) -> None:
    assert {"BEIS", "PHE", "Public Health England"} <= set(ambiguous_organisations())
    assert {s: vocabulary.lookup(s) for s in ambiguous_organisations() if vocabulary.lookup(s)} == {}


@pytest.mark.parametrize("spelling", ["CSC", "Government Statistical Service", "GES", "Patents Court"])
def test_shared_abbreviations_professions_and_courts_are_not_organisations(vocabulary: Vocabulary,
                                                                           spelling: str) -> None:
    assert vocabulary.lookup(spelling) is None


@pytest.mark.parametrize("filename", ["organisations.tsv", "organisations-ambiguous.tsv"])
def test_the_shipped_data_carries_the_open_government_licence_attribution(filename: str) -> None:
    text = importlib.resources.files("mentormatch.vocab").joinpath(filename).read_text(encoding="utf-8")
    comments = "\n".join(line for line in text.splitlines() if line.startswith("#"))
    assert text.startswith("# ")
    assert "Contains public sector information licensed under the Open Government Licence v3.0" in comments
    assert "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/" in comments
    assert "GOV.UK's organisations register" in comments


def test_the_data_files_are_declared_as_package_data() -> None:
    pyproject = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "*.tsv" in pyproject["tool"]["setuptools"]["package-data"]["mentormatch.vocab"]


def test_importing_the_module_reads_nothing_until_first_use(monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    real_files = importlib.resources.files

    def spy(package: str) -> Traversable:
        opened.append(package)
        return real_files(package)

    monkeypatch.setattr(importlib.resources, "files", spy)
    monkeypatch.delitem(sys.modules, "mentormatch.vocab.organisations", raising=False)
    monkeypatch.delattr(mentormatch.vocab, "organisations", raising=False)
    fresh = importlib.import_module("mentormatch.vocab.organisations")
    assert opened == [] and fresh._load.cache_info().misses == 0
    assert fresh.family_of("Environment Agency") == "Defra"
    fresh.organisations()
    assert fresh._load.cache_info().misses == 1 and len(opened) == 2  # both files, read once
