"""Discrete-event simulation of a pool working through a trace, one policy at a time.

Every routing choice goes through routing's own `decide`, exactly as the service calls it.
The rules of the pool's world: a member works on one request at a time, the most pressing of
what they hold first, only on shift (work pauses between shifts); a member holds at most
their capacity; work takes the request's base minutes times the member's level factor (a
learner works at level 1); every 8 requests done in a skill raise its level; requests nobody
can take wait in the pool queue, most urgent first, then oldest.
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

import msgspec

from services.routing import pickup
from services.routing.decision import Candidate, Policy, Routable, decide, work_factor
from services.simulation.trace import DAY, WEEK, Trace, TraceMember, TraceRequest

LEVEL_UP_EVERY = 8
DEVELOPMENT_WINDOW = 100  # assignments that count as "recent" for the development share
URGENCY_RANK = {"high": 0, "normal": 1, "low": 2}
# Same-moment events: finish work before the shift ends, open shifts before routing arrivals.
_FINISH, _SHIFT_END, _SHIFT_START, _ARRIVAL = range(4)

Progress = Callable[[float], None]


class Handling(msgspec.Struct, frozen=True):
    """How one request went (a --log line): minutes from the trace's start."""

    policy: str
    id: str
    member: str | None
    assigned_at: float | None
    started: float | None
    finished: float | None
    development: bool


class Pickup(msgspec.Struct, frozen=True):
    expected: float  # minutes after arrival
    actual: float
    inside: bool  # within the announced range


@dataclass(slots=True)
class Job:
    request: TraceRequest
    member: str
    development: bool
    work: float
    estimate: float  # the work as routing expected it at this member's pace
    assigned_at: float
    started: float | None = None
    finished: float | None = None


@dataclass(slots=True)
class Member:
    index: int
    spec: TraceMember
    levels: dict[str, int]
    learning: tuple[str, ...]
    languages: tuple[str, ...]
    shifts: list[tuple[float, float]]  # in time order, whatever the trace's order
    held: list[Job] = field(default_factory=list)  # assigned, not yet started
    current: Job | None = None
    remaining: float = 0.0  # work left on `current` at `segment_start`
    segment_start: float = 0.0
    shift: int = -1  # index into shifts while on shift
    next_shift: int = 0  # index of the shift that comes next
    token: int = 0  # a scheduled finish with an older token was cut short by a shift end
    completed: dict[str, int] = field(default_factory=dict)
    busy_by_day: dict[int, float] = field(default_factory=dict)
    served: set[str] = field(default_factory=set)

    @property
    def open_count(self) -> int:
        return len(self.held) + (self.current is not None)


class Simulation:
    """One run of one policy over one trace; `run()` then read `jobs`, `members`, `end`."""

    def __init__(self, trace: Trace, policy: Policy, *, estimate: bool = False) -> None:
        self.policy = policy
        self.estimate = estimate  # announce an expected pick-up at each arrival, and measure it
        self.expected: dict[str, pickup.Expected] = {}
        self.members = [
            Member(i, m, dict(m.skills), tuple(m.learning), tuple(m.languages), sorted(m.shifts))
            for i, m in enumerate(trace.members)
        ]
        self.by_id = {m.spec.id: m for m in self.members}
        self.requests = trace.requests
        self.jobs: dict[str, Job] = {}
        self.waiting: list[TraceRequest] = []
        self.recent: deque[bool] = deque(maxlen=DEVELOPMENT_WINDOW)
        self.last_pick: str | None = None
        self.level_ups = 0
        self.end = 0.0
        self.pickups: list[Pickup] = []  # expected and actual, per request picked up
        self.events: list[tuple[float, int, int, int]] = []
        for i, m in enumerate(self.members):
            for k, (start, end) in enumerate(m.shifts):
                self._push(start, _SHIFT_START, i, k)
                self._push(end, _SHIFT_END, i, k)
                self.end = max(self.end, end)
        for k in range(len(self.requests)):
            self._push(self.requests[k].arrival, _ARRIVAL, -1, k)

    def _push(self, at: float, kind: int, member: int, ref: int) -> None:
        heapq.heappush(self.events, (at, kind, member, ref))

    def run(self, progress: Progress | None = None) -> None:
        total, step = len(self.events), max(len(self.events) // 50, 1)
        handled = 0
        while self.events:
            now, kind, i, ref = heapq.heappop(self.events)
            handled += 1
            if progress is not None and handled % step == 0:
                progress(min(handled / total, 1.0))
            if kind == _ARRIVAL:
                self.arrive(self.requests[ref], now)
                continue
            m = self.members[i]
            if kind == _SHIFT_START:
                m.shift, m.next_shift = ref, ref + 1
                self._work(m, now)
                self._dispatch(now)
            elif kind == _SHIFT_END:
                if m.current is not None:
                    self._book(m, now)
                    m.remaining -= now - m.segment_start
                    m.token += 1
                m.shift, m.next_shift = -1, ref + 1
            elif ref == m.token and m.current is not None:
                self._book(m, now)
                self._complete(m, m.current, now)
                m.current = None
                self._work(m, now)
                self._dispatch(now)

    def arrive(self, r: TraceRequest, now: float) -> None:
        if self.estimate:
            self.expected[r.id] = self._expect(r, now)
        if not self._route(r, now):
            self.waiting.append(r)

    def _expect(self, r: TraceRequest, now: float) -> pickup.Expected:
        rank = URGENCY_RANK[r.urgency]
        ahead = [
            pickup.Ahead(skill=w.skill, min_level=w.min_level, language=w.language, base_minutes=w.expected_minutes)
            for w in sorted(self.waiting, key=lambda w: (URGENCY_RANK[w.urgency], w.arrival))
            if URGENCY_RANK[w.urgency] <= rank
        ]
        candidates = [self.candidate(m, r, now) for m in self.members]
        return pickup.expect(routable(r, now), candidates, self.policy, ahead)

    def _picked_up(self, r: TraceRequest, now: float) -> None:
        expected = self.expected.get(r.id)
        if expected is None or expected.minutes is None:
            return
        actual = now - r.arrival
        low, high = expected.earliest or 0.0, expected.latest or expected.minutes
        self.pickups.append(Pickup(expected.minutes, actual, low - 0.5 <= actual <= high + 0.5))

    def _book(self, m: Member, now: float) -> None:
        day = int(m.segment_start // DAY)
        m.busy_by_day[day] = m.busy_by_day.get(day, 0.0) + now - m.segment_start

    def _complete(self, m: Member, job: Job, now: float) -> None:
        job.finished = now
        skill = job.request.skill
        m.served.add(job.request.requester)
        m.completed[skill] = m.completed.get(skill, 0) + 1
        if m.completed[skill] % LEVEL_UP_EVERY == 0 and m.levels.get(skill, 0) < 5:
            m.levels[skill] = m.levels.get(skill, 0) + 1
            self.level_ups += 1

    def _work(self, m: Member, now: float) -> None:
        """Start or resume work if the member is on shift: earliest due first."""
        if m.shift < 0:
            return
        if m.current is None:
            if not m.held:
                return
            job = min(m.held, key=lambda j: (j.request.due, j.request.arrival))
            m.held.remove(job)
            job.started = now
            m.current, m.remaining = job, job.work
        m.segment_start = now
        m.token += 1
        self._push(now + m.remaining, _FINISH, m.index, m.token)

    def _dispatch(self, now: float) -> None:
        """Route waiting requests, most urgent first, then oldest, while anyone has room."""
        self.waiting.sort(key=lambda r: (URGENCY_RANK[r.urgency], r.arrival))
        still: list[TraceRequest] = []
        for r in self.waiting:
            if not self._route(r, now):
                still.append(r)
        self.waiting = still

    def _route(self, r: TraceRequest, now: float) -> bool:
        candidates = [self.candidate(m, r, now) for m in self.open_members()]
        if not candidates:
            return False
        share = sum(self.recent) / len(self.recent) if self.recent else 0.0
        decision = decide(
            routable(r, now), candidates, self.policy, development_so_far=share, rotation_after=self.last_pick
        )
        if decision.member_id is None:
            return False
        m = self.by_id[decision.member_id]
        factor = work_factor(m.levels.get(r.skill, 0))
        job = Job(r, m.spec.id, decision.development, r.base_minutes * factor, r.expected_minutes * factor, now)
        self.jobs[r.id] = job
        m.held.append(job)
        self.recent.append(decision.development)
        self.last_pick = m.spec.id
        if self.estimate:
            self._picked_up(r, now)
        if m.current is None:
            self._work(m, now)
        return True

    def open_members(self) -> list[Member]:
        # Members off shift or at capacity can never be picked; leaving them out of the
        # candidates changes no decision and keeps the simulation fast.
        return [m for m in self.members if m.shift >= 0 and m.open_count < m.spec.capacity]

    def candidate(self, m: Member, r: TraceRequest, now: float) -> Candidate:
        """The member as routing would see them now."""
        # Routing knows the estimates, not the actual work times.
        ahead = sum(j.estimate for j in m.held if (j.request.due, j.request.arrival) <= (r.due, r.arrival))
        today = m.busy_by_day.get(int(now // DAY), 0.0)
        if m.current is not None:
            done = m.current.work - m.remaining + (now - m.segment_start)
            ahead += max(m.current.estimate - done, 0.0)
            today += now - m.segment_start
        if m.shift < 0:
            following = m.shifts[m.next_shift][0] if m.next_shift < len(m.shifts) else None
            return Candidate(
                member_id=m.spec.id,
                skills=m.levels,
                learning=m.learning,
                languages=m.languages,
                capacity=m.spec.capacity,
                open_count=m.open_count,
                available=True,
                queued_minutes=ahead,
                shift="off shift",
                shift_left_minutes=0.0,
                off_shift_minutes=WEEK if following is None else following - now,
            )
        end = m.shifts[m.shift][1]
        gap = m.shifts[m.shift + 1][0] - end if m.shift + 1 < len(m.shifts) else WEEK
        return Candidate(
            member_id=m.spec.id,
            skills=m.levels,
            learning=m.learning,
            languages=m.languages,
            capacity=m.spec.capacity,
            open_count=m.open_count,
            available=True,
            busy_minutes_today=today,
            served_requester=r.requester in m.served,
            queued_minutes=ahead,
            shift_left_minutes=end - now,
            off_shift_minutes=gap,
        )

    def handlings(self, name: str) -> list[Handling]:
        records = []
        for r in self.requests:
            j = self.jobs.get(r.id)
            if j is None:
                records.append(Handling(name, r.id, None, None, None, None, False))
            else:
                records.append(Handling(name, r.id, j.member, j.assigned_at, j.started, j.finished, j.development))
        return records


def routable(r: TraceRequest, now: float) -> Routable:
    return Routable(
        request_id=r.id,
        requester=r.requester,
        skill=r.skill,
        min_level=r.min_level,
        language=r.language,
        urgency=r.urgency,
        slack_minutes=r.due - now - r.expected_minutes,
        base_minutes=r.expected_minutes,
    )


def run(trace: Trace, policy: Policy, progress: Progress | None = None, *, estimate: bool = False) -> Simulation:
    """Run one policy over the whole trace; work left after the last shift stays unfinished. With
    `estimate`, every arrival gets an expected pick-up, and the run measures how far off it was."""
    simulation = Simulation(trace, policy, estimate=estimate)
    simulation.run(progress)
    return simulation
