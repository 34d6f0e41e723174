"""The local server behind `mentormatch serve`: bound to 127.0.0.1 only, one coordinator, forgotten when it stops."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import uvicorn

from mentormatch.errors import MentormatchError
from mentormatch.web.app import create_app
from mentormatch.web.guard import Keys
from mentormatch.web.session import Session

HOST = "127.0.0.1"  # never another interface: the page is for the person at this computer


@dataclass
class LocalServer:
    """A bound, not yet running, server: its address (with the token) is known before it starts."""

    session: Session
    keys: Keys
    sock: socket.socket
    server: uvicorn.Server

    @property
    def port(self) -> int:
        return int(self.sock.getsockname()[1])

    @property
    def address(self) -> str:
        return f"http://{HOST}:{self.port}/?token={self.keys.token}"

    def launcher(self) -> Path:
        """A page in the private working folder that forwards to the address: opening it, rather than the
        address, keeps the token out of the browser's command line, which other users of the computer can read."""
        page = self.session.work / "open.html"
        page.write_text(f'<!DOCTYPE html><meta charset="utf-8"><meta http-equiv="refresh" content="0;url={self.address}">'
                        f'<title>mentormatch</title><a href="{self.address}">Open mentormatch</a>', encoding="utf-8")
        page.chmod(0o600)
        return page

    def run(self) -> None:
        """Serve until stopped (Ctrl+C), then forget the session's files."""
        try:
            self.server.run(sockets=[self.sock])
        finally:
            self.close()

    def close(self) -> None:
        self.sock.close()
        self.session.close()

    @contextmanager
    def in_background(self) -> Iterator[LocalServer]:
        """Serve from a thread while the block runs (for the browser tests and the screenshots), then stop."""
        thread = threading.Thread(target=self.run, daemon=True)
        thread.start()
        while not self.server.started and thread.is_alive():
            thread.join(0.05)
        try:
            yield self
        finally:
            self.server.should_exit = True
            thread.join(10)


def bind(port: int) -> socket.socket:
    """A listening socket on 127.0.0.1 (`port` 0: any free port)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind((HOST, port))
    except OSError:
        sock.close()
        raise MentormatchError(f"Port {port} on {HOST} is in use or not allowed: choose another with --port, "
                               "or leave it out to take any free port.") from None
    sock.listen(16)
    return sock


def prepare(folder: Path, port: int = 0) -> LocalServer:
    """Bind the server and open the session over `folder`; nothing is served until `run`."""
    if not folder.is_dir():
        raise MentormatchError(f"{folder} is not a folder.")
    session = Session.start(folder)
    try:
        sock = bind(port)
    except MentormatchError:
        session.close()
        raise
    port = int(sock.getsockname()[1])
    keys = Keys(hosts=frozenset({f"{HOST}:{port}", f"localhost:{port}"}), port=port)
    config = uvicorn.Config(create_app(session, keys), log_level="warning", access_log=False, server_header=False,
                            date_header=False, lifespan="off")
    return LocalServer(session, keys, sock, uvicorn.Server(config))
