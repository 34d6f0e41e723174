"""One coordinator's round on the local page: what they uploaded, the settings they chose, what the library made.

Every step calls the library function the matching CLI command calls, with the same arguments, and
keeps its result for the pages to render. Files live in the session's private working folder (in
memory where the system offers it, see `working_folder`) and go when the server stops; only "Save"
writes into the coordinator's folder.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli_w

from mentormatch.config import Config, build_config, merge_data, read_config_data
from mentormatch.errors import MentormatchError
from mentormatch.matching.pipeline import MatchResult, run_matching
from mentormatch.outputs.board import board_report
from mentormatch.outputs.board_book import write_board
from mentormatch.outputs.outbox import write_outbox
from mentormatch.outputs.sheets import write_pairings, write_problems, write_rematch
from mentormatch.outputs.workbook import write_text
from mentormatch.round.drilldown import Explanation, explain_applicant
from mentormatch.round.introductions import Introductions, draft_introductions
from mentormatch.round.rematch import RematchResult, rematch
from mentormatch.validation.checks import ValidationResult, validate_file

EXPORT_SUFFIXES = (".xlsx", ".xlsm", ".csv")
CONFIG_NAME = "mentormatch.toml"
ALIAS_SECTIONS = {"grade": "grades", "department": "departments", "profession": "professions", "role": "roles"}


def working_folder() -> Path:
    """A new folder only this user can read: in shared memory (/dev/shm) where there is one, else the temp folder."""
    shm = Path("/dev/shm")
    where = shm if shm.is_dir() and os.access(shm, os.W_OK) else None
    return Path(tempfile.mkdtemp(prefix="mentormatch-", dir=where))  # mkdtemp makes it 0700


def safe_name(name: str) -> str:
    """An uploaded file's name reduced to a plain file name of ours ("../../x.xlsx" is "x.xlsx")."""
    base = Path(name.replace("\\", "/")).name.strip()
    stem, suffix = os.path.splitext(base)
    cleaned = "".join(c if c.isalnum() or c in " -_." else "_" for c in stem).strip(" .") or "applications"
    return cleaned[:80] + suffix.lower()


@dataclass
class Session:
    """The round one coordinator is working on."""

    folder: Path  # where exports are picked from and the config is saved
    work: Path  # the private working folder
    data: dict[str, Any] = field(default_factory=dict)  # the config as the coordinator has set it (not the defaults)
    source: Path | None = None  # the export, copied into `work`
    validation: ValidationResult | None = None
    result: MatchResult | None = None
    pairings: Path | None = None  # the current pairings workbook (the match's, then each rematch's)
    rematched: RematchResult | None = None
    include_sensitive: bool = False
    config_note: str = ""  # where the starting settings came from
    columns_note: str = ""  # why the settings' columns were set aside for this export
    rematches: int = 0

    @classmethod
    def start(cls, folder: Path) -> Session:
        """A session over `folder`, starting from its mentormatch.toml when it has one."""
        folder = folder.resolve()
        data: dict[str, Any] = {}
        note = ""
        if (folder / CONFIG_NAME).is_file():
            data = read_config_data(folder / CONFIG_NAME)
            build_config(data)  # a broken config stops the server before the page opens
            note = f"Settings from {CONFIG_NAME} in {folder.name or folder}."
        return cls(folder=folder, work=working_folder(), data=data, config_note=note)

    def close(self) -> None:
        """Forget everything: the working folder and all it holds."""
        shutil.rmtree(self.work, ignore_errors=True)

    @property
    def in_memory(self) -> bool:
        """The working folder is in shared memory (never written to a disk)."""
        return self.work.parent == Path("/dev/shm")

    @property
    def config(self) -> Config:
        return build_config(self.data)

    def exports(self) -> list[str]:
        """The exports in the folder that can be picked, by name."""
        return sorted(p.name for p in self.folder.iterdir()
                      if p.is_file() and p.suffix.lower() in EXPORT_SUFFIXES and not p.name.startswith((".", "~$")))

    # Upload ---------------------------------------------------------------------------------------------------
    def upload(self, name: str, content: bytes) -> None:
        """Take an uploaded export and validate it."""
        clean = safe_name(name)
        if not clean.lower().endswith(EXPORT_SUFFIXES):
            raise MentormatchError(f"{clean} is not an export mentormatch reads: upload an .xlsx or .csv file.")
        if not content:
            raise MentormatchError(f"{clean} is empty.")
        self._take(clean, content)

    def pick(self, name: str) -> None:
        """Take an export from the folder (a copy: the original is only read) and validate it."""
        if name not in self.exports():
            raise MentormatchError(f"{name} is not an export in {self.folder}.")
        self._take(name, (self.folder / name).read_bytes())

    def _take(self, name: str, content: bytes) -> None:
        """Start the round over on this export: what was made from the last one goes, whether this one reads or not."""
        for old in self.work.iterdir():
            shutil.rmtree(old) if old.is_dir() else old.unlink()
        self.source, self.validation, self.columns_note, self.rematches = self.work / name, None, "", 0
        self.source.write_bytes(content)
        self.source.chmod(0o600)
        try:
            self._validate_export()
        except MentormatchError:
            self.source.unlink()
            self.source = self.validation = None
            raise

    def _validate_export(self) -> None:
        """Validate a new export; when only the settings' columns stop it, set them aside, and say so."""
        try:
            self.validate()
        except MentormatchError as exc:
            if not self.data.get("columns"):
                raise
            kept = self.data
            self.data = {key: value for key, value in kept.items() if key != "columns"}
            try:
                self.validate()
            except MentormatchError:
                self.data = kept
                raise exc from None
            self.columns_note = (f"The columns in the settings do not fit this export ({exc}) They are set aside for "
                                 "this round, and mentormatch found the columns itself: check them.")

    def validate(self) -> ValidationResult:
        """Validate the export under the current settings (as `mentormatch validate`); a new match is needed."""
        if self.source is None:
            raise MentormatchError("Upload an export first.")
        self.result = self.rematched = self.pairings = None
        self.validation = validate_file(self.source, self.config)
        return self.validation

    # Settings -------------------------------------------------------------------------------------------------
    def change(self, override: dict[str, Any]) -> None:
        """Change settings (checked whole before anything is kept), then validate again."""
        data = merge_data(self.data, override)
        build_config(data)
        kept, self.data = self.data, data
        if self.source is not None:
            try:
                self.validate()
            except MentormatchError:
                self.data = kept  # a setting the export cannot be read with is not kept
                self.validate()
                raise

    def set_columns(self, mapping: dict[str, str]) -> None:
        """Which header feeds which field; fields left out keep what mentormatch finds by itself."""
        kept = self.data
        self.data = {key: value for key, value in self.data.items() if key != "columns"}
        try:
            self.change({"columns": dict(mapping)} if mapping else {})
        except MentormatchError:
            self.data = kept
            raise
        self.columns_note = ""

    def set_alias(self, field_name: str, answer: str, target: str) -> None:
        """Read `answer` in `field_name`'s column as `target` from now on."""
        section = ALIAS_SECTIONS.get(field_name)
        if section is None:
            raise MentormatchError(f"Answers in the {field_name} column cannot be given an alias: correct them in the export.")
        if not answer.strip():
            raise MentormatchError("There is no answer to give an alias to.")
        if not target.strip():
            raise MentormatchError("Say which known name the answer means.")
        self.change({"aliases": {section: {answer: target.strip()}}})

    def save_config(self, replace: bool) -> Path:
        """Write the settings as mentormatch.toml into the folder; an existing one only with `replace`."""
        path = self.folder / CONFIG_NAME
        if path.exists() and not replace:
            raise MentormatchError(f"{CONFIG_NAME} already exists in {self.folder}: tick the box to replace it "
                                   "(comments in it are not kept).")
        text = "# Written by mentormatch serve: the settings changed from the preset's.\n" + tomli_w.dumps(self.data)
        return write_text(path, text, inputs=[self.source] if self.source else [])

    # Match and after ------------------------------------------------------------------------------------------
    def match(self, include_sensitive: bool = False) -> MatchResult:
        """Pair the round (as `mentormatch match`) and write its pairings workbook beside the export."""
        if self.source is None:
            raise MentormatchError("Upload an export first.")
        self.include_sensitive = include_sensitive
        result = run_matching(self.source, self.config)
        target = self.source.with_name(f"{self.source.stem}-pairings.xlsx")
        self.pairings = write_pairings(target, result, include_sensitive=include_sensitive)
        self.result, self.rematched, self.rematches = result, None, 0
        return result

    def explain(self, email: str) -> Explanation:
        return explain_applicant(self._matched(), email)

    def rematch(self, withdrawn: list[str]) -> RematchResult:
        """Re-pair after withdrawals (as `mentormatch rematch`), from the current pairings workbook."""
        self._matched()
        if not withdrawn:
            raise MentormatchError("Tick at least one person who has withdrawn.")
        assert self.pairings is not None
        assert self.source is not None
        made = rematch(self.pairings, withdrawn, None, applications=self.source)
        number = self.rematches + 1  # the CLI's default name for the first; numbered after it
        target = self.source.with_name(f"{self.source.stem}-pairings-rematched{'' if number == 1 else f'-{number}'}.xlsx")
        self.pairings = write_rematch(target, made, [self.pairings])
        self.result, self.rematched, self.rematches = made.result, made, number
        return made

    def introductions(self) -> Introductions:
        """The introduction drafts (as `mentormatch introduce`) for the current pairings workbook."""
        self._matched()
        assert self.pairings is not None
        return draft_introductions(self.pairings)

    def _matched(self) -> MatchResult:
        if self.result is None or self.pairings is None:
            raise MentormatchError("Match the round first.")
        return self.result

    # Downloads ------------------------------------------------------------------------------------------------
    def download(self, kind: str) -> tuple[str, bytes]:
        """A download's file name and bytes: exactly what the CLI writes for the same inputs and settings."""
        if kind == "pairings":
            self._matched()
            assert self.pairings is not None
            return self.pairings.name, self.pairings.read_bytes()
        if kind == "problems":
            if self.validation is None or self.source is None:
                raise MentormatchError("Upload an export first.")
            path = write_problems(self.source.with_name(f"{self.source.stem}-problems.xlsx"), self.validation, self.config)
            return path.name, path.read_bytes()
        if kind == "report":
            self._matched()
            assert self.pairings is not None
            path = write_board(self.pairings.with_name(f"{self.pairings.stem}-report.xlsx"), board_report(self.pairings))
            return path.name, path.read_bytes()
        if kind == "introductions":
            made = self.introductions()
            assert self.pairings is not None
            folder = self.pairings.with_name(f"{self.pairings.stem}-introductions")
            shutil.rmtree(folder, ignore_errors=True)
            write_outbox(folder, made.drafts)
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                for path in sorted(folder.iterdir()):
                    archive.write(path, f"{folder.name}/{path.name}")
            return f"{folder.name}.zip", buffer.getvalue()
        raise MentormatchError(f"There is no download called {kind}.")
