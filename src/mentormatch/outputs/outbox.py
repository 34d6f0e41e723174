"""The introduction outbox: one unsent .eml per pair and a mail-merge CSV, each paragraph one line.

All of it is written, or none of it: the drafts and the CSV go into a temporary folder beside the
outbox, which is then renamed into place (into an existing outbox, file by file once every file is
complete), so a full disk or a killed run never leaves half the drafts.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import tempfile
from email.message import EmailMessage
from pathlib import Path

from mentormatch.errors import MentormatchError
from mentormatch.files import read_by_this_command
from mentormatch.outputs.workbook import PART, clear_leftovers, current_umask
from mentormatch.round.introductions import Draft

MAIL_MERGE = "mail-merge.csv"


def check_outbox(folder: Path) -> None:
    """Refuse an outbox that cannot be written where asked (checked before anything is drafted)."""
    if not folder.parent.exists():
        raise MentormatchError(f"Cannot write to {folder}: the folder {folder.parent} does not exist.")
    if folder.exists() and not folder.is_dir():
        raise MentormatchError(f"Cannot write to {folder}: it is a file, not a folder; give a folder with -o.")


def write_outbox(folder: Path, drafts: list[Draft]) -> Path:
    """Write each draft as an unsent .eml and a mail-merge CSV into `folder` (created if need be), all or nothing."""
    check_outbox(folder)
    files = {draft.file_name: _message(draft) for draft in drafts}
    files[MAIL_MERGE] = _mail_merge(drafts)
    for name in files:
        if read_by_this_command(folder / name):
            raise MentormatchError(f"Refusing to write over {folder / name}: this command reads it. Choose another "
                                   "folder with -o.")
    temp: Path | None = None
    try:
        clear_leftovers(folder.parent, folder.name)
        temp = Path(tempfile.mkdtemp(prefix=f".{folder.name}-{os.getpid()}-", suffix=PART, dir=folder.parent))
        for name, data in files.items():
            (temp / name).write_bytes(data)
        os.chmod(temp, 0o777 & ~current_umask())
        if not folder.exists():
            os.replace(temp, folder)  # the whole outbox appears at once
            temp = None
        else:
            for name in files:  # every file is complete: only renames are left, which need no space
                os.replace(temp / name, folder / name)
    except OSError as exc:
        raise MentormatchError(f"Cannot write the introductions to {folder} ({exc.strerror or exc.__class__.__name__}); "
                               "no draft was written.") from None
    finally:
        if temp is not None:
            shutil.rmtree(temp, ignore_errors=True)
    return folder / MAIL_MERGE


_DRAFT_NAME = re.compile(r"^(?:pair|confirm)-\d{3,}\.eml$")


def older_drafts(folder: Path, drafts: list[Draft]) -> list[str]:
    """Drafts in the outbox that this run did not write (from an earlier run): left as they are, and named."""
    written = {draft.file_name for draft in drafts}
    return sorted(p.name for p in folder.glob("*.eml") if _DRAFT_NAME.match(p.name) and p.name not in written)


def _message(draft: Draft) -> bytes:
    message = EmailMessage()
    message["To"] = ", ".join(draft.recipients)
    message["Subject"] = draft.subject
    message["X-Unsent"] = "1"  # opens as a draft to send in Outlook
    message.set_content(draft.body)
    return bytes(message)


def _mail_merge(drafts: list[Draft]) -> bytes:
    table = io.StringIO()
    writer = csv.writer(table)
    writer.writerow(["File", "To", "Subject", "Body", "Kept pair"])
    for draft in drafts:
        writer.writerow([_plain(cell) for cell in (draft.file_name, "; ".join(draft.recipients), draft.subject,
                                                    draft.body, "yes" if draft.kept else "")])
    return table.getvalue().encode("utf-8-sig")


def _plain(text: str) -> str:
    """Text for a CSV cell that a spreadsheet will not run as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
