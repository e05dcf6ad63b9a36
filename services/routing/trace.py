"""Simulation traces: the pool's members and a stream of requests, loaded from or saved to
JSON, or generated (seeded) with an office's rhythm: weekdays, busy mornings, part-timers.
"""

from __future__ import annotations

import math
import random
from pathlib import Path

import msgspec

from services.routing.decision import Urgency, work_factor

DAY = 1440
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
JITTER_MEAN = sum(JITTER) / 2
# Relative arrivals per office hour, 8:00 to 18:00: the morning rush, a lunch dip.
HOURLY = (0.6, 1.7, 1.8, 1.5, 0.7, 0.9, 1.0, 0.9, 0.6, 0.2)
NAMES = (
    "anouk", "bram", "carla", "daan", "eva", "femke", "gijs", "hanna", "ilse", "joost", "karin", "lars",
    "marieke", "niels", "olga", "pieter", "roos", "sander", "tessa", "umut", "vera", "wouter", "yara",
    "zeynep", "bas", "dewi", "floor", "jeroen", "lotte", "mohamed", "noor", "ruben", "sanne", "thijs",
)  # fmt: skip


class TraceMember(msgspec.Struct, frozen=True):
    id: str
    skills: dict[str, int]
    learning: list[str]
    languages: list[str]
    capacity: int
    shifts: list[tuple[float, float]]


class TraceRequest(msgspec.Struct, frozen=True):
    id: str
    arrival: float
    requester: str
    skill: str
    min_level: int
    language: str
    urgency: Urgency
    due: float
    base_minutes: float


class Trace(msgspec.Struct, frozen=True):
    members: list[TraceMember]
    requests: list[TraceRequest]
    meta: dict[str, float | int | str] = {}


def load(path: Path) -> Trace:
    return msgspec.json.decode(path.read_bytes(), type=Trace)


def save(trace: Trace, path: Path) -> None:
    path.write_bytes(msgspec.json.format(msgspec.json.encode(trace), indent=1))


def generate(members: int = 12, days: int = 14, seed: int = 1, load: float = 0.7) -> Trace:
    """A pool of `members` over `days` (day 0 is a Monday), offered about `load` of its
    working minutes, counting work at the speed of a random member holding the skill."""
    rng = random.Random(seed)
    pool = [_member(rng, i, members) for i in range(members)]
    pool = _cover_skills(rng, pool)
    pool = [msgspec.structs.replace(m, shifts=_shifts(rng, i, members, days)) for i, m in enumerate(pool)]
    work_per_request = JITTER_MEAN * sum(
        share * base * _mean_factor(pool, skill) for skill, (base, share) in SKILLS.items()
    )
    shift_minutes = sum(end - start for m in pool for start, end in m.shifts)
    weekdays = sum(1 for d in range(days) if d % 7 < 5)
    per_day = load * shift_minutes / work_per_request / max(weekdays, 1)
    requests = _requests(rng, members, days, per_day)
    offered = sum(r.base_minutes * _mean_factor(pool, r.skill) for r in requests)
    meta: dict[str, float | int | str] = {
        "seed": seed,
        "members": members,
        "days": days,
        "load": round(offered / shift_minutes, 3),
    }
    return Trace(pool, requests, meta)


def _member(rng: random.Random, i: int, n: int) -> TraceMember:
    skills = list(SKILLS)
    experts, learners = max(2, n // 6), max(4, n // 4)
    held: dict[str, int] = {}
    learning: list[str] = []
    if i < experts:
        for s in rng.sample(skills, 3):
            held[s] = rng.choice((4, 5))
        for s in rng.sample([s for s in skills if s not in held], 3):
            held[s] = rng.choice((2, 3))
    elif i < experts + learners:
        for s in rng.sample(skills, 3):
            held[s] = rng.choice((1, 2, 2))
        learning = _goals(rng, [s for s in skills if held.get(s, 0) <= 1], 2)
    else:
        for s in rng.sample(skills, rng.randint(4, 6)):
            held[s] = rng.choice((1, 2, 2, 3, 3, 3))
    languages = ["en", "nl"]
    if i >= experts:
        languages = rng.choices((["en", "nl"], ["nl"], ["en"]), (0.8, 0.14, 0.06))[0]
    name = NAMES[i % len(NAMES)] + ("" if i < len(NAMES) else str(i // len(NAMES)))
    capacity = rng.choice((3, 4, 4, 5))
    return TraceMember(name, dict(sorted(held.items())), learning, languages, capacity, [])


def _goals(rng: random.Random, options: list[str], k: int) -> list[str]:
    """Learning goals, drawn towards skills in demand."""
    goals: set[str] = set()
    while options and len(goals) < k:
        goals.add(rng.choices(options, [SKILLS[s][1] for s in options])[0])
        options = [s for s in options if s not in goals]
    return sorted(goals)


def _cover_skills(rng: random.Random, pool: list[TraceMember]) -> list[TraceMember]:
    """Every skill gets two bilingual members at level 3 or more, so every request has
    someone who may take it."""
    for skill in SKILLS:
        while sum(1 for m in pool if m.skills.get(skill, 0) >= 3 and len(m.languages) == 2) < 2:
            options = [
                i
                for i, m in enumerate(pool)
                if len(m.languages) == 2 and m.skills.get(skill, 0) < 3 and skill not in m.learning
            ]
            if not options:
                break
            i = rng.choice(options)
            pool[i] = msgspec.structs.replace(pool[i], skills={**pool[i].skills, skill: 3})
    return pool


def _shifts(rng: random.Random, i: int, n: int, days: int) -> list[tuple[float, float]]:
    # Experts and most others work full weeks; about a third work part-time.
    kind = "full" if i < max(2, n // 6) else rng.choices(("full", "mornings", "days"), (6, 2, 2))[0]
    start = rng.choice((480, 510, 510, 540))
    workdays = sorted(rng.sample(range(5), rng.choice((3, 4)))) if kind == "days" else range(5)
    shifts: list[tuple[float, float]] = []
    for d in range(days):
        if d % 7 not in workdays or rng.random() < 0.03:  # 3%: a day off
            continue
        t = d * DAY + start
        if kind == "mornings":
            shifts.append((t, t + 270))
        else:
            shifts += [(t, t + 240), (t + 270, t + 510)]  # a half-hour lunch
    return shifts


def _mean_factor(pool: list[TraceMember], skill: str) -> float:
    factors = [work_factor(m.skills[skill]) for m in pool if m.skills.get(skill, 0) > 0]
    return sum(factors) / len(factors) if factors else work_factor(0)


def _requests(rng: random.Random, members: int, days: int, per_day: float) -> list[TraceRequest]:
    staff = [f"staff-{k:03d}" for k in range(4 * members)]
    # A few managers ask for much more than the rest.
    staff_weights = [1 / (k + 1) ** 0.8 for k in range(len(staff))]
    skills, shares = list(SKILLS), [share for _, share in SKILLS.values()]
    requests: list[TraceRequest] = []
    for d in range(days):
        if d % 7 >= 5:
            continue
        for h, weight in enumerate(HOURLY):
            hour_start = d * DAY + (8 + h) * 60
            rate = per_day * weight / sum(HOURLY) / 60  # arrivals per minute
            t = hour_start + rng.expovariate(rate)
            while t < hour_start + 60:
                skill = rng.choices(skills, shares)[0]
                urgency: Urgency = rng.choices(("high", "normal", "low"), (0.15, 0.55, 0.3))[0]
                base = SKILLS[skill][0] * rng.uniform(*JITTER)
                requests.append(
                    TraceRequest(
                        id=f"r{len(requests) + 1:05d}",
                        arrival=round(t, 1),
                        requester=rng.choices(staff, staff_weights)[0],
                        skill=skill,
                        min_level=rng.choices((1, 2, 3), (0.55, 0.35, 0.1))[0],
                        language=rng.choices(("nl", "en"), (0.85, 0.15))[0],
                        urgency=urgency,
                        due=round(_office_later(t, SERVICE_LEVEL[urgency]), 1),
                        base_minutes=round(base, 1),
                    )
                )
                t += rng.expovariate(rate)
    return requests


def _office_later(t: float, minutes: float) -> float:
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
