"""`secpool bench` end to end in its smallest mode: the whole stack and the floor on the
embedded default, a ladder of three short rates, and the JSON with every figure the issue
asks for as a number. No timing is asserted: the machine is shared and noisy."""

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

FIGURES = [
    ("ratio_to_floor",),
    ("cpu_ms_per_request", "secpool"),
    ("cpu_ms_per_request", "floor"),
    ("sql_statements_per_request",),
    ("sql_statements_per_request_floor",),
    ("transactions_per_request", "secpool"),
    ("nats_messages_per_request", "secpool"),
    ("nats_messages_per_request", "floor"),
    ("at_200", "p50_ms"),
    ("at_200", "p99_ms"),
    ("at_200", "sse_p50_ms"),
    ("at_50", "p50_ms"),
    ("at_50", "p99_ms"),
    ("sustained_rate_per_s", "secpool"),
    ("sustained_rate_per_s", "floor"),
    ("idle_pss_mib", "secpool"),
    ("idle_pss_mib", "floor"),
]


def figure(results: dict[str, Any], path: tuple[str, ...]) -> Any:
    found: Any = results
    for key in path:
        assert isinstance(found, dict) and key in found, f"no {'.'.join(path)} in the JSON"
        found = found[key]
    return found


@pytest.mark.slow
def test_the_smallest_bench_writes_every_figure(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "NATS_URL")}
    out = tmp_path / "bench.json"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "services.cli.main",
            "bench",
            "--quick",
            "--rates",
            "5",
            "50",
            "200",
            "--seconds",
            "0.5",
            "--rest",
            "3",
            "--json",
            str(out),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=280,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "climbing the ladder" in run.stdout and "| highest sustained rate" in run.stdout
    results = json.loads(out.read_text())
    for path in FIGURES:
        value = figure(results, path)
        assert isinstance(value, int | float) and not isinstance(value, bool), (path, value)
    assert results["push"]["received"] > 0 and results["push"]["undecryptable"] == 0
    # Where the statements went, by the service's own role, most called first.
    top = results["top_statements"]
    assert {"secpool_intake", "secpool_routing"} <= {s["role"] for s in top}, top
    assert [s["per_request"] for s in top] == sorted((s["per_request"] for s in top), reverse=True)
    for phase in results["phases"]:
        assert phase["achieved_rate_per_s"] > 0 and "errors" in phase
    assert (tmp_path / "bench.png").stat().st_size > 0


@pytest.mark.slow
def test_pages_and_sse_fan_out_write_their_figures(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "NATS_URL")}
    out = tmp_path / "pages.json"
    run = subprocess.run(
        [sys.executable, "-m", "services.cli.main", "bench", "--pages", "--sse", "20", "--json", str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=280,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    results = json.loads(out.read_text())
    assert {"/requests", "/requests/new", "/offers", "/lead/queue"} <= set(results["pages"])
    for page in results["pages"].values():
        for key in ("first_visit_bytes", "repeat_visit_bytes", "render_p50_ms", "render_p95_ms"):
            assert isinstance(page[key], int | float) and page[key] >= 0, (key, page)
        assert page["first_visit_bytes"] > 0
    sse = results["sse"]
    assert sse["clients"] == sse["reached"] == 20
    assert isinstance(sse["all_ms"], float) and isinstance(sse["kib_per_connection"], float)
