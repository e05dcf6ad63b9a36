"""Discrete-event simulation of the pool on a trace, to compare routing policies.

Every policy goes through the same decide() as the routing service. Pure apart from main(),
which reads and writes the files named on the command line (`secpool simulate ...`).
"""

from __future__ import annotations

import argparse
import heapq
import math
import sys
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import msgspec

from services.routing import trace as traces
from services.routing.decision import POLICIES, Candidate, Policy, Routable, decide, work_factor
from services.routing.trace import DAY, Trace, TraceMember, TraceRequest

LEVEL_UP_EVERY = 8
DEVELOPMENT_WINDOW = 100  # assignments that count as "recent" for the development share
_URGENCY_RANK = {"high": 0, "normal": 1, "low": 2}
# Same-moment events: finish work before the shift ends, open shifts before routing arrivals.
_FINISH, _SHIFT_END, _SHIFT_START, _ARRIVAL = range(4)


class Outcome(msgspec.Struct, frozen=True):
    policy: str
    requests: int
    mean_minutes: float
    p50_minutes: float
    p90_minutes: float
    on_time_share: float
    busy_gini: float
    development_share: float
    level_ups: int
    unfinished: int


class Handling(msgspec.Struct, frozen=True):
    """How one request went (a --log line)."""

    policy: str
    id: str
    member: str | None
    assigned_at: float | None
    started: float | None
    finished: float | None
    development: bool


@dataclass(slots=True)
class _Job:
    request: TraceRequest
    member: str
    development: bool
    work: float
    assigned_at: float
    started: float | None = None
    finished: float | None = None


@dataclass(slots=True)
class _Member:
    index: int
    spec: TraceMember
    levels: dict[str, int]
    learning: tuple[str, ...]
    languages: tuple[str, ...]
    shifts: list[tuple[float, float]]  # in time order, whatever the trace's order
    held: list[_Job] = field(default_factory=list)  # assigned, not yet started
    current: _Job | None = None
    remaining: float = 0.0  # work left on `current` at `segment_start`
    segment_start: float = 0.0
    shift: int = -1  # index into shifts while on shift
    token: int = 0  # a scheduled finish with an older token was cut short by a shift end
    completed: dict[str, int] = field(default_factory=dict)
    busy_by_day: dict[int, float] = field(default_factory=dict)
    served: set[str] = field(default_factory=set)


class _Simulation:
    def __init__(self, trace: Trace, policy: Policy) -> None:
        self.policy = policy
        self.members = [
            _Member(i, m, dict(m.skills), tuple(m.learning), tuple(m.languages), sorted(m.shifts))
            for i, m in enumerate(trace.members)
        ]
        self.by_id = {m.spec.id: m for m in self.members}
        self.requests = trace.requests
        self.jobs: dict[str, _Job] = {}
        self.waiting: list[TraceRequest] = []
        self.recent: deque[bool] = deque(maxlen=DEVELOPMENT_WINDOW)
        self.last_pick: str | None = None
        self.level_ups = 0
        self.events: list[tuple[float, int, int, int]] = []
        for i, m in enumerate(self.members):
            for k, (start, end) in enumerate(m.shifts):
                self._push(start, _SHIFT_START, i, k)
                self._push(end, _SHIFT_END, i, k)
        for k in range(len(self.requests)):
            self._push(self.requests[k].arrival, _ARRIVAL, -1, k)

    def _push(self, at: float, kind: int, member: int, ref: int) -> None:
        heapq.heappush(self.events, (at, kind, member, ref))

    def run(self) -> None:
        while self.events:
            now, kind, i, ref = heapq.heappop(self.events)
            if kind == _ARRIVAL:
                if not self._route(self.requests[ref], now):
                    self.waiting.append(self.requests[ref])
                continue
            m = self.members[i]
            if kind == _SHIFT_START:
                m.shift = ref
                self._work(m, now)
                self._dispatch(now)
            elif kind == _SHIFT_END:
                if m.current is not None:
                    self._book(m, now)
                    m.remaining -= now - m.segment_start
                    m.token += 1
                m.shift = -1
            elif ref == m.token and m.current is not None:
                self._book(m, now)
                self._complete(m, m.current, now)
                m.current = None
                self._work(m, now)
                self._dispatch(now)

    def _book(self, m: _Member, now: float) -> None:
        day = int(m.segment_start // DAY)
        m.busy_by_day[day] = m.busy_by_day.get(day, 0.0) + now - m.segment_start

    def _complete(self, m: _Member, job: _Job, now: float) -> None:
        job.finished = now
        skill = job.request.skill
        m.served.add(job.request.requester)
        m.completed[skill] = m.completed.get(skill, 0) + 1
        if m.completed[skill] % LEVEL_UP_EVERY == 0 and m.levels.get(skill, 0) < 5:
            m.levels[skill] = m.levels.get(skill, 0) + 1
            self.level_ups += 1

    def _work(self, m: _Member, now: float) -> None:
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
        self.waiting.sort(key=lambda r: (_URGENCY_RANK[r.urgency], r.arrival))
        still: list[TraceRequest] = []
        for r in self.waiting:
            if not self._route(r, now):
                still.append(r)
        self.waiting = still

    def _route(self, r: TraceRequest, now: float) -> bool:
        candidates = [self._candidate(m, r, now) for m in self._open_members()]
        if not candidates:
            return False
        routable = Routable(
            r.id, r.requester, r.skill, r.min_level, r.language, r.urgency,
            slack_minutes=r.due - now - r.base_minutes, base_minutes=r.base_minutes,
        )  # fmt: skip
        share = sum(self.recent) / len(self.recent) if self.recent else 0.0
        decision = decide(routable, candidates, self.policy, development_so_far=share, rotation_after=self.last_pick)
        if decision.member_id is None:
            return False
        m = self.by_id[decision.member_id]
        level = 1 if decision.development else m.levels.get(r.skill, 0)
        job = _Job(r, m.spec.id, decision.development, r.base_minutes * work_factor(level), now)
        self.jobs[r.id] = job
        m.held.append(job)
        self.recent.append(decision.development)
        self.last_pick = m.spec.id
        if m.current is None:
            self._work(m, now)
        return True

    def _open_members(self) -> list[_Member]:
        # Members off shift or at capacity can never be picked; leaving them out of the
        # candidates changes no decision and keeps the simulation fast.
        return [m for m in self.members if m.shift >= 0 and _open(m) < m.spec.capacity]

    def _candidate(self, m: _Member, r: TraceRequest, now: float) -> Candidate:
        ahead = sum(j.work for j in m.held if (j.request.due, j.request.arrival) <= (r.due, r.arrival))
        today = m.busy_by_day.get(int(now // DAY), 0.0)
        if m.current is not None:
            ahead += m.remaining - (now - m.segment_start)
            today += now - m.segment_start
        shifts = m.shifts
        end = shifts[m.shift][1]
        gap = shifts[m.shift + 1][0] - end if m.shift + 1 < len(shifts) else 7 * DAY
        return Candidate(
            m.spec.id, m.levels, m.learning, m.languages, m.spec.capacity, _open(m), True,
            busy_minutes_today=today, served_requester=r.requester in m.served,
            queued_minutes=ahead, shift_left_minutes=end - now, off_shift_minutes=gap,
        )  # fmt: skip

    def outcome(self, name: str) -> Outcome:
        done = sorted(j.finished - j.request.arrival for j in self.jobs.values() if j.finished is not None)
        on_time = sum(1 for j in self.jobs.values() if j.finished is not None and j.finished <= j.request.due)
        n = max(len(self.requests), 1)
        busy = [sum(m.busy_by_day.values()) for m in self.members]
        return Outcome(
            policy=name, requests=len(self.requests), mean_minutes=sum(done) / len(done) if done else math.nan,
            p50_minutes=_percentile(done, 0.5), p90_minutes=_percentile(done, 0.9), on_time_share=on_time / n,
            busy_gini=gini(busy), development_share=sum(j.development for j in self.jobs.values()) / n,
            level_ups=self.level_ups, unfinished=len(self.requests) - len(done),
        )  # fmt: skip

    def handlings(self, name: str) -> list[Handling]:
        records = []
        for r in self.requests:
            j = self.jobs.get(r.id)
            if j is None:
                records.append(Handling(name, r.id, None, None, None, None, False))
            else:
                records.append(Handling(name, r.id, j.member, j.assigned_at, j.started, j.finished, j.development))
        return records


def simulate(trace: Trace, name: str, policy: Policy) -> tuple[Outcome, list[Handling]]:
    """Run one policy over the whole trace; work left at the last shift stays unfinished."""
    run = _Simulation(trace, policy)
    run.run()
    return run.outcome(name), run.handlings(name)


def _open(m: _Member) -> int:
    return len(m.held) + (m.current is not None)


def _percentile(ordered: Sequence[float], q: float) -> float:
    if not ordered:
        return math.nan
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def gini(values: Sequence[float]) -> float:
    """0 when everyone is equally busy, towards 1 when one member does all the work."""
    total = sum(values)
    if not values or total <= 0:
        return 0.0
    ordered = sorted(values)
    weighted = sum((k + 1) * v for k, v in enumerate(ordered))
    n = len(ordered)
    return 2 * weighted / (n * total) - (n + 1) / n


def _table(outcomes: Sequence[Outcome]) -> str:
    header = (
        f"{'policy':<13}{'mean min':>9}{'p50':>7}{'p90':>7}{'on time':>9}"
        f"{'gini':>7}{'develop':>9}{'level-ups':>10}{'unfinished':>11}"
    )
    rows = [
        f"{o.policy:<13}{o.mean_minutes:>9.0f}{o.p50_minutes:>7.0f}{o.p90_minutes:>7.0f}"
        f"{o.on_time_share:>9.1%}{o.busy_gini:>7.3f}{o.development_share:>9.1%}"
        f"{o.level_ups:>10}{o.unfinished:>11}"
        for o in outcomes
    ]
    return "\n".join([header, *rows])


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return int(text)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="secpool simulate", description="Compare routing policies on a trace.")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--trace", type=Path, help="trace JSON to simulate")
    source.add_argument("--generate", type=Path, metavar="OUT", help="write a generated trace")
    parser.add_argument("--policy", action="extend", nargs="+", choices=list(POLICIES), dest="policies")
    parser.add_argument("--json", type=Path, metavar="OUT", help="write the metrics as JSON")
    parser.add_argument("--log", type=Path, metavar="OUT", help="write one JSON line a request")
    parser.add_argument("--members", type=_positive, default=12)
    parser.add_argument("--days", type=_positive, default=14)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--load", type=float, default=0.7, help="share of working minutes")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.generate is not None:
        trace = traces.generate(args.members, args.days, args.seed, args.load)
        traces.save(trace, args.generate)
        print(
            f"wrote {len(trace.requests)} requests for {len(trace.members)} members over "
            f"{args.days} days (load {trace.meta['load']}) to {args.generate}"
        )
        return 0
    trace = traces.load(args.trace)
    outcomes: list[Outcome] = []
    lines: list[bytes] = []
    for name in args.policies or list(POLICIES):
        outcome, handlings = simulate(trace, name, POLICIES[name])
        outcomes.append(outcome)
        lines += [msgspec.json.encode(h) for h in handlings]
    print(_table(outcomes))
    if args.json is not None:
        args.json.write_bytes(msgspec.json.format(msgspec.json.encode(outcomes), indent=2))
    if args.log is not None:
        args.log.write_bytes(b"".join(line + b"\n" for line in lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
