"""Shared helpers: the repository root and the `dealzone` command line to compare with."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Files are named as the command line is given them (relative to the repository root), so
# positioned messages and sources read the same.
os.chdir(ROOT)


def _binary():
    """The command line: $DEALZONE_BIN, else a built target/{release,debug}/dealzone (the
    newer), else `cargo run`."""
    if os.environ.get("DEALZONE_BIN"):
        return [os.environ["DEALZONE_BIN"]]
    built = [ROOT / "target" / p / "dealzone" for p in ("release", "debug")]
    built = [b for b in built if b.exists()]
    if built:
        return [str(max(built, key=lambda b: b.stat().st_mtime))]
    if shutil.which("cargo"):
        return ["cargo", "run", "--quiet", "--release", "--"]
    pytest.skip("no dealzone command line to compare with (set DEALZONE_BIN)")


class Cli:
    def __init__(self):
        self.cmd = _binary()

    def run(self, *args):
        """(exit code, stdout, stderr) of `dealzone ARGS` run from the repository root."""
        p = subprocess.run(
            self.cmd + [str(a) for a in args],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        return p.returncode, p.stdout, p.stderr

    def json(self, *args):
        code, out, err = self.run(*args, "--json")
        assert code == 0, err
        return json.loads(out)

    def text(self, *args):
        code, out, err = self.run(*args)
        assert code == 0, err
        return out


@pytest.fixture(scope="session")
def cli():
    return Cli()


@pytest.fixture(scope="session")
def root():
    return ROOT
