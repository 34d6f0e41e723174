"""The files one command reads, so that nothing it writes lands on one of them.

A command (the CLI runs each inside `one_command`) notes every file it reads: the applications, the
config, a pairings workbook, the applications a pairings workbook records, check-in exports, a
withdrawals list. Writers refuse an output that is one of them, whatever the spelling of its path
(relative, `..`, a link, another case on a case-blind disk): files are compared by device and inode.
Outside a command (the library called from Python) nothing is recorded and writers check only the
inputs they are given.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

_READ: ContextVar[dict[tuple[int, int], str] | None] = ContextVar("mentormatch_files_read", default=None)


@contextmanager
def one_command() -> Iterator[None]:
    """Record the files read until the block ends."""
    token = _READ.set({})
    try:
        yield
    finally:
        _READ.reset(token)


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_dev, status.st_ino


def note_read(path: Path) -> None:
    """Remember that the current command reads `path`."""
    read = _READ.get()
    if read is not None and (identity := _identity(path)) is not None:
        read.setdefault(identity, path.name)


def read_by_this_command(path: Path) -> str | None:
    """The name under which the current command read the file at `path`, or None."""
    read = _READ.get()
    identity = _identity(path) if read else None
    return read.get(identity) if read and identity is not None else None


def same_file(first: Path, second: Path) -> bool:
    """True when both paths name one existing file, however each is spelt."""
    one, other = _identity(first), _identity(second)
    return (one is not None and one == other) or first.resolve() == second.resolve()
