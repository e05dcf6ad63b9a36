"""`secpool bench --pages` and `--sse N` (to come)."""

from pathlib import Path


def run(pages: bool, sse: int | None, json_path: Path | None) -> int:
    print("secpool bench: --pages and --sse are not measured yet")
    return 1
