"""The apps import only downwards: import-linter's contracts (pyproject.toml,
[tool.importlinter]) run with the test suite. docs/architecture.md ("Layers") says
which app sits where and how an app reaches a layer above it (the registries)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT = "from importlinter.cli import lint_imports_command; lint_imports_command()"


def test_apps_import_only_downwards():
    result = subprocess.run(
        [sys.executable, "-c", LINT, "--no-cache", "--no-logo"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert result.returncode == 0, result.stdout + result.stderr
