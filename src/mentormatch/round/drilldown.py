"""One applicant's result in detail: their partner first, then the best-scoreting alternatives with why not."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mentormatch.errors import MentormatchError
from mentormatch.matching.pipeline import MatchResult, Pairing
from mentormatch.matching.reasons import why_paired
from mentormatch.models import Applicant, Role
from mentormatch.outcomes import Unmatched


@dataclass(frozen=True)
class Alternative:
    """A possible partner: how well they would fit and what stopped the pair."""

    email: str
    name: str
    score: int
    why: str
    status: str


@dataclass(frozen=True)
class Explanation:
    """Everything there is to say about one applicant's outcome."""

    email: str
    name: str
    role: str
    pairings: list[Pairing]
    unmatched: Unmatched | None
    alternatives: list[Alternative]
    priority: str = ""  # what priority meant for them, when an earlier round left them unpaired


def explain_applicant(result: MatchResult, email: str, limit: int = 5) -> Explanation:
    """Explain one applicant's outcome; raise MentormatchError when the email is not in the round."""
    email = email.strip().lower()
    unmatched = next((u for u in result.unmatched if u.email == email), None)
    space = result.space
    people = {p.email: p for p in result.validation.applicants}
    person = people.get(email)
    if person is None or space is None:
        if unmatched is None:
            raise MentormatchError(f"No applicant with the email {email} is in this round.")
        return Explanation(email, unmatched.name, unmatched.role, [], unmatched, [])
    mine = [p for p in result.pairings if email in (p.junior.email, p.senior.email)]
    partner_of: dict[str, list[str]] = {}
    for pairing in result.pairings:
        partner_of.setdefault(pairing.senior.email, []).append(pairing.junior.name)
        partner_of.setdefault(pairing.junior.email, []).append(pairing.senior.name)
    junior = person.role is Role.JUNIOR
    own, others = (space.juniors, space.seniors) if junior else (space.seniors, space.juniors)
    index = next(i for i, p in enumerate(own.people) if p.email == email)
    masks, score = space.row(index) if junior else space.column(index)
    mine_partners = {p.senior.email if junior else p.junior.email for p in mine}
    alternatives = []
    order = np.argsort(-score, kind="stable")
    partners_first = sorted(order, key=lambda other: others.people[int(other)].email not in mine_partners)
    for other in partners_first:
        candidate = others.people[int(other)]
        broken = masks.broken(int(other))
        if candidate.email in mine_partners:
            status = "their partner"
        elif broken:
            status = "not allowed: " + ", ".join(broken)
        else:
            taken = partner_of.get(candidate.email)
            status = f"paired with {', '.join(taken)}" if taken else "free, but pairing them would leave someone else without a partner"
        pair = (person, candidate) if junior else (candidate, person)
        alternatives.append(Alternative(candidate.email, candidate.name, round(float(score[int(other)])),
                                        why_paired(*pair), status))
        if len(alternatives) >= limit:
            break
    return Explanation(email, person.name, person.role.value, mine, unmatched, alternatives, _priority_text(result, email))


def _priority_text(result: MatchResult, email: str) -> str:
    """Whether an earlier round left them unpaired, and whether priority decided their pair this round."""
    earlier = result.priority.earlier.get(email)
    if earlier is None or result.priority.mode == "off":
        return ""
    if email in result.priority_decided:
        return (f"Left unpaired in {earlier}: priority ({result.priority.mode}) decided their pair — without it "
                "they would not have been paired this round.")
    return f"Left unpaired in {earlier}: they had priority ({result.priority.mode}); it did not change their outcome."


@dataclass(frozen=True)
class Suggestion:
    """One of a junior's best-scoreting allowed seniors."""

    junior: Applicant
    rank: int
    senior: Applicant
    score: int
    why: str
    status: str


def suggest(result: MatchResult, limit: int) -> list[Suggestion]:
    """For every junior, up to `limit` allowed seniors by score, the chosen partner first."""
    space = result.space
    if space is None or limit < 1:
        return []
    partner_of = {p.junior.email: p.senior.email for p in result.pairings}
    taken: dict[str, list[str]] = {}
    for pairing in result.pairings:
        taken.setdefault(pairing.senior.email, []).append(pairing.junior.name)
    seniors = space.seniors.people
    senior_at = {person.email: s for s, person in enumerate(seniors)}
    found = []
    for j, masks, score in space.rows(np.arange(len(space.juniors.people))):
        junior = space.juniors.people[j]
        allowed = np.flatnonzero(masks.feasible)
        order = allowed[np.argsort(-score[allowed], kind="stable")]
        chosen = senior_at.get(partner_of.get(junior.email, ""))
        first = [chosen] if chosen is not None and masks.feasible[chosen] else []
        ranked = [*first, *(s for s in order[: limit + 1].tolist() if s != chosen)][:limit]
        for rank, s in enumerate(ranked, start=1):
            senior = seniors[s]
            if s == chosen:
                status = "their partner"
            elif senior.email in taken:
                status = f"paired with {', '.join(taken[senior.email])}"
            else:
                status = "has a free place"
            found.append(Suggestion(junior, rank, senior, round(float(score[s])),
                                    why_paired(junior, senior), status))
    return found
