"""The import rules of pyproject's [tool.importlinter] hold: services never import each other,
the pwa reaches services only through contracts and the platform, contracts depend on nothing
of the project, domain rules and the routing decision do no I/O."""

from pathlib import Path

from importlinter import cli

ROOT = Path(__file__).parents[2]


def test_every_import_contract_is_kept(monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    assert cli.lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True) == cli.EXIT_STATUS_SUCCESS
