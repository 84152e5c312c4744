"""What `make run` costs on a fresh clone: for each revision, a clone with an empty uv cache
(every wheel downloaded), then again with the cache filled. Prints the seconds of `make
install`, of `make run` after it, and the size and package count of the environment.

    python -m bench install --revisions 6d354fe HEAD
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _timed(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def _folder_mb(folder: Path) -> float:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 2**20


def bench_install(revisions: list[str]) -> None:
    for revision in revisions:
        with tempfile.TemporaryDirectory(prefix="marsad-install-") as tmp:
            clone = Path(tmp) / "marsad"
            subprocess.run(["git", "clone", "-q", str(REPO), str(clone)], check=True)
            subprocess.run(["git", "checkout", "-q", revision], cwd=clone, check=True)
            env = {**os.environ, "UV_CACHE_DIR": str(Path(tmp) / "uv-cache")}
            for cache in ("cold", "warm"):
                for leftover in (".venv", ".tools", "data/.staging"):
                    shutil.rmtree(clone / leftover, ignore_errors=True)
                (clone / "data" / "warehouse.duckdb").unlink(missing_ok=True)
                install = _timed(["make", "install"], clone, env)
                run = _timed(["make", "run"], clone, env)
                packages = len(
                    list((clone / ".venv").glob("lib/python3*/site-packages/*.dist-info"))
                )
                print(
                    f"install: {revision}, {cache} uv cache: make install {install:.1f} s, "
                    f"make run {run:.1f} s, .venv {_folder_mb(clone / '.venv'):,.0f} MiB, "
                    f"{packages} packages"
                )
