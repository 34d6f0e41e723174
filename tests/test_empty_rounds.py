"""Every command on a round with nobody to pair: a result or a clear refusal, never a crash."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from conftest import exited_cleanly, junior_row, senior_row
from mentormatch.cli.app import app

ROUNDS = {
    "juniors-only": lambda: [junior_row(), junior_row()],
    "seniors-only": lambda: [senior_row(), senior_row()],
    "every-row-invalid": lambda: [junior_row(Grade="Band B"), senior_row(Email="not an email")],
}


@pytest.mark.parametrize("kind", ROUNDS)
def test_every_command_handles_a_round_with_nobody_to_pair(make_workbook, tmp_path, kind):
    source = make_workbook(ROUNDS[kind]())
    pairings = tmp_path / "pairings.xlsx"
    commands = [
        ["match", str(source), "-o", str(pairings), "--suggest", "2"],
        ["gaps", str(source), "-o", str(tmp_path / "gaps.xlsx")],
        ["compare", str(source), "-o", str(tmp_path / "compare.xlsx")],
        ["panel", str(source), "-o", str(tmp_path / "panel.xlsx")],
        ["shortlist", str(source), "--places", "auto", "-o", str(tmp_path / "shortlist.xlsx")],
        ["report", str(pairings), "-o", str(tmp_path / "report.xlsx"), "--html", str(tmp_path / "report.html")],
        ["introduce", str(pairings), "-o", str(tmp_path / "outbox")],
    ]
    for command in commands:
        result = CliRunner().invoke(app, command, env={"COLUMNS": "200"})
        assert result.exit_code == 0, (command[0], result.output)
        assert exited_cleanly(result)
    assert not list((tmp_path / "outbox").glob("*.eml"))  # no pairs, no drafts
