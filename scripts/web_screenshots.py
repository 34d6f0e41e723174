"""Screenshots of every page of `mentormatch serve`, on the shipped example, for the README and for looking at.

Run by hand (not in CI); it needs the web and test extras and Debian's chromium:

    python scripts/web_screenshots.py            # writes out/web/*.png
    python scripts/web_screenshots.py --readme   # also refreshes docs/web-*.png

It starts the page on a copy of the example folder, goes through the round as a coordinator would
(upload, columns, problems, settings, match, one person, introductions, downloads) and takes a
screenshot of the top of each (1280 by at most 1600 pixels).
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from mentormatch.web.server import LocalServer, prepare

ROOT = Path(__file__).resolve().parents[1]
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


def shoot(server: LocalServer, out: Path, width: int, height: int) -> None:
    """Go through the round as a coordinator would, a screenshot of each page."""
    base = server.address.split("?")[0]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=FLAGS)
        page = browser.new_page(viewport={"width": width, "height": 900})

        def shot(name: str) -> None:  # the page from its top, at most `height` pixels of it
            shown = min(page.evaluate("document.documentElement.scrollHeight"), height)
            page.screenshot(path=str(out / f"web-{name}.png"), full_page=True,
                            clip={"x": 0, "y": 0, "width": width, "height": shown})

        def go(selector: str) -> None:
            with page.expect_navigation():
                page.click(selector)

        page.goto(server.address)
        shot("upload")
        go("text=Use applications.xlsx")
        shot("columns")
        go("text=Use these columns")
        shot("problems")
        go("nav >> text=Settings")
        shot("settings")
        page.goto(base + "match")
        go("text=Match the round")
        shot("match")
        with page.expect_navigation():
            page.locator("#pairs tbody tr").first.locator("a").first.click()
        shot("person")
        page.goto(base + "introductions")
        shot("introductions")
        page.goto(base + "downloads")
        shot("downloads")
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readme", action="store_true", help="also copy the screenshots to docs/")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=1600, help="the most of each page shown (pixels)")
    args = parser.parse_args()
    out = ROOT / "out" / "web"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as home:
        os.environ["HOME"] = home  # the page shows the folder as ~/mentoring, as on a coordinator's computer
        folder = Path(home) / "mentoring"
        folder.mkdir()
        shutil.copy(ROOT / "examples" / "mentormatch.toml", folder / "mentormatch.toml")
        shutil.copy(ROOT / "examples" / "applications.xlsx", folder / "applications.xlsx")
        with prepare(folder, 0).in_background() as server:
            shoot(server, out, args.width, args.height)
    if args.readme:
        for png in sorted(out.glob("web-*.png")):
            shutil.copy(png, ROOT / "docs" / png.name)
    print(f"Wrote {len(list(out.glob('web-*.png')))} screenshots to {out}")


if __name__ == "__main__":
    main()
