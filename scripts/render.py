"""Render every output of the example round as a person receives it: PDF and PNG pages.

Run by hand (not in CI): it needs LibreOffice (`soffice`) and poppler (`pdftoppm`), both in the
Debian packages `libreoffice-calc` and `poppler-utils`.

    python scripts/render.py                 # writes out/render/: workbooks, PDFs, PNG pages
    python scripts/render.py --readme        # also refreshes the pages the README shows

Each workbook is converted with `soffice --headless --convert-to pdf`, which prints it with the
print setup mentormatch wrote (A4 landscape, one page wide, header row repeated), then each PDF page
becomes a PNG with `pdftoppm`; the HTML board page is drawn by headless Chromium when it is installed
(`apt-get install chromium`). Look at every page: whole rows, no overlapping text, charts whole.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "applications.xlsx"
CONFIG = ROOT / "examples" / "mentormatch.toml"
README_PAGES = {"pairings.pdf": [("pairings-page-1", 1)],
                "board-report.pdf": [("board-report-juniors-by-grade", 5), ("board-report-chart", 16)]}


def mentormatch(*args: object, folder: Path) -> None:
    """Run one command of the round; its exit code may be 1 (problems found) but never more."""
    done = subprocess.run([sys.executable, "-m", "mentormatch", *map(str, args)], cwd=folder,
                          capture_output=True, text=True, env={"COLUMNS": "100", "PATH": "/usr/bin:/bin"})
    if done.returncode > 1:
        raise SystemExit(f"mentormatch {' '.join(map(str, args))} failed:\n{done.stdout}{done.stderr}")


def run_round(folder: Path) -> list[Path]:
    """Every output of the example round, written into `folder`."""
    shutil.copy(EXAMPLE, folder / "applications.xlsx")
    shutil.copy(CONFIG, folder / "mentormatch.toml")
    steps = [
        ("validate", "applications.xlsx", "-c", "mentormatch.toml", "-o", "problems.xlsx"),
        ("panel", "applications.xlsx", "-c", "mentormatch.toml", "--assessors", "2", "-o", "panel.xlsx"),
        ("shortlist", "applications.xlsx", "-c", "mentormatch.toml", "--places", "40", "-o", "shortlist.xlsx"),
        ("match", "applications.xlsx", "-c", "mentormatch.toml", "--suggest", "3", "-o", "pairings.xlsx"),
        ("check", "pairings.xlsx", "-o", "pairings-checked.xlsx"),
        ("checkin", "pairings.xlsx", "--responses", str(ROOT / "examples" / "checkin-2026-06.xlsx"),
         "--responses", str(ROOT / "examples" / "checkin-2026-07.xlsx"), "-o", "tracker.xlsx"),
        ("report", "pairings.xlsx", "--tracker", "tracker.xlsx", "-o", "board-report.xlsx", "--html",
         "board-report.html"),
        ("template", "--checkin", "checkin-form.xlsx"),
        ("compare", "applications.xlsx", "-c", "mentormatch.toml", "-o", "compare.xlsx"),
        ("gaps", "applications.xlsx", "-c", "mentormatch.toml", "-o", "gaps.xlsx"),
        ("template", "template.xlsx"),
    ]
    for step in steps:
        mentormatch(*step, folder=folder)
    return sorted(p for p in folder.glob("*.xlsx") if p.name != "applications.xlsx")  # outputs only


def render(workbook: Path, resolution: int) -> list[Path]:
    """The workbook as a PDF beside it, and one PNG per page."""
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(workbook.parent), str(workbook)],
                   check=True, capture_output=True)
    pdf = workbook.with_suffix(".pdf")
    subprocess.run(["pdftoppm", "-png", "-r", str(resolution), str(pdf), str(workbook.with_suffix(""))], check=True)
    return sorted(workbook.parent.glob(f"{workbook.stem}-[0-9]*.png"))


def screenshot(page: Path) -> Path | None:
    """An HTML page as headless Chromium draws it (a PNG beside it), when Chromium is installed."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        return None
    image = page.with_suffix(".png")
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    f"--screenshot={image}", "--window-size=1100,2400", page.as_uri()], check=True, capture_output=True)
    return image


def main() -> None:
    """Render the example round into out/render/."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--folder", type=Path, default=ROOT / "out" / "render")
    parser.add_argument("--resolution", type=int, default=80, help="PNG resolution in dots per inch")
    parser.add_argument("--readme", action="store_true", help="copy the README's two pages into docs/")
    options = parser.parse_args()
    for tool in ("soffice", "pdftoppm"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is not installed: apt-get install libreoffice-calc poppler-utils")
    folder = options.folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for workbook in run_round(folder):
        pages = render(workbook, options.resolution)
        print(f"{workbook.name}: {len(pages)} page{'s' if len(pages) != 1 else ''}")
    for page in sorted(folder.glob("*.html")):
        image = screenshot(page)
        print(f"{page.name}: {image.name if image else 'not drawn (install chromium to look at it)'}")
    if options.readme:
        docs = ROOT / "docs"
        docs.mkdir(exist_ok=True)
        for pdf, pages in README_PAGES.items():
            for name, page in pages:
                subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", str(page), "-l", str(page), "-singlefile",
                                str(folder / pdf), str(docs / name)], check=True)
                print(f"docs/{name}.png")


if __name__ == "__main__":
    main()
