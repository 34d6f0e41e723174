"""Small text helpers shared by the readers and vocabularies."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

# Zero-width characters and the byte-order mark hide inside pasted emails and grades; control
# characters pasted from other tools, the non-characters U+FFFE and U+FFFF and lone surrogates cannot
# be stored in an Excel file at all (XML forbids them, and a lone surrogate cannot even be encoded).
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
_DROP = {**_INVISIBLE, **dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, 0xFFFE, 0xFFFF,
                                        *range(0xD800, 0xE000)], None)}
_SPACES = re.compile(r"\s+")
_EQUIVALENT = re.compile(r"\((?:or\s+)?equivalent\)|\bor\s+equivalent\b", re.IGNORECASE)
_AGENCIES = re.compile(r"\((?:excl\.?|excluding|including|incl\.?)\s+agencies\)", re.IGNORECASE)
_LINE_SPLIT = re.compile(r"[;\n]+")
_DOTTED = re.compile(r"\b(?:[^\W\d_]\.){2,}")  # S.E.O. -> SEO, H.M.R.C -> HMRC (with the last dot or not)
_LETTERS_DIGITS = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")  # Grade7 -> Grade 7, SCS1 -> SCS 1
_LEADING_THE = re.compile(r"^the\s+")
_LETTER_OR_DIGIT = re.compile(r"[^\W_]")


def clean_text(value: object) -> str:
    """Return a cell value as tidy text: NFC, no invisible characters, single spaces, trimmed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    if text.isascii() and text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text  # already tidy: the common case, checked without building new strings
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    return " ".join(text.translate(_DROP).split())


@lru_cache(maxsize=1 << 16)  # the same few hundred spellings recur on every row
def vocab_key(value: str) -> str:
    """Return the comparison key for a vocabulary spelling.

    Case, '&' for 'and', '(or equivalent)' and '(excluding agencies)' suffixes, punctuation, dotted
    abbreviations ('S.E.O.'), letters run into digits ('Grade7', 'SCS1') and a leading 'The' do not
    matter: both the vocabulary's spellings and the answers are compared by this key.
    """
    text = _EQUIVALENT.sub(" ", value)
    text = _AGENCIES.sub(" ", text)
    text = _DOTTED.sub(lambda m: m.group(0).replace(".", "") + " ", text)
    text = text.casefold().replace("&", " and ").replace("’", "'")
    text = _LETTERS_DIGITS.sub(" ", text)
    text = re.sub(r"[^\w'+]+", " ", text)
    return _LEADING_THE.sub("", _SPACES.sub(" ", text).strip())


def split_known(value: str, known: Callable[[str], bool]) -> list[str]:
    """Split a multi-answer cell on ';' and new lines, then on commas unless the comma is inside a known name.

    'Digital, Data and Technology (DDaT); GSS' -> ['Digital, Data and Technology (DDaT)', 'GSS']:
    at each comma-separated piece the longest run of pieces that `known` accepts is kept whole.
    """
    parts: dict[str, None] = {}
    for line in _LINE_SPLIT.split(value):
        pieces = [p.strip() for p in line.split(",") if p.strip()]
        at = 0
        while at < len(pieces):
            end = next((stop for stop in range(len(pieces), at + 1, -1) if known(", ".join(pieces[at:stop]))),
                       at + 1)
            parts.setdefault(", ".join(pieces[at:end]), None)
            at = end
    return list(parts)


def split_choices(value: str, separator: str) -> list[str]:
    """Split a multi-select answer as the form joined it, dropping blanks and repeats.

    ';' (Microsoft Forms, 'A;B;'): on ';' and new lines, commas kept inside an option. ',' (Google
    Forms, 'A, B'): on ',' and new lines, but a piece that starts in lower case continues the option
    before it ('Leadership, management and strategy' is one option).
    """
    if separator == ";":
        return split_known(value, lambda _piece: True)
    parts: list[str] = []
    for line in value.splitlines():
        for piece in line.split(","):
            piece = piece.strip()
            if not piece:
                continue
            if parts and piece[0].islower():
                parts[-1] = f"{parts[-1]}, {piece}"
            else:
                parts.append(piece)
    return list(dict.fromkeys(parts))


# Letters of other alphabets that look like Latin ones (Cyrillic and Greek capitals and small letters).
_LOOKALIKES = str.maketrans(
    "АВЕЅІЈКМНОРСТХУаеіјорсухѕԁԛԝΑΒΕΖΗΙΚΜΝΟΡΤΥΧοιν",
    "ABESIJKMHOPCTXYaeijopcyxsdqwABEZHIKMNOPTYXoiv")
_DIGIT_LETTERS = str.maketrans("0158", "OISB")  # '0NS' is a zero typed for an O


def fold_lookalikes(text: str) -> str:
    """Full-width and other compatibility forms as plain letters (NFKC), then Cyrillic and Greek look-alikes as Latin."""
    return unicodedata.normalize("NFKC", text).translate(_LOOKALIKES)


def digits_as_letters(text: str) -> str:
    """Digits typed for the letters they look like ('0NS' -> 'ONS'), for telling a typo from a new name."""
    return text.translate(_DIGIT_LETTERS)


# The values Excel shows for a formula that failed; a form export or a recalculated sheet may hold them.
EXCEL_ERRORS = frozenset({"#DIV/0!", "#VALUE!", "#N/A", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!",
                          "#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!"})


def is_excel_error(value: object) -> bool:
    """True for a cell that holds an Excel error value ('#DIV/0!', '#N/A'…) rather than an answer."""
    return isinstance(value, str) and value[:1] == "#" and value.strip().upper() in EXCEL_ERRORS


def name_key(text: str) -> str:
    """A name as it is compared: case, accents' forms, spacing and punctuation do not matter."""
    return " ".join(re.sub(r"[^\w'-]+", " ", clean_text(text).casefold()).split())


def count_words(text: str) -> int:
    """Count words as a word processor does: runs of characters between spaces, tabs and line breaks.

    The template's live word count uses the same definition, so the two agree on every answer
    (a spaced dash, a number, an emoji or "e-mail" is one word each).
    """
    return len(text.split())


def has_words(text: str) -> bool:
    """True when the text holds at least one word (a letter or digit anywhere)."""
    return _LETTER_OR_DIGIT.search(text) is not None


def count_words_over(text: str, limit: int) -> int:
    """The word count when it is over `limit`, else 0 (most texts are settled by a quick split)."""
    words = len(text.split())
    return words if words > limit else 0
