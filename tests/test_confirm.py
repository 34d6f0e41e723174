"""`mentormatch confirm`: before matching, each applicant is sent the details the round will use for them.

Drafts are checked for what they say (every detail as the round reads it; for a row left out, each
answer to correct) and for what they must never say (the barriers answer, the expression of interest,
any column the round does not use, such as protected characteristics).
"""

from __future__ import annotations

import email
from email import policy
from pathlib import Path

from typer.testing import CliRunner

from conftest import TEMPLATE_HEADERS, exited_cleanly, junior_row, senior_row, write_rows
from mentormatch.cli.app import app

BARRIERS = "Yes - I am disabled and was the first in my family to go to university"
EOI = "I would like to learn how decisions are made, zebra-crossing-unique-phrase."
ETHNICITY = "Ethnicity (optional)"


def invoke(*args: object):
    return CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})


def drafts(folder: Path) -> dict[str, str]:
    """Each draft's body (with its subject) by the address it is to."""
    found = {}
    for path in sorted(folder.glob("confirm-*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        found[str(message["To"])] = f"{message['Subject']}\n{message.get_content()}"
    return found


def test_each_applicant_is_sent_what_the_round_will_use_and_nothing_private(tmp_path):
    rows = [junior_row(Name="Amara Okafor", Grade="H.E.O.", Department="Office for National Statistics (ONS)",
                       Profession="GSS; GSR", Barriers=BARRIERS, **{"Expression of interest": EOI,
                                                                    "Development aims": "Leadership; Wellbeing",
                                                                    "Do not match with": "Smith, Jane <jane@x.gov.uk>",
                                                                    ETHNICITY: "Black British"}),
            senior_row(Name="Xander Nakamura", Grade="SCS Pay Band 1", Department="HMT", Capacity="Up to 2",
                       **{"Expression of interest": EOI, ETHNICITY: "Mixed"}),
            junior_row(Name="Ben Hughes", Grade="Band B", Barriers=BARRIERS, **{"Expression of interest": EOI}),
            junior_row(Name="Chloe Patel", Barriers="No", **{"Expression of interest": EOI}),
            junior_row(Email="not-an-address", Name="Dev Rao")]
    source = write_rows(tmp_path / "applications.xlsx", rows, [*TEMPLATE_HEADERS, ETHNICITY])
    outbox = tmp_path / "confirmations"
    result = invoke("confirm", source, "-o", outbox)
    assert result.exit_code == 0 and exited_cleanly(result), result.output
    text = " ".join(result.output.split())
    assert "Drafted 4 confirmation emails: 2 to check their details, 2 to correct an answer" in text
    assert "1 row left out has no usable email address" in text and "Nothing was sent" in text
    found = drafts(outbox)
    assert set(found) == {rows[0]["Email"], rows[1]["Email"], rows[2]["Email"], rows[3]["Email"]}
    amara = found[rows[0]["Email"]]
    for line in ("Dear Amara,", "Role: junior partner", "Grade: HEO", "Department: ONS", "Profession: GSS; GSR",
                 "Development aims: Leadership, Wellbeing", "People you asked not to be matched with: jane@x.gov.uk"):
        assert line in amara, line
    assert "Partners you can take on" not in amara
    xander = found[rows[1]["Email"]]
    assert "Grade: Deputy Director" in xander and "Partners you can take on: 2" in xander
    ben = found[rows[2]["Email"]]
    assert "please correct an answer" in ben and "'Band B'" in ben and "Civil Service grade" in ben
    chloe = found[rows[3]["Email"]]
    assert "barriers to progression" in chloe and "No" not in chloe.split("\n", 1)[1].split()  # not their answer
    every = "\n".join(found.values()) + (outbox / "mail-merge.csv").read_text(encoding="utf-8-sig")
    for private in (BARRIERS, "disabled", "first in my family", "zebra-crossing-unique-phrase", "Black British",
                    "Mixed"):
        assert private not in every, private


def test_confirm_writes_nothing_over_its_input_and_nothing_on_a_missing_folder(tmp_path):
    source = write_rows(tmp_path / "applications.xlsx", [junior_row(), senior_row()])
    missing = invoke("confirm", source, "-o", tmp_path / "no" / "such" / "folder")
    assert missing.exit_code == 1 and "does not exist" in " ".join(missing.output.split())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["applications.xlsx"]
