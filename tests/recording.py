"""Recorded expectations for the restructure's equivalence tests: what the code at an old
commit produced, kept as data (xz-compressed JSON lines) instead of a frozen copy of that
code. `tests/data/*/record.py` write them; the tests compare today's code with them.
"""
from __future__ import annotations

import importlib.util
import json
import lzma
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OLD_COMMIT = "8fada71"          # the last commit before the analysis and query packages


def module_at_commit(path: str, name: str, directory: Path, commit: str = OLD_COMMIT):
    """The file `path` as of `commit`, imported from `directory` as the module `name`."""
    source = subprocess.run(["git", "-C", str(ROOT), "show", f"{commit}:{path}"],
                            check=True, capture_output=True).stdout
    file = directory / f"{name}.py"
    file.write_bytes(source)
    spec = importlib.util.spec_from_file_location(name, file)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module              # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def write_lines(path: Path, values) -> None:
    """One compact JSON value per line, xz-compressed (same bytes for the same values)."""
    with lzma.open(path, "wt", encoding="utf-8", preset=9) as fh:
        for value in values:
            fh.write(json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n")


def read_lines(path: Path):
    """The values `write_lines` wrote, in order."""
    with lzma.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)
