"""Re-matching after withdrawals: untouched pairs stay exactly as they were, the rest are re-paired."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from mentormatch.config import Config, build_config
from mentormatch.errors import MentormatchError
from mentormatch.inputs.lists import read_round_inputs
from mentormatch.inputs.pairings_book import (
    NumberedPair,
    PairNumbering,
    SheetRow,
    number_pairs,
    read_edited_pairs,
    read_round_record,
)
from mentormatch.inputs.reading import Cell
from mentormatch.matching.pipeline import (
    MatchResult,
    Pairing,
    Stage,
    match_validated,
)
from mentormatch.models import RoundInputs
from mentormatch.round.check import applications_of, gate
from mentormatch.validation.checks import ValidationResult, validate_file
from mentormatch.vocab.emails import EMAIL, email_address
from mentormatch.vocab.text import clean_text


@dataclass(frozen=True)
class Change:
    """One line of the Changes sheet."""

    change: str
    email: str
    name: str
    role: str
    detail: str


@dataclass
class RematchResult:
    """The new round: pairs kept verbatim, pairs made now, and what changed."""

    result: MatchResult
    headers: list[str]
    kept_rows: list[list[Cell]]
    new_pairings: list[Pairing]
    changes: list[Change]
    overrides: list[str] = field(default_factory=list)  # what this rematch changed from the recorded round
    numbering: PairNumbering = field(default_factory=PairNumbering)  # kept pairs keep their numbers; new ones follow the last given
    notes: list[str] = field(default_factory=list)  # what the person should know (e.g. what could not be checked)


def _plain(value: Cell) -> Cell:
    """Whole numbers read back as floats are written back as integers, so kept rows stay identical."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def rematch(pairings: Path, withdrawn: Sequence[str], config: Config | None = None, *,
            applications: Path | None = None, history: Sequence[Path] = (), do_not_match: Path | None = None,
            lock: Path | None = None, use_reserves: bool = False, sheet: str | None = None,
            header_row: int | None = None, on_stage: Stage | None = None) -> RematchResult:
    """Keep every pair no withdrawal touches exactly as it was, and re-pair everyone else who can be.

    The round continues as the workbook recorded it (its Round sheet): the same settings, shortlist,
    do-not-match and history pairs. A `config` given here replaces the recorded settings, and `do_not_match`,
    `lock` and `history` files add to the recorded pairs; each is listed as an override. Only the
    shortlisted juniors of a shortlisted round are paired; `use_reserves` offers free places to the
    reserves, in reserve order, each taken only when it adds a pair.
    """
    notes = [note] if (note := gate(pairings).note) else []
    record = read_round_record(pairings)
    recorded = record.inputs
    overrides = [f"settings: {'given' if config is not None else 'recorded'}"]
    if config is None:
        config = build_config(record.settings or {})
    extra = read_round_inputs(lock=lock, do_not_match=do_not_match, history=history)
    overrides += [f"{what}: {name} (added)" for what, name, _digest in extra.sources]
    gone = {email_address(clean_text(email)) for email in withdrawn if clean_text(email)}
    if not gone:
        raise MentormatchError("Name at least one withdrawn applicant with --withdrawn EMAIL or --withdrawn-file.")
    bad = sorted(email for email in gone if not EMAIL.match(email))
    if bad:
        raise MentormatchError(f"{', '.join(bad)} {'is' if len(bad) == 1 else 'are'} not an email address.")
    edited = read_edited_pairs(pairings)
    headers, rows = edited.headers, edited.rows
    if edited.header_row > 1:
        notes.append(f"The {edited.header_row - 1} row(s) above the Pairings sheet's headers (a title or a note) "
                     "were not copied into the new workbook.")
    source = applications or applications_of(pairings, record.applications)
    if on_stage:
        on_stage("Reading and validating applications", None)
    validation = validate_file(source, config, sheet=sheet, header_row=header_row)
    # Anyone in the round may withdraw: paired, unmatched, or left out of matching for errors.
    known = ({a.email for a in validation.applicants} | {e.email for e in validation.left_out}
             | {e.email for e in validation.superseded} | set(recorded.withdrawn)
             | {email for row in rows for email in (row.junior, row.senior)})
    unknown = sorted(gone - known)
    if unknown:
        raise MentormatchError(f"{', '.join(unknown)} {'is' if len(unknown) == 1 else 'are'} in neither the "
                               "pairings nor the applications: check the spelling. Nothing was written.")
    kept = [row for row in rows if row.junior not in gone and row.senior not in gone]  # held as kept pairs
    left = gone | set(recorded.withdrawn)  # who withdrew before stays withdrawn
    remaining = dataclasses.replace(
        validation, applicants=[a for a in validation.applicants if a.email not in left],
        left_out=[e for e in validation.left_out if e.email not in left])
    if on_stage:
        on_stage("Finding new partners", None)
    inputs = RoundInputs(locks=extra.locks, kept=tuple((row.number, row.junior, row.senior) for row in kept),
                         do_not_match=(*recorded.do_not_match, *extra.do_not_match),
                         history=tuple(dict.fromkeys((*recorded.history, *extra.history))),
                         shortlisted=recorded.shortlisted, reserves=recorded.reserves,
                         sources=(*recorded.sources, *extra.sources), withdrawn=tuple(sorted(left)),
                         priority=tuple(dict.fromkeys((*recorded.priority, *extra.priority))))
    result = match_validated(remaining, config, inputs)
    taken_reserves: list[str] = []
    if use_reserves and inputs.shortlisted is not None:
        overrides.append("reserves: offered free places (--use-reserves)")
        result, taken_reserves = _offer_reserves(remaining, config, inputs, result)
    # A kept pair stands only while both are still valid applicants in their roles and the senior's
    # (possibly reduced) capacity allows: the matcher refuses the others, and their people were paired
    # again or listed as unmatched with everyone else, so they must not also be copied as kept.
    held = {(k.junior, k.senior) for k in result.kept_pairs if k.kept}
    ended = [(k.junior, k.senior, k.why) for k in result.kept_pairs if not k.kept]
    kept = [row for row in kept if (row.junior, row.senior) in held]
    kept_pairs = [(row.junior, row.senior) for row in kept]
    # Pairs agreed since the round (--lock) are locked too, but they are new pairs: only kept ones are copied.
    copied = set(kept_pairs)
    new_pairings = [p for p in result.pairings if (p.junior.email, p.senior.email) not in copied]
    ended_people = {email for j, s, _why in ended for email in (j, s)}
    changes = _changes(gone, rows, validation, result, new_pairings, ended_people)
    names = {e.email: e.name for e in validation.left_out} | {a.email: a.name for a in validation.applicants}
    changes += [Change("reserve taken", email, names.get(email, ""), "junior",
                       f"reserve {inputs.reserves.index(email) + 1}, offered a free place (--use-reserves)")
                for email in taken_reserves]
    kept_rows = [[_plain(cell) for cell in row.values] for row in kept]
    return RematchResult(result, headers, kept_rows, new_pairings, _ended(ended, names, result, new_pairings) + changes,
                         overrides, _numbering(record.numbering, rows, kept_pairs, new_pairings), notes)


def _numbering(recorded: PairNumbering | None, rows: list[SheetRow], kept_pairs: list[tuple[str, str]],
               new_pairings: list[Pairing]) -> PairNumbering:
    """Introduction numbers for the new workbook: each kept pair keeps the number it had in the earlier one
    (1, 2, 3… in row order when it recorded none), and the new pairs follow the highest number given so far,
    so their drafts never take the name of an earlier one."""
    earlier = number_pairs([(row.junior, row.senior) for row in rows], recorded)
    numbers = {(p.junior, p.senior): p.number for p in earlier.pairs}
    kept = [NumberedPair(j, s, numbers[(j, s)], kept=True) for j, s in kept_pairs]
    new = [NumberedPair(p.junior.email, p.senior.email, earlier.last + at, kept=False)
           for at, p in enumerate(new_pairings, start=1)]
    return PairNumbering((*kept, *new), earlier.last + len(new))


def _offer_reserves(validation: ValidationResult, config: Config, inputs: RoundInputs,
                    result: MatchResult) -> tuple[MatchResult, list[str]]:
    """Offer free places to the reserves in reserve order: a reserve is taken when the round then makes one
    more pair, and the offers stop when no place is free (the same greedy rule the shortlist follows)."""
    shortlisted, taken = set(inputs.shortlisted or ()), []
    valid = {a.email for a in validation.juniors}
    for email in inputs.reserves:
        if len(result.pairings) >= result.senior_places:
            break
        if email in shortlisted or email not in valid:
            continue
        trial = match_validated(validation, config, dataclasses.replace(inputs, shortlisted=frozenset(
            shortlisted | {email})))
        if trial.maximum_pairs > result.maximum_pairs:
            shortlisted.add(email)
            taken.append(email)
            result = trial
    return result, taken


def _ended(ended: list[tuple[str, str, str]], names: dict[str, str], result: MatchResult,
           new_pairings: list[Pairing]) -> list[Change]:
    """Kept pairs that could not stand (a changed application, a broken rule or a reduced capacity), and what
    became of them."""
    now = {p.junior.email: p.senior.name for p in new_pairings} | {p.senior.email: p.junior.name for p in new_pairings}
    reasons = {u.email: u.reason for u in result.unmatched}
    changes = []
    for junior, senior, cause in ended:
        for email, role in ((junior, "junior"), (senior, "senior")):
            fate = (f"now paired with {now[email]}" if email in now else reasons.get(email, "still has a partner"))
            changes.append(Change("pair ended", email, names.get(email, ""), role,
                                  f"the kept pair of {names.get(junior, junior)} and {names.get(senior, senior)} "
                                  f"could not stand: {cause}; {fate}"))
    return changes


def _changes(gone: set[str], rows: list[SheetRow], validation: ValidationResult, result: MatchResult,
             new_pairings: list[Pairing], ended_people: set[str]) -> list[Change]:
    """Who left, who was re-paired with whom, who is still waiting and why, and new pairs (a new partner of
    someone whose kept pair ended is said by its "pair ended" line instead)."""
    names = {a.email: a.name for a in validation.applicants}
    roles = {a.email: a.role.value for a in validation.applicants}
    for person in (*validation.left_out, *validation.superseded):  # left out of matching, or set aside
        names.setdefault(person.email, person.name)
        roles.setdefault(person.email, person.role)
    former: dict[str, str] = {}  # person left behind -> the partner who withdrew
    for row in rows:
        junior, senior = row.junior, row.senior
        names.setdefault(junior, clean_text(row.cells.get("Junior name")))
        names.setdefault(senior, clean_text(row.cells.get("Senior name")))
        roles.setdefault(junior, "junior")
        roles.setdefault(senior, "senior")
        for stays, leaves in ((junior, senior), (senior, junior)):
            if leaves in gone and stays not in gone:
                former[stays] = leaves
    partners: dict[str, list[str]] = {}
    for pairing in new_pairings:
        partners.setdefault(pairing.junior.email, []).append(pairing.senior.name)
        partners.setdefault(pairing.senior.email, []).append(pairing.junior.name)
    reasons = {u.email: u.reason for u in result.unmatched}
    changes = []
    for email in sorted(gone):
        left_behind = [names.get(p, p) for p, leaver in former.items() if leaver == email]
        detail = f"was paired with {', '.join(left_behind)}" if left_behind else "was not paired"
        changes.append(Change("withdrew", email, names.get(email, ""), roles.get(email, ""), detail))
    for email, leaver in sorted(former.items()):
        before = f"partner {names.get(leaver, leaver)} withdrew"
        if email in partners:
            changes.append(Change("re-paired", email, names.get(email, ""), roles.get(email, ""),
                                  f"{before}; now paired with {', '.join(partners[email])}"))
        elif email in reasons:
            changes.append(Change("waiting", email, names.get(email, ""), roles.get(email, ""),
                                  f"{before}; {reasons[email]}"))
        else:  # a senior with other partners still kept
            changes.append(Change("place freed", email, names.get(email, ""), roles.get(email, ""), before))
    for pairing in new_pairings:
        if pairing.junior.email not in former and pairing.junior.email not in ended_people:
            changes.append(Change("new pair", pairing.junior.email, pairing.junior.name, "junior",
                                  f"paired with {pairing.senior.name}"))
    return changes
