"""The fork server loads every app `secpool up` forks (services/cli/preload.py): an app left
out would still start, but load its own copy of everything and share nothing."""

import ast
import importlib.util
from pathlib import Path

from services.cli import up


def test_the_preload_imports_every_app_secpool_up_starts():
    # Read, not imported: importing it turns the collector off in this process.
    spec = importlib.util.find_spec("services.cli.preload")
    assert spec is not None and spec.origin is not None
    tree = ast.parse(Path(spec.origin).read_text())
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    apps = {factory.split(":")[0] for factory in up.APPS.values()}
    assert apps <= imported, f"not preloaded: {sorted(apps - imported)}"
