"""`mentormatch serve` in a real browser: the whole round on the shipped example, each page checked by axe-core.

Drives Debian's chromium through Playwright (`executable_path`; Playwright's own browser download is
not used) and loads axe-core from node_modules (`npm ci`, run by `make test`). Either missing is a
failure with the command that installs it, never a skip.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, read_sheet
from mentormatch.web.server import LocalServer, prepare

EXAMPLE = ROOT / "examples" / "applications.xlsx"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
EPOCH = "1764806400"
# The flags a root, headless, offline chromium needs to start quietly.
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
# axe-core's rule tags for WCAG 2.0, 2.1 and 2.2, levels A and AA.
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    assert found, "The browser tests need Debian's chromium: apt-get install chromium"
    return found


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    assert AXE.is_file(), "The browser tests need axe-core: run `npm ci` in the project (make test does)"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=_chromium(), args=FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def live(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalServer]:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)  # the workbooks' "Run at", fixed for the page and the CLI alike
    folder = tmp_path / "round"
    folder.mkdir()
    shutil.copy(ROOT / "examples" / "mentormatch.toml", folder / "mentormatch.toml")
    with prepare(folder, 0).in_background() as server:
        yield server


def accessible(page: Any) -> None:
    """axe-core finds no serious or critical WCAG 2.2 A/AA failure on the page."""
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG)
    bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in results["violations"]
           if v["impact"] in ("serious", "critical")]
    assert not bad, f"{page.url}: {bad}"


def go(page: Any, selector: str) -> None:
    """Click a link or a button and wait for the page it leads to."""
    with page.expect_navigation():
        page.click(selector)


def pairs_of(workbook: Path) -> list[tuple[Any, ...]]:
    return [(row["Junior email"], row["Senior email"], row["Score"]) for row in read_sheet(workbook, "Pairings")]


def test_a_whole_round_in_the_browser_gives_the_clis_pairs(live: LocalServer, browser: Any, tmp_path: Path) -> None:
    context = browser.new_context(bypass_csp=True, accept_downloads=True)  # bypass: only to load axe-core
    page = context.new_page()
    page.goto(live.address)
    assert page.url.endswith("/upload") and "token=" not in page.url
    accessible(page)

    go(page, "text=Upload and check")  # no file chosen: the error summary, as the Design System does it
    assert page.locator(".govuk-error-summary").is_visible(), page.content()[:3000]
    assert page.title().startswith("Error:")
    accessible(page)

    page.set_input_files("#file", str(EXAMPLE))
    go(page, "text=Upload and check")
    assert page.url.endswith("/columns")
    accessible(page)
    assert "ID" in page.locator("#ignored").inner_text()
    page.select_option("#field-submitted", "Start time")  # the one mapping changed
    go(page, "text=Use these columns")

    assert page.url.endswith("/problems")
    accessible(page)
    assert page.locator("caption", has_text="no-barriers-declared").count() == 1
    page.check("#replace-problems")
    go(page, "text=Save as mentormatch.toml")
    assert "Saved mentormatch.toml" in page.locator(".govuk-notification-banner").inner_text()
    saved = tomllib.loads((live.session.folder / "mentormatch.toml").read_text(encoding="utf-8"))
    assert saved["columns"]["submitted"] == "Start time"

    go(page, "nav >> text=Settings")
    accessible(page)
    go(page, "text=Use these settings and continue")
    assert page.url.split("?")[0].endswith("/match")
    accessible(page)
    go(page, "text=Match the round")
    assert page.locator("#pairs tbody tr").count() > 0
    accessible(page)

    first = page.locator("#pairs tbody tr").first.locator("a").first
    name = first.inner_text()
    with page.expect_navigation():
        first.click()
    assert page.locator("h1").inner_text().startswith(name)
    assert "Paired with" in page.locator("main").inner_text()
    accessible(page)

    go(page, "nav >> text=Downloads")
    accessible(page)
    with page.expect_download() as download:
        page.click("text=The pairings workbook")
    downloaded = tmp_path / download.value.suggested_filename
    download.value.save_as(downloaded)

    page.goto(live.address.split("?")[0] + "introductions")
    accessible(page)
    context.close()

    cli = tmp_path / "cli"
    cli.mkdir()
    shutil.copy(EXAMPLE, cli / "applications.xlsx")
    command = [str(Path(sys.executable).with_name("mentormatch")), "match", str(cli / "applications.xlsx"),
               "-c", str(live.session.folder / "mentormatch.toml")]
    subprocess.run(command, check=True, capture_output=True, env={"SOURCE_DATE_EPOCH": EPOCH, "PATH": ""})
    made = cli / "applications-pairings.xlsx"
    assert pairs_of(downloaded) == pairs_of(made) and pairs_of(made)
    assert downloaded.read_bytes() == made.read_bytes()


def test_every_page_is_accessible_before_anything_is_uploaded(live: LocalServer, browser: Any) -> None:
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.goto(live.address)
    for step in ("upload", "settings", "match", "downloads"):
        go(page, f"nav >> text={step.capitalize()}")
        assert page.url.endswith(f"/{step}")
        accessible(page)
    context.close()


def test_the_accessibility_check_finds_a_failure_when_there_is_one(browser: Any) -> None:
    """The check above has teeth: a page with an unlabelled field and an image without text fails it."""
    page = browser.new_page()
    page.set_content('<html lang="en"><head><title>t</title></head><body><main><h1>Form</h1>'
                     '<input type="text"><img src="x.png"></main></body></html>')
    with pytest.raises(AssertionError, match=r"label|image-alt"):
        accessible(page)
    page.close()


def test_the_browser_without_the_token_is_refused(live: LocalServer, browser: Any) -> None:
    page = browser.new_page()
    response = page.goto(live.address.split("?")[0] + "match")
    assert response is not None and response.status == 403 and "token" in page.content()
    page.close()
