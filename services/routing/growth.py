"""Growth made visible (pure): a member's own picture — their levels over time, how far each
learning goal has come, the development assignments they did and with which buddy — and the
pool's skill coverage as counts only, flagging skills that rest on one or two people.
"""

from collections.abc import Sequence

from services.contracts.routing_api import Coverage, DevelopmentDone, Goal, LevelChange, MyGrowth, SkillStory
from services.routing.domain import MAX_LEVEL, REQUESTS_PER_LEVEL

# A member "holds" a skill from this level on: they take its usual work on their own.
HOLDS = 3
# A skill held by this many members or fewer rests on too few people.
AT_RISK = 2


def my_growth(
    member_id: str,
    skills: dict[str, int],
    learning: Sequence[str],
    experience: dict[str, int],
    changes: Sequence[LevelChange],
    development: Sequence[DevelopmentDone],
) -> MyGrowth:
    names = sorted(set(skills) | {c.skill for c in changes} | set(learning))
    stories = [SkillStory(skill=s, level=skills.get(s, 0), changes=[c for c in changes if c.skill == s]) for s in names]
    goals = []
    for s in sorted(learning):
        level = skills.get(s, 0)
        done = experience.get(s, 0)
        goals.append(
            Goal(
                skill=s,
                level=level,
                done_in_skill=done,
                toward_next=0 if level >= MAX_LEVEL else done % REQUESTS_PER_LEVEL,
                per_level=REQUESTS_PER_LEVEL,
                development_done=sum(1 for d in development if d.skill == s),
                holds=level >= HOLDS,
            )
        )
    return MyGrowth(member_id=member_id, skills=stories, goals=goals, development=list(development))


def coverage(members: Sequence[tuple[dict[str, int], Sequence[str]]], demand: dict[str, int]) -> list[Coverage]:
    """Per skill the pool holds, learns or is asked for: counts per level, holders, learners."""
    names = sorted({s for skills, learning in members for s in (*skills, *learning)} | set(demand))
    found = []
    for s in names:
        by_level = [sum(1 for skills, _ in members if skills.get(s, 0) == level) for level in range(1, 6)]
        holders = sum(by_level[HOLDS - 1 :])
        learners = sum(1 for _, learning in members if s in learning)
        found.append(
            Coverage(
                skill=s,
                by_level=by_level,
                holders=holders,
                learners=learners,
                requests=demand.get(s, 0),
                at_risk=holders <= AT_RISK,
            )
        )
    return found
