"""The repository passes `ruff check` with the checked-in configuration (ruff.toml)."""

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _ruff_command():
    if importlib.util.find_spec("ruff") is not None:
        return [sys.executable, "-m", "ruff"]
    if executable := shutil.which("ruff"):
        return [executable]
    return None


def test_ruff_check_is_clean():
    command = _ruff_command()
    if command is None:
        pytest.skip("ruff is not installed (it is in requirements.txt: `make test` installs it)")
    result = subprocess.run(
        [*command, "check", "--no-cache", "--output-format", "concise", "."],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, f"ruff check found problems:\n{result.stdout}{result.stderr}"
