"""Recruitment advice: which seniors, if they applied, would let more of the unpaired juniors be paired.

`find_gaps` recommends profiles a coordinator can recruit — a grade band and a few departments and
professions to recruit from — each with how many more juniors it would pair, proved by matching the
round again with seniors of that profile added:

1. The round is matched (the given result) and becomes a flow network of types of junior and senior
   (`matching.recruits`): its maximum flow is the most pairs possible, and adding seniors of a
   profile to it counts exactly how many more pairs they would make.
2. Candidate departments are the round's own, most applicants first, then large departments;
   candidate professions are the round's own, then the Analysis Function's. Only a rule that is
   hard narrows them: with the department rule relaxed, any department will do.
3. From the lowest grade a senior may hold, upwards: every common candidate department with every
   common candidate profession at that grade is a profile (the rarer ones only if none of those
   helps). The likeliest first (most juniors they could still help), count how many more juniors
   seniors of the profile would pair on top of the lines already chosen, and take the profile that
   pairs the most.
4. Widen it while that count holds: to "that grade or above" (else that grade and the next), then up
   to three departments and three professions, commonest first. A senior of the profile is any
   grade, department and profession it names, so the count is always for the weakest such senior:
   one who may partner only the juniors every senior of the profile may.
5. Record it as a line (as many seniors as it needs places) and repeat at the same grade until no
   profile adds a pair, then go up a grade.
6. Count each line on its own, and keep the MAX_LINES that pair the most, largest first (ties: the
   lower grade).
7. Prove each line: add that many seniors who may partner only the juniors every senior of the
   profile may, match the round again, and count the extra pairs; then all lines together.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from mentormatch.matching.pipeline import MatchResult, match_validated
from mentormatch.matching.recruits import network_of, rule_columns
from mentormatch.models import Applicant, Role
from mentormatch.round.needs import Need, find_needs, need_text
from mentormatch.round.profiles import MAX_LINES, TOP_RANK, Profile, Rules, build, pools
from mentormatch.vocab.grades import BY_CODE, BY_RANK

__all__ = ["GapReport", "Need", "Profile", "RecruitLine", "find_gaps", "need_text"]


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


@dataclass(frozen=True)
class RecruitLine:
    """Seniors of one profile, the juniors they would pair, and the re-run that proves it."""

    profile: Profile
    seniors: int
    juniors: int  # more juniors paired with these seniors added (counted by maximum flow)
    gained: int  # more pairs when the optimiser is re-run with them added
    paired: tuple[Applicant, ...]  # juniors paired in that re-run who were not paired before

    @property
    def verified(self) -> bool:
        """True when re-running the optimiser with the line's seniors added paired as many more as claimed."""
        return self.gained >= self.juniors

    def describe(self) -> str:
        """'3 seniors at Grade 7 or above, from DWP, HMRC or DfE, in GES or GSR, would pair 3 more juniors'."""
        return (f"{_plural(self.seniors, 'senior')} {self.profile.text()}, would pair "
                f"{self.juniors:,} more junior{'s' if self.juniors != 1 else ''}")


@dataclass
class GapReport:
    """Unpaired juniors' needs, the profiles to recruit, and their proof."""

    result: MatchResult
    needs: list[Need]
    lines: list[RecruitLine]
    unreachable: list[Need]
    extra_pairs_all: int  # more pairs on re-running with every line's seniors added
    claimed_all: int = 0  # the same, counted by maximum flow
    tried: tuple[int, int] = (0, 0)  # departments and professions tried (0: any will do)

    def closing(self) -> list[str]:
        """What the list comes to, in sentences."""
        if not self.needs:
            return ["Every eligible junior is paired: there is no one to recruit for."]
        if not self.lines:
            where = [_plural(n, what) for n, what in zip(self.tried, ("department", "profession"), strict=True) if n]
            scope = f", with {' and '.join(where)} to recruit from" if where else ""
            return [f"No single profile of senior would pair any of the {_plural(len(self.needs), 'unpaired junior')}"
                    f" (every grade was tried{scope}). The Unmatched juniors sheet says what each one's partner "
                    "must be."]
        lines = [f"With every line recruited, {_plural(self.extra_pairs_all, 'more junior')} would be paired "
                 "(checked by re-running the optimiser)."]
        if sum(line.juniors for line in self.lines) > self.extra_pairs_all:
            lines.append("Some juniors can be paired by more than one line, so the lines add up to more than that.")
        left = len(self.needs) - self.extra_pairs_all
        if left > 0:
            lines.append(f"{_plural(left, 'junior')} would still be without a partner.")
        return lines


def _recruits(line_number: int, count: int, rank: int, capacity: int) -> list[Applicant]:
    """Seniors for a re-run: the line's lowest grade, and a department and profession no junior has."""
    return [Applicant(row=0, email=f"recruit-{line_number}-{k}@recruit.invalid", name=f"Recruit {line_number}.{k}",
                      role=Role.SENIOR, grade=BY_RANK[rank].code, department=f"Recruit {line_number}",
                      department_key=f"recruit {line_number}", professions=(f"Recruit {line_number}",),
                      capacity=capacity) for k in range(1, count + 1)]


def _rerun(result: MatchResult, groups: list[tuple[list[Applicant], set[str]]]) -> MatchResult:
    """Match the round again with these seniors added, each kept from every junior outside its allowed set."""
    fence = tuple((junior.email, recruit.email) for recruits, allowed in groups for recruit in recruits
                  for junior in result.validation.juniors if junior.email not in allowed)
    inputs = dataclasses.replace(result.inputs, do_not_match=(*result.inputs.do_not_match, *fence))
    return match_validated(result.validation, result.config, inputs,
                           extra_seniors=[recruit for recruits, _allowed in groups for recruit in recruits])


def find_gaps(result: MatchResult) -> GapReport:
    """Recommend up to MAX_LINES recruitable profiles of senior, each proved by re-running the optimiser."""
    needs = find_needs(result)
    unreachable = [n for n in needs if n.min_rank > n.max_rank]
    space, config = result.space, result.config
    assert space is not None
    departments, professions, common = pools(result)
    floor = BY_CODE[config.round.senior_min_grade].rank
    grades = [BY_RANK[rank].code for rank in range(floor, TOP_RANK + 1)]
    keys, capacity = [key for _name, key in departments], config.round.default_capacity
    tried = (len(departments), len(professions))
    network = network_of(result) if needs else None
    if network is None or not network.unpaired:
        return GapReport(result, needs, [], unreachable, 0, 0, tried)

    def rules_for(juniors: list[Applicant]) -> Rules:
        return Rules(floor, departments, professions, common, *rule_columns(juniors, grades, keys, professions, config))

    rules = rules_for(network.juniors)
    built = build(network, rules, capacity)
    alone = [network.extra_pairs([(rules.allowed(*c), seniors * capacity)]) for c, seniors in built]
    kept = sorted(range(len(built)), key=lambda i: (-alone[i], built[i][0][0], i))[:MAX_LINES]

    # The proof is a re-run of the whole round: what the rules allow is worked out for every junior in play.
    everyone = space.juniors.people
    every_rule = rules_for(everyone)
    base = {p.junior.email for p in result.pairings}
    by_email = {person.email: person for person in everyone}
    lines, groups = [], []
    for number, i in enumerate(kept, start=1):
        candidate, seniors = built[i]
        allowed = {everyone[j].email for j in np.flatnonzero(every_rule.allowed(*candidate)).tolist()}
        group = (_recruits(number, seniors, candidate[0], capacity), allowed)
        groups.append(group)
        rerun = _rerun(result, [group])
        newly = sorted({p.junior.email for p in rerun.pairings} - base)
        lines.append(RecruitLine(rules.profile(*candidate), seniors, alone[i],
                                 len(rerun.pairings) - len(result.pairings), tuple(by_email[e] for e in newly)))
    claimed = network.extra_pairs([(rules.allowed(*built[i][0]), built[i][1] * capacity) for i in kept])
    together = len(_rerun(result, groups).pairings) - len(result.pairings) if groups else 0
    return GapReport(result, needs, lines, unreachable, together, claimed, tried)
