"""Generate fictional monthly check-in form exports for the pairs of a pairings workbook.

    python examples/generate_checkins.py pairings-after-withdrawal.xlsx --output-dir examples

writes `checkin-2026-06.xlsx` and `checkin-2026-07.xlsx`, shaped like Microsoft Forms exports of the
form `mentormatch template --checkin` writes. The answers are drawn with a fixed seed: most people
answer, most pairs meet, a few answer only one month, one partnership ends in July. Someone with
several partners answers once per partner and names them in the "Which partner" column.
"""

from __future__ import annotations

import argparse
import random
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

SEED = 2026
MONTHS = ((2026, 6), (2026, 7))
HEADERS = ["ID", "Start time", "Completion time", "Email", "Name",
           "Which partner is this about? (if you have more than one)", "Have you met your partner this month?",
           "How useful was it, 1-5?", "Has your partnership ended?", "Anything else you would like to tell us?"]


def people(pairings: Path) -> list[tuple[str, str, list[str]]]:
    """(email, name, partners' names) of everyone in a pair, in the order of the Pairings sheet."""
    sheet = load_workbook(pairings, read_only=True)["Pairings"]
    rows = list(sheet.iter_rows(values_only=True))
    at = {h: i for i, h in enumerate(rows[0])}
    found: dict[str, tuple[str, list[str]]] = {}
    for row in rows[1:]:
        for side, other in (("Junior", "Senior"), ("Senior", "Junior")):
            entry = found.setdefault(str(row[at[f"{side} email"]]), (str(row[at[f"{side} name"]]), []))
            entry[1].append(str(row[at[f"{other} name"]]))
    return [(email, name, partners) for email, (name, partners) in found.items()]


def generate(pairings: Path, folder: Path, seed: int = SEED) -> list[Path]:
    """Write one check-in export per month into `folder`; returns their paths."""
    rng = random.Random(seed)
    everyone = people(pairings)
    quiet = {email for email, _name, _partners in everyone if rng.random() < 0.08}  # never answer
    leaver = rng.choice([email for email, _name, _partners in everyone if email not in quiet])
    written = []
    for year, month in MONTHS:
        book = Workbook()
        sheet = book.active
        sheet.title = "Form1"
        sheet.append(HEADERS)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        number = 0
        for email, name, partners in everyone:
            skips = rng.random() < 0.12
            if email in quiet or (skips and not (email == leaver and (year, month) == MONTHS[-1])):
                continue  # the leaver always answers the month their partnership ends
            for at, partner in enumerate(partners):  # one answer per partner, naming them when there are several
                number += 1
                start = datetime(year, month, rng.randint(1, 27), rng.randint(8, 17), rng.randint(0, 59))
                done = start.replace(minute=min(59, start.minute + rng.randint(1, 5)))
                met = "Yes" if rng.random() < 0.8 else "No"
                ended = "Yes" if email == leaver and month == MONTHS[-1][1] and at == 0 else "No"
                sheet.append([number, start, done, email, name, partner if len(partners) > 1 else "", met,
                              rng.choice([3, 4, 4, 5, 5]) if met == "Yes" else "", ended,
                              "We have agreed our goals." if rng.random() < 0.1 else ""])
        path = folder / f"checkin-{year}-{month:02d}.xlsx"
        book.save(path)
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pairings", type=Path)
    parser.add_argument("--output-dir", type=Path, default=Path("examples"))
    parser.add_argument("--seed", type=int, default=SEED)
    options = parser.parse_args()
    for path in generate(options.pairings, options.output_dir, options.seed):
        print(path)


if __name__ == "__main__":
    main()
