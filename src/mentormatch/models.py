"""An applicant as validated: normalised values, ready for matching."""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from mentormatch.grades import BY_CODE, FAST_STREAM
from mentormatch.text import clean_text, count_words, split_list, vocab_key
from mentormatch.vocab import Vocabulary

EMAIL = re.compile(r"^[^@\s;,]+@[^@\s;,]+\.[^@\s;,]+$")
_YES = ("yes", "y", "true", "1")
MAX_CAPACITY = 20  # partners one senior can take on; also keeps the solver's columns bounded


class Role(StrEnum):
    """Which side of a partnership an applicant is on."""

    JUNIOR = "junior"
    SENIOR = "senior"


def parse_role(text: str) -> Role | None:
    """Return the role a form answer names ('Junior partner (Grade 6 or below)' -> junior)."""
    key = vocab_key(text)
    junior = "junior" in key or "reverse mentor" in key
    senior = "senior" in key or key.startswith("scs") or "reverse mentee" in key
    if junior != senior:
        return Role.JUNIOR if junior else Role.SENIOR
    return None


def parse_yes(text: str) -> bool | None:
    """Return True for yes-like answers, False for any other answer, None for blank."""
    key = vocab_key(text)
    if not key:
        return None
    return key.split(" ")[0] in _YES


def _required(value: Any, what: str) -> str:
    text = clean_text(value)
    if not text:
        raise PydanticCustomError("missing-value", f"{what} is blank: fill it in, or remove the row.")
    return text


class Applicant(BaseModel):
    """One validated application. Built with a validation context holding the round's vocabularies."""

    model_config = ConfigDict(frozen=True)

    row: int
    email: str
    name: str
    role: Role
    grade: str
    department: str
    department_key: str
    professions: tuple[str, ...]
    barriers: bool | None = None
    eoi: str = ""
    interests: tuple[str, ...] = ()
    networks: tuple[str, ...] = ()
    capacity: int = 1
    exclusions: tuple[str, ...] = ()
    submitted: datetime | None = None

    @property
    def rank(self) -> int:
        """The applicant's rank on the grade ladder."""
        return BY_CODE[self.grade].rank

    @property
    def grade_label(self) -> str:
        """The grade as people say it ('Grade 7', 'Deputy Director')."""
        return BY_CODE[self.grade].label

    @property
    def eoi_words(self) -> int:
        """Words in the expression of interest."""
        return count_words(self.eoi)

    @field_validator("email", mode="before")
    @classmethod
    def _email(cls, value: Any) -> str:
        text = _required(value, "Email").lower().removeprefix("mailto:")
        if not EMAIL.match(text):
            raise PydanticCustomError("invalid-email", "This is not an email address (name@domain): correct it.")
        return text

    @field_validator("name", "department", mode="before")
    @classmethod
    def _text(cls, value: Any, info: ValidationInfo) -> str:
        return _required(value, (info.field_name or "value").capitalize())

    @field_validator("role", mode="before")
    @classmethod
    def _role(cls, value: Any) -> Role:
        role = parse_role(_required(value, "Role"))
        if role is None:
            raise PydanticCustomError("unknown-role", "The role must say junior or senior partner: correct it.")
        return role

    @field_validator("grade", mode="before")
    @classmethod
    def _grade(cls, value: Any, info: ValidationInfo) -> str:
        text = _required(value, "Grade")
        vocab: Vocabulary = info.context["grades"]
        code = vocab.lookup(text)
        if code is None and FAST_STREAM.lookup(text):
            code = info.context["fast_stream_grade"]
        if code is None:
            hints = vocab.suggest(text)
            hint = f" Did you mean {' or '.join(BY_CODE[h].label for h in hints)}?" if hints else ""
            raise PydanticCustomError(
                "unknown-grade",
                "This grade is not on the grade ladder (AA to SCS4); band codes differ between "
                "departments, so add an alias in [aliases.grades] or correct it.{hint}", {"hint": hint})
        return code

    @field_validator("professions", mode="before")
    @classmethod
    def _professions(cls, value: Any) -> tuple[str, ...]:
        if isinstance(value, tuple):
            if not value:
                raise PydanticCustomError("missing-value", "Profession is blank: fill it in, or remove the row.")
            return value
        return tuple(split_list(_required(value, "Profession")))

    @field_validator("capacity", mode="before")
    @classmethod
    def _capacity(cls, value: Any, info: ValidationInfo) -> int:
        text = clean_text(value)
        if not text:
            return int(info.context["default_capacity"])
        try:
            number = float(text)
        except ValueError:
            number = 0.5
        if not number.is_integer() or not 1 <= number <= MAX_CAPACITY:
            raise PydanticCustomError("invalid-capacity", f"Capacity must be a whole number of partners from 1 to "
                                      f"{MAX_CAPACITY}.")
        return int(number)

    @field_validator("exclusions", mode="before")
    @classmethod
    def _exclusions(cls, value: Any) -> tuple[str, ...]:
        emails = [part.lower().removeprefix("mailto:") for part in split_list(clean_text(value).replace(" ", ";"))]
        wrong = [part for part in emails if not EMAIL.match(part)]
        if wrong:
            raise PydanticCustomError(
                "invalid-exclusion", "Each 'do not match with' entry must be an email address, "
                "separated by ';': correct this one.", {"entry": wrong[0]})
        return tuple(emails)

    @field_validator("interests", "networks", mode="before")
    @classmethod
    def _list(cls, value: Any) -> tuple[str, ...]:
        return tuple(split_list(clean_text(value)))

    @field_validator("eoi", mode="before")
    @classmethod
    def _eoi(cls, value: Any) -> str:
        return clean_text(value)

