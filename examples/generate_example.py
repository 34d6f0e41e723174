"""Generate a fictional Microsoft Forms export of Mutual Mentoring scheme applications."""

import argparse
import csv
import random
from datetime import datetime, timedelta
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

DEFAULT_SEED = 2026
DEFAULT_COUNT = 120
SHEET_NAME = "Form1"
EMAIL_DOMAIN = "example.gov.uk"
WORD_LIMIT = 150

COL_ID = "ID"
COL_START = "Start time"
COL_COMPLETE = "Completion time"
COL_EMAIL = "Email"
COL_NAME = "Name"
COL_ROLE = "Which role are you applying for?"
COL_GRADE = "What is your grade?"
COL_DEPT = "Which department do you work in?"
COL_PROFESSION = "What is your profession (or main area of work)?"
COL_BARRIERS = (
    "Do you consider there to be barriers to your career progression related to "
    "protected characteristics or socio-economic background?"
)
COL_EOI = "Expression of interest (maximum 150 words)"
COL_FOCUS = "What would you like to focus on?"
COL_NETWORKS = "Which staff networks are you part of, or would like to know more about?"
COL_CAPACITY = "Senior partners: how many partners could you take on?"
COL_AVOID = "Is there anyone you should not be matched with (email)?"

HEADERS: list[str] = [
    COL_ID,
    COL_START,
    COL_COMPLETE,
    COL_EMAIL,
    COL_NAME,
    COL_ROLE,
    COL_GRADE,
    COL_DEPT,
    COL_PROFESSION,
    COL_BARRIERS,
    COL_EOI,
    COL_FOCUS,
    COL_NETWORKS,
    COL_CAPACITY,
    COL_AVOID,
]

ROLE_JUNIOR = "Junior partner (Grade 6 or below)"
ROLE_SENIOR = "Senior partner (Grade 7 or above)"
JUNIOR_SHARE = 0.62

WINDOW_START = datetime(2026, 9, 1)
WINDOW_DAYS = 21

FIRST_NAMES: list[str] = [
    "Amara", "Ben", "Chloe", "Dev", "Eilidh", "Femi", "Grace", "Hamza", "Isla", "Jamal",
    "Kasia", "Liam", "Mei", "Niamh", "Omar", "Priya", "Quentin", "Rhiannon", "Sanjay",
    "Tomasz", "Uche", "Vikram", "Wren", "Xander", "Yasmin", "Zoë", "Aled", "Bronwen",
    "Ciaran", "Deborah", "Ravi", "Siobhán", "Tariq", "Ursula", "Kwame", "Fatima",
]
SURNAMES: list[str] = [
    "Ashdown", "Bramley", "Calloway", "Dunmore", "Ellery", "Fairbairn", "Gladwell",
    "Hollings", "Ingram", "Jessop", "Kettering", "Larkworth", "Mabbott", "Nettleford",
    "Okonjo", "Pemberton", "Quarrie", "Rushworth", "Sandilands", "Thistlewood",
    "Underhill", "Varga", "Whitlock", "Yardley", "Zielinski", "Adeyemi", "Bhattacharya",
    "Chaudhry", "Dimitriou", "Nakamura", "O'Rourke", "Price-Jones",
]
ASCII_FOLD: dict[str, str] = {"ë": "e", "á": "a", "'": "", " ": ""}

JUNIOR_GRADES: dict[str, int] = {
    "Executive Officer (or equivalent)": 3,
    "EO": 3,
    "Higher Executive Officer (or equivalent)": 10,
    "HEO": 12,
    "HEO(D)": 3,
    "Senior Executive Officer": 10,
    "SEO": 12,
    "Grade 7": 4,
    "G7": 3,
    "Grade 6": 2,
    "Assistant Statistician": 3,
    "Research Officer": 3,
    "Fast Stream": 3,
}
SENIOR_GRADES: dict[str, int] = {
    "Grade 7 (or equivalent)": 14,
    "Grade 6": 12,
    "Deputy Director": 6,
    "SCS1": 3,
    "SCS Pay Band 1": 2,
    "Director": 1,
    "Senior Principal Research Officer": 2,
    "DD": 5,
}
DEPARTMENTS: dict[str, int] = {
    "DfT": 5,
    "Department for Transport": 3,
    "HMRC": 6,
    "HM Revenue & Customs": 3,
    "ONS": 9,
    "Office for National Statistics": 4,
    "DWP": 7,
    "Home Office": 5,
    "MoJ": 4,
    "DfE": 5,
    "DHSC": 4,
    "Defra": 4,
    "HMT": 3,
    "Cabinet Office": 3,
    "DLUHC": 3,
    "FCDO": 2,
    "DESNZ": 3,
    "DSIT": 3,
    "DBT": 2,
    "Scottish Government": 3,
    "Welsh Government": 2,
    "Ministry of Defence": 3,
    "Met Office": 1,
    "Valuation Office Agency": 1,
}
PROFESSIONS: dict[str, int] = {
    "GSS": 12,
    "Government Statistical Service": 5,
    "GES": 7,
    "Economics": 4,
    "GSR": 7,
    "Social research": 4,
    "GORS": 4,
    "Operational research": 3,
    "Data science": 6,
    "GSS; GSR": 2,
    "Geography": 2,
    "Actuary": 1,
    "performance analysis": 2,
}
BARRIERS_JUNIOR: dict[str, int] = {"Yes": 85, "No": 9, "Prefer not to say": 6}
BARRIERS_SENIOR: dict[str, int] = {"Yes": 40, "No": 50, "Prefer not to say": 10}

FOCUS_JUNIOR: dict[str, int] = {
    "Leadership": 4,
    "Career development": 10,
    "Confidence": 8,
    "Wellbeing": 3,
    "Networking": 6,
    "Inclusion": 3,
    "Technical skills": 3,
    "Communication": 4,
    "Influencing senior stakeholders": 6,
}
FOCUS_SENIOR: dict[str, int] = {
    "Leadership": 8,
    "Career development": 3,
    "Confidence": 2,
    "Wellbeing": 4,
    "Networking": 4,
    "Inclusion": 10,
    "Technical skills": 4,
    "Communication": 5,
    "Influencing senior stakeholders": 2,
}
NETWORKS: dict[str, int] = {
    "Race to the Top": 4,
    "LGBT+ network": 3,
    "Disability network": 3,
    "Women's network": 4,
    "Faith and belief network": 2,
    "Social mobility network": 4,
    "Carers network": 2,
    "Neurodiversity network": 3,
}

OPENINGS_JUNIOR: list[str] = [
    "I am an analyst at the start of my career in government and I am keen to take part in the Mutual Mentoring scheme.",
    "I have been working as an analyst for around three years and would really value the chance to join this programme.",
    "I joined the Civil Service through an apprenticeship and I am applying because I want to understand how senior leaders think about analysis.",
    "I am applying to be a junior partner because I want to build my confidence and understand the routes to progression in the Analysis Function.",
    "I moved into an analytical role last year after working in operational delivery, and I am applying to broaden my horizons.",
]
OPENINGS_SENIOR: list[str] = [
    "As a senior analyst leading a team of statisticians, I am keen to take part in the scheme as a senior partner.",
    "I have led analytical teams for several years and I want to better understand the barriers that colleagues from under-represented groups face.",
    "I am applying as a senior partner because I believe mutual mentoring is a powerful way to challenge my own assumptions.",
    "As head of an analysis division I am conscious that I rarely hear directly from junior colleagues, and I would like to change that.",
    "I took part in a reverse mentoring pilot in my previous department and found it one of the most useful things I have done.",
]
MOTIVATIONS: list[str] = [
    "Coming from a background where nobody worked in an office, I have often felt unsure about the unwritten rules of the Civil Service.",
    "I am the first person in my family to go to university and I sometimes find it hard to know who to ask for advice.",
    "I am passionate about making the Analysis Function a more inclusive place to work.",
    "Over the past year I have taken on more responsibility and I would like support to think about my next step.",
    "I want to hear honestly about the day-to-day experience of colleagues whose careers have looked different from mine.",
    "Working in a regional office, I often feel a long way from where the big decisions are made.",
    "I think schemes like this matter because talent is spread evenly but opportunity is not.",
]
LEARNING_JUNIOR: list[str] = [
    "I hope to learn how to present analysis with more impact to senior stakeholders and ministers.",
    "I would like to develop my leadership skills and get advice on preparing for promotion boards.",
    "I would value guidance on building networks across departments, as most of my contacts are within my own team.",
    "I am hoping to get a better feel for how decisions are made at more senior levels and where analysts can add most value.",
    "I want to get better at speaking up in meetings where I am the most junior person in the room.",
    "I would also like to talk through how to balance technical depth with the broader skills needed to progress.",
]
LEARNING_SENIOR: list[str] = [
    "I hope to learn about the lived experience of junior analysts and what gets in the way of their progression.",
    "I want to understand where our recruitment and promotion processes unintentionally disadvantage people.",
    "I would like honest feedback on how senior leaders come across and whether our inclusion messages land.",
    "I am keen to keep up to date with the newer tools and methods that junior colleagues are using day to day.",
    "I want to become a better line manager and sponsor for people whose backgrounds differ from my own.",
]
OFFERS_JUNIOR: list[str] = [
    "In return I can offer a fresh perspective on our ways of working and what it is like to be new to the function.",
    "I can share my experience of working part-time with caring responsibilities, which I think is often invisible to senior colleagues.",
    "I am a member of my department's race network and would be happy to share what I have learned from organising events.",
    "I have good technical skills in R and Python and would be glad to share how newer tools are changing analytical work.",
    "I would bring openness, curiosity and a genuine commitment to listening.",
]
OFFERS_SENIOR: list[str] = [
    "I can offer practical experience of recruitment panels and what good applications and interviews look like.",
    "I am happy to share my own career path, including the setbacks, and to help my partner build a network across government.",
    "I can offer support with preparing for promotion, including practice interviews and feedback on written applications.",
    "I would bring openness, time and a genuine commitment to acting on what I learn.",
    "I can help my partner get exposure to senior meetings and understand how analysis feeds into policy decisions.",
]
CLOSINGS: list[str] = [
    "Thank you for considering my application.",
    "I would be very grateful for the opportunity to take part.",
    "I am happy to be matched with someone from any department or profession.",
    "I am looking forward to learning from my partner as much as supporting them.",
]


def _weighted(rng: random.Random, options: dict[str, int]) -> str:
    """Pick one key from a weight mapping."""
    return rng.choices(list(options), weights=list(options.values()), k=1)[0]


def _weighted_sample(rng: random.Random, options: dict[str, int], k: int) -> list[str]:
    """Pick k distinct keys from a weight mapping, without replacement."""
    pool = dict(options)
    chosen: list[str] = []
    for _ in range(min(k, len(pool))):
        pick = _weighted(rng, pool)
        chosen.append(pick)
        del pool[pick]
    return chosen


def _quota(rng: random.Random, options: dict[str, int], n: int) -> list[str]:
    """Return n answers in shuffled order whose counts follow the weights as closely as possible."""
    total = sum(options.values())
    answers: list[str] = []
    for key, weight in options.items():
        answers.extend([key] * round(n * weight / total))
    while len(answers) < n:
        answers.append(_weighted(rng, options))
    answers = answers[:n]
    rng.shuffle(answers)
    return answers


def _word_count(text: str) -> int:
    """Count whitespace-separated words."""
    return len(text.split())


def _fold(text: str) -> str:
    """Lower-case and strip accents and punctuation for use in an email local part."""
    return "".join(ASCII_FOLD.get(ch, ch) for ch in text.lower())


def _make_people(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """Create count unique (name, email) pairs from the first-name and surname lists."""
    pairs = [(first, last) for first in FIRST_NAMES for last in SURNAMES]
    rng.shuffle(pairs)
    people: list[tuple[str, str]] = []
    for index in range(count):
        first, last = pairs[index % len(pairs)]
        suffix = rng.randint(1, 99) if index < len(pairs) else index
        email = f"{_fold(first)}.{_fold(last)}{suffix}@{EMAIL_DOMAIN}"
        people.append((f"{first} {last}", email))
    return people


def _random_start(rng: random.Random) -> datetime:
    """Pick a start time in the three-week window, busier at launch and near the deadline."""
    day_weights = [6, 4, 3] + [2] * (WINDOW_DAYS - 6) + [3, 5, 7]
    day = rng.choices(range(WINDOW_DAYS), weights=day_weights, k=1)[0]
    hour_weights = [0, 0, 0, 0, 0, 0, 1, 2, 5, 8, 8, 7, 6, 7, 8, 7, 6, 4, 2, 2, 2, 2, 1, 1]
    hour = rng.choices(range(24), weights=hour_weights, k=1)[0]
    return WINDOW_START + timedelta(days=day, hours=hour, minutes=rng.randrange(60), seconds=rng.randrange(60))


def _completion(rng: random.Random, start: datetime) -> datetime:
    """Return a completion time a few minutes after start."""
    return start + timedelta(minutes=rng.randint(2, 18), seconds=rng.randrange(60))


def _expression(rng: random.Random, junior: bool, over_limit: bool) -> str:
    """Assemble an expression of interest, normally under the limit, or just over it when asked."""
    opening = rng.choice(OPENINGS_JUNIOR if junior else OPENINGS_SENIOR)
    motivations = rng.sample(MOTIVATIONS, len(MOTIVATIONS))
    learning = LEARNING_JUNIOR if junior else LEARNING_SENIOR
    learning = rng.sample(learning, len(learning))
    offers = OFFERS_JUNIOR if junior else OFFERS_SENIOR
    offers = rng.sample(offers, len(offers))
    candidates: list[str] = []
    for group in zip(motivations, learning, offers):
        candidates.extend(group)
    sentences = [opening]
    words = _word_count(opening)
    if over_limit:
        low, high = WORD_LIMIT + 1, WORD_LIMIT + 30
    else:
        low, high = rng.randint(40, 135), WORD_LIMIT - 12
    for sentence in candidates:
        if words >= low:
            break
        length = _word_count(sentence)
        if words + length > high:
            continue
        sentences.append(sentence)
        words += length
    closing = rng.choice(CLOSINGS)
    if rng.random() < 0.6 and words + _word_count(closing) <= high:
        sentences.append(closing)
    return " ".join(sentences)


def _focus(rng: random.Random, junior: bool) -> str:
    """Pick one to three focus areas joined with semicolons."""
    k = rng.choices([1, 2, 3], weights=[30, 45, 25], k=1)[0]
    return ";".join(_weighted_sample(rng, FOCUS_JUNIOR if junior else FOCUS_SENIOR, k))


def _networks(rng: random.Random) -> str | None:
    """Pick zero to two staff networks joined with semicolons, or None for none."""
    k = rng.choices([0, 1, 2], weights=[40, 40, 20], k=1)[0]
    return ";".join(_weighted_sample(rng, NETWORKS, k)) or None


def _applicant(rng: random.Random, name: str, email: str, junior: bool, barriers: str) -> dict[str, object]:
    """Build one clean application row (ID assigned later)."""
    start = _random_start(rng)
    grade = _weighted(rng, JUNIOR_GRADES if junior else SENIOR_GRADES)
    if junior and grade == "Grade 6" and barriers == "No":
        barriers = "Yes"  # keep the single injected Grade 6 / "No" junior unique
    capacity = None if junior else rng.choices([1, 2, 3], weights=[70, 25, 5], k=1)[0]
    return {
        COL_ID: None,
        COL_START: start,
        COL_COMPLETE: _completion(rng, start),
        COL_EMAIL: email,
        COL_NAME: name,
        COL_ROLE: ROLE_JUNIOR if junior else ROLE_SENIOR,
        COL_GRADE: grade,
        COL_DEPT: _weighted(rng, DEPARTMENTS),
        COL_PROFESSION: _weighted(rng, PROFESSIONS),
        COL_BARRIERS: barriers,
        COL_EOI: _expression(rng, junior, over_limit=False),
        COL_FOCUS: _focus(rng, junior),
        COL_NETWORKS: _networks(rng),
        COL_CAPACITY: capacity,
        COL_AVOID: None,
    }


def _resubmit(rng: random.Random, original: dict[str, object], variant: int) -> dict[str, object]:
    """Copy an application as a later resubmission with one small change."""
    copy = dict(original)
    start = original[COL_START]
    assert isinstance(start, datetime)
    later = start + timedelta(hours=rng.uniform(1, 48))
    last_start = WINDOW_START + timedelta(days=WINDOW_DAYS) - timedelta(minutes=30)
    if later > last_start:
        later = start + timedelta(minutes=rng.randint(15, 25))
    later = later.replace(microsecond=0)
    copy[COL_START] = later
    copy[COL_COMPLETE] = _completion(rng, later)
    junior = copy[COL_ROLE] == ROLE_JUNIOR
    if variant % 2 == 0:
        focus = str(copy[COL_FOCUS]).split(";")
        extra = [f for f in (FOCUS_JUNIOR if junior else FOCUS_SENIOR) if f not in focus]
        if len(focus) < 3 and extra:
            focus.append(rng.choice(extra))
        else:
            focus[-1] = rng.choice(extra)
        copy[COL_FOCUS] = ";".join(focus)
    else:
        current = copy[COL_NETWORKS]
        options = [n for n in NETWORKS if n != current]
        copy[COL_NETWORKS] = rng.choice(options)
        if not junior:
            copy[COL_CAPACITY] = 2 if copy[COL_CAPACITY] == 1 else 1
    return copy


# How form option lists write a name with its code: each of these reads as the plain answer.
OPTION_TEXTS: dict[str, dict[str, list[str]]] = {
    COL_GRADE: {
        "Grade 7": ["Grade 7 (G7)", "Grade7"], "G7": ["G7 - Grade 7"], "Grade 6": ["Grade 6 (G6)"],
        "SEO": ["Senior Executive Officer (SEO)", "S.E.O."], "HEO": ["HEO - Higher Executive Officer"],
        "Deputy Director": ["Deputy Director (SCS1)", "Deputy Director / SCS1"], "DD": ["DD (SCS Pay Band 1)"],
    },
    COL_DEPT: {
        "ONS": ["Office for National Statistics (ONS)", "ONS - Office for National Statistics"],
        "HMRC": ["HM Revenue and Customs (HMRC)", "HMRC - HM Revenue & Customs"],
        "DWP": ["Department for Work and Pensions (DWP)"], "DfE": ["DfE - Department for Education"],
        "Home Office": ["The Home Office"], "MoJ": ["Ministry of Justice (MoJ)"],
        "Defra": ["Environment Agency", "Environment Agency (Defra)"],  # an agency: its own organisation
    },
    COL_PROFESSION: {
        "GSS": ["Government Statistical Service (GSS)", "GSS / GSG"], "GES": ["GES - Government Economic Service"],
        "GSR": ["Government Social Research (GSR)"], "GORS": ["GORS (Government Operational Research Service)"],
    },
}
# Organisations not in GOV.UK's register (devolved bodies): kept as their own, spellings merged.
UNLISTED = ["Transport Scotland", "transport scotland", "Social Security Scotland"]


def _as_option_texts(rng: random.Random, rows: list[dict[str, object]]) -> None:
    """Rewrite about 40% of grade, department and profession answers as form option texts, and put a
    few applicants in organisations the register does not list (a separate random stream, so the rest
    of the round is as it was)."""
    for row in rows:
        for column, texts in OPTION_TEXTS.items():
            value = row.get(column)
            if isinstance(value, str) and value in texts and rng.random() < 0.4:
                row[column] = rng.choice(texts[value])
    eligible = [row for row in rows if row.get(COL_DEPT) in ("Welsh Government", "Scottish Government")]
    for row, organisation in zip(rng.sample(eligible, min(len(eligible), len(UNLISTED))), UNLISTED, strict=False):
        row[COL_DEPT] = organisation


def generate_rows(count: int = DEFAULT_COUNT, seed: int = DEFAULT_SEED) -> list[dict[str, object]]:
    """Return count fictional application rows (keyed by header) with deliberate, seeded messiness."""
    if count < 1:
        return []
    rng = random.Random(seed)
    n_dups = 2 if count >= 20 else 0
    n_unique = count - n_dups
    people = _make_people(rng, n_unique)
    n_junior = round(n_unique * JUNIOR_SHARE)
    roles = [True] * n_junior + [False] * (n_unique - n_junior)
    rng.shuffle(roles)
    junior_barriers = _quota(rng, BARRIERS_JUNIOR, n_junior)
    senior_barriers = _quota(rng, BARRIERS_SENIOR, n_unique - n_junior)
    rows = [
        _applicant(rng, name, email, junior, (junior_barriers if junior else senior_barriers).pop())
        for (name, email), junior in zip(people, roles)
    ]
    clean_emails = [email for _, email in people]

    n_over = max(1, round(count * 0.03)) if count >= 20 else 0
    n_avoid = max(1, round(count * 0.04)) if count >= 20 else 0
    tasks = ["duplicate"] * n_dups + [
        "invalid_email",
        "blank_grade",
        "unknown_grade",
        "beis",
        "email_spaces",
        "email_case",
        "junior_g6_no",
    ] + ["over_limit"] * n_over + ["avoid"] * n_avoid
    targets = rng.sample(range(n_unique), min(len(tasks), n_unique))
    bad_email_rows: set[int] = set()
    resubmissions: list[dict[str, object]] = []
    for task, index in zip(tasks, targets):
        row = rows[index]
        junior = row[COL_ROLE] == ROLE_JUNIOR
        if task == "duplicate":
            resubmissions.append(_resubmit(rng, row, len(resubmissions)))
        elif task == "invalid_email":
            row[COL_EMAIL] = clean_emails[index].replace("@", "")
            bad_email_rows.add(index)
        elif task == "blank_grade":
            row[COL_GRADE] = None
        elif task == "unknown_grade":
            row[COL_GRADE] = "Band B"
        elif task == "beis":
            row[COL_DEPT] = "BEIS"
        elif task == "email_spaces":
            row[COL_EMAIL] = f" {clean_emails[index]}  "
        elif task == "email_case":
            local, domain = clean_emails[index].split("@")
            first, last = local.split(".", 1)
            row[COL_EMAIL] = f"{first.capitalize()}.{last.capitalize()}@{domain.upper()}"
        elif task == "junior_g6_no":
            row.update({COL_ROLE: ROLE_JUNIOR, COL_GRADE: "Grade 6", COL_BARRIERS: "No", COL_CAPACITY: None})
        elif task == "over_limit":
            row[COL_EOI] = _expression(rng, junior, over_limit=True)
        elif task == "avoid":
            others = [i for i in range(n_unique) if i != index and i not in bad_email_rows]
            if others:
                row[COL_AVOID] = clean_emails[rng.choice(others)]

    rows.extend(resubmissions)
    _as_option_texts(random.Random(seed + 1), rows)
    rows.sort(key=lambda r: (r[COL_START], r[COL_COMPLETE]))
    for number, row in enumerate(rows, start=1):
        row[COL_ID] = number
    return rows


def write_workbook(rows: list[dict[str, object]], path: Path | str) -> Path:
    """Write rows to an .xlsx file shaped like a Microsoft Forms export and return its path."""
    path = Path(path)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_NAME
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row_number, row in enumerate(rows, start=2):
        for col_number, header in enumerate(HEADERS, start=1):
            value = row.get(header)
            cell = sheet.cell(row=row_number, column=col_number, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"
            elif isinstance(value, datetime):
                cell.number_format = "dd/mm/yyyy hh:mm:ss"
    for col_number, header in enumerate(HEADERS, start=1):
        longest = max(
            [len(header)] + [len(_as_text(row.get(header))) for row in rows],
        )
        width = 20 if header in (COL_START, COL_COMPLETE) else min(max(longest, 6) + 2, 60)
        sheet.column_dimensions[get_column_letter(col_number)].width = width
    sheet.freeze_panes = "A2"
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def _as_text(value: object) -> str:
    """Render a cell value as CSV text."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return str(value)


def write_csv(rows: list[dict[str, object]], path: Path | str) -> Path:
    """Write rows to a UTF-8-with-BOM CSV file and return its path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        for row in rows:
            writer.writerow([_as_text(row.get(header)) for header in HEADERS])
    return path


def main() -> None:
    """Parse arguments, generate the rows and write the chosen file."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed (default %(default)s)")
    parser.add_argument("--count", type=int, default=DEFAULT_COUNT, help="number of rows (default %(default)s)")
    parser.add_argument("--format", choices=["xlsx", "csv"], default="xlsx", help="output format")
    parser.add_argument("--output", type=Path, default=None, help="output path (default: applications.<format> beside this script)")
    args = parser.parse_args()
    output = args.output or Path(__file__).resolve().parent / f"applications.{args.format}"
    rows = generate_rows(args.count, args.seed)
    if args.format == "csv":
        written = write_csv(rows, output)
    else:
        written = write_workbook(rows, output)
    print(f"Wrote {len(rows)} applications to {written}")


if __name__ == "__main__":
    main()
