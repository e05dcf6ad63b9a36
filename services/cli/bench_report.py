"""What `secpool bench` makes of its phases: the summary (the JSON's top-level figures), the
table it prints, one progress line per phase, and the latency-against-rate plot."""

from pathlib import Path
from typing import Any

from services.cli.bench_stack import FLOOR, SECPOOL, SHARED


def _phase(phases: list[dict[str, Any]], system: str, rate: float) -> dict[str, Any] | None:
    return next((p for p in phases if p["system"] == system and p["rate_per_s"] == rate), None)


def _end(phase: dict[str, Any] | None) -> dict[str, Any] | None:
    """The latency that decides: offer push for secpool, offered on NATS for the floor."""
    if phase is None:
        return None
    found: dict[str, Any] | None = phase["latency"]["push" if phase["system"] == "secpool" else "offered"]
    return found


def _ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 3) if a is not None and b else None


def sustained(phases: list[dict[str, Any]], system: str, key: str = "sustained") -> float:
    """The highest rate of the ladder that passed (`sustained`: p99 under 100 ms and nothing
    backing up; `keeps_up`: nothing backing up), every lower rate passing too."""
    best = 0.0
    for p in sorted((p for p in phases if p["system"] == system), key=lambda p: p["rate_per_s"]):
        if not p[key]:
            break
        best = p["rate_per_s"]
    return best


def summary(measured: dict[str, Any]) -> dict[str, Any]:
    phases = measured["phases"]
    rates = {s: sustained(phases, s) for s in ("secpool", "floor")}
    kept = {s: sustained(phases, s, "keeps_up") for s in ("secpool", "floor")}
    # Per-request costs are compared at the highest rate both kept up with (an overloaded
    # system's costs per request are its queue's, not its own); failing that, the lowest both ran.
    both = {p["rate_per_s"] for p in phases if p["system"] == "secpool"} & {
        p["rate_per_s"] for p in phases if p["system"] == "floor"
    }
    kept_by_both = [r for r in both if all((_phase(phases, s, r) or {}).get("keeps_up") for s in ("secpool", "floor"))]
    at_rate = max(kept_by_both) if kept_by_both else min(both, default=0.0)
    reference = {s: _phase(phases, s, at_rate) for s in ("secpool", "floor")}

    def per_request(key: str) -> dict[str, Any]:
        return {s: (p or {}).get(key) for s, p in reference.items()}

    cpu = per_request("cpu_ms_per_request")
    at: dict[str, dict[str, Any]] = {}
    for rate in (50.0, 200.0):
        phase = _phase(phases, "secpool", rate)
        push, sse = _end(phase), (phase or {}).get("latency", {}).get("sse")
        floor = _end(_phase(phases, "floor", rate))
        at[f"at_{rate:.0f}"] = {
            "p50_ms": push and push["p50_ms"],
            "p95_ms": push and push["p95_ms"],
            "p99_ms": push and push["p99_ms"],
            "sse_p50_ms": sse and sse["p50_ms"],
            "sse_p99_ms": sse and sse["p99_ms"],
            "achieved_rate_per_s": phase and phase["achieved_rate_per_s"],
            "floor_p50_ms": floor and floor["p50_ms"],
            "floor_p99_ms": floor and floor["p99_ms"],
        }
    idle = measured["memory_mib"]["idle"]
    pss = {
        s: round(sum(idle[p]["pss"] for p in (*own, *SHARED)), 1) for s, own in (("secpool", SECPOOL), ("floor", FLOOR))
    }
    statements = per_request("sql_statements_per_request")
    return {
        "ratio_to_floor": _ratio(rates["secpool"], rates["floor"])
        if rates["secpool"] and rates["floor"]
        else _ratio(kept["secpool"], kept["floor"]),
        "sustained_rate_per_s": rates,
        # On a machine too loaded for any p99 under 100 ms, the ratio of the rates kept up with.
        "ratio_basis": "sustained" if rates["secpool"] and rates["floor"] else "keeps_up",
        "kept_up_rate_per_s": kept,
        "kept_up_ratio_to_floor": _ratio(kept["secpool"], kept["floor"]),
        "reference_rate_per_s": (reference["secpool"] or {}).get("rate_per_s"),
        "cpu_ms_per_request": {s: (c or {}).get("total") for s, c in cpu.items()},
        "cpu_ratio_to_floor": _ratio((cpu["secpool"] or {}).get("total"), (cpu["floor"] or {}).get("total")),
        "cpu_ms_per_request_per_process": cpu,
        "sql_statements_per_request": statements["secpool"],
        "sql_statements_per_request_floor": statements["floor"],
        # Where secpool's statements went at that rate, most called first.
        "top_statements": (reference["secpool"] or {}).get("top_statements", []),
        "transactions_per_request": per_request("transactions_per_request"),
        "nats_messages_per_request": per_request("nats_messages_per_request"),
        **at,
        "idle_pss_mib": pss,
        "memory_mib": measured["memory_mib"],
        "idle_per_s": measured["idle_per_s"],
        "push": measured["push"],
        "machine": measured["machine"],
        "phases": phases,
    }


def _ms(found: dict[str, Any] | None) -> str:
    return "—" if not found else f"{found['p50_ms']:.1f} / {found['p99_ms']:.1f} ms"


def phase_line(p: dict[str, Any]) -> str:
    lat = p["latency"]
    shown = [f"push {_ms(lat.get('push'))}", f"SSE {_ms(lat.get('sse'))}"] if "push" in lat else []
    shown.append(f"offered {_ms(lat.get('offered'))}")
    errors = sum(p["errors"].values())
    verdict = "sustained" if p["sustained"] else "keeps up, p99 too high" if p["keeps_up"] else "backs up"
    return (
        f"{p['system']:<8} {p['rate_per_s']:>6.0f}/s (achieved {p['achieved_rate_per_s']:.0f}/s): "
        f"{', '.join(shown)} p50/p99; {p['arrived_in_time']}/{p['answered']} in time, {errors} errors, "
        f"CPU {p['cpu_ms_per_request']['total']:.1f} ms/request — {verdict}"
    )


def _n(value: float | None, unit: str = "") -> str:
    return "—" if value is None else f"{value:g}{unit}"


def table(r: dict[str, Any]) -> str:
    rate = r["reference_rate_per_s"]
    tx, msgs, cpu = r["transactions_per_request"], r["nats_messages_per_request"], r["cpu_ms_per_request"]

    def pair(at: dict[str, Any], a: str, b: str) -> str:
        return "—" if at[a] is None else f"{at[a]:g} / {at[b]:g} ms"

    rows = [
        (
            "highest sustained rate (p99 < 100 ms)",
            f"{r['sustained_rate_per_s']['secpool']:g}/s",
            f"{r['sustained_rate_per_s']['floor']:g}/s",
            _n(r["ratio_to_floor"], "×"),
        ),
        (
            "highest rate kept up with (nothing backs up)",
            f"{r['kept_up_rate_per_s']['secpool']:g}/s",
            f"{r['kept_up_rate_per_s']['floor']:g}/s",
            _n(r["kept_up_ratio_to_floor"], "×"),
        ),
    ]
    for key in ("at_50", "at_200"):
        at = r[key]
        rows.append(
            (
                f"submit → offer push, {key[3:]}/s, p50 / p99",
                pair(at, "p50_ms", "p99_ms"),
                pair(at, "floor_p50_ms", "floor_p99_ms") + " (offered)",
                _n(_ratio(at["p50_ms"], at["floor_p50_ms"]), "× at p50"),
            )
        )
        rows.append((f"submit → requester's SSE, {key[3:]}/s, p50 / p99", pair(at, "sse_p50_ms", "sse_p99_ms"), "", ""))
    rows += [
        (
            f"CPU per request, whole stack ({rate:g}/s)",
            _n(cpu["secpool"], " ms"),
            _n(cpu["floor"], " ms"),
            _n(r["cpu_ratio_to_floor"], "×"),
        ),
        (
            "SQL statements / transactions per request",
            f"{_n(r['sql_statements_per_request'])} / {_n(tx['secpool'])}",
            f"{_n(r['sql_statements_per_request_floor'])} / {_n(tx['floor'])}",
            "",
        ),
        ("NATS messages per request", _n(msgs["secpool"]), _n(msgs["floor"]), ""),
        (
            "idle memory (PSS, with PostgreSQL and NATS)",
            f"{r['idle_pss_mib']['secpool']:g} MiB",
            f"{r['idle_pss_mib']['floor']:g} MiB",
            "",
        ),
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    head = ("figure", "secpool", "floor", "ratio")
    widths = [max(w, len(h)) for w, h in zip(widths, head, strict=True)]
    lines = [
        "| " + " | ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)) + " |",
        "|" + "|".join("-" * (w + 2) for w in widths) + "|",
    ]
    lines += ["| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |" for row in rows]
    per = r["cpu_ms_per_request_per_process"]
    cpu_line = "; ".join(
        f"{s}: " + ", ".join(f"{k} {v:g}" for k, v in (per[s] or {}).items() if k != "total") for s in per
    )
    machine = r["machine"]
    lines += [
        "",
        f"CPU ms per request per process at {rate:g}/s — {cpu_line}",
        f"{machine['cpus']} CPUs, load average {machine['load_average_before_after'][0]} → "
        f"{machine['load_average_before_after'][1]}; pushes received {r['push']['received']}, "
        f"undecryptable {r['push']['undecryptable']}; {machine['seconds']} s",
    ]
    if r["top_statements"]:
        lines += ["", f"secpool's most called statements per request at {rate:g}/s:"]
        lines += [f"  {s['per_request']:>6g}  {s['role']:<20} {s['query'][:110]}" for s in r["top_statements"][:20]]
    return "\n".join(lines)


def plot(r: dict[str, Any], path: Path) -> None:
    """p50 and p99 against the rate reached: secpool's offer push, the floor's offered."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot, ticker

    figure, axes = pyplot.subplots(figsize=(7, 4.5))
    for system, colour in (("secpool", "tab:red"), ("floor", "tab:blue")):
        found = [(p["achieved_rate_per_s"], _end(p)) for p in r["phases"] if p["system"] == system]
        points = [(x, e) for x, e in sorted(found, key=lambda t: t[0]) if e is not None]
        if not points:
            continue
        xs = [x for x, _ in points]
        what = "offer push" if system == "secpool" else "offered"
        axes.plot(xs, [e["p50_ms"] for _, e in points], "o-", color=colour, label=f"{system} p50 ({what})")
        axes.plot(xs, [e["p99_ms"] for _, e in points], "s--", color=colour, label=f"{system} p99 ({what})")
    axes.axhline(100, color="grey", linewidth=0.8, linestyle=":")
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.xaxis.set_major_formatter(ticker.ScalarFormatter())
    axes.xaxis.set_minor_formatter(ticker.NullFormatter())
    axes.set_xlabel("requests per second (achieved)")
    axes.set_ylabel("submit → end, ms")
    axes.set_title("secpool bench: latency against rate")
    axes.legend(fontsize=8)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    pyplot.close(figure)
