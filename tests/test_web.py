"""`mentormatch serve`: the page's guard (token, CSRF, host, headers), escaping, and that its files are the CLI's."""

from __future__ import annotations

import re
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient
from typer.testing import CliRunner

from conftest import ROOT, junior_row, read_sheet, senior_row, write_rows
from mentormatch.cli.app import app as cli
from mentormatch.errors import MentormatchError
from mentormatch.web.app import create_app
from mentormatch.web.guard import Keys
from mentormatch.web.server import HOST, bind, prepare
from mentormatch.web.session import Session, safe_name

EXAMPLE = ROOT / "examples" / "applications.xlsx"
HOSTNAME = "testserver"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shutil.copy(EXAMPLE, tmp_path / "applications.xlsx")
    shutil.copy(ROOT / "examples" / "mentormatch.toml", tmp_path / "mentormatch.toml")
    return tmp_path


@pytest.fixture
def session(folder: Path) -> Iterator[Session]:
    made = Session.start(folder)
    yield made
    made.close()


@pytest.fixture
def bare(tmp_path: Path) -> Iterator[Session]:
    """A session over a folder with no config: the template's headers are read as they are."""
    (tmp_path / "empty").mkdir()
    made = Session.start(tmp_path / "empty")
    yield made
    made.close()


@pytest.fixture
def keys() -> Keys:
    return Keys(hosts=frozenset({HOSTNAME}))


def signed_in(session: Session, keys: Keys) -> TestClient:
    client = TestClient(create_app(session, keys), base_url=f"http://{HOSTNAME}", follow_redirects=False)
    assert client.get(f"/?token={keys.token}").status_code == 303
    return client


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found, "the page has no form"
    return found[1]


def upload(client: TestClient, path: Path, name: str | None = None) -> object:
    page = client.get("/upload").text
    return client.post("/upload", data={"csrf": csrf_of(page)},
                       files={"file": (name or path.name, path.read_bytes(), "application/octet-stream")})


def test_every_request_needs_the_token(session: Session, keys: Keys) -> None:
    client = TestClient(create_app(session, keys), base_url=f"http://{HOSTNAME}", follow_redirects=False)
    for path in ("/", "/upload", "/match", "/download/pairings", "/static/govuk-frontend.min.css"):
        refused = client.get(path)
        assert refused.status_code == 403 and "token" in refused.text
    assert client.get("/upload?token=wrong").status_code == 403
    client.cookies.set(keys.cookie, "wrong")
    assert client.get("/upload").status_code == 403


def test_the_token_becomes_a_private_cookie_and_leaves_the_address(session: Session, keys: Keys) -> None:
    client = TestClient(create_app(session, keys), base_url=f"http://{HOSTNAME}", follow_redirects=False)
    first = client.get(f"/upload?token={keys.token}")
    assert first.status_code == 303 and first.headers["location"] == "/upload"
    cookie = first.headers["set-cookie"]
    assert "HttpOnly" in cookie and "samesite=strict" in cookie.lower()
    assert client.get("/upload").status_code == 200


def test_a_post_without_the_forms_csrf_value_is_refused(session: Session, keys: Keys) -> None:
    client = signed_in(session, keys)
    assert client.post("/pick", data={"name": "applications.xlsx"}).status_code == 403
    assert client.post("/pick", data={"name": "applications.xlsx", "csrf": "guess"}).status_code == 403
    assert session.source is None  # nothing was done
    page = client.get("/upload").text
    assert client.post("/pick", data={"name": "applications.xlsx", "csrf": csrf_of(page)}).status_code == 303
    assert session.source is not None and session.source.name == "applications.xlsx"


def test_a_form_posted_from_another_site_is_refused_even_with_the_cookie(session: Session, keys: Keys) -> None:
    client = signed_in(session, keys)
    token = csrf_of(client.get("/upload").text)
    sent = client.post("/pick", data={"name": "applications.xlsx", "csrf": token},
                       headers={"Origin": "http://evil.example"})
    assert sent.status_code == 403 and session.source is None


def test_another_host_name_is_refused(session: Session) -> None:
    """A page elsewhere cannot reach the server by pointing its own name at 127.0.0.1 (DNS rebinding)."""
    keys = Keys(hosts=frozenset({"127.0.0.1:8765"}))
    client = TestClient(create_app(session, keys), base_url="http://evil.example:8765", follow_redirects=False)
    assert client.get(f"/upload?token={keys.token}").status_code == 403


def test_every_response_forbids_scripts_framing_and_caching(session: Session, keys: Keys) -> None:
    client = signed_in(session, keys)
    for response in (client.get("/upload"), client.get("/nowhere"), client.get("/static/govuk-frontend.min.css")):
        policy = response.headers["content-security-policy"]
        assert "default-src 'none'" in policy and "script-src" not in policy and "frame-ancestors 'none'" in policy
        assert response.headers["cache-control"] == "no-store"
        assert response.headers["x-content-type-options"] == "nosniff"


def test_the_server_binds_to_127_0_0_1_only(folder: Path) -> None:
    server = prepare(folder, 0)
    try:
        host, port = server.sock.getsockname()
        assert host == HOST == "127.0.0.1"
        assert server.address.startswith(f"http://127.0.0.1:{port}/?token=")
        assert server.keys.hosts == {f"127.0.0.1:{port}", f"localhost:{port}"}
        with pytest.raises(MentormatchError, match="in use"):
            bind(port)  # the port is taken: a clear message, not a traceback
    finally:
        server.close()
    assert not server.session.work.exists()  # stopping forgets the session's files


def test_serve_refuses_a_port_in_use_with_a_message(folder: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        result = CliRunner().invoke(cli, ["serve", str(folder), "--port", str(taken.getsockname()[1]), "--no-browser"])
    assert result.exit_code == 1 and "in use" in result.output and "Traceback" not in result.output


def test_hostile_applicant_text_is_shown_as_text(tmp_path: Path, bare: Session, keys: Keys) -> None:
    rows = [junior_row(Name="<script>alert('x')</script>", Department="<img src=x onerror=alert(1)>"),
            senior_row(Name='"><b>bold</b>')]
    client = signed_in(bare, keys)
    assert upload(client, write_rows(tmp_path / "hostile.csv", rows)).status_code == 303
    page = client.get("/match").text
    client.post("/match", data={"csrf": csrf_of(page)})
    pages = [client.get(path).text for path in ("/columns", "/problems", "/match", "/person/2", "/person/3")]
    for page in pages:
        assert "<script>alert" not in page and "<img src=x" not in page and "<b>bold</b>" not in page
    assert any("&lt;script&gt;alert(" in page for page in pages)
    assert any("&lt;img src=x onerror=alert(1)&gt;" in page for page in pages)


def test_an_upload_is_checked_as_the_cli_checks_a_file(tmp_path: Path, session: Session, keys: Keys) -> None:
    client = signed_in(session, keys)
    text = tmp_path / "notes.txt"
    text.write_text("hello", encoding="utf-8")
    refused = upload(client, text)
    assert refused.status_code == 400 and "upload an .xlsx or .csv file" in refused.text
    assert 'class="govuk-error-summary"' in refused.text and refused.text.count("Error:") >= 1
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"PK\x03\x04 not really a workbook")
    broken = upload(client, fake)
    assert broken.status_code == 400 and "govuk-error-summary" in broken.text
    assert session.validation is None


def test_uploaded_names_cannot_climb_out_of_the_working_folder() -> None:
    assert safe_name("../../etc/applications.xlsx") == "applications.xlsx"
    assert safe_name("..\\..\\x.CSV") == "x.csv"
    assert safe_name("<b>.xlsx") == "_b_.xlsx"


def test_the_session_starts_from_the_folders_config_and_saves_it(folder: Path, session: Session, keys: Keys) -> None:
    client = signed_in(session, keys)
    assert "Settings from mentormatch.toml" in client.get("/upload").text
    page = client.get("/settings").text
    assert 'value="mutual-2023" selected' in page
    sent = client.post("/settings", data={"csrf": csrf_of(page), "preset": "mutual-2022", "eoi_word_limit": "100",
                                          "default_capacity": "2", "department": "hard", "profession": "prefer"})
    assert sent.status_code == 303 and session.config.round.eoi_word_limit == 100
    kept = client.post("/save", data={"csrf": csrf_of(page), "back": "/settings"})
    assert kept.status_code == 400 and "already exists" in kept.text  # an existing file is never lost silently
    assert "<h1 class=\"govuk-heading-l\">Settings</h1>" in kept.text  # on the page the Save was pressed on
    written = client.post("/save", data={"csrf": csrf_of(page), "back": "/settings", "replace": "yes"})
    assert written.status_code == 303
    saved = Session.start(folder)
    try:
        assert (saved.config.preset, saved.config.round.eoi_word_limit, saved.config.rules.profession) == (
            "mutual-2022", 100, "prefer")
        assert saved.config.round.default_capacity == 2
    finally:
        saved.close()


def test_a_setting_out_of_range_is_refused_with_the_reason(session: Session, keys: Keys) -> None:
    client = signed_in(session, keys)
    page = client.get("/settings").text
    sent = client.post("/settings", data={"csrf": csrf_of(page), "preset": "mutual-2023", "eoi_word_limit": "lots",
                                          "default_capacity": "1", "department": "hard", "profession": "hard"})
    assert sent.status_code == 400 and "whole number" in sent.text
    sent = client.post("/settings", data={"csrf": csrf_of(page), "preset": "mutual-2023", "eoi_word_limit": "150",
                                          "default_capacity": "999", "department": "hard", "profession": "hard"})
    assert sent.status_code == 400 and "default_capacity" in sent.text
    assert session.config.round.default_capacity == 1


def test_sensitive_answers_stay_out_unless_asked_for(tmp_path: Path, bare: Session, keys: Keys) -> None:
    rows = [junior_row(Barriers="Yes, as a carer"), senior_row()]
    client = signed_in(bare, keys)
    upload(client, write_rows(tmp_path / "round.xlsx", rows))
    page = client.get("/match").text
    client.post("/match", data={"csrf": csrf_of(page)})
    assert "carer" not in client.get("/match").text
    headers = read_sheet(_downloaded(client, "pairings", tmp_path), "Pairings")[0].keys()
    assert "Junior barriers" not in headers
    client.post("/match", data={"csrf": csrf_of(page), "include_sensitive": "yes"})
    headers = read_sheet(_downloaded(client, "pairings", tmp_path), "Pairings")[0].keys()
    assert "Junior barriers" in headers


def _downloaded(client: TestClient, kind: str, folder: Path) -> Path:
    response = client.get(f"/download/{kind}")
    assert response.status_code == 200, response.text
    name = re.search(r'filename="([^"]+)"', response.headers["content-disposition"])
    assert name
    path = folder / f"downloaded-{name[1]}"
    path.write_bytes(response.content)
    return path


def test_downloads_are_byte_for_byte_what_the_cli_writes(tmp_path: Path, folder: Path, session: Session, keys: Keys,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764806400")  # the Settings sheet's "Run at", fixed for both
    client = signed_in(session, keys)
    upload(client, EXAMPLE)
    page = client.get("/match").text
    client.post("/match", data={"csrf": csrf_of(page)})
    pairings = _downloaded(client, "pairings", tmp_path)
    problems = _downloaded(client, "problems", tmp_path)
    report = _downloaded(client, "report", tmp_path)
    runner = CliRunner()
    inputs = folder / "applications.xlsx"
    config = str(folder / "mentormatch.toml")
    assert runner.invoke(cli, ["match", str(inputs), "-c", config]).exit_code == 0
    runner.invoke(cli, ["validate", str(inputs), "-c", config, "-o", str(folder / "applications-problems.xlsx")])
    assert runner.invoke(cli, ["report", str(folder / "applications-pairings.xlsx")]).exit_code == 0
    assert pairings.read_bytes() == (folder / "applications-pairings.xlsx").read_bytes()
    assert problems.read_bytes() == (folder / "applications-problems.xlsx").read_bytes()
    assert report.read_bytes() == (folder / "applications-pairings-report.xlsx").read_bytes()


def test_a_rematch_on_the_page_is_the_clis_rematch(tmp_path: Path, folder: Path, session: Session, keys: Keys,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764806400")
    client = signed_in(session, keys)
    upload(client, EXAMPLE)
    page = client.get("/match").text
    client.post("/match", data={"csrf": csrf_of(page)})
    junior = session.result.pairings[0].junior.email if session.result else ""
    page = client.get("/match").text
    assert client.post("/rematch", data={"csrf": csrf_of(page), "withdrawn": junior}).status_code == 303
    shown = client.get("/match").text
    assert "What the re-pairing changed" in shown and "withdrew" in shown
    rematched = _downloaded(client, "pairings", tmp_path)
    runner = CliRunner()
    assert runner.invoke(cli, ["match", str(folder / "applications.xlsx"), "-c", str(folder / "mentormatch.toml")]).exit_code == 0
    assert runner.invoke(cli, ["rematch", str(folder / "applications-pairings.xlsx"), "--withdrawn", junior]).exit_code == 0
    assert rematched.read_bytes() == (folder / "applications-pairings-rematched.xlsx").read_bytes()
    drafts = client.get("/introductions").text
    assert "Nothing is sent" in drafts and "pair-" not in drafts.split("Download")[0]
    archive = client.get("/download/introductions")
    assert archive.status_code == 200 and archive.content[:2] == b"PK"


def test_an_alias_or_an_accepted_reading_is_applied_and_saved(folder: Path, session: Session, keys: Keys) -> None:
    client = signed_in(session, keys)
    upload(client, EXAMPLE)
    page = client.get("/problems").text
    assert "Accept this reading" in page and 'value="HEO"' in page  # 'Fast Stream', read as HEO
    assert 'type="text"\n                 value="Transport Focus"' not in page  # a resemblance is offered, never filled in
    assert '<option value="Transport Focus">' in page
    before = len(session.validation.warnings) if session.validation else 0
    sent = client.post("/alias", data={"csrf": csrf_of(page), "field": "grade", "answer": "Fast Stream", "target": "HEO"})
    assert sent.status_code == 303
    assert session.validation is not None and len(session.validation.warnings) < before
    assert not any(p.code == "fast-stream-grade" for p in session.validation.warnings)
    client.post("/alias", data={"csrf": csrf_of(page), "field": "profession", "answer": "performance analysis",
                                "target": "Intelligence analysis"})
    assert not any(a.answers == ("performance analysis",) for a in session.validation.unrecognised)
    refused = client.post("/alias", data={"csrf": csrf_of(page), "field": "capacity", "answer": "lots", "target": "2"})
    assert refused.status_code == 400 and "cannot be given an alias" in refused.text
    client.post("/save", data={"csrf": csrf_of(page), "back": "/problems", "replace": "yes"})
    saved = Session.start(folder)
    try:
        assert saved.config.aliases.grades == {"Fast Stream": "HEO"}
        assert saved.config.aliases.professions == {"performance analysis": "Intelligence analysis"}
        assert saved.config.columns == session.config.columns  # the example's own mapping is kept
    finally:
        saved.close()


def test_a_hostile_upload_is_refused_by_the_safe_reader(tmp_path: Path, session: Session, keys: Keys) -> None:
    """A small workbook that expands to gigabytes is refused as the CLI refuses it, with the same reason."""
    from test_hostile_files import workbook_of_xml

    rows = '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>' + "".join(
        f'<row r="{n}"><c r="A{n}" t="s"><v>2</v></c><c r="B{n}" t="s"><v>2</v></c></row>' for n in range(2, 1002))
    bomb = workbook_of_xml(tmp_path / "bomb.xlsx", rows, ["Email", "Name", "A" * 8_000_000])
    client = signed_in(session, keys)
    refused = upload(client, bomb)
    shown = re.search(r'govuk-error-summary__list">(.*?)</ul>', refused.text, re.S)
    assert refused.status_code == 400 and shown, refused.text[:500]
    assert "would expand to" in shown[1] and "safety limit" in shown[1]
    assert session.validation is None


def test_serve_without_the_web_extra_says_how_to_install_it(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "mentormatch.web.server", None)  # as if uvicorn and starlette were absent
    result = CliRunner().invoke(cli, ["serve", str(folder), "--no-browser"])
    assert result.exit_code == 2 and "pip install 'mentormatch[web]'" in result.output


def summary_links_resolve(page: str) -> None:
    """Every link in the error summary leads to an element of the page (as the Design System's summary must)."""
    summary = re.search(r'govuk-error-summary__list">(.*?)</ul>', page, re.S)
    assert summary, "no error summary"
    targets = re.findall(r'href="#([^"]+)"', summary[1])
    assert targets and all(f'id="{target}"' in page for target in targets), targets


def test_each_refusal_is_shown_at_its_field_and_linked_from_the_summary(session: Session, keys: Keys) -> None:
    client = signed_in(session, keys)
    page = client.get("/settings").text
    form = {"csrf": csrf_of(page), "preset": "mutual-2023", "eoi_word_limit": "²", "default_capacity": "1",
            "department": "hard", "profession": "hard"}
    refused = client.post("/settings", data=form)  # a superscript two is a digit to Python, not a number
    assert refused.status_code == 400 and 'id="eoi_word_limit-error"' in refused.text
    assert 'aria-describedby="eoi-hint eoi_word_limit-error"' in refused.text
    assert 'value="²"' in refused.text  # what was typed stays in the field, as the Design System asks
    summary_links_resolve(refused.text)
    refused = client.post("/settings", data={**form, "eoi_word_limit": "150", "default_capacity": "999"})
    assert 'id="default_capacity-error"' in refused.text
    summary_links_resolve(refused.text)
    refused = client.post("/save", data={"csrf": csrf_of(page), "back": "/settings"})
    assert 'id="replace-settings-error"' in refused.text
    summary_links_resolve(refused.text)
    refused = client.post("/pick", data={"csrf": csrf_of(page), "name": "../mentormatch.toml"})
    assert refused.status_code == 400 and 'id="exports-error"' in refused.text and 'id="file-error"' not in refused.text
    summary_links_resolve(refused.text)
    upload(client, EXAMPLE)
    refused = client.post("/match", data={"csrf": csrf_of(page)})
    assert refused.status_code == 303
    refused = client.post("/rematch", data={"csrf": csrf_of(page)})
    assert refused.status_code == 400 and "Tick at least one" in refused.text
    summary_links_resolve(refused.text)
    refused = client.post("/alias", data={"csrf": csrf_of(page), "field": "grade", "answer": " ", "target": "HEO"})
    assert refused.status_code == 400 and session.config.aliases.grades == {}
    summary_links_resolve(refused.text)


def test_a_failed_upload_leaves_nothing_of_the_round_before(tmp_path: Path, session: Session, keys: Keys) -> None:
    client = signed_in(session, keys)
    upload(client, EXAMPLE)
    page = client.get("/match").text
    client.post("/match", data={"csrf": csrf_of(page)})
    broken = tmp_path / "second.xlsx"
    broken.write_bytes(b"PK\x03\x04 not a workbook")
    assert upload(client, broken).status_code == 400
    assert session.source is None and session.validation is None and session.result is None
    assert client.get("/problems").headers["location"] == "/upload"
    assert client.get("/download/pairings").status_code == 404
    assert list(session.work.iterdir()) == []


def test_saved_columns_that_do_not_fit_an_export_are_set_aside_with_a_word(tmp_path: Path, session: Session,
                                                                         keys: Keys) -> None:
    """The folder's config maps the form's questions; an export in the template's headers still opens."""
    client = signed_in(session, keys)
    assert upload(client, write_rows(tmp_path / "template.xlsx", [junior_row(), senior_row()])).status_code == 303
    page = client.get("/columns").text
    assert "do not fit this export" in page and "set aside" in page
    assert session.validation is not None and len(session.validation.applicants) == 2
    assert "columns" not in session.data
    sent = client.post("/columns", data={"csrf": csrf_of(page), "field-email": "No such header"})
    assert sent.status_code == 400  # a mapping the export cannot be read with is refused, and not kept
    assert "columns" not in session.data and session.validation is not None


def test_any_file_name_downloads(tmp_path: Path, bare: Session, keys: Keys) -> None:
    client = signed_in(bare, keys)
    assert upload(client, write_rows(tmp_path / "x.xlsx", [junior_row(), senior_row()]), "Заявки 2026.xlsx").status_code == 303
    page = client.get("/match").text
    client.post("/match", data={"csrf": csrf_of(page)})
    response = client.get("/download/pairings")
    assert response.status_code == 200
    assert "filename*=UTF-8''%D0%97%D0%B0%D1%8F%D0%B2%D0%BA%D0%B8%202026-pairings.xlsx" in response.headers[
        "content-disposition"]


def test_a_malformed_form_is_refused_not_a_crash(session: Session, keys: Keys) -> None:
    client = signed_in(session, keys)
    sent = client.post("/upload", content=b"--x\r\nnonsense", headers={"content-type": "multipart/form-data"})
    assert sent.status_code == 400 and "Traceback" not in sent.text


def test_an_internal_error_shows_no_traceback_and_keeps_the_headers(session: Session, keys: Keys,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    client = signed_in(session, keys)
    monkeypatch.setattr(Session, "exports", lambda self: 1 / 0)
    failed = client.get("/upload")
    assert failed.status_code == 500 and "ZeroDivisionError" in failed.text and "Traceback" not in failed.text
    assert "default-src 'none'" in failed.headers["content-security-policy"]


def test_the_address_is_kept_on_this_site_and_the_cookie_is_this_servers(session: Session) -> None:
    keys = Keys(hosts=frozenset({HOSTNAME}), port=8765)
    client = TestClient(create_app(session, keys), base_url=f"http://{HOSTNAME}", follow_redirects=False)
    sent = client.get(f"http://{HOSTNAME}//evil.example/?token={keys.token}")
    assert sent.headers["location"] == "/evil.example/"  # a path here, never another site
    assert sent.headers["set-cookie"].startswith("mentormatch_session_8765=")


def test_a_person_is_named_by_row_in_the_title(session: Session, keys: Keys) -> None:
    client = signed_in(session, keys)
    upload(client, EXAMPLE)
    page = client.get("/match").text
    client.post("/match", data={"csrf": csrf_of(page)})
    pairing = session.result.pairings[0] if session.result else None
    assert pairing is not None
    shown = client.get(f"/person/{pairing.junior.row}").text
    title = re.search(r"<title>(.*?)</title>", shown, re.S)
    assert title and pairing.junior.name not in title[1] and f"row {pairing.junior.row}" in title[1]
    assert pairing.junior.name in shown


def test_rematches_are_numbered_after_the_first(session: Session, keys: Keys) -> None:
    client = signed_in(session, keys)
    upload(client, EXAMPLE)
    page = client.get("/match").text
    client.post("/match", data={"csrf": csrf_of(page)})
    for _ in range(3):
        assert session.result is not None
        client.post("/rematch", data={"csrf": csrf_of(page), "withdrawn": session.result.pairings[0].junior.email})
    assert session.pairings is not None and session.pairings.name == "applications-pairings-rematched-3.xlsx"


def test_a_broken_config_in_the_folder_leaves_no_working_folder(tmp_path: Path) -> None:
    (tmp_path / "mentormatch.toml").write_text('preset = "nope"\n', encoding="utf-8")
    before = set(Path("/dev/shm").glob("mentormatch-*")) if Path("/dev/shm").is_dir() else set()
    with pytest.raises(MentormatchError, match="nope"):
        prepare(tmp_path, 0)
    after = set(Path("/dev/shm").glob("mentormatch-*")) if Path("/dev/shm").is_dir() else set()
    assert after <= before


def test_serve_opens_the_browser_through_a_private_file(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The token never appears on the browser's command line, which other users of the computer can read."""
    import webbrowser

    from mentormatch.web.server import LocalServer

    opened: list[str] = []
    seen: dict[str, str] = {}

    def run(self: LocalServer) -> None:  # instead of serving: look at the launcher, then stop as Ctrl+C would
        launcher = Path(opened[0].removeprefix("file://"))
        seen["mode"] = oct(launcher.stat().st_mode & 0o777)
        seen["text"] = launcher.read_text(encoding="utf-8")
        seen["token"] = self.keys.token
        self.close()

    monkeypatch.setattr(webbrowser, "open", lambda url: opened.append(url) or True)
    monkeypatch.setattr(LocalServer, "run", run)
    result = CliRunner().invoke(cli, ["serve", str(folder)])
    assert result.exit_code == 0, result.output
    assert opened and opened[0].startswith("file://") and seen["token"] not in opened[0]
    assert seen["mode"] == "0o600" and f"token={seen['token']}" in seen["text"]
    assert f"token={seen['token']}" in result.output.replace("\n", "")  # the address is printed to open by hand


def test_an_empty_round_goes_through_every_page(tmp_path: Path, bare: Session, keys: Keys) -> None:
    """An export with no application is refused as the CLI refuses it; one where nobody is eligible goes
    through every page with nobody paired, and none crashes."""
    client = signed_in(bare, keys)
    refused = upload(client, write_rows(tmp_path / "empty.xlsx", []))
    assert refused.status_code == 400 and "no applications below it" in refused.text
    rows = [junior_row(Barriers="No"), junior_row(Grade="Band Z"), senior_row(Grade="EO")]
    assert upload(client, write_rows(tmp_path / "nobody.xlsx", rows)).status_code == 303
    page = client.get("/problems").text
    assert "no-barriers-declared" in page
    assert client.post("/match", data={"csrf": csrf_of(page)}).status_code == 303
    shown = client.get("/match").text
    assert "Pairs (0)" in shown and "Without a partner (3)" in shown
    for path in ("/columns", "/settings", "/introductions", "/downloads", "/download/pairings", "/download/problems"):
        assert client.get(path).status_code == 200, path
    report = client.get("/download/report")
    assert report.status_code in (200, 404) and "Traceback" not in report.text
