"""Recalculate the application template in a real spreadsheet engine and check it against `validate`.

Run by hand (not part of the test suite; needs LibreOffice, from the Debian packages):

    .venv/bin/python scripts/recalc_template.py

1. Write the template, type each expression of interest of scripts/eoi_word_corpus.json into its
   own row (line breaks, hyphens, dashes, numbers, emoji, punctuation), and leave the other
   template rows blank.
2. Let LibreOffice (headless) open, recalculate and save it as .xlsx, as a coordinator's
   spreadsheet would.
3. Read the calculated EOI words column back, and check that it equals the corpus's count and
   `validate`'s count for every row, and that `validate` counts the filled rows only as
   applications, not the template's blank ones.

Prints one line per row and exits 1 on any disagreement.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import openpyxl

from mentormatch.config import build_config
from mentormatch.outputs.template import write_template
from mentormatch.validation.checks import validate_file
from mentormatch.vocab.text import clean_text, count_words

CORPUS = Path(__file__).with_name("eoi_word_corpus.json")


def main() -> int:
    """Fill, recalculate and compare; 0 when the live count, the corpus and validate all agree."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        print("LibreOffice is not installed (apt-get install libreoffice-calc-nogui)")
        return 2
    corpus = json.loads(CORPUS.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        template = write_template(work / "template.xlsx")
        book = openpyxl.load_workbook(template)
        sheet = book["Applications"]
        headers = [cell.value for cell in sheet[1]]
        for row, entry in enumerate(corpus, start=2):
            values = {"Email": f"person{row}@example.gov.uk", "Name": f"Person {row}", "Role": "Junior partner",
                      "Grade": "HEO", "Department": "ONS", "Profession": "GSS", "Barriers": "Yes",
                      "Expression of interest": entry["text"]}
            for header, value in values.items():
                sheet.cell(row=row, column=headers.index(header) + 1, value=value)
        filled = work / "filled.xlsx"
        book.save(filled)
        out = work / "recalculated"
        subprocess.run([soffice, "--headless", "--calc", "--convert-to", "xlsx:Calc MS Excel 2007 XML",
                        "--outdir", str(out), str(filled)], check=True, capture_output=True, timeout=180)
        recalculated = out / "filled.xlsx"
        values = openpyxl.load_workbook(recalculated, data_only=True)["Applications"]
        live = [values.cell(row=row, column=headers.index("EOI words") + 1).value for row in range(2, 2 + len(corpus))]
        blank_rows = [values.cell(row=row, column=headers.index("EOI words") + 1).value
                      for row in range(2 + len(corpus), values.max_row + 1)]
        validation = validate_file(recalculated, build_config({"round": {"require_eoi": False}}))
    failures = 0
    for entry, counted in zip(corpus, live, strict=True):
        live_count = 0 if counted in (None, "") else int(counted)
        ours = count_words(clean_text(entry["text"]))
        agree = live_count == ours == entry["words"]
        failures += not agree
        print(f"{'ok ' if agree else 'BAD'} live {live_count:>3} validate {ours:>3} expected {entry['words']:>3}  "
              f"{entry['text']!r}")
    stray = [value for value in blank_rows if value not in (None, "")]
    print(f"blank template rows with a calculated value: {len(stray)}; applications read by validate: "
          f"{validation.rows_read} of {len(corpus)}")
    failures += bool(stray) + (validation.rows_read != len(corpus))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
