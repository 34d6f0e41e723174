"""The pandas face of mentormatch: a round matched or validated from a path or a DataFrame, as DataFrames.

The frames are built from the same `Sheet`s the pairings workbook is written from, so a notebook sees
exactly the rows and columns the coordinator's workbook holds. pandas is imported here only, and this
module only on first use of `mentormatch.match` or `mentormatch.validate`, so the CLI never pays for it.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeAlias

import numpy as np
import pandas as pd

from mentormatch.config import Config, load_config
from mentormatch.inputs.lists import read_round_inputs
from mentormatch.inputs.reading import Cell, Grid
from mentormatch.matching.pipeline import MatchResult, match_validated, run_matching
from mentormatch.outputs.sheets import match_sheets, problems_sheet, write_pairings
from mentormatch.outputs.workbook import Sheet
from mentormatch.validation.checks import ValidationResult, validate_file, validate_grid

Source: TypeAlias = "str | Path | pd.DataFrame"
FRAME_SOURCE = Path("DataFrame")  # what the Settings sheet and error messages name when there is no file


@dataclass
class MatchFrames:
    """A matched round as DataFrames shaped like the pairings workbook's sheets, and the result behind them."""

    pairings: pd.DataFrame
    unmatched: pd.DataFrame
    problems: pd.DataFrame
    summary: pd.DataFrame
    result: MatchResult
    inputs: tuple[Path, ...] = field(default=())  # round files the workbook must never overwrite

    def to_excel(self, path: str | Path) -> Path:
        """Write the pairings workbook `mentormatch match` writes for this round."""
        return write_pairings(Path(path), self.result, self.inputs)

    def __repr__(self) -> str:
        """Counts only: the default would print all four frames, which a notebook shows one at a time."""
        return (f"MatchFrames({len(self.pairings)} pairings, {len(self.unmatched)} unmatched, "
                f"{len(self.problems)} problems)")


def frame(sheet: Sheet) -> pd.DataFrame:
    """A sheet's rows under its headers, values as the workbook holds them."""
    rows = [list(row) for row in sheet.rows]
    table = pd.DataFrame(rows, columns=list(sheet.headers))
    for at, values in enumerate(zip(*rows, strict=True)):
        # pandas turns a column of whole numbers and fractions into floats; the Summary's counts stay whole.
        if table.dtypes.iloc[at].kind == "f" and not all(isinstance(v, float) for v in values):
            table[table.columns[at]] = pd.Series(values, dtype=object)
    return table


def _config(config: str | Path | Config | None, preset: str | None) -> Config:
    if isinstance(config, Config):
        if preset is not None:
            raise ValueError("Give a preset or a Config, not both: a Config already holds its preset's rules.")
        return config
    return load_config(Path(config) if config is not None else None, preset)


def _value(value: object) -> Cell:
    """A DataFrame cell as the readers give one: None when missing, plain Python scalars, datetimes."""
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, np.generic):  # numpy's int64, float64, bool_ -> int, float, bool
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def frame_grid(applications: pd.DataFrame) -> Grid:
    """The Grid a reader would give for a sheet holding this DataFrame: headers in row 1, row i + 2 for position i."""
    if isinstance(applications.columns, pd.MultiIndex):
        raise ValueError("The DataFrame has several header levels: give it one row of column names.")
    headers: list[Cell] = [_value(name) for name in applications.columns]
    rows: list[list[Cell]] = [headers]
    rows += [[_value(v) for v in row] for row in applications.itertuples(index=False, name=None)]
    return Grid(FRAME_SOURCE, FRAME_SOURCE.name, rows)


def _digest(applications: pd.DataFrame) -> str:
    """The SHA-256 of the DataFrame written as CSV: the same data gives the same fingerprint in Settings."""
    return hashlib.sha256(applications.to_csv(index=False).encode("utf-8")).hexdigest()


def _check_frame_options(sheet: str | None, header_row: int | None) -> None:
    if sheet is not None:
        raise ValueError("sheet applies to a workbook; a DataFrame is one sheet already.")
    if header_row not in (None, 1):
        raise ValueError("header_row applies to a file; a DataFrame's column names are its header row.")


def _validated(source: Source, config: Config, sheet: str | None, header_row: int | None) -> ValidationResult:
    """Validate a DataFrame as if it were the sheet it came from."""
    if not isinstance(source, pd.DataFrame):
        raise TypeError(f"source must be a path or a pandas DataFrame, not {type(source).__name__}.")
    _check_frame_options(sheet, header_row)
    return validate_grid(frame_grid(source), config, header_row=1, sha256=_digest(source))


def _path(value: str | Path | None) -> Path | None:
    return None if value is None else Path(value)


def match(source: Source, *, config: str | Path | Config | None = None, preset: str | None = None,
          sheet: str | None = None, header_row: int | None = None, lock: str | Path | None = None,
          do_not_match: str | Path | None = None, history: Sequence[str | Path] = (),
          shortlist: str | Path | None = None, seed: int | None = None,
          solver: str = "auto") -> MatchFrames:
    """Validate and pair a round from an export's path or a DataFrame of applications, as `mentormatch match` does."""
    settings = _config(config, preset)
    lock_path, do_not_match_path, shortlist_path = _path(lock), _path(do_not_match), _path(shortlist)
    history_paths = [Path(p) for p in history]
    if isinstance(source, str | Path):
        result = run_matching(Path(source), settings, sheet=sheet, header_row=header_row, lock=lock_path,
                              do_not_match=do_not_match_path, seed=seed, history=history_paths, shortlist=shortlist_path,
                              solver=solver)
    else:
        # Round files first, as run_matching reads them: a bad --lock fails before the applications are checked.
        inputs = read_round_inputs(lock=lock_path, do_not_match=do_not_match_path, history=history_paths,
                                   shortlist=shortlist_path)
        result = match_validated(_validated(source, settings, sheet, header_row), settings, inputs, seed=seed,
                                 solver=solver)
    sheets = {spec.name: spec for spec in match_sheets(result)}
    return MatchFrames(pairings=frame(sheets["Pairings"]), unmatched=frame(sheets["Unmatched"]),
                       problems=frame(sheets["Problems"]), summary=frame(sheets["Summary"]), result=result,
                       inputs=tuple(p for p in (lock_path, do_not_match_path, shortlist_path, *history_paths) if p))


def validate(source: Source, *, config: str | Path | Config | None = None, preset: str | None = None,
             sheet: str | None = None, header_row: int | None = None) -> pd.DataFrame:
    """Check every application of an export's path or a DataFrame: the Problems sheet as a DataFrame."""
    settings = _config(config, preset)
    if isinstance(source, str | Path):
        checked = validate_file(Path(source), settings, sheet=sheet, header_row=header_row)
    else:
        checked = _validated(source, settings, sheet, header_row)
    return frame(problems_sheet(checked.problems))


__all__ = ["MatchFrames", "frame", "frame_grid", "match", "validate"]
