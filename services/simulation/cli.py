"""`secpool simulate`: compare routing policies on a trace, generate a family's trace, or run
the evaluation suite (table, JSON and plot). The only part of the simulator that touches files.

    secpool simulate --suite [--training] [--json OUT] [--plot OUT.png] [--family NAME ...]
    secpool simulate --report OUT.json   (the tables of an earlier suite run)
    secpool simulate --generate OUT [--family NAME] [--seed N]
    secpool simulate --trace FILE [--policy NAME ...] [--json OUT] [--log OUT]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import msgspec

from services.routing.decision import POLICIES
from services.simulation import families, report, suite, trace
from services.simulation.engine import run
from services.simulation.generate import generate
from services.simulation.metrics import Outcome, outcome


def _seed_count(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return int(text)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="secpool simulate", description="Compare routing policies.")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--suite", action="store_true", help="run the evaluation suite over every family")
    source.add_argument("--trace", type=Path, help="trace JSON to simulate")
    source.add_argument("--generate", type=Path, metavar="OUT", help="write a generated trace")
    source.add_argument("--report", type=Path, metavar="JSON", help="print the tables of an earlier --suite --json")
    names = [f.name for f in families.FAMILIES]
    parser.add_argument("--family", action="append", choices=names, dest="families", help="only these families")
    parser.add_argument("--training", action="store_true", help="the training seeds instead of the held-out ones")
    parser.add_argument("--seeds", type=_seed_count, help="only the first N seeds of the split")
    parser.add_argument("--seed", type=int, default=1, help="with --generate: the pool's seed")
    parser.add_argument("--policy", action="extend", nargs="+", choices=list(POLICIES), dest="policies")
    parser.add_argument("--json", type=Path, metavar="OUT", help="write the results as JSON")
    parser.add_argument("--plot", type=Path, metavar="OUT", help="with --suite: write a plot (.png or .svg)")
    parser.add_argument("--log", type=Path, metavar="OUT", help="with --trace: one JSON line a request")
    return parser


def _suite(args: argparse.Namespace) -> int:
    chosen = [families.family(n) for n in args.families] if args.families else list(families.FAMILIES)
    split = "training" if args.training else "held-out"
    seeds = families.TRAINING_SEEDS if args.training else families.HELD_OUT_SEEDS
    if args.seeds:
        seeds = seeds[: args.seeds]
    result = suite.run_suite(
        POLICIES["secpool"],
        split=split,
        families=chosen,
        seeds=seeds,
        progress=lambda done: print(f"  {done}", file=sys.stderr, flush=True),
    )
    _print_suite(result)
    if args.json is not None:
        args.json.write_bytes(msgspec.json.format(msgspec.json.encode(result), indent=2))
    if args.plot is not None:
        from services.simulation.plot import plot

        plot(result, args.plot)
    return 0 if result.passed else 1


def _print_suite(result: suite.SuiteResult) -> None:
    print(report.suite_table(result))
    print()
    print(report.figures_table(result))


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.suite:
        return _suite(args)
    if args.report is not None:
        result = msgspec.json.decode(args.report.read_bytes(), type=suite.SuiteResult)
        _print_suite(result)
        return 0 if result.passed else 1
    if args.generate is not None:
        family = families.family(args.families[0]) if args.families else families.FAMILIES[0]
        generated = generate(family, args.seed)
        trace.save(generated, args.generate)
        print(
            f"wrote {len(generated.requests)} requests for {len(generated.members)} members over "
            f"{family.days} days (family {family.name}, load {generated.meta['load']}) to {args.generate}"
        )
        return 0
    loaded = trace.load(args.trace)
    outcomes: list[Outcome] = []
    lines: list[bytes] = []
    for name in args.policies or list(POLICIES):
        simulation = run(loaded, POLICIES[name], estimate=name == "secpool")
        outcomes.append(outcome(simulation, name))
        lines += [msgspec.json.encode(h) for h in simulation.handlings(name)]
    print(report.trace_table(outcomes))
    if args.json is not None:
        args.json.write_bytes(msgspec.json.format(msgspec.json.encode(outcomes), indent=2))
    if args.log is not None:
        args.log.write_bytes(b"".join(line + b"\n" for line in lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
