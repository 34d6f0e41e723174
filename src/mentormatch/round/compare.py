"""What-if: the same applications matched under several rule sets, side by side."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mentormatch.config import (
    PRESETS,
    Config,
    Rule,
    build_config,
    merge_data,
    read_config_data,
    with_setting,
)
from mentormatch.errors import MentormatchError
from mentormatch.inputs.reading import file_sha256, read_grid
from mentormatch.matching.pipeline import MatchResult, Stage, match_validated
from mentormatch.validation.checks import validate_grid

_NAME = re.compile(r"[\w .-]{1,20}")


@dataclass(frozen=True)
class Scenario:
    """A named rule set."""

    name: str
    description: str
    config: Config


@dataclass(frozen=True)
class Change:
    """How one scenario's pairs differ from the baseline's: pairs are (junior, senior) by email."""

    scenario: str
    baseline: str
    new: int  # pairs the scenario makes that the baseline does not
    dropped: int  # pairs the baseline makes that the scenario does not
    rescored: int  # pairs both make, with a different score

    @property
    def kind(self) -> str:
        """'baseline', 'none', 'scores only' (the same pairs, other scores) or 'different pairs'."""
        if self.scenario == self.baseline:
            return "baseline"
        if self.new or self.dropped:
            return "different pairs"
        return "scores only" if self.rescored else "none"

    def describe(self) -> str:
        """'relaxed: same pairs as strict, scores differ only (3 pairs scored differently).' and the like."""
        if self.kind == "none":
            return f"{self.scenario}: same pairs as {self.baseline}, with the same scores."
        if self.kind == "scores only":
            return (f"{self.scenario}: same pairs as {self.baseline}, scores differ only "
                    f"({self.rescored:,} pair{'s' if self.rescored != 1 else ''} scored differently).")
        if self.kind == "baseline":
            return f"{self.scenario}: the baseline."
        return (f"{self.scenario}: different pairs from {self.baseline} — {self.new:,} new, "
                f"{self.dropped:,} of {self.baseline}'s dropped.")


def _scores(result: MatchResult) -> dict[tuple[str, str], int]:
    return {(p.junior.email, p.senior.email): p.score for p in result.pairings}


@dataclass
class Comparison:
    """Each scenario's matching result, the first one being the baseline."""

    source: Path
    outcomes: list[tuple[Scenario, MatchResult]]

    def changes(self) -> list[Change]:
        """For every scenario (the baseline first), how its pairs differ from the baseline's."""
        base_name, base = self.outcomes[0][0].name, _scores(self.outcomes[0][1])
        found = []
        for scenario, result in self.outcomes:
            pairs = _scores(result)
            both = pairs.keys() & base.keys()
            found.append(Change(scenario.name, base_name, len(pairs.keys() - base.keys()),
                                len(base.keys() - pairs.keys()), sum(pairs[pair] != base[pair] for pair in both)))
        return found

    def yardstick(self) -> list[tuple[float | None, int]]:
        """Each scenario's mean pair score under the baseline's scoring (the first scenario's), so that the
        averages compare, and how many of its pairs that scoring cannot score (people the baseline left out)."""
        import numpy as np

        space = self.outcomes[0][1].space
        if space is None:
            return [(None, len(result.pairings)) for _scenario, result in self.outcomes]
        junior_at = {p.email: i for i, p in enumerate(space.juniors.people)}
        senior_at = {p.email: i for i, p in enumerate(space.seniors.people)}
        found: list[tuple[float | None, int]] = []
        for _scenario, result in self.outcomes:
            known = [(junior_at[p.junior.email], senior_at[p.senior.email]) for p in result.pairings
                     if p.junior.email in junior_at and p.senior.email in senior_at]
            if known:
                _masks, score = space.evaluate(np.array([j for j, _s in known], dtype=np.intp),
                                               np.array([s for _j, s in known], dtype=np.intp), paired=True)
                points = [round(float(v)) for v in score]
                found.append((round(sum(points) / len(points), 1), len(result.pairings) - len(known)))
            else:
                found.append((None, len(result.pairings)))
        return found

    def best(self) -> tuple[Scenario, int] | None:
        """The scenario (other than the baseline) that pairs the most extra juniors, and how many."""
        if len(self.outcomes) < 2:
            return None
        base = len(self.outcomes[0][1].pairings)
        scenario, result = max(self.outcomes[1:], key=lambda item: len(item[1].pairings))
        return scenario, len(result.pairings) - base


def _scenario_data(base: dict[str, Any], value: str, folder: Path) -> tuple[dict[str, Any], str]:
    if value in PRESETS:
        return {**base, "preset": value}, f"preset {value}"
    path = Path(value) if Path(value).is_absolute() else folder / value
    if path.exists():
        return merge_data(base, read_config_data(path)), f"config {path.name}"
    raise MentormatchError(f"Scenario {value!r} is neither a preset ({', '.join(PRESETS)}) nor a config file.")


def build_scenarios(base: dict[str, Any], specs: Sequence[str], settings: Sequence[str] = (),
                    folder: Path = Path(".")) -> list[Scenario]:
    """Scenarios from NAME=PRESET_OR_CONFIG specs and NAME:KEY=VALUE overrides.

    With no specs, the configured rules are compared with each single relaxation of them.
    """
    named: dict[str, tuple[dict[str, Any], str]] = {}
    for spec in specs:
        name, sep, value = spec.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise MentormatchError(f"--scenario {spec!r} must read NAME=PRESET or NAME=CONFIG.toml.")
        if not _NAME.fullmatch(name.strip()):
            raise MentormatchError(f"Scenario name {name.strip()!r} must be 1 to 20 letters, digits, spaces, '-', "
                                   "'_' or '.' (it names a sheet in the workbook).")
        if name.strip() in named:
            raise MentormatchError(f"Two scenarios are called {name.strip()!r}: give each its own name.")
        named[name.strip()] = _scenario_data(base, value.strip(), folder)
    if not named:
        named = dict(_relaxations(base))
    for setting in settings:
        target, sep, assignment = setting.partition(":")
        key, eq, value = assignment.partition("=")
        if not sep or not eq or target not in named:
            raise MentormatchError(f"--set {setting!r} must read NAME:KEY=VALUE with NAME one of: {', '.join(named)}.")
        data, description = named[target]
        named[target] = (with_setting(data, key.strip(), value.strip()), f"{description}; {key.strip()} = {value.strip()}")
    return [Scenario(name, description, build_config(data)) for name, (data, description) in named.items()]


def _relaxations(base: dict[str, Any]) -> list[tuple[str, tuple[dict[str, Any], str]]]:
    """The configured rules, then each rule relaxed on its own."""
    config = build_config(base)
    found = [("configured", (base, f"as configured (preset {config.preset})"))]
    for rule in ("profession", "department"):
        if getattr(config.rules, rule) is Rule.HARD:
            found.append((f"{rule}-prefer", (with_setting(base, f"rules.{rule}", "prefer"),
                                              f"different {rule} preferred, not required")))
    if config.round.min_grade_gap > 0:
        gap = config.round.min_grade_gap - 1
        found.append(("gap-minus-1", (with_setting(base, "round.min_grade_gap", str(gap)),
                                      f"partners at least {gap} grade{'s' if gap != 1 else ''} apart")))
    if config.round.eoi_word_limit:
        limit = config.round.eoi_word_limit + 50
        found.append(("eoi-plus-50", (with_setting(base, "round.eoi_word_limit", str(limit)),
                                      f"EOI limit {limit} words")))
    return found


def compare_scenarios(path: Path, scenarios: Sequence[Scenario], *, sheet: str | None = None,
                      header_row: int | None = None, on_stage: Stage | None = None) -> Comparison:
    """Validate and match the same export under each scenario (the file is read once)."""
    grid = read_grid(path, sheet, max_bytes=min(s.config.limits.max_unzipped_mb for s in scenarios) * 1024**2)
    digest = file_sha256(path)
    outcomes = []
    for scenario in scenarios:
        if on_stage:
            on_stage(f"Matching under {scenario.name}", None)
        validation = validate_grid(grid, scenario.config, header_row=header_row, sha256=digest)
        outcomes.append((scenario, match_validated(validation, scenario.config)))
    return Comparison(path, outcomes)
