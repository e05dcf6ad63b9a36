"""Sign-in against the real pwa process (uvicorn, as `secpool up` runs it): a burst of wrong
passwords does not stall the app, the 11th wrong try on one account within a minute gets 429
with Retry-After, and a known e-mail takes as long to refuse as an unknown one.

Timing on a shared 2-core machine: /health is compared with a baseline measured in the same
run, just before the burst, so what is asserted is what the burst adds (under 100 ms), not the
machine's own load. Known and unknown e-mails are timed in pairs, alternating which goes first,
eighty times, and compared by the median gap within a pair.
"""

import asyncio
import statistics
import time
import uuid

import httpx

from services.demo import organisation
from tests.e2e.conftest import Processes
from tests.e2e.test_pwa_pages import CSRF_FIELD

KNOWN = "anna@example.org"
PAIRS = 80


async def csrf(client: httpx.AsyncClient) -> str:
    found = CSRF_FIELD.search((await client.get("/sign-in")).text)
    assert found
    return found.group(1)


async def wrong_sign_in(client: httpx.AsyncClient, token: str, email: str) -> tuple[int, float]:
    started = time.perf_counter()
    response = await client.post("/sign-in", data={"email": email, "password": "wrong", "_csrf_token": token})
    return response.status_code, time.perf_counter() - started


async def health_ms(client: httpx.AsyncClient) -> float:
    started = time.perf_counter()
    assert (await client.get("/health")).status_code == 200
    return (time.perf_counter() - started) * 1000


def p90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10)[-1]


async def test_a_burst_of_30_wrong_sign_ins_adds_under_100_ms_to_health(processes: Processes) -> None:
    processes.start("pwa")
    async with httpx.AsyncClient(base_url=processes.url("pwa"), timeout=60) as client:
        token = await csrf(client)
        for _ in range(5):
            await health_ms(client)  # warm: connections, first requests
        baseline = [await health_ms(client) for _ in range(30)]

        burst = asyncio.gather(
            *(wrong_sign_in(client, token, f"{uuid.uuid4().hex[:8]}@example.org") for _ in range(30))
        )
        task = asyncio.ensure_future(burst)
        during: list[float] = []
        while not task.done():
            during.append(await health_ms(client))
            await asyncio.sleep(0.01)
        answers = await task
    assert [status for status, _ in answers] == [401] * 30
    assert len(during) >= 5, "the burst lasted long enough to measure /health during it"
    added_median = statistics.median(during) - statistics.median(baseline)
    added_p90 = p90(during) - p90(baseline)
    assert added_median < 100 and added_p90 < 100, (baseline, during)


async def test_the_eleventh_wrong_try_on_one_account_within_a_minute_gets_429(processes: Processes) -> None:
    processes.start("pwa")
    async with httpx.AsyncClient(base_url=processes.url("pwa"), timeout=60) as client:
        token = await csrf(client)
        started = time.monotonic()
        first_ten = [await wrong_sign_in(client, token, KNOWN) for _ in range(10)]
        assert [status for status, _ in first_ten] == [401] * 10
        eleventh = await client.post(
            "/sign-in", data={"email": KNOWN, "password": organisation().password, "_csrf_token": token}
        )
        assert time.monotonic() - started < 60, "all eleven tries fell within the minute"
    assert eleventh.status_code == 429
    assert 1 <= int(eleventh.headers["retry-after"]) <= 60


async def test_known_and_unknown_e_mails_take_the_same_time_to_refuse(processes: Processes) -> None:
    processes.start("pwa", SECPOOL_SIGN_IN_TRIES="1000", SECPOOL_SIGN_IN_ADDRESS_TRIES="1000")
    gaps: list[float] = []  # known minus unknown, per pair
    times: list[float] = []
    async with httpx.AsyncClient(base_url=processes.url("pwa"), timeout=60) as client:
        token = await csrf(client)
        for i in range(PAIRS + 5):  # interleaved, alternating which goes first; the first 5 pairs warm up
            first_known = i % 2 == 0
            pair = [KNOWN, f"nobody-{uuid.uuid4().hex[:8]}@example.org"]
            timed = [await wrong_sign_in(client, token, email) for email in (pair if first_known else pair[::-1])]
            k, u = timed if first_known else timed[::-1]
            assert k[0] == u[0] == 401
            if i >= 5:
                gaps.append(k[1] - u[1])
                times.extend((k[1], u[1]))
    # Skipping the password hash for an unknown e-mail would make its refusal about two thirds
    # faster (the hash is most of the work); a loaded machine moves medians of separate samples
    # by up to 15 %. The two of a pair run back to back, under the same load: the median gap
    # within pairs stays near zero without a leak and near the hash's cost with one.
    typical = statistics.median(times)
    assert abs(statistics.median(gaps)) < 0.25 * typical, (statistics.median(gaps), typical)
