"""How tests and benchmarks start the `marsad` command: as users do, in a subprocess."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path


def marsad_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "marsad.cli", *args]


def one_core() -> list[str]:
    """The prefix that pins a command to the first core, where ``taskset`` exists."""
    return ["taskset", "-c", "0"] if shutil.which("taskset") else []


def run_marsad(
    raw: Iterable[Path], warehouse: Path, *extra: str, timeout: float = 600
) -> subprocess.CompletedProcess:
    """`marsad run` over the given inputs; raises with the end of its stderr when it fails."""
    inputs = [arg for path in raw for arg in ("--raw", str(path))]
    done = subprocess.run(
        marsad_command("run", *inputs, "--warehouse", str(warehouse), *extra),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        raise RuntimeError(f"marsad run failed ({done.returncode}): {done.stderr[-3000:]}")
    return done
