"""The code stays ruff-clean, ruff-formatted and mypy-strict clean: checked by the suite, so
CI fails on a regression instead of relying on everyone remembering to run the tools."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def run(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / argv[0]), *argv[1:]], cwd=ROOT, capture_output=True, text=True, timeout=240)


def test_ruff_finds_nothing_and_the_code_is_formatted():
    check = run("ruff", "check", ".")
    assert check.returncode == 0, check.stdout
    formatted = run("ruff", "format", "--check", ".")
    assert formatted.returncode == 0, formatted.stdout


def test_mypy_strict_finds_nothing():
    result = run("mypy")
    assert result.returncode == 0, result.stdout
