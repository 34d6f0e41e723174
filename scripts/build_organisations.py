"""Build mentormatch's curated register of UK government organisations.

Reads GOV.UK's organisations register export (a TSV with slug, title, abbreviation, format, status,
parents and supersedes) and writes src/mentormatch/vocab/organisations.tsv and
organisations-ambiguous.tsv. A developer tool: tests and CI read only the curated output.

    python scripts/build_organisations.py REGISTER.tsv [--as-of "February 2026"]

Fails loudly when two organisations would answer to the same spelling: fix the tables below.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import defaultdict
from pathlib import Path

from mentormatch.vocab.text import vocab_key

OUT = Path(__file__).resolve().parents[1] / "src" / "mentormatch" / "vocab"
DEPARTMENT_FORMATS = {"Ministerial department", "Non-ministerial department", "Devolved government"}

# slug -> the short name outputs already show, and every spelling departments.py accepted for it.
LEGACY: dict[str, tuple[str, tuple[str, ...]]] = {
    "cabinet-office": ("Cabinet Office", ("CO",)),
    "hm-treasury": ("HMT", ("HM Treasury", "Treasury", "Her Majesty's Treasury", "His Majesty's Treasury")),
    "home-office": ("Home Office", ("HO",)),
    "ministry-of-justice": ("MoJ", ("Ministry of Justice",)),
    "ministry-of-defence": ("MOD", ("Ministry of Defence",)),
    "department-for-education": ("DfE", ("Department for Education",)),
    "department-for-transport": ("DfT", ("Department for Transport",)),
    "department-for-work-pensions": ("DWP", ("Department for Work and Pensions",)),
    "department-of-health-and-social-care": ("DHSC", ("Department of Health and Social Care", "DH",
                                                      "Department of Health")),
    "foreign-commonwealth-development-office": ("FCDO", (
        "Foreign, Commonwealth and Development Office", "FCO", "Foreign and Commonwealth Office", "DFID",
        "Department for International Development")),
    "department-for-environment-food-rural-affairs": ("Defra", (
        "Department for Environment, Food and Rural Affairs",)),
    "department-for-business-and-trade": ("DBT", ("Department for Business and Trade", "DIT",
                                                  "Department for International Trade")),
    "department-for-energy-security-and-net-zero": ("DESNZ", ("Department for Energy Security and Net Zero",)),
    "department-for-science-innovation-and-technology": ("DSIT", (
        "Department for Science, Innovation and Technology",)),
    "department-for-culture-media-and-sport": ("DCMS", ("Department for Culture, Media and Sport",
                                                       "Department for Digital, Culture, Media and Sport")),
    "ministry-of-housing-communities-local-government": ("MHCLG", (
        "Ministry of Housing, Communities and Local Government", "DLUHC",
        "Department for Levelling Up, Housing and Communities", "DCLG")),
    "northern-ireland-office": ("NIO", ("Northern Ireland Office",)),
    "uk-export-finance": ("UKEF", ("UK Export Finance",)),
    "office-for-national-statistics": ("ONS", ("Office for National Statistics", "UKSA", "UK Statistics Authority",
                                               "ONS/UKSA")),
    "hm-revenue-customs": ("HMRC", ("HM Revenue and Customs", "Her Majesty's Revenue and Customs",
                                    "His Majesty's Revenue and Customs")),
    "government-actuarys-department": ("GAD", ("Government Actuary's Department",)),
    "food-standards-agency": ("FSA", ("Food Standards Agency",)),
    "competition-and-markets-authority": ("CMA", ("Competition and Markets Authority",)),
    "ofsted": ("Ofsted", ()), "ofqual": ("Ofqual", ()), "ofgem": ("Ofgem", ()),
    "the-water-services-regulation-authority": ("Ofwat", ()),
    "national-crime-agency": ("NCA", ("National Crime Agency",)),
    "crown-prosecution-service": ("CPS", ("Crown Prosecution Service",)),
    "land-registry": ("HM Land Registry", ("Land Registry", "HMLR")),
    "the-national-archives": ("The National Archives", ("National Archives", "TNA")),
    "the-scottish-government": ("Scottish Government", ("SG", "Scot Gov")),
    "welsh-government": ("Welsh Government", ("WG", "Llywodraeth Cymru")),
    # NICS is the civil service of the Northern Ireland Executive, so it takes the Executive's row.
    "northern-ireland-executive": ("NICS", ("Northern Ireland Civil Service", "NISRA",
                                            "Northern Ireland Statistics and Research Agency")),
    "uk-health-security-agency": ("UKHSA", ("UK Health Security Agency",)),
    "met-office": ("Met Office", ()),
    "valuation-office-agency": ("VOA", ("Valuation Office Agency",)),
    "driver-and-vehicle-licensing-agency": ("DVLA", ("Driver and Vehicle Licensing Agency",)),
}

# Rows folded into another because applicants name them as one department (see LEGACY aliases).
MERGED = {"uk-statistics-authority": "office-for-national-statistics",
          "northern-ireland-statistics-and-research-agency": "northern-ireland-executive"}
# ONS is the executive office of the UK Statistics Authority; merged, the row is a department.
FORMAT_OVERRIDES = {"office-for-national-statistics": "Non-ministerial department"}
# GOV.UK's parent is a stale link to the Treasury Solicitor; the Bank is independent of any department.
PARENT_OVERRIDES: dict[str, str | None] = {"bank-of-england": None}

# Nobody is employed by these: staff belong to HMCTS, a department, or a cross-government profession.
EXCLUDED_FORMATS = {"Court", "Civil service"}
KEEP_UNDER_CIVIL_SERVICE = {"government-people-group"}  # a Cabinet Office unit, not a profession
EXCLUDED_SLUGS = {"civil-service-fast-stream", "civil-service-corporate-finance-profession-cfp"}

# GOV.UK's abbreviation field sometimes holds a word or a generic label, not an abbreviation.
NOT_ABBREVIATIONS = {"Statistics", "The Ombudsman", "Police Discipline", "Independent Reviewer"}
# Abbreviations two kept organisations share -> (slug keeping it, or None for neither; why).
SHARED_ABBREVIATIONS: dict[str, tuple[str | None, str]] = {
    "CSC": (None, "Civil Service Commission and Commonwealth Scholarship Commission both use it"),
}

# The devolved governments' "supersedes" lists bodies that moved to their own websites, many still
# alive: they are not former names. These few are true predecessors of a Northern Ireland department.
EXTRA_SUCCESSION = {
    "department-of-finance-and-personnel-for-northern-ireland": "department-of-finance-northern-ireland",
    "department-of-health-social-services-and-public-safety": "department-of-health-northern-ireland",
    "department-of-agriculture-and-rural-development":
        "department-of-agriculture-environment-and-rural-affairs-northern-ireland",
    "office-of-the-first-minister-and-deputy-first-minister": "the-executive-office-northern-ireland",
}
# GOV.UK gives DSIT the digital half of DDCMS, but departments.py has always read the name as DCMS.
SUCCESSION_OVERRIDES = {"department-for-digital-culture-media-sport": "department-for-culture-media-and-sport"}

# Predecessors are slugs only: titles where the slug does not spell them, and their abbreviations.
PREDECESSOR_TITLES = {
    "treasury-solicitor-s-department": "Treasury Solicitor's Department",
    "service-children-s-education": "Service Children's Education",
    "independent-police-complaint-commission": "Independent Police Complaints Commission",
    "department-of-finance-and-personnel-for-northern-ireland": "Department of Finance and Personnel",
    "department-of-health-social-services-and-public-safety":
        "Department of Health, Social Services and Public Safety",
    "department-for-business-innovation-skills": "Department for Business, Innovation and Skills",
    "incubator-for-artificial-intelligence": "Incubator for Artificial Intelligence",
    "dft-olr-holdings-limited": "DfT OLR Holdings Limited",
}
PREDECESSOR_ABBREVIATIONS = {
    "treasury-solicitor-s-department": "TSol", "department-of-inland-revenue": "Inland Revenue",
    "department-for-children-schools-and-families": "DCSF", "department-for-constitutional-affairs": "DCA",
    "department-of-social-security": "DSS", "education-and-skills-funding-agency": "ESFA",
    "institute-for-apprenticeships-and-technical-education": "IfATE", "national-offender-management-service": "NOMS",
    "hm-court-service": "HMCS", "identity-and-passport-service": "IPS", "uk-border-agency": "UKBA",
    "hm-inspectorate-of-constabulary": "HMIC", "independent-police-complaint-commission": "IPCC",
    "centre-for-the-protection-of-national-infrastructure": "CPNI", "central-digital-and-data-office": "CDDO",
    "infrastructure-and-projects-authority": "IPA", "national-infrastructure-commission": "NIC",
    "government-equalities-office": "GEO", "race-disparity-unit": "RDU", "health-education-england": "HEE",
    "office-for-low-emission-vehicles": "OLEV", "oil-and-gas-authority": "OGA", "office-for-fair-access": "OFFA",
    "qualifications-and-curriculum-authority": "QCA", "qualifications-and-curriculum-development-agency": "QCDA",
    "vehicle-and-operator-services-agency": "VOSA", "animal-health-and-veterinary-laboratories-agency": "AHVLA",
    "the-food-and-environment-research-agency": "Fera", "defence-and-security-accelerator": "DASA",
    "conflict-stability-and-security-fund": "CSSF", "office-of-manpower-economics": "OME",
    "office-of-the-immigration-services-commissioner": "OISC", "department-for-regional-development": "DRD",
    "department-for-social-development": "DSD", "department-of-enterprise-trade-and-investment": "DETI",
    "department-of-finance-and-personnel-for-northern-ireland": "DFP",
    "department-of-health-social-services-and-public-safety": "DHSSPS",
    "department-of-agriculture-and-rural-development": "DARD",
    "office-of-the-first-minister-and-deputy-first-minister": "OFMDFM",
    "service-personnel-and-veterans-agency": "SPVA", "the-pensions-advisory-service": "TPAS",
    "uk-financial-investments-limited": "UKFI", "incubator-for-artificial-intelligence": "i.AI",
}
# Spellings applicants use that GOV.UK does not list.
CURATED_ALIASES = {
    "ofsted": ("Office for Standards in Education, Children's Services and Skills",),
    "ofqual": ("Office of Qualifications and Examinations Regulation",),
    "ofgem": ("Office of Gas and Electricity Markets",),
    "ofcom": ("Office of Communications",),
    "ns-i": ("National Savings and Investments",),
    "children-and-family-court-advisory-and-support-service":
        ("Children and Family Court Advisory and Support Service",),
    "secret-intelligence-service": ("MI6",),
    "prime-ministers-office-10-downing-street": ("No 10", "10 Downing Street"),
    "high-speed-two-limited": ("HS2", "High Speed Two"),
    "sports-council-for-northern-ireland": ("Sport Northern Ireland", "Sports Council for Northern Ireland"),
    "national-employment-savings-trust": ("NEST", "National Employment Savings Trust"),
    "reserve-forces-and-cadets-associations": ("RFCA", "Reserve Forces' and Cadets' Associations"),
}

# Closed bodies whose work went to several successors: (title, abbreviation, note). Never guessed.
AMBIGUOUS_NOTES = {
    "department-for-business-energy-and-industrial-strategy": (
        "Department for Business, Energy and Industrial Strategy", "BEIS",
        "BEIS was split into DESNZ, DSIT and DBT in 2023"),
    "department-of-the-environment-transport-and-the-regions": (
        "Department of the Environment, Transport and the Regions", "DETR",
        "DETR was split in 2001; GOV.UK lists Defra and DfT as successors"),
    "public-health-england": ("Public Health England", "PHE",
                              "PHE closed in 2021: health protection went to UKHSA, health improvement to OHID"),
    "homes-and-communities-agency": ("Homes and Communities Agency", "HCA",
                                     "The HCA was split in 2018 into Homes England and the Regulator of Social Housing"),
    "higher-education-funding-council-for-england": (
        "Higher Education Funding Council for England", "HEFCE",
        "HEFCE closed in 2018: its work went to the Office for Students and UKRI"),
    "national-college-for-teaching-and-leadership": (
        "National College for Teaching and Leadership", "NCTL",
        "NCTL closed in 2018: its work went to DfE and the Teaching Regulation Agency"),
    "national-information-board": ("National Information Board", "",
                                   "GOV.UK lists NHS England, the CQC and the HRA as its successors"),
    "centre-for-data-ethics-and-innovation": (
        "Centre for Data Ethics and Innovation", "CDEI",
        "CDEI's work went to DSIT and the Government Digital Service"),
    "department-of-culture-arts-and-leisure": (
        "Department of Culture, Arts and Leisure", "DCAL",
        "DCAL (NI) was split in 2016 between the Departments for Communities, Infrastructure and Agriculture"),
}
# Predecessors GOV.UK does not list as superseded, with the successors their work went to.
EXTRA_AMBIGUOUS = {
    "department-for-business-innovation-skills": (
        ("department-for-business-and-trade", "department-for-energy-security-and-net-zero",
         "department-for-science-innovation-and-technology", "department-for-education"),
        "BIS", "BIS became BEIS in 2016 (higher education to DfE); BEIS was split into DESNZ, DSIT and DBT in 2023"),
}

_SMALL_WORDS = {"and", "of", "for", "the", "on", "in", "to"}
_UPPER_WORDS = {"hm", "uk", "nhs", "ai", "cesg", "bpdts", "ukti", "fco"}


def check_key(spelling: str) -> str:
    """A key at least as coarse as vocab_key, and blind to a leading 'the', for the collision check."""
    key = re.sub(r"\W+", " ", vocab_key(spelling)).strip()
    return key[4:] if key.startswith("the ") else key


def title_from_slug(slug: str) -> str:
    if slug in PREDECESSOR_TITLES:
        return PREDECESSOR_TITLES[slug]
    words = slug.split("-")
    if "s" in words:  # an apostrophe the slug lost: the title must be written out
        sys.exit(f"add {slug!r} to PREDECESSOR_TITLES: its slug lost an apostrophe")
    spelled = [w.upper() if w in _UPPER_WORDS else w if i and w in _SMALL_WORDS else w.capitalize()
               for i, w in enumerate(words)]
    return " ".join(spelled)


def read_register(path: Path) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = {row["slug"]: row for row in csv.DictReader(handle, delimiter="\t")}
    for row in rows.values():
        row["title"] = " ".join(row["title"].split())
        row["abbreviation"] = " ".join(row["abbreviation"].split())
    return rows


def kept_slugs(rows: dict[str, dict[str, str]]) -> set[str]:
    """Organisations an analyst could work for: not closed, not a court, not a profession."""
    def keep(slug: str, row: dict[str, str]) -> bool:
        parents = row["parents"].split(";")
        return (row["status"] != "closed" and row["format"] not in EXCLUDED_FORMATS and slug not in MERGED
                and slug not in EXCLUDED_SLUGS
                and not ("civil-service" in parents and slug not in KEEP_UNDER_CIVIL_SERVICE)
                and not (row["format"] == "Tribunal" and parents == ["hm-courts-and-tribunals-service"]))
    return {slug for slug, row in rows.items() if keep(slug, row)}


def successions(rows: dict[str, dict[str, str]], kept: set[str]) -> dict[str, list[str]]:
    """Closed predecessor slug -> the kept organisations that took its work."""
    found: dict[str, list[str]] = defaultdict(list)
    for slug in sorted(kept):
        if rows[slug]["format"] == "Devolved government":
            continue
        for old in filter(None, rows[slug]["supersedes"].split(";")):
            if old not in kept and old not in MERGED:
                found[old].append(slug)
    for old, new in (EXTRA_SUCCESSION | SUCCESSION_OVERRIDES).items():
        found[old] = [new]
    return dict(found)


def abbreviation_of(slug: str, row: dict[str, str]) -> str:
    abbreviation = row["abbreviation"]
    if not abbreviation or abbreviation in NOT_ABBREVIATIONS or check_key(abbreviation) == check_key(row["title"]):
        return ""
    if abbreviation in SHARED_ABBREVIATIONS and SHARED_ABBREVIATIONS[abbreviation][0] != slug:
        return ""
    return abbreviation


def resolve_parent(parent: str, kept: set[str], succ: dict[str, list[str]]) -> str | None:
    """A kept organisation for a parent slug: itself, the row it was merged into, or its sole successor."""
    parent = MERGED.get(parent, parent)
    if parent in kept:
        return parent
    successors = succ.get(parent, [])
    return successors[0] if len(successors) == 1 else None


def family_of(slug: str, rows: dict[str, dict[str, str]], kept: set[str], succ: dict[str, list[str]]) -> str:
    """The department at the top of the slug's parents (first parent first), or the topmost body."""
    seen = [slug]
    while rows[seen[-1]]["format"] not in DEPARTMENT_FORMATS and seen[-1] not in FORMAT_OVERRIDES:
        current = seen[-1]
        parents = rows[current]["parents"].split(";") if current not in PARENT_OVERRIDES else []
        resolved = [resolve_parent(p, kept, succ) for p in filter(None, parents)]
        parent = next((p for p in resolved if p and p not in seen), None)
        if parent is None:
            break
        seen.append(parent)
    return seen[-1]


def without_the(spellings: list[str]) -> list[str]:
    """Vocabulary keys keep a leading 'The', and applicants often drop it: list both."""
    return [s for spelling in spellings for s in (spelling, spelling[4:] if spelling.startswith("The ") else "") if s]


def build(rows: dict[str, dict[str, str]]) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    kept = kept_slugs(rows)
    succ = successions(rows, kept)
    names = {slug: LEGACY[slug][0] if slug in LEGACY else rows[slug]["title"] for slug in kept}
    extra: dict[str, list[str]] = defaultdict(list)
    for old, target in MERGED.items():
        extra[target] += [rows[old]["title"], abbreviation_of(old, rows[old])]
    for old, new in succ.items():
        if len(new) == 1 and old not in AMBIGUOUS_NOTES:
            title = rows[old]["title"] if old in rows else title_from_slug(old)
            extra[new[0]] += [title, PREDECESSOR_ABBREVIATIONS.get(old, "")]
    organisations = []
    for slug in sorted(kept, key=lambda s: names[s].casefold()):
        row = rows[slug]
        abbreviation = abbreviation_of(slug, row)
        shown = {check_key(s) for s in (names[slug], row["title"], abbreviation) if s}
        aliases: dict[str, str] = {}
        candidates = [*LEGACY.get(slug, ("", ()))[1], *extra[slug], *CURATED_ALIASES.get(slug, ())]
        for spelling in without_the([row["title"], *candidates]):
            if spelling and check_key(spelling) not in shown:
                aliases.setdefault(vocab_key(spelling), spelling)
        organisations.append({
            "name": names[slug], "title": row["title"], "abbreviation": abbreviation,
            "format": FORMAT_OVERRIDES.get(slug, row["format"]),
            "family": names[family_of(slug, rows, kept, succ)], "aliases": ";".join(aliases.values())})
    ambiguous = []
    plural = {old: (new, *AMBIGUOUS_NOTES.get(old, ("", "", ""))) for old, new in succ.items() if len(new) > 1}
    plural |= {old: (list(new), title_from_slug(old), abbr, note) for old, (new, abbr, note) in EXTRA_AMBIGUOUS.items()}
    for old, (new, title, abbreviation, note) in sorted(plural.items()):
        if not note:
            sys.exit(f"{old!r} went to {new}: add it to AMBIGUOUS_NOTES (or to SUCCESSION_OVERRIDES)")
        successors = ";".join(sorted(names[s] for s in new))
        ambiguous += [{"spelling": s, "successors": successors, "note": note} for s in (title, abbreviation) if s]
    return organisations, ambiguous


def check(organisations: list[dict[str, str]], ambiguous: list[dict[str, str]]) -> None:
    """Fail loudly when one spelling could name two organisations, or names a dissolved one too."""
    owners: dict[str, set[str]] = defaultdict(set)
    names = {org["name"] for org in organisations}
    problems = [f"{len(organisations) - len(names)} duplicate names"] if len(names) != len(organisations) else []
    for org in organisations:
        spellings = [org["name"], org["title"], org["abbreviation"], *filter(None, org["aliases"].split(";"))]
        for spelling in filter(None, spellings):
            owners[check_key(spelling)].add(org["name"])
        if org["family"] not in names:
            problems.append(f"{org['name']}: family {org['family']!r} is not an organisation")
    for key, found in sorted(owners.items()):
        if len(found) > 1:
            problems.append(f"{key!r} names {sorted(found)}: curate SHARED_ABBREVIATIONS or the aliases")
    for entry in ambiguous:
        if check_key(entry["spelling"]) in owners:
            problems.append(f"ambiguous {entry['spelling']!r} is also a spelling of {owners[check_key(entry['spelling'])]}")
    fields = [value for entry in (*organisations, *ambiguous) for value in entry.values()]
    problems += [f"{value!r} holds a tab or new line" for value in fields if re.search(r"[\t\r\n]", value)]
    if problems:
        sys.exit("organisations register not written:\n  " + "\n  ".join(problems))


def write(path: Path, header: list[str], entries: list[dict[str, str]], as_of: str) -> None:
    comments = [
        "Contains public sector information licensed under the Open Government Licence v3.0",
        "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
        f"Derived from GOV.UK's organisations register ({as_of}) and curated for mentormatch: closed bodies",
        "folded into their sole successor, short names kept, shared abbreviations dropped.",
        "Generated by scripts/build_organisations.py: edit its tables, not this file.",
    ]
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.writelines(f"# {line}\n" for line in comments)
        writer = csv.DictWriter(handle, header, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE)
        writer.writeheader()
        writer.writerows(entries)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("register", type=Path, help="GOV.UK's organisations register export (TSV)")
    parser.add_argument("--as-of", default="Feb 2026", help="when the export was taken, for the attribution")
    parser.add_argument("--out", type=Path, default=OUT, help="folder to write the curated files to")
    args = parser.parse_args(argv)
    organisations, ambiguous = build(read_register(args.register))
    check(organisations, ambiguous)
    write(args.out / "organisations.tsv", ["name", "title", "abbreviation", "format", "family", "aliases"],
          organisations, args.as_of)
    write(args.out / "organisations-ambiguous.tsv", ["spelling", "successors", "note"], ambiguous, args.as_of)
    print(f"{len(organisations)} organisations, {len(ambiguous)} ambiguous spellings written to {args.out}")


if __name__ == "__main__":
    main()
