"""The introduction outbox: one unsent .eml per pair and a mail-merge CSV, each paragraph one line."""

from __future__ import annotations

import csv
import io
from email.message import EmailMessage
from pathlib import Path

from mentormatch.errors import MentormatchError
from mentormatch.outputs.workbook import write_bytes
from mentormatch.round.introductions import Draft


def write_outbox(folder: Path, drafts: list[Draft]) -> Path:
    """Write each draft as an unsent .eml and a mail-merge CSV into `folder` (created if need be)."""
    if not folder.parent.exists():
        raise MentormatchError(f"Cannot write to {folder}: the folder {folder.parent} does not exist.")
    try:
        folder.mkdir(exist_ok=True)
        for draft in drafts:
            message = EmailMessage()
            message["To"] = ", ".join(draft.recipients)
            message["Subject"] = draft.subject
            message["X-Unsent"] = "1"  # opens as a draft to send in Outlook
            message.set_content(draft.body)
            write_bytes(folder / draft.file_name, bytes(message))
        table = io.StringIO()
        writer = csv.writer(table)
        writer.writerow(["File", "To", "Subject", "Body", "Kept pair"])
        for draft in drafts:
            writer.writerow([_plain(cell) for cell in (draft.file_name, "; ".join(draft.recipients), draft.subject,
                                                        draft.body, "yes" if draft.kept else "")])
        merge = folder / "mail-merge.csv"
        write_bytes(merge, table.getvalue().encode("utf-8-sig"))
    except OSError as exc:
        raise MentormatchError(f"Cannot write to {folder} ({exc.strerror or exc.__class__.__name__}).") from None
    return merge


def _plain(text: str) -> str:
    """Text for a CSV cell that a spreadsheet will not run as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
