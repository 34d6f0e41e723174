"""Round settings: presets for the published schemes, overridden by a TOML file."""

from __future__ import annotations

import tomllib
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from mentormatch.errors import MentormatchError
from mentormatch.files import note_read
from mentormatch.models import MAX_CAPACITY
from mentormatch.vocab.grades import parse_grade_code

# The answers of a check-in form; `partner` says which partner an answer is about (for someone with several).
CHECKIN_FIELDS = ("email", "date", "partner", "met", "usefulness", "ended", "comment")
FIELDS: tuple[str, ...] = (
    "email", "name", "role", "grade", "department", "profession", "barriers", "eoi",
    "aims", "networks", "capacity", "do_not_match", "submitted",
)
# Field names of earlier versions, still read in [columns].
FORMER_FIELDS = {"interests": "aims", "exclusions": "do_not_match"}
# What [columns] may map: the fields, and a name asked in two columns (joined into the name).
COLUMN_FIELDS: tuple[str, ...] = (*FIELDS[:2], "first_name", "last_name", *FIELDS[2:])


class Rule(StrEnum):
    """How a 'different department / profession' rule is applied."""

    HARD = "hard"
    PREFER = "prefer"
    IGNORE = "ignore"


class Scheme(StrEnum):
    """Who mentors whom: the wording of the introductions."""

    MUTUAL = "mutual"  # partners mentor each other (Analysis Function Mutual Mentoring)
    REVERSE = "reverse"  # the junior partner mentors the senior (GSS Reverse Mentoring)


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RoundSettings(_Section):
    """Who may apply, and how far apart partners must be."""

    name: str = Field("", max_length=120, description="the round's name: the title of the board report")
    junior_max_grade: str = "G6"
    senior_min_grade: str = "G7"
    min_grade_gap: int = Field(2, ge=0, le=10)
    max_grade_gap: int = Field(0, ge=0, le=10, description="0 means no upper limit")
    ideal_grade_gap: int = Field(2, ge=0, le=10)
    require_barriers: bool = True
    require_eoi: bool = True
    eoi_word_limit: int = Field(150, ge=0, description="0 means no limit")
    default_capacity: int = Field(1, ge=1, le=MAX_CAPACITY)
    max_capacity: int = Field(MAX_CAPACITY, ge=1, le=MAX_CAPACITY,
                              description="the most partners one senior may take; 'as many as needed' reads as this")
    fast_stream_grade: str = "HEO"
    # How multi-select answers are joined: "auto" detects it per column (";" as Microsoft Forms joins them,
    # else "," as Google Forms does).
    list_separator: Literal["auto", ";", ","] = "auto"
    # What being left unpaired (or not shortlisted) in an earlier round (--history) means in this one:
    # "off"; "tie-break" (among equally good pairings, the one pairing more of them); "bonus" (weights.priority
    # points on the score of their pairs); "first" (the most of them paired and shortlisted before anyone else).
    priority: Literal["off", "tie-break", "bonus", "first"] = "tie-break"

    @field_validator("junior_max_grade", "senior_min_grade", "fast_stream_grade")
    @classmethod
    def _known_grade(cls, value: str) -> str:
        return parse_grade_code(value).code

    @model_validator(mode="after")
    def _gaps_in_order(self) -> RoundSettings:
        if self.max_grade_gap and self.max_grade_gap < self.min_grade_gap:
            raise ValueError("max_grade_gap must be 0 (no limit) or at least min_grade_gap")
        if self.default_capacity > self.max_capacity:
            raise ValueError("default_capacity must not be above max_capacity")
        return self


class RuleSettings(_Section):
    """Whether partners must come from different departments and professions."""

    department: Rule = Rule.HARD
    profession: Rule = Rule.HARD
    # "organisation": Environment Agency and Defra are different departments; "family": they are one
    # (each organisation counts as the department at the top of its parents in the register).
    department_scope: Literal["organisation", "family"] = "organisation"
    # An answer not in the vocabulary: "warn" keeps it as a value of its own, "error" leaves the row out.
    unknown_answers: Literal["warn", "error"] = "warn"


class Weights(_Section):
    """Relative weight of each soft preference in a pair's score."""

    aims: float = Field(3.0, ge=0)
    networks: float = Field(1.0, ge=0)
    grade_gap: float = Field(1.0, ge=0)
    department: float = Field(2.0, ge=0)
    profession: float = Field(2.0, ge=0)
    priority: float = Field(10.0, ge=0, le=100, description="points added to the pairs of people left out before "
                                                            "(round.priority = \"bonus\")")


class Aliases(_Section):
    """Extra spellings: spelling -> canonical value."""

    grades: dict[str, str] = {}
    departments: dict[str, str] = {}
    professions: dict[str, str] = {}
    roles: dict[str, Literal["junior", "senior"]] = {}  # a form's own answers: "Yes" = "senior", "Mentee" = "junior"

    @field_validator("grades")
    @classmethod
    def _grade_targets(cls, value: dict[str, str]) -> dict[str, str]:
        return {spelling: parse_grade_code(code).code for spelling, code in value.items()}


class Limits(_Section):
    """Safety limits on what is read."""

    max_unzipped_mb: int = Field(2048, ge=1, description="refuse workbooks that inflate past this")
    max_applicants: int = Field(100_000, ge=2, description="refuse to match a round with more eligible applicants")


class ReportSettings(_Section):
    """The programme board's report."""

    smallest_count: int = Field(5, ge=2, le=100, description="counts from 1 to one below this are suppressed")
    contact: str = Field("", max_length=500, description="who to ask about the report, on its cover")


class PanelSettings(_Section):
    """The blind EOI panel's mark sheet (marks rate an EOI; a pair's score is something else)."""

    assessors: int = Field(3, ge=1, le=20)
    min_mark: int = Field(1, ge=0)
    max_mark: int = Field(5, ge=1)
    without_marks: Literal["submission", "row", "random"] = "submission"

    @model_validator(mode="before")
    @classmethod
    def _former_names(cls, value: Any) -> Any:
        """min_score, max_score and without_scores, as earlier versions named them, are still read."""
        if not isinstance(value, dict):
            return value
        renamed = dict(value)
        for old in ("min_score", "max_score", "without_scores"):
            if old in renamed:
                new = old.replace("score", "mark")
                if new in renamed:
                    raise ValueError(f"{old} is the former name of {new}: give only {new}")
                renamed[new] = renamed.pop(old)
        return renamed

    @model_validator(mode="after")
    def _scale_in_order(self) -> PanelSettings:
        if self.max_mark <= self.min_mark:
            raise ValueError("max_mark must be above min_mark")
        return self


class Config(_Section):
    """Everything that shapes a round, as used (preset merged with the file)."""

    preset: str = "mutual-2023"
    scheme: Scheme = Scheme.MUTUAL
    columns: dict[str, str] = {}
    round: RoundSettings = RoundSettings()
    rules: RuleSettings = RuleSettings()
    weights: Weights = Weights()
    aliases: Aliases = Aliases()
    department_groups: dict[str, list[str]] = {}
    checkin_columns: dict[str, str] = {}  # check-in field -> the header the check-in form export gives it
    limits: Limits = Limits()
    panel: PanelSettings = PanelSettings()
    report: ReportSettings = ReportSettings()

    @field_validator("columns", mode="before")
    @classmethod
    def _former_field_names(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        renamed = dict(value)
        for old, new in FORMER_FIELDS.items():
            if old in renamed:
                if new in renamed:
                    raise ValueError(f"{old} is the former name of {new}: give only {new}")
                renamed[new] = renamed.pop(old)
        return renamed

    @field_validator("columns", "checkin_columns")
    @classmethod
    def _known_fields(cls, value: dict[str, str], info: ValidationInfo) -> dict[str, str]:
        fields, what = (COLUMN_FIELDS, "field") if info.field_name == "columns" else (CHECKIN_FIELDS, "check-in field")
        unknown = sorted(set(value) - set(fields))
        if unknown:
            raise ValueError(f"unknown {what}(s) {', '.join(unknown)}; fields are {', '.join(fields)}")
        return value


PRESETS: dict[str, dict[str, Any]] = {
    # Analysis Function Mutual Mentoring, 2023 onwards: seniors Grade 7+, two grades apart.
    "mutual-2023": {},
    # The 2022 pilot: SCS seniors only, 100-word EOI.
    "mutual-2022": {"round": {"senior_min_grade": "SCS1", "eoi_word_limit": 100}},
    # GSS reverse mentoring: SCS mentees, any analyst below SCS as reverse mentor; the whole pool
    # shares the statistics profession, so profession is not a rule and department is a preference.
    "reverse": {
        "scheme": "reverse",
        "round": {"senior_min_grade": "SCS1", "junior_max_grade": "G6", "min_grade_gap": 1,
                  "require_eoi": False, "eoi_word_limit": 0},
        "rules": {"department": "prefer", "profession": "ignore"},
    },
}


def merge_data(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Merge raw config data: tables key by key, other values replaced."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge_data(merged[key], value)
        else:
            merged[key] = value
    return merged


def describe_validation_error(exc: ValidationError) -> str:
    """Return pydantic's errors as one readable sentence naming each key."""
    parts = []
    for err in exc.errors():
        key = ".".join(str(part) for part in err["loc"]) or "config"
        parts.append(f"{key}: {err['msg'].removeprefix('Value error, ')}")
    return "; ".join(parts)


def build_config(data: dict[str, Any], preset: str | None = None) -> Config:
    """Return the config for raw TOML data merged over its preset (`preset` overrides the file's)."""
    name = preset or data.get("preset") or "mutual-2023"
    if name not in PRESETS:
        raise MentormatchError(f"Unknown preset {name!r}: choose one of {', '.join(PRESETS)}.")
    try:
        return Config.model_validate(merge_data(PRESETS[name], {**data, "preset": name}))
    except ValidationError as exc:
        raise MentormatchError(f"Invalid configuration: {describe_validation_error(exc)}.") from None


def read_config_data(path: Path) -> dict[str, Any]:
    """Read a TOML config file as raw data (merged over a preset later)."""
    note_read(path)
    try:
        return tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise MentormatchError(f"Config file {path} does not exist.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise MentormatchError(f"Config file {path} cannot be read ({exc.__class__.__name__}).") from None
    except tomllib.TOMLDecodeError as exc:
        raise MentormatchError(f"Config file {path} is not valid TOML: {exc}.") from None


def load_config(path: Path | None = None, preset: str | None = None) -> Config:
    """Read a TOML config file (optional) and merge it over its preset."""
    return build_config(read_config_data(path) if path is not None else {}, preset)


def with_setting(data: dict[str, Any], key: str, text: str) -> dict[str, Any]:
    """Return config data with one dotted key set ('rules.profession', 'prefer'); TOML values parsed."""
    try:
        value: Any = tomllib.loads(f"value = {text}")["value"]
    except tomllib.TOMLDecodeError:
        value = text  # a bare word such as prefer
    parts = key.split(".")
    if not all(parts):
        raise MentormatchError(f"{key!r} is not a setting name: use section.key, e.g. rules.profession.")
    override: dict[str, Any] = {parts[-1]: value}
    for part in reversed(parts[:-1]):
        override = {part: override}
    return merge_data(data, override)


def settings_rows(config: Config) -> list[tuple[str, str]]:
    """Flatten the config into (key, value) rows for a Settings sheet."""
    rows: list[tuple[str, str]] = [("preset", config.preset)]

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), inner)
        else:
            rows.append((prefix, ", ".join(value) if isinstance(value, list) else str(value)))

    dumped = config.model_dump(mode="json", exclude={"preset"})
    walk("", dumped)
    return rows


def init_template() -> str:
    """The commented config `mentormatch init` writes: every key with its default (shipped as init.toml)."""
    return (Path(__file__).with_name("init.toml")).read_text(encoding="utf-8")

