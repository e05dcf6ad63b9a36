"""The evaluation suite's pool families, and which seeds tune a policy and which judge it.

A family is a kind of pool (small generalist teams, specialist-heavy ones, a busy large pool,
many part-timers, a Monday-morning rush ...); each seed draws one pool of it (size and load
within the family's ranges). Policies are tuned on TRAINING_SEEDS only; the README's table is
from HELD_OUT_SEEDS, pools no tuning ever saw.
"""

from __future__ import annotations

from typing import Literal

import msgspec

SkillMix = Literal["mixed", "specialist", "generalist"]

TRAINING_SEEDS: tuple[int, ...] = (1, 2, 3, 4, 5)
HELD_OUT_SEEDS: tuple[int, ...] = tuple(range(1001, 1011))


class Family(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    about: str
    sizes: tuple[int, int]  # members, drawn per seed
    loads: tuple[float, float]  # offered work / working minutes, drawn per seed
    skill_mix: SkillMix = "mixed"
    expert_share: float = 0.17  # members with top levels, all full-time and bilingual
    learner_share: float = 0.25  # members with learning goals
    english_share: float = 0.15  # requests in English
    monolingual_share: float = 0.2  # other members who speak only one of the two languages
    urgency: tuple[float, float, float] = (0.15, 0.55, 0.3)  # high, normal, low
    min_levels: tuple[float, float, float] = (0.55, 0.35, 0.1)  # level 1, 2, 3 asked
    part_time_share: float = 0.33
    day_off_share: float = 0.03  # a day off now and then (absence)
    monday_burst: float = 1.0  # Monday 8:00-12:00 arrivals, times this
    days: int = 10  # days of arrivals (two working weeks)


FAMILIES: tuple[Family, ...] = (
    Family(
        name="small-generalist",
        about="6-12 members who each do most things",
        sizes=(6, 12),
        loads=(0.5, 0.75),
        skill_mix="generalist",
    ),
    Family(
        name="specialist-heavy",
        about="12-30 members who each know a few skills well",
        sizes=(12, 30),
        loads=(0.55, 0.85),
        skill_mix="specialist",
        min_levels=(0.35, 0.4, 0.25),
    ),
    Family(
        name="large-mixed", about="30-60 members, experts, generalists and learners", sizes=(30, 60), loads=(0.5, 0.85)
    ),
    Family(name="high-load", about="12-40 members at 85-95 % load", sizes=(12, 40), loads=(0.85, 0.95)),
    Family(
        name="language-mix",
        about="40 % English requests, many one-language members",
        sizes=(10, 30),
        loads=(0.5, 0.85),
        english_share=0.4,
        monolingual_share=0.45,
    ),
    Family(
        name="urgent-heavy",
        about="a third of the work is urgent",
        sizes=(10, 30),
        loads=(0.5, 0.85),
        urgency=(0.35, 0.5, 0.15),
    ),
    Family(
        name="part-time",
        about="most members part-time, with days off",
        sizes=(10, 40),
        loads=(0.5, 0.85),
        part_time_share=0.75,
        day_off_share=0.06,
    ),
    Family(
        name="monday-burst",
        about="three times the usual work on Monday mornings",
        sizes=(10, 40),
        loads=(0.5, 0.85),
        monday_burst=3.0,
    ),
)


def family(name: str) -> Family:
    for f in FAMILIES:
        if f.name == name:
            return f
    raise KeyError(name)
