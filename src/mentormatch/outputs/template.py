"""A blank application workbook in the template's own layout, with drop-downs and a word count."""

from __future__ import annotations

from pathlib import Path

from mentormatch.inputs.headers import EXACT
from mentormatch.outputs.workbook import check_output_path, print_setup, save_atomically
from mentormatch.validation.models import Application
from mentormatch.vocab.grades import LADDER

WORD_COUNT_HEADER = "EOI words"
# One column per field of the eligibility model, under the header mentormatch reads first for it,
# and the live word count beside the expression of interest.
HEADERS: tuple[str, ...] = tuple(
    header for name in Application.model_fields
    for header in (EXACT[name][0], *((WORD_COUNT_HEADER,) if name == "eoi" else ())))
ROLES = ("Junior partner", "Senior partner")
ANSWERS = ("Yes", "No", "Prefer not to say")
TEMPLATE_ROWS = 500
INSTRUCTIONS = (
    "How to use this workbook",
    "",
    "One row per applicant on the Applications sheet; keep the headers as they are.",
    "Role, Grade and Barriers have drop-down lists. Grades follow the Civil Service ladder.",
    "Profession: the applicant's badge(s), e.g. GSS or GES; separate several with ';'.",
    "If they are not badged, give their main area of work.",
    "Development aims and Networks: separate several with ';'.",
    "Capacity (senior partners only): how many junior partners they can take; blank means 1.",
    "Do not match with: email addresses of anyone the applicant must not be paired with, separated by ';'.",
    "EOI words counts the words of the expression of interest as you type, as validate counts them:",
    "runs of characters between spaces and line breaks (the round sets the limit).",
    "Barriers is special-category personal data: it is used for eligibility only and never",
    "copied into the pairings workbook.",
    "",
    "Then run:  mentormatch validate applications.xlsx",
)


def word_count_formula(cell: str) -> str:
    """The live word count of one cell: `validate`'s definition, runs of characters between spaces.

    Tabs, line breaks and non-breaking spaces become spaces, TRIM folds runs of spaces into one, and
    the words are one more than the spaces left. A blank answer gives an empty cell, not 0, so a row
    that holds no application stays blank when the spreadsheet calculates.
    """
    spaced = cell
    # UNICHAR came with Excel 2013: the file format writes such functions with the _xlfn. prefix.
    for separator in ("CHAR(10)", "CHAR(13)", "CHAR(9)", "_xlfn.UNICHAR(160)"):
        spaced = f'SUBSTITUTE({spaced},{separator}," ")'
    text = f"TRIM({spaced})"
    return f'=IF({text}="","",LEN({text})-LEN(SUBSTITUTE({text}," ",""))+1)'


PRINTED_ROWS = 20


def write_template(output: Path) -> Path:
    """Write the blank application workbook of `mentormatch template`."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    check_output_path(output, suffix=".xlsx")
    book = Workbook()
    sheet = book.active
    sheet.title = "Applications"
    sheet.append(list(HEADERS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    column = {header: get_column_letter(i) for i, header in enumerate(HEADERS, start=1)}
    for header, letter in column.items():
        sheet.column_dimensions[letter].width = 60 if header == "Expression of interest" else max(14, len(header) + 4)
    lists = {
        "Role": ROLES,
        "Grade": tuple(grade.label for grade in LADDER),
        "Barriers": ANSWERS,
    }
    for header, options in lists.items():
        check = DataValidation(type="list", formula1='"' + ",".join(options) + '"', allow_blank=True,
                               showErrorMessage=True, errorTitle=header, error=f"Choose a {header.lower()} from the list.")
        check.add(f"{column[header]}2:{column[header]}{TEMPLATE_ROWS + 1}")
        sheet.add_data_validation(check)
    capacity = DataValidation(type="whole", operator="between", formula1="1", formula2="10", allow_blank=True,
                              showErrorMessage=True, error="Capacity is a whole number from 1 to 10.")
    capacity.add(f"{column['Capacity']}2:{column['Capacity']}{TEMPLATE_ROWS + 1}")
    sheet.add_data_validation(capacity)
    eoi, words = column["Expression of interest"], column["EOI words"]
    for row in range(2, TEMPLATE_ROWS + 2):
        sheet[f"{words}{row}"] = word_count_formula(f"{eoi}{row}")
    guide = book.create_sheet("Instructions")
    for line in INSTRUCTIONS:
        guide.append([line])
    guide["A1"].font = Font(bold=True, size=14)
    guide.column_dimensions["A"].width = 100
    # Printed, the form is its headers and a page of empty rows to fill in by hand.
    print_setup(sheet, print_area=f"A1:{get_column_letter(len(HEADERS))}{PRINTED_ROWS + 1}")
    print_setup(guide)
    return save_atomically(book.save, output)


CHECKIN_HEADERS = ("Email", "Date", "Which partner is this about? (if you have more than one)",
                   "Have you met your partner this month?", "How useful was it, 1-5?", "Has your partnership ended?",
                   "Comment")


def write_checkin_template(output: Path) -> Path:
    """Write the blank check-in form of `mentormatch template --checkin`: the headers `checkin` reads,
    yes/no lists and a 1-5 check."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    check_output_path(output, suffix=".xlsx")
    book = Workbook()
    sheet = book.active
    sheet.title = "Check-in"
    sheet.append(list(CHECKIN_HEADERS))
    for index, header in enumerate(CHECKIN_HEADERS, start=1):
        sheet.cell(1, index).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(index)].width = max(14, len(header) + 4)
    sheet.freeze_panes = "A2"
    last = TEMPLATE_ROWS + 1
    for header in ("Have you met your partner this month?", "Has your partnership ended?"):
        letter = get_column_letter(CHECKIN_HEADERS.index(header) + 1)
        check = DataValidation(type="list", formula1='"Yes,No"', allow_blank=True, showErrorMessage=True,
                               error="Answer Yes or No.")
        check.add(f"{letter}2:{letter}{last}")
        sheet.add_data_validation(check)
    letter = get_column_letter(CHECKIN_HEADERS.index("How useful was it, 1-5?") + 1)
    useful = DataValidation(type="whole", operator="between", formula1="1", formula2="5", allow_blank=True,
                            showErrorMessage=True, error="A whole number from 1 (not useful) to 5 (very useful).")
    useful.add(f"{letter}2:{letter}{last}")
    sheet.add_data_validation(useful)
    letter = get_column_letter(CHECKIN_HEADERS.index("Date") + 1)
    for row in range(2, last + 1):
        sheet[f"{letter}{row}"].number_format = "dd/mm/yyyy"
    print_setup(sheet, print_area=f"A1:{get_column_letter(len(CHECKIN_HEADERS))}{PRINTED_ROWS + 1}")
    return save_atomically(book.save, output)
