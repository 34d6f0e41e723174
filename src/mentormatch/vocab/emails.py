"""Email addresses as people paste them: from Outlook, from a hyperlink, with a name in front."""

from __future__ import annotations

import re

EMAIL = re.compile(r"^[^@\s;,<>\"']+@[^@\s;,<>\"']+\.[^@\s;,<>\"'.]+$")
_ANGLED = re.compile(r"<([^<>]*)>")
_WRAPPING = " \t\"'`()[]{}<>"
# A do-not-match answer that says there is nobody to avoid.
_NOBODY = {"", "n/a", "na", "n a", "none", "nobody", "no one", "noone", "no-one", "nil", "no", "-", "--", "0",
           "not applicable", "none known", "no one in particular", "nothing", "."}


def email_address(text: str) -> str:
    """The address in a pasted email, lower-case: 'Pat Two <P2@x.gov.uk>', 'mailto:p2@x.gov.uk.', '"p2@x.gov.uk"'.

    Returns the cleaned text as it stands when it holds no address (check it with `EMAIL`).
    """
    text = text.strip()
    angled = _ANGLED.search(text)
    if angled and "@" in angled.group(1):
        text = angled.group(1)
    text = text.strip(_WRAPPING)
    if text[:7].lower() == "mailto:":
        text = text[7:].strip(_WRAPPING)
    return text.rstrip(".").strip(_WRAPPING).lower()


def says_nobody(text: str) -> bool:
    """True for answers such as 'N/A', 'None', '-', 'No one', '0': there is nobody to name."""
    return " ".join(text.casefold().split()).strip(" .") in _NOBODY or text.strip() in _NOBODY


# An address anywhere in a text: a name, a note, a sentence or Outlook's 'Smith, Jane <...>' around it.
_ADDRESS = re.compile(r"[^\s@;,<>()\[\]{}\"':]+@[^\s@;,<>()\[\]{}\"':.]+(?:\.[^\s@;,<>()\[\]{}\"':.]+)+")


def addresses_in(text: str) -> list[str]:
    """Every email address written anywhere in a text, lower-case, in order, each once."""
    found: dict[str, None] = {}
    for match in _ADDRESS.finditer(text):
        address = match.group(0).strip(".").lower()
        if EMAIL.match(address):
            found.setdefault(address, None)
    return list(found)


def without_addresses(text: str) -> str:
    """The text with every address taken out (what is left is names and notes)."""
    return _ADDRESS.sub(" ", text)
