"""What every `mentormatch` command shares: the app, consoles, options, error handling."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from typer.core import TyperCommand, TyperGroup

from mentormatch import __version__

_TYPE_NAMES = {"file": "FILE", "directory": "FOLDER", "path": "PATH", "str": "TEXT", "int": "NUMBER",
               "int range": "NUMBER", "float": "NUMBER", "float range": "NUMBER"}


def _plain_type(param: Any) -> None:
    """Show a parameter the way people write it: a flag with no type, FILE instead of <file>, INPUT
    instead of {INPUT} (the help Typer renders by default shows `<bool>`, `<str>` and braces)."""
    shown = param.display_type_rich
    if param.param_type_name == "argument":
        name = param.metavar = param.metavar or param.name.upper()
        param._usage_display_name = lambda: name if param.required else f"[{name}]"
        param.display_type_rich = lambda ctx: None  # the name already says it: INPUT, PAIRINGS
    elif getattr(param, "is_flag", False):
        param.display_type_rich = lambda ctx: None
    else:
        def display(ctx: Any) -> str | None:
            label = shown(ctx)
            if label and label.startswith("<") and label.endswith(">"):
                inner = label[1:-1]
                return _TYPE_NAMES.get(inner, inner if "|" in inner else inner.upper())
            return label

        param.display_type_rich = display


class _PlainHelp:
    """Help that shows plain placeholders (see `_plain_type`), for commands and the app itself."""

    params: list[Any]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            _plain_type(param)

    def get_help_option(self, ctx: Any) -> Any:
        """--help, a flag like the others."""
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            _plain_type(option)
        return option


class _Command(_PlainHelp, TyperCommand):
    """A command whose help shows plain placeholders."""


class _Group(_PlainHelp, TyperGroup):
    """The app's own help, with plain placeholders too."""


class _App(typer.Typer):
    """The Typer app, its commands made with `_Command`."""

    def command(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("cls", _Command)
        return super().command(*args, **kwargs)


app = _App(
    cls=_Group,
    name="mentormatch",
    help="Validate applications to a cross-government mentoring scheme and pair juniors with seniors.\n\n"
         "Example:  mentormatch match applications.xlsx --config mentormatch.toml",
    no_args_is_help=True,
    pretty_exceptions_enable=False,  # never print locals: they hold applicants' personal data
    rich_markup_mode="markdown",  # paragraphs reflow to the terminal; [brackets] are text
    add_completion=False,
)
out = Console(highlight=False)
err = Console(stderr=True, highlight=False)
_state = {"debug": False}

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3

ConfigOption = Annotated[Path | None, typer.Option("--config", "-c", help="TOML config file (see `mentormatch init`).",
                                                   dir_okay=False)]
PresetOption = Annotated[str | None, typer.Option("--preset", help="Published rules to start from: mutual-2023 "
                                                  "(default), mutual-2022 or reverse. Overrides the config's preset.")]
SheetOption = Annotated[str | None, typer.Option("--sheet", help="Sheet to read (default: the first with data).")]
HeaderRowOption = Annotated[int | None, typer.Option("--header-row", min=1,
                                                     help="Row holding the headers (default: found automatically).")]
InputArgument = Annotated[Path, typer.Argument(help="Application export: .xlsx or .csv.", dir_okay=False,
                                               metavar="INPUT")]
PairingsArgument = Annotated[Path, typer.Argument(help="A pairings workbook written by `mentormatch match`.", metavar="PAIRINGS",
                                                  dir_okay=False)]
HistoryOption = Annotated[list[Path] | None, typer.Option(
    "--history", metavar="PAIRINGS.xlsx", dir_okay=False,
    help="Pairings workbook of an earlier round: those pairs are not made again, and the people it left unpaired "
         "have priority (round.priority). Repeat it for several rounds.")]


def output_option(what: str, *, folder: bool = False) -> Any:
    """The `--output`/`-o` option every command has (`Annotated[Path | None, output_option(...)]`); `what` says
    what is written and its default name."""
    if folder:
        return typer.Option("--output", "-o", file_okay=False, help=what)
    return typer.Option("--output", "-o", dir_okay=False, help=what)


def _version(value: bool) -> None:
    if value:
        out.print(f"mentormatch {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show full tracebacks of internal errors (they may "
                                        "contain personal data).")] = False,
) -> None:
    """Validate applications to a cross-government mentoring scheme and pair juniors with seniors."""
    _state["debug"] = debug


@contextmanager
def guarded() -> Iterator[None]:
    """Turn library errors into a red panel and exit 1; internal errors into a short notice and exit 3."""
    from mentormatch.cli.render import error_panel
    from mentormatch.errors import MentormatchError
    from mentormatch.files import one_command

    try:
        with one_command():
            yield
    except MentormatchError as exc:
        error_panel(err, str(exc))
        raise typer.Exit(EXIT_PROBLEMS) from None
    except (typer.Exit, typer.Abort, KeyboardInterrupt):
        raise
    except Exception as exc:
        if _state["debug"]:
            raise
        error_panel(err, f"mentormatch hit an internal error ({exc.__class__.__name__}) and wrote nothing. "
                         "Run again with --debug to see the traceback (it may contain personal data) and "
                         "report it to the maintainers without the data.", title="Internal error")
        raise typer.Exit(EXIT_INTERNAL) from None


def load_settings(config: Path | None, preset: str | None) -> Any:
    from mentormatch.config import load_config

    return load_config(config, preset)


@contextmanager
def progress() -> Iterator[Callable[..., None]]:
    """The current stage on stderr, with a bar once its share done is known (silent when not a terminal).

    Yields `update(name, done=None)`: a new name starts a new stage; `done` (0..1) moves its bar.
    """
    if not err.is_terminal:  # nothing would be drawn: rich.progress is not even imported
        yield lambda name, done=None: None
        return
    from rich.progress import (
        BarColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task("Starting…", total=None)
        current: list[str] = []

        def update(name: str, done: float | None = None) -> None:
            if current != [name]:
                current[:] = [name]
                bar.reset(task, description=f"{name}…", total=None)
            if done is not None:
                bar.update(task, total=1.0, completed=done)

        yield update


def show_columns(result: Any, detail: bool = True) -> None:
    columns = result.columns
    if not detail:
        ignored = f"; ignored {escape(', '.join(repr(h) for h in columns.ignored))}" if columns.ignored else ""
        out.print(f"[dim]Read {escape(result.source.name)}: header row {columns.header_row}, "
                  f"{len(columns.index)} fields recognised{ignored}[/]")
        return
    mapped = ", ".join(f"{name} ← {escape(repr(columns.header(name)))}" for name in columns.index)
    out.print(f"[dim]Read {escape(result.source.name)}{escape(' sheet ' + repr(result.sheet)) if result.sheet else ''}, "
              f"headers in row {columns.header_row}: {mapped}[/]")
    if columns.ignored:
        out.print(f"[dim]Ignored columns: {escape(', '.join(repr(h) for h in columns.ignored))}[/]")


def fail_usage(message: str) -> NoReturn:
    from mentormatch.cli.render import error_panel

    error_panel(err, message, title="Usage")
    raise typer.Exit(EXIT_USAGE)
