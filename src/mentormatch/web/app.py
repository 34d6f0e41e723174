"""The local page's routes: each one calls a `Session` step (the library, as the CLI calls it) and renders a page.

Pages are plain server-rendered HTML styled with GOV.UK Frontend; there is no JavaScript, so every
control is a link or a form. Applicant text reaches a page only through Jinja2's autoescaping.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from mentormatch.config import PRESETS, Rule
from mentormatch.errors import MentormatchError
from mentormatch.files import one_command
from mentormatch.inputs.headers import EXACT, REQUIRED
from mentormatch.web import views
from mentormatch.web.guard import Guard, Keys, Refused, checked_form
from mentormatch.web.session import Session

STEPS = (("upload", "Upload"), ("columns", "Columns"), ("problems", "Problems"), ("settings", "Settings"),
         ("match", "Match"), ("downloads", "Downloads"))
FIELDS = tuple(EXACT)
# What a step that went well says on the page it leads to (the address names it by a code, never by its text).
NOTICES = {"saved": "Saved mentormatch.toml", "alias": "Alias set: the answers were read again",
           "settings": "Settings changed for this round", "rematched": "Re-paired without the people ticked"}
SAVED_FROM = {"/columns": "columns", "/problems": "problems", "/settings": "settings"}  # the pages with a Save
_env = Environment(loader=PackageLoader("mentormatch.web", "templates"), autoescape=select_autoescape(default=True),
                   trim_blocks=True, lstrip_blocks=True)
_env.filters["number"] = lambda value: f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else value
_env.filters["folder"] = views.shown_folder


Errors = list[tuple[str, str]]  # (the id of the field at fault, the message), as the error summary links them


class Invalid(MentormatchError):
    """A form's answer that cannot be used, with the field it is in."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _page(request: Request, template: str, title: str, *, errors: Errors | None = None,
          status: int = 200, **context: Any) -> HTMLResponse:
    session: Session = request.app.state.session
    current = SAVED_FROM.get(request.url.path, "")
    if request.url.path == "/save":  # a refused Save shows the page it was pressed on
        current = SAVED_FROM.get(str(request.state.form.get("back")), "settings")
    html = _env.get_template(template).render(
        title=title, steps=STEPS, current=current or request.url.path.strip("/").split("/")[0] or "upload",
        session=session, csrf=request.app.state.keys.csrf, errors=errors or [], error_for=dict(errors or []),
        entered=getattr(request.state, "form", None) or {},  # a refused form shows what was typed, as sent
        notice=NOTICES.get(request.query_params.get("done", ""), ""), **context)
    return HTMLResponse(html, status_code=400 if errors and status == 200 else status)


Handler = Callable[[Request], Awaitable[Response]]


def _command(function: Callable[..., Any], *args: Any) -> Any:
    """Run one step as the CLI runs one command: the files it reads are never written over."""
    with one_command():
        return function(*args)


def _step(render: Callable[[Request, Session], Response]) -> Handler:
    """A GET page: rendered under the session's lock, in a worker thread."""
    async def endpoint(request: Request) -> Response:
        async with request.app.state.lock:
            return await run_in_threadpool(_command, render, request, request.app.state.session)
    return endpoint


def _action(act: Callable[[Session, Any], str], failed: Callable[[Request, Session, Errors], Response],
            where: str) -> Handler:
    """A POST: the form checked, the step run under the lock; then to the page it names, or back to its page with
    the error, linked to its field (`where` unless the error names one)."""
    async def endpoint(request: Request) -> Response:
        try:
            form = await checked_form(request)
        except Refused as refused:
            return PlainTextResponse(str(refused), status_code=refused.status)
        request.state.form = form
        async with request.app.state.lock:
            session = request.app.state.session
            try:
                target = await run_in_threadpool(_command, act, session, form)
            except MentormatchError as exc:
                field = exc.field if isinstance(exc, Invalid) else where
                return await run_in_threadpool(failed, request, session, [(field, str(exc))])
        return RedirectResponse(target, status_code=303)
    return endpoint


# Upload --------------------------------------------------------------------------------------------------------
def upload_page(request: Request, session: Session, errors: Errors | None = None) -> Response:
    return _page(request, "upload.html", "Upload an export", exports=session.exports(), errors=errors)


async def upload(request: Request) -> Response:
    try:
        form = await checked_form(request)
    except Refused as refused:
        return PlainTextResponse(str(refused), status_code=refused.status)
    file = form.get("file")
    if not isinstance(file, UploadFile) or not file.filename:
        return await _step(lambda r, s: upload_page(r, s, [("file", "Choose an export to upload.")]))(request)
    content = await file.read()
    async with request.app.state.lock:
        session = request.app.state.session
        try:
            await run_in_threadpool(_command, session.upload, file.filename, content)
        except MentormatchError as exc:
            return await run_in_threadpool(upload_page, request, session, [("file", str(exc))])
    return RedirectResponse("/columns", status_code=303)


def _pick(session: Session, form: Any) -> str:
    session.pick(str(form.get("name", "")))
    return "/columns"


# Columns -------------------------------------------------------------------------------------------------------
def columns_page(request: Request, session: Session, errors: Errors | None = None) -> Response:
    if session.validation is None:
        return RedirectResponse("/upload", status_code=303)
    return _page(request, "columns.html", "Columns", fields=FIELDS, required=REQUIRED,
                 view=views.columns(session.validation), errors=errors)


def _columns(session: Session, form: Any) -> str:
    mapping = {name: str(form.get(f"field-{name}")) for name in FIELDS if form.get(f"field-{name}")}
    session.set_columns(mapping)
    return "/problems"


def _save(session: Session, form: Any) -> str:
    back = SAVED_FROM.get(str(form.get("back", "")), "settings")
    try:
        session.save_config(replace=form.get("replace") == "yes")
    except MentormatchError as exc:
        raise Invalid(f"replace-{back}", str(exc)) from None
    return f"/{back}?done=saved"


def _save_failed(request: Request, session: Session, errors: Errors) -> Response:
    """The page the Save was pressed on, with what stopped it."""
    back = SAVED_FROM.get(str(request.state.form.get("back")), "settings")
    page = {"columns": columns_page, "problems": problems_page}.get(back, settings_page)
    return page(request, session, errors)


# Problems ------------------------------------------------------------------------------------------------------
def problems_page(request: Request, session: Session, errors: Errors | None = None) -> Response:
    if session.validation is None:
        return RedirectResponse("/upload", status_code=303)
    return _page(request, "problems.html", "Problems", view=views.problems(session.validation), errors=errors)


def _alias(session: Session, form: Any) -> str:
    session.set_alias(str(form.get("field", "")), str(form.get("answer", "")), str(form.get("target", "")))
    return "/problems?done=alias"


# Settings ------------------------------------------------------------------------------------------------------
def settings_page(request: Request, session: Session, errors: Errors | None = None) -> Response:
    return _page(request, "settings.html", "Settings", config=session.config, presets=tuple(PRESETS),
                 rules=tuple(Rule), errors=errors)


SETTING_FIELDS = {"eoi_word_limit": "eoi_word_limit", "default_capacity": "default_capacity", "preset": "preset",
                  "rules.department": "department-hard", "rules.profession": "profession-hard"}  # key -> field id


def _settings(session: Session, form: Any) -> str:
    labels = {"eoi_word_limit": "word limit", "default_capacity": "number of partners"}

    def number(name: str) -> int:
        text = str(form.get(name, "")).strip()
        if not (text.isascii() and text.isdecimal()):
            raise Invalid(name, f"The {labels[name]} must be a whole number, like 150, not {text!r}.")
        return int(text)

    override = {"preset": str(form.get("preset", "")),
                "round": {"eoi_word_limit": number("eoi_word_limit"), "default_capacity": number("default_capacity")},
                "rules": {"department": str(form.get("department", "")), "profession": str(form.get("profession", ""))}}
    try:
        session.change(override)
    except MentormatchError as exc:
        field = next((at for key, at in SETTING_FIELDS.items() if key in str(exc)), "preset")
        raise Invalid(field, str(exc)) from None
    return "/match?done=settings"


# Match and after -----------------------------------------------------------------------------------------------
def match_page(request: Request, session: Session, errors: Errors | None = None) -> Response:
    view = views.matched(session) if session.result is not None else None
    return _page(request, "match.html", "Match", view=view, errors=errors)


def _match(session: Session, form: Any) -> str:
    session.match(include_sensitive=form.get("include_sensitive") == "yes")
    return "/match"


def _rematch(session: Session, form: Any) -> str:
    session.rematch([str(email) for email in form.getlist("withdrawn")])
    return "/match?done=rematched"


def person_page(request: Request, session: Session) -> Response:
    try:
        email = views.email_at(session, int(request.path_params["row"]))
        explained = session.explain(email)
    except (MentormatchError, ValueError) as exc:
        return _page(request, "match.html", "Match", view=None, errors=[("match", str(exc))], status=404)
    # The title names the row, not the person: titles are kept in the browser's history.
    return _page(request, "person.html", f"Applicant on row {request.path_params['row']}", explained=explained)


def introductions_page(request: Request, session: Session) -> Response:
    try:
        made = session.introductions()
    except MentormatchError as exc:
        return match_page(request, session, [("match", str(exc))])
    return _page(request, "introductions.html", "Introductions", made=made)


def downloads_page(request: Request, session: Session) -> Response:
    return _page(request, "downloads.html", "Downloads")


def download(request: Request, session: Session) -> Response:
    try:
        name, content = session.download(request.path_params["kind"])
    except MentormatchError as exc:
        return _page(request, "downloads.html", "Downloads", errors=[("downloads", str(exc))], status=404)
    kind = "application/zip" if name.endswith(".zip") else (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    plain = name.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    return Response(content, media_type=kind, headers={  # any name: UTF-8 for browsers, plain ASCII as a fallback
        "Content-Disposition": f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(name)}"})


def create_app(session: Session, keys: Keys) -> Starlette:
    """The page's application over one coordinator's session."""
    routes = [
        Route("/", lambda request: RedirectResponse("/upload", status_code=303)),
        Route("/upload", _step(upload_page)), Route("/upload", upload, methods=["POST"]),
        Route("/pick", _action(_pick, upload_page, "exports"), methods=["POST"]),
        Route("/columns", _step(columns_page)),
        Route("/columns", _action(_columns, columns_page, "columns"), methods=["POST"]),
        Route("/save", _action(_save, _save_failed, "save"), methods=["POST"]),
        Route("/problems", _step(problems_page)),
        Route("/alias", _action(_alias, problems_page, "aliases"), methods=["POST"]),
        Route("/settings", _step(settings_page)),
        Route("/settings", _action(_settings, settings_page, "preset"), methods=["POST"]),
        Route("/match", _step(match_page)), Route("/match", _action(_match, match_page, "match"), methods=["POST"]),
        Route("/rematch", _action(_rematch, match_page, "withdrawn-1-j"), methods=["POST"]),
        Route("/person/{row:int}", _step(person_page)),
        Route("/introductions", _step(introductions_page)),
        Route("/downloads", _step(downloads_page)), Route("/download/{kind}", _step(download)),
        Mount("/static", StaticFiles(packages=[("mentormatch.web", "static")]), name="static"),
    ]
    app = Starlette(routes=routes, middleware=[Middleware(Guard, keys=keys)])
    app.state.session, app.state.keys, app.state.lock = session, keys, asyncio.Lock()
    return app
