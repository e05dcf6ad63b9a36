"""The data folder's `run.json`, written by `secpool up` while it runs: how the admin commands
find the running system's database and address."""

import json
import os
from pathlib import Path
from typing import Any

from services.cli.children import LaunchError

RUN_FILE = "run.json"


def write_run_file(data_dir: Path, database_url: str, url: str) -> None:
    path = data_dir / RUN_FILE
    path.write_text(json.dumps({"database_url": database_url, "url": url}))
    path.chmod(0o600)


def running(data_dir: Path) -> tuple[str, str]:
    """(database URL, the web app's URL) of the running system."""
    found: dict[str, Any] = {}
    path = data_dir / RUN_FILE
    if path.exists():
        found = json.loads(path.read_text())
    database_url = os.environ.get("DATABASE_URL") or found.get("database_url")
    url = os.environ.get("SECPOOL_PUBLIC_URL") or found.get("url") or "http://127.0.0.1:8000"
    if not database_url:
        raise LaunchError(
            f"secpool is not running with data folder {data_dir}: start `secpool up` first, or set DATABASE_URL"
        )
    return database_url, url.rstrip("/")
