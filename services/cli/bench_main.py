"""`secpool bench`'s modes: the throughput ladder against the floor (default), the pages
(`--pages`) and SSE fan-out (`--sse N`)."""

import argparse


def bench(args: argparse.Namespace) -> int:
    if args.pages or args.sse:
        from services.cli import bench_pages

        done: int = bench_pages.run(pages_too=args.pages, sse=args.sse, json_path=args.json)
        return done
    from services.cli import bench

    plot = args.plot or (args.json.with_suffix(".png") if args.json is not None else None)
    return bench.run(args.quick, args.json, plot, seconds=args.seconds, rates=args.rates, rest=args.rest)
