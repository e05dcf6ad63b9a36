"""Generated pools with an office's rhythm: weekdays, busy mornings, lunch, part-timers, learners.

`generate(family, seed)` draws one pool of a family (families.py says what varies between
them: size, load, skill mix, languages, urgency, shifts, Monday bursts). Seeded and pure: the
same family and seed always give the same trace.
"""

from __future__ import annotations

import math
import random

import msgspec

from services.routing.decision import Urgency, work_factor
from services.simulation import hours
from services.simulation.families import Family
from services.simulation.trace import DAY, Trace, TraceMember, TraceRequest

OFFICE_OPEN, OFFICE_CLOSE = 8 * 60 + 30, 17 * 60 + 30  # for service levels only
# Service level per urgency, in office minutes (a normal request is due a working day later).
SERVICE_LEVEL: dict[str, int] = {"high": 120, "normal": 540, "low": 3 * 540}
# skill: (typical base minutes, share of requests)
SKILLS: dict[str, tuple[int, float]] = {
    "agenda": (15, 0.24),
    "correspondence": (20, 0.17),
    "expenses": (20, 0.14),
    "documents": (45, 0.12),
    "travel": (30, 0.11),
    "minutes": (60, 0.08),
    "onboarding": (40, 0.07),
    "events": (120, 0.07),
}
# A request takes 0.7 to 1.4 times its skill's typical base minutes: a few run long.
JITTER = (0.7, 1.4)
# Relative arrivals per office hour, 8:00 to 18:00: the morning rush, a lunch dip.
HOURLY = (0.6, 1.7, 1.8, 1.5, 0.7, 0.9, 1.0, 0.9, 0.6, 0.2)
COOL_DOWN_DAYS = 7  # members keep working this long after the last arrival, so the work gets done


def generate(family: Family, seed: int) -> Trace:
    """One pool of `family`: its members and `family.days` days of requests (day 0 a Monday)."""
    rng = random.Random(f"{family.name}/{seed}")
    size = rng.randint(*family.sizes)
    target = rng.uniform(*family.loads)
    members = [_member(rng, family, i, size) for i in range(size)]
    members = _cover_skills(rng, members)
    horizon = family.days + COOL_DOWN_DAYS
    members = [msgspec.structs.replace(m, shifts=_shifts(rng, family, i, size, horizon)) for i, m in enumerate(members)]
    minutes = sum(min(e, family.days * DAY) - s for m in members for s, e in m.shifts if s < family.days * DAY)
    work = sum(
        share * base * _JITTER_MEAN * level_share * _mean_factor(members, skill, level)
        for skill, (base, share) in SKILLS.items()
        for level, level_share in enumerate(family.min_levels, start=1)
    )
    requests = _requests(rng, family, size, target * minutes / work)
    offered = sum(r.base_minutes * _mean_factor(members, r.skill, r.min_level) for r in requests)
    meta: dict[str, float | int | str] = {
        "family": family.name,
        "seed": seed,
        "members": size,
        "days": family.days,
        "load": round(offered / minutes, 3),
    }
    return Trace(members, requests, meta)


_JITTER_MEAN = sum(JITTER) / 2


def _member(rng: random.Random, family: Family, i: int, n: int) -> TraceMember:
    skills = list(SKILLS)
    experts = max(2, round(n * family.expert_share))
    learners = max(2, round(n * family.learner_share))
    held: dict[str, int] = {}
    learning: list[str] = []
    learner = experts <= i < experts + learners
    if family.skill_mix == "specialist":
        # Everyone knows a few skills well and nothing else.
        for s in rng.sample(skills, rng.randint(2, 3)):
            held[s] = rng.choice((4, 5)) if i < experts else rng.choice((2, 3, 3, 4))
    elif family.skill_mix == "generalist":
        for s in rng.sample(skills, rng.randint(3, 5) if learner else rng.randint(5, 8)):
            held[s] = rng.choice((2, 3, 3)) if i >= experts else rng.choice((3, 4))
    elif i < experts:
        for s in rng.sample(skills, 3):
            held[s] = rng.choice((4, 5))
        for s in rng.sample([s for s in skills if s not in held], 3):
            held[s] = rng.choice((2, 3))
    else:
        for s in rng.sample(skills, rng.randint(3, 6)):
            held[s] = rng.choice((1, 2, 2, 3, 3, 3))
    if learner:
        learning = _goals(rng, [s for s in skills if held.get(s, 0) <= 1], rng.randint(1, 2))
    languages = ["en", "nl"]
    if i >= experts and rng.random() < family.monolingual_share:
        languages = rng.choices((["nl"], ["en"]), (0.8, 0.2))[0]
    capacity = rng.choice((3, 4, 4, 5))
    return TraceMember(f"m{i:03d}", dict(sorted(held.items())), learning, languages, capacity, [])


def _goals(rng: random.Random, options: list[str], k: int) -> list[str]:
    """Learning goals, drawn towards skills in demand."""
    goals: set[str] = set()
    while options and len(goals) < k:
        goals.add(rng.choices(options, [SKILLS[s][1] for s in options])[0])
        options = [s for s in options if s not in goals]
    return sorted(goals)


def _cover_skills(rng: random.Random, pool: list[TraceMember]) -> list[TraceMember]:
    """Every skill gets two bilingual members at level 3 or more, so every request has
    someone who may take it (in a small specialist pool, often no more than that)."""
    for skill in SKILLS:
        while sum(1 for m in pool if m.skills.get(skill, 0) >= 3 and len(m.languages) == 2) < 2:
            options = [
                i
                for i, m in enumerate(pool)
                if len(m.languages) == 2 and m.skills.get(skill, 0) < 3 and skill not in m.learning
            ]
            if not options:
                options = [i for i, m in enumerate(pool) if m.skills.get(skill, 0) < 3 and skill not in m.learning]
                if not options:
                    break
                i = rng.choice(options)
                pool[i] = msgspec.structs.replace(pool[i], languages=["en", "nl"])
                continue
            i = rng.choice(options)
            pool[i] = msgspec.structs.replace(pool[i], skills={**pool[i].skills, skill: 3})
    return pool


# Weekly patterns: (weekdays worked, [(start, end) minutes of the day]); the start moves a little.
PATTERNS: dict[str, tuple[tuple[int, ...], tuple[tuple[int, int], ...]]] = {
    "full": ((0, 1, 2, 3, 4), ((0, 240), (270, 510))),  # with a half-hour lunch
    "four_days": ((0, 1, 2, 3), ((0, 240), (270, 510))),
    "three_days": ((1, 2, 3), ((0, 240), (270, 510))),
    "mornings": ((0, 1, 2, 3, 4), ((0, 270),)),
    "afternoons": ((0, 1, 2, 3, 4), ((300, 540),)),
    "short_weeks": ((0, 2, 4), ((0, 270),)),
}
PART_TIME = ("four_days", "three_days", "mornings", "afternoons", "short_weeks")


def _shifts(rng: random.Random, family: Family, i: int, n: int, days: int) -> list[tuple[float, float]]:
    """The member's weekly hours and days off, as routing's shift rule turns them into shifts."""
    experts = max(2, round(n * family.expert_share))
    part_time = i >= experts and rng.random() < family.part_time_share
    pattern = rng.choice(PART_TIME) if part_time else "full"
    weekdays, spans = PATTERNS[pattern]
    start = rng.choice((480, 510, 510, 540))
    week = hours.week_of([[(start + a, start + b) for a, b in spans] if d in weekdays else [] for d in range(7)])
    off = [hours.day_off(d) for d in range(days) if d % 7 in weekdays and rng.random() < family.day_off_share]
    return hours.worked(week, hours.GENERATED_START, days, absences=off)


def _mean_factor(pool: list[TraceMember], skill: str, min_level: int) -> float:
    """The pace of an average member who may take the work: the load counts work at that pace."""
    factors = [work_factor(m.skills[skill]) for m in pool if m.skills.get(skill, 0) >= min_level]
    return sum(factors) / len(factors) if factors else work_factor(0)


def _requests(rng: random.Random, family: Family, members: int, total: float) -> list[TraceRequest]:
    staff = [f"staff-{k:03d}" for k in range(4 * members)]
    # A few managers ask for much more than the rest.
    staff_weights = [1 / (k + 1) ** 0.8 for k in range(len(staff))]
    skills, shares = list(SKILLS), [share for _, share in SKILLS.values()]
    hours = [
        (d, h, w * (family.monday_burst if d % 7 == 0 and h < 4 else 1.0))
        for d in range(family.days)
        if d % 7 < 5
        for h, w in enumerate(HOURLY)
    ]
    per_weight = total / sum(w for _, _, w in hours)
    requests: list[TraceRequest] = []
    for d, h, weight in hours:
        hour_start = d * DAY + (8 + h) * 60
        rate = per_weight * weight / 60  # arrivals per minute
        t = hour_start + rng.expovariate(rate)
        while t < hour_start + 60:
            skill = rng.choices(skills, shares)[0]
            urgency: Urgency = rng.choices(("high", "normal", "low"), family.urgency)[0]
            base = SKILLS[skill][0] * rng.uniform(*JITTER)
            requests.append(
                TraceRequest(
                    id=f"r{len(requests) + 1:05d}",
                    arrival=round(t, 1),
                    requester=rng.choices(staff, staff_weights)[0],
                    skill=skill,
                    min_level=rng.choices((1, 2, 3), family.min_levels)[0],
                    language="en" if rng.random() < family.english_share else "nl",
                    urgency=urgency,
                    due=round(office_later(t, SERVICE_LEVEL[urgency]), 1),
                    base_minutes=round(base, 1),
                    estimate_minutes=float(SKILLS[skill][0]),
                )
            )
            t += rng.expovariate(rate)
    return requests


def office_later(t: float, minutes: float) -> float:
    """The moment `minutes` of office time after `t` (office hours, weekdays)."""
    while True:
        day = math.floor(t / DAY)
        opens, closes = day * DAY + OFFICE_OPEN, day * DAY + OFFICE_CLOSE
        if day % 7 >= 5 or t >= closes:
            t = (day + 1) * DAY + OFFICE_OPEN
            continue
        t = max(t, opens)
        if t + minutes <= closes:
            return t + minutes
        minutes -= closes - t
        t = (day + 1) * DAY + OFFICE_OPEN
