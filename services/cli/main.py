"""Entry point of the `secpool` command."""

import argparse
import sys
from pathlib import Path

from services.cli.children import LaunchError


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["simulate"]:
        from services.simulation.cli import main as simulate

        return simulate(argv[1:])
    parser = argparse.ArgumentParser(prog="secpool", description="A secretary pool that works.")
    commands = parser.add_subparsers(dest="command", required=True)
    up = commands.add_parser("up", help="run the whole system on this machine")
    up.add_argument("--data-dir", type=Path, default=Path(".secpool"), help="where data and logs live")
    up.add_argument("--port", type=int, default=8000, help="the web app's port (default 8000)")
    up.add_argument("--host", default="127.0.0.1", help="the web app's address (default 127.0.0.1)")
    up.add_argument("--no-demo", action="store_true", help="do not load the demo organisation")
    up.add_argument(
        "--cluster", action="store_true", help="3 clustered NATS nodes (R3 streams) and two replicas of every process"
    )
    commands.add_parser("simulate", help="compare routing policies on a trace (see --help)", add_help=False)
    args = parser.parse_args(argv)
    try:
        from services.cli.up import run

        return run(args.data_dir, args.port, args.host, demo=not args.no_demo, cluster=args.cluster)
    except LaunchError as exc:
        print(f"secpool: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
