"""Build mentormatch's curated register of UK government organisations from GOV.UK's organisations register export.

Usage: python scripts/build_organisations.py REGISTER.tsv. Writes organisations.tsv and organisations-ambiguous.tsv
into src/mentormatch/vocab, or nothing (saying why) when a spelling could name two organisations: fix the tables."""

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

# slug -> "short name|the other spellings departments.py accepted" (GOV.UK titles are spellings already):
# outputs show these names, and applicants' files use these spellings.
LEGACY = {
    "cabinet-office": "Cabinet Office|CO", "home-office": "Home Office|HO", "ministry-of-justice": "MoJ",
    "hm-treasury": "HMT|Treasury|Her Majesty's Treasury|His Majesty's Treasury", "ministry-of-defence": "MOD",
    "department-for-education": "DfE", "department-for-transport": "DfT", "department-for-work-pensions": "DWP",
    "department-of-health-and-social-care": "DHSC|DH|Department of Health",
    "foreign-commonwealth-development-office":
        "FCDO|FCO|Foreign and Commonwealth Office|DFID|Department for International Development",
    "department-for-environment-food-rural-affairs": "Defra",
    "department-for-business-and-trade": "DBT|DIT|Department for International Trade",
    "department-for-energy-security-and-net-zero": "DESNZ", "department-for-science-innovation-and-technology": "DSIT",
    "department-for-culture-media-and-sport": "DCMS|Department for Digital, Culture, Media and Sport",
    "ministry-of-housing-communities-local-government":
        "MHCLG|DLUHC|Department for Levelling Up, Housing and Communities|DCLG",
    "northern-ireland-office": "NIO", "uk-export-finance": "UKEF", "met-office": "Met Office",
    "hm-revenue-customs": "HMRC|Her Majesty's Revenue and Customs|His Majesty's Revenue and Customs",
    "office-for-national-statistics": "ONS|UKSA|UK Statistics Authority|ONS/UKSA",
    "government-actuarys-department": "GAD", "food-standards-agency": "FSA", "competition-and-markets-authority": "CMA",
    "ofsted": "Ofsted", "ofqual": "Ofqual", "ofgem": "Ofgem", "the-water-services-regulation-authority": "Ofwat",
    "national-crime-agency": "NCA", "crown-prosecution-service": "CPS", "uk-health-security-agency": "UKHSA",
    "land-registry": "HM Land Registry|Land Registry|HMLR", "valuation-office-agency": "VOA",
    "the-national-archives": "The National Archives|National Archives|TNA",
    "the-scottish-government": "Scottish Government|SG|Scot Gov", "driver-and-vehicle-licensing-agency": "DVLA",
    "welsh-government": "Welsh Government|WG|Llywodraeth Cymru",
    # NICS is the civil service of the Northern Ireland Executive, so it takes the Executive's row.
    "northern-ireland-executive":
        "NICS|Northern Ireland Civil Service|NISRA|Northern Ireland Statistics and Research Agency",
}
# Rows folded into another because applicants name them as one department (see LEGACY).
MERGED = {"uk-statistics-authority": "office-for-national-statistics",
          "northern-ireland-statistics-and-research-agency": "northern-ireland-executive"}
# ONS is the executive office of the UK Statistics Authority: merged, the row is a department. The Bank's
# parent on GOV.UK is a stale link to the Treasury Solicitor; it is independent of any department.
OVERRIDES = {"office-for-national-statistics": {"format": "Non-ministerial department"},
             "bank-of-england": {"parents": ""}}
# Nobody is employed by these: staff belong to HMCTS, to a department, or it is a cross-government
# profession or function (whose abbreviations GSS, GES, GORS would also shadow the profession list).
EXCLUDED_FORMATS = {"Court", "Civil service"}
KEEP_UNDER_CIVIL_SERVICE = {"government-people-group"}  # a Cabinet Office unit, not a profession
EXCLUDED_SLUGS = {"civil-service-fast-stream", "civil-service-corporate-finance-profession-cfp"}
# GOV.UK's abbreviation field sometimes holds a word or a generic label, not an abbreviation.
NOT_ABBREVIATIONS = {"Statistics", "The Ombudsman", "Police Discipline", "Independent Reviewer"}
# Abbreviations shared by kept organisations -> (slug keeping it, None for neither; why). An
# ambiguous abbreviation must never silently pick one: check() fails on any share not listed here.
SHARED_ABBREVIATIONS = {"CSC": (None, "both the Civil Service and the Commonwealth Scholarship Commissions use it")}
# Successors GOV.UK does not give. A devolved government's "supersedes" lists bodies that moved to its
# own website, many still alive, so it is ignored: these are true predecessors of NI departments.
# GOV.UK gives DDCMS to DSIT too, but departments.py always read it as DCMS and outputs rely on that.
# BIS is missing from GOV.UK's predecessors, yet still HESA's parent there.
EXTRA_SUCCESSORS = {
    "department-of-finance-and-personnel-for-northern-ireland": ["department-of-finance-northern-ireland"],
    "department-of-health-social-services-and-public-safety": ["department-of-health-northern-ireland"],
    "department-of-agriculture-and-rural-development":
        ["department-of-agriculture-environment-and-rural-affairs-northern-ireland"],
    "office-of-the-first-minister-and-deputy-first-minister": ["the-executive-office-northern-ireland"],
    "department-for-digital-culture-media-sport": ["department-for-culture-media-and-sport"],
    "department-for-business-innovation-skills": ["department-for-business-and-trade", "department-for-education",
        "department-for-energy-security-and-net-zero", "department-for-science-innovation-and-technology"],
}
# Closed bodies whose work went to several successors -> why. Reported, never guessed.
AMBIGUOUS_NOTES = {
    "department-for-business-energy-and-industrial-strategy": "BEIS was split into DESNZ, DSIT and DBT in 2023",
    "department-of-the-environment-transport-and-the-regions": "DETR was split in 2001; GOV.UK names Defra and DfT",
    "public-health-england": "PHE closed in 2021: health protection went to UKHSA, health improvement to OHID",
    "homes-and-communities-agency": "The HCA was split in 2018 into Homes England and the Regulator of Social Housing",
    "higher-education-funding-council-for-england": "HEFCE's work went to the Office for Students and UKRI in 2018",
    "national-college-for-teaching-and-leadership": "NCTL's work went to DfE and the Teaching Regulation Agency",
    "national-information-board": "GOV.UK names NHS England, the CQC and the HRA as its successors",
    "centre-for-data-ethics-and-innovation": "CDEI's work went to DSIT and the Government Digital Service",
    "department-of-culture-arts-and-leisure": "DCAL (NI) was split in 2016 between three NI departments",
    "department-for-business-innovation-skills":
        "BIS became BEIS in 2016 (higher education went to DfE); BEIS was split into DESNZ, DSIT and DBT in 2023",
}
# Predecessors are slugs only: slug -> "title, where the slug cannot spell it|abbreviation worth keeping".
PREDECESSORS = {
    "department-for-business-energy-and-industrial-strategy":
        "Department for Business, Energy and Industrial Strategy|BEIS",
    "department-of-the-environment-transport-and-the-regions":
        "Department of the Environment, Transport and the Regions|DETR",
    "department-for-business-innovation-skills": "Department for Business, Innovation and Skills|BIS",
    "department-of-culture-arts-and-leisure": "Department of Culture, Arts and Leisure|DCAL",
    "department-for-digital-culture-media-sport": "Department for Digital, Culture, Media and Sport|",
    "department-of-finance-and-personnel-for-northern-ireland": "Department of Finance and Personnel|DFP",
    "department-of-health-social-services-and-public-safety":
        "Department of Health, Social Services and Public Safety|DHSSPS",
    "treasury-solicitor-s-department": "Treasury Solicitor's Department|TSol",
    "independent-police-complaint-commission": "Independent Police Complaints Commission|IPCC",
    "service-children-s-education": "Service Children's Education|",
    "dft-olr-holdings-limited": "DfT OLR Holdings Limited|", "public-health-england": "|PHE",
    "homes-and-communities-agency": "|HCA", "centre-for-data-ethics-and-innovation": "|CDEI",
    "higher-education-funding-council-for-england": "|HEFCE", "national-college-for-teaching-and-leadership": "|NCTL",
    "department-of-inland-revenue": "|Inland Revenue", "department-for-children-schools-and-families": "|DCSF",
    "department-for-constitutional-affairs": "|DCA", "department-of-social-security": "|DSS",
    "education-and-skills-funding-agency": "|ESFA", "institute-for-apprenticeships-and-technical-education": "|IfATE",
    "national-offender-management-service": "|NOMS", "hm-court-service": "|HMCS", "uk-border-agency": "|UKBA",
    "identity-and-passport-service": "|IPS", "hm-inspectorate-of-constabulary": "|HMIC",
    "central-digital-and-data-office": "|CDDO", "centre-for-the-protection-of-national-infrastructure": "|CPNI",
    "infrastructure-and-projects-authority": "|IPA", "national-infrastructure-commission": "|NIC",
    "government-equalities-office": "|GEO", "race-disparity-unit": "|RDU", "health-education-england": "|HEE",
    "office-for-low-emission-vehicles": "|OLEV", "oil-and-gas-authority": "|OGA", "office-for-fair-access": "|OFFA",
    "qualifications-and-curriculum-authority": "|QCA", "qualifications-and-curriculum-development-agency": "|QCDA",
    "vehicle-and-operator-services-agency": "|VOSA", "animal-health-and-veterinary-laboratories-agency": "|AHVLA",
    "the-food-and-environment-research-agency": "|Fera", "defence-and-security-accelerator": "|DASA",
    "conflict-stability-and-security-fund": "|CSSF", "office-of-manpower-economics": "|OME",
    "office-of-the-immigration-services-commissioner": "|OISC", "department-for-regional-development": "|DRD",
    "department-for-social-development": "|DSD", "department-of-enterprise-trade-and-investment": "|DETI",
    "incubator-for-artificial-intelligence": "|i.AI", "department-of-agriculture-and-rural-development": "|DARD",
    "office-of-the-first-minister-and-deputy-first-minister": "|OFMDFM", "the-pensions-advisory-service": "|TPAS",
    "service-personnel-and-veterans-agency": "|SPVA", "uk-financial-investments-limited": "|UKFI",
}
# Spellings applicants use that GOV.UK does not list.
CURATED_ALIASES = {
    "ofsted": "Office for Standards in Education, Children's Services and Skills", "secret-intelligence-service": "MI6",
    "ofqual": "Office of Qualifications and Examinations Regulation", "ofcom": "Office of Communications",
    "ofgem": "Office of Gas and Electricity Markets", "ns-i": "National Savings and Investments|National Savings",
    "high-speed-two-limited": "HS2|High Speed Two", "prime-ministers-office-10-downing-street": "No 10",
    "children-and-family-court-advisory-and-support-service": "Children and Family Court Advisory and Support Service",
    "sports-council-for-northern-ireland": "Sport Northern Ireland|Sports Council for Northern Ireland",
    "national-employment-savings-trust": "NEST|National Employment Savings Trust",
    "reserve-forces-and-cadets-associations": "RFCA|Reserve Forces' and Cadets' Associations",
}
ATTRIBUTION = """\
# Contains public sector information licensed under the Open Government Licence v3.0
# https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/
# Derived from GOV.UK's organisations register ({as_of}) and curated for mentormatch by
# scripts/build_organisations.py (edit its tables, not this file): closed bodies folded into their sole successor.
"""
_SMALL_WORDS = {"and", "of", "for", "the", "on", "in", "to"}
_UPPER_WORDS = {"hm", "hr", "uk", "nhs", "ai", "cesg", "bpdts", "ukti", "fco"}


def check_key(spelling: str) -> str:
    """A key at least as coarse as vocab_key, and blind to a leading 'the', for the collision check."""
    return re.sub(r"\W+", " ", vocab_key(spelling)).strip().removeprefix("the ")


def predecessor(slug: str) -> list[str]:
    """A closed body's title and abbreviation, spelled from its slug unless PREDECESSORS knows better."""
    title, _, abbreviation = PREDECESSORS.get(slug, "|").partition("|")
    words = slug.split("-")
    if not title and "s" in words:  # the slug lost an apostrophe, which vocabulary keys keep
        sys.exit(f"add {slug!r} to PREDECESSORS: its slug lost an apostrophe")
    title = title or " ".join(w.upper() if w in _UPPER_WORDS else w if i and w in _SMALL_WORDS else w.capitalize()
                              for i, w in enumerate(words))
    return [title, abbreviation]


def read_register(path: Path) -> dict[str, dict[str, str]]:
    """slug -> register row, tidied, with the overrides above applied."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = {row["slug"]: row for row in csv.DictReader(handle, delimiter="\t")}
    for slug, row in rows.items():
        row["title"], row["abbreviation"] = " ".join(row["title"].split()), " ".join(row["abbreviation"].split())
        row.update(OVERRIDES.get(slug, {}))
    return rows


def kept_slugs(rows: dict[str, dict[str, str]]) -> set[str]:
    """Organisations an analyst could work for: not closed, not a court, not a profession."""
    return {slug for slug, row in rows.items()
            if row["status"] != "closed" and row["format"] not in EXCLUDED_FORMATS and slug not in MERGED
            and slug not in EXCLUDED_SLUGS
            and (slug in KEEP_UNDER_CIVIL_SERVICE or "civil-service" not in row["parents"].split(";"))
            and not (row["format"] == "Tribunal" and row["parents"] == "hm-courts-and-tribunals-service")}


def successions(rows: dict[str, dict[str, str]], kept: set[str]) -> dict[str, list[str]]:
    """Closed predecessor slug -> the kept organisations that took its work."""
    found: defaultdict[str, list[str]] = defaultdict(list)
    for slug in sorted(kept):
        for old in rows[slug]["supersedes"].split(";") if rows[slug]["format"] != "Devolved government" else []:
            if old and old not in kept and old not in MERGED:
                found[old].append(slug)
    return found | EXTRA_SUCCESSORS


def abbreviation_of(slug: str, row: dict[str, str]) -> str:
    """GOV.UK's abbreviation, unless it is the title again, not an abbreviation, or shared (see the tables)."""
    abbreviation = row["abbreviation"]
    dropped = abbreviation in NOT_ABBREVIATIONS or check_key(abbreviation) == check_key(row["title"])
    shared = abbreviation in SHARED_ABBREVIATIONS and SHARED_ABBREVIATIONS[abbreviation][0] != slug
    return "" if dropped or shared else abbreviation


def family_of(slug: str, rows: dict[str, dict[str, str]], kept: set[str], succ: dict[str, list[str]]) -> str:
    """The first department up the first parents, or the topmost body when none is above it."""
    def resolve(parent: str) -> str | None:  # a merged row's target, or a closed parent's sole successor
        parent = MERGED.get(parent, parent)
        successors = [parent] if parent in kept else succ.get(parent, [])
        return successors[0] if len(successors) == 1 else None
    chain = [slug]
    while rows[chain[-1]]["format"] not in DEPARTMENT_FORMATS:
        parents = [resolve(p) for p in rows[chain[-1]]["parents"].split(";") if p]
        parent = next((p for p in parents if p and p not in chain), None)
        if parent is None:
            break
        chain.append(parent)
    return chain[-1]


def build(rows: dict[str, dict[str, str]]) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """The curated organisations and the ambiguous spellings, as rows of the two output files."""
    kept = kept_slugs(rows)
    succ = successions(rows, kept)  # closed slug -> successors
    names = {slug: LEGACY[slug].split("|")[0] if slug in LEGACY else rows[slug]["title"] for slug in kept}
    extra: defaultdict[str, list[str]] = defaultdict(list)
    for old, target in MERGED.items():
        extra[target] += [rows[old]["title"], abbreviation_of(old, rows[old])]
    for old, new in succ.items():
        if len(new) == 1:
            extra[new[0]] += [rows[old]["title"], ""] if old in rows else predecessor(old)
    organisations = []
    for slug in sorted(kept, key=lambda s: (names[s].casefold(), s)):
        row, abbreviation = rows[slug], abbreviation_of(slug, rows[slug])
        shown = {vocab_key(s) for s in (names[slug], row["title"], abbreviation) if s}
        candidates = [*LEGACY.get(slug, "").split("|")[1:], *extra[slug], *CURATED_ALIASES.get(slug, "").split("|")]
        aliases: dict[str, str] = {}
        for spelling in (s for c in (row["title"], *filter(None, candidates)) for s in (c, c.removeprefix("The "))):
            if vocab_key(spelling) not in shown:  # vocabulary keys keep a leading "The": list it with and without
                aliases.setdefault(vocab_key(spelling), spelling)
        organisations.append({
            "name": names[slug], "title": row["title"], "abbreviation": abbreviation, "format": row["format"],
            "family": names[family_of(slug, rows, kept, succ)], "aliases": ";".join(aliases.values())})
    ambiguous = []
    for old, new in sorted(succ.items()):
        if len(new) > 1:
            if old not in AMBIGUOUS_NOTES:
                sys.exit(f"{old!r} went to {new}: add it to AMBIGUOUS_NOTES, or its one heir to EXTRA_SUCCESSORS")
            heirs = ";".join(sorted(names[s] for s in new))
            ambiguous += [{"spelling": s, "successors": heirs, "note": AMBIGUOUS_NOTES[old]}
                          for s in predecessor(old) if s]
    return organisations, ambiguous


def check(organisations: list[dict[str, str]], ambiguous: list[dict[str, str]]) -> None:
    """Fail loudly when one spelling could name two organisations, or a dissolved one as well."""
    owners: defaultdict[str, set[int]] = defaultdict(set)  # by row, so that two rows of one name are caught too
    names = {org["name"] for org in organisations}
    for row, org in enumerate(organisations):
        for spelling in filter(None, (org["name"], org["title"], org["abbreviation"], *org["aliases"].split(";"))):
            owners[check_key(spelling)].add(row)
    problems = [f"{org['name']}: family {org['family']!r} is not an organisation"
                for org in organisations if org["family"] not in names]
    problems += [f"{name!r} (from LEGACY) is not an organisation"
                 for name in (spellings.split("|")[0] for spellings in LEGACY.values()) if name not in names]
    problems += [f"{key!r} names {[organisations[row]['name'] for row in sorted(found)]}: curate "
                 "SHARED_ABBREVIATIONS or the aliases" for key, found in sorted(owners.items()) if len(found) > 1]
    problems += [f"ambiguous {entry['spelling']!r} is also an organisation's spelling"
                 for entry in ambiguous if check_key(entry["spelling"]) in owners]
    values = [value for entry in (*organisations, *ambiguous) for value in entry.values()]
    problems += [f"{value!r} holds a tab or a new line" for value in values if re.search(r"[\t\r\n]", value)]
    if problems:
        sys.exit("organisations register not written:\n  " + "\n  ".join(problems))


def write(path: Path, header: list[str], entries: list[dict[str, str]], as_of: str) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(ATTRIBUTION.format(as_of=as_of))
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
    print(f"{len(organisations)} organisations and {len(ambiguous)} ambiguous spellings written to {args.out}")


if __name__ == "__main__":
    main()
