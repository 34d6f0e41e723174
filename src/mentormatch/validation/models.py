"""The eligibility models: a junior and a senior application as pydantic models.

Their fields are the parsed answers, one per form field (`config.FIELDS`); their field validators
read each answer through the round's `FieldParser`, which parses each distinct answer once, so a
100,000-row export costs a dictionary look-up per cell; their after-validators carry the round's
eligibility rules, with the round's settings passed as validation context:

- every application: a readable email, name, role, grade, department and profession; capacity a
  whole number from 1 to the maximum; the expression of interest present and within the word limit;
- a junior: at or below the round's junior grade limit, and barriers to progression declared;
- a senior: at or above the round's senior grade limit.

A broken rule is a `PydanticCustomError` whose type is the problem's registered code; pydantic
collects every field's error, and validation turns them into problem records at the row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, cast

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from mentormatch.config import RoundSettings
from mentormatch.models import Role
from mentormatch.validation.answers import (
    FieldParser,
    Note,
    note,
    parse_email,
    parse_name,
)
from mentormatch.validation.do_not_match import NamedPerson
from mentormatch.vocab.grades import BY_CODE, SchemeCode
from mentormatch.vocab.text import clean_text, count_words_over, has_words

_DATE_FORMATS = ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S", "%m/%d/%Y %H:%M:%S")
# Answers read through the parser's cache (the rest of the row is free text: email, name, EOI).
PARSED = ("role", "grade", "department", "profession", "barriers", "aims", "networks", "capacity", "do_not_match")


@dataclass
class RoundContext:
    """What the models validate against: the round's settings and parser; warnings met on the current row."""

    settings: RoundSettings
    parser: FieldParser
    warnings: list[Note] = field(default_factory=list)
    department: object = None  # the current row's department as read: departmental grade codes are read with it


def _context(info: ValidationInfo) -> RoundContext:
    """The round's context the models are validated with (always given: see `validation.checks`)."""
    return cast(RoundContext, info.context)


def _fail(found: Note) -> PydanticCustomError:
    """A broken rule as pydantic's error: its type is the registered code, its value what was written."""
    return PydanticCustomError(found.code, "{message}", {"message": found.message, "value": found.value})


def _settle(context: RoundContext, parsed: tuple[object, tuple[Note, ...]]) -> object:
    """The parsed value; warnings are kept for the row, the first error fails the field."""
    value, notes = parsed
    for found in notes:
        if found.error:
            raise _fail(found)
        context.warnings.append(found)
    return value


def parse_submitted(value: object) -> datetime | None:
    """A submission time as a naive UTC datetime, so times from different exports compare."""
    parsed: datetime | None = value if isinstance(value, datetime) else None
    text = clean_text(value)
    if parsed is None and text:
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            for pattern in _DATE_FORMATS:
                try:
                    parsed = datetime.strptime(text, pattern)
                    break
                except ValueError:
                    continue
    if parsed is not None and parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed


class Application(BaseModel):
    """One application's answers, parsed; the rules every applicant meets, whatever the role."""

    model_config = ConfigDict(frozen=True, extra="ignore", arbitrary_types_allowed=True)

    email: str
    name: str
    role: Role
    grade: str
    department: str
    profession: tuple[str, ...]
    barriers: bool | None = None
    eoi: str = ""
    aims: tuple[str, ...] = ()
    networks: tuple[str, ...] = ()
    capacity: int | None = None  # None: the round's default capacity
    do_not_match: tuple[str | NamedPerson, ...] = ()  # addresses, and names given without one
    submitted: datetime | None = None

    @field_validator(*PARSED, mode="before")
    @classmethod
    def _parsed(cls, value: object, info: ValidationInfo) -> object:
        """Each answer read once per round through the parser's cache."""
        context = _context(info)
        parsed = context.parser.parse(str(info.field_name), value)
        if isinstance(parsed[0], SchemeCode):  # a departmental grade code: read with the row's department
            parsed = context.parser.departmental_grade(parsed[0], context.department)
        return _settle(context, parsed)

    @field_validator("email", mode="before")
    @classmethod
    def _email(cls, value: object, info: ValidationInfo) -> object:
        return _settle(_context(info), parse_email(clean_text(value)))

    @field_validator("name", mode="before")
    @classmethod
    def _name(cls, value: object, info: ValidationInfo) -> object:
        return _settle(_context(info), parse_name(clean_text(value)))

    @field_validator("eoi", mode="before")
    @classmethod
    def _eoi(cls, value: object, info: ValidationInfo) -> str:
        """Present when the round requires one, and within its word limit."""
        settings = _context(info).settings
        eoi = clean_text(value)
        if settings.require_eoi and not has_words(eoi):
            raise _fail(note("missing-value", "eoi", what="Expression of interest"))
        if settings.eoi_word_limit and (words := count_words_over(eoi, settings.eoi_word_limit)):
            raise _fail(note("eoi-too-long", "eoi", f"{words} words", words=words, limit=settings.eoi_word_limit))
        return eoi

    @field_validator("submitted", mode="before")
    @classmethod
    def _submitted(cls, value: object) -> datetime | None:
        return parse_submitted(value)


class JuniorApplication(Application):
    """A junior partner: at or below the round's junior grade limit, with barriers declared."""

    @field_validator("grade")
    @classmethod
    def _junior_grade(cls, code: str, info: ValidationInfo) -> str:
        limit = BY_CODE[_context(info).settings.junior_max_grade]
        if BY_CODE[code].rank > limit.rank:
            raise _fail(note("junior-above-grade-limit", "grade", BY_CODE[code].label, limit=limit.label))
        return code

    @field_validator("barriers")
    @classmethod
    def _barriers_declared(cls, answer: bool | None, info: ValidationInfo) -> bool | None:
        if _context(info).settings.require_barriers and answer is not True:
            raise _fail(note("no-barriers-declared", "barriers", "" if answer is None else "not yes"))
        return answer


class SeniorApplication(Application):
    """A senior partner: at or above the round's senior grade limit."""

    @field_validator("grade")
    @classmethod
    def _senior_grade(cls, code: str, info: ValidationInfo) -> str:
        limit = BY_CODE[_context(info).settings.senior_min_grade]
        if BY_CODE[code].rank < limit.rank:
            raise _fail(note("senior-below-grade-limit", "grade", BY_CODE[code].label, limit=limit.label))
        return code


def model_for(role: Any) -> type[Application]:
    """The eligibility model for a parsed role (the base model when the role is unreadable)."""
    return JuniorApplication if role is Role.JUNIOR else SeniorApplication if role is Role.SENIOR else Application
