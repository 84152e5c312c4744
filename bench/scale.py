"""`python -m bench scale`: `marsad run` over JSONL exports of SaudiNewsNet articles rendered
as aggregator pages, at growing sizes, then 1,000 new pages added to the largest warehouse.

Prints, per run: pages, wall time, pages/s, ms per page and the peak RSS of the whole process
tree (the command and every process it starts, Ray's included), sampled from /proc.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from bench.commands import marsad_command
from bench.corpora import SAUDINEWSNET, aggregator_exports


def _tree_rss(root: int) -> int:
    """Resident bytes of a process and all its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry)
        children.setdefault(int(fields[1]), []).append(pid)
        rss[pid] = int(fields[21]) * page
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += children.get(pid, [])
    return total


def timed_run(raw: Path, warehouse: Path) -> tuple[float, int]:
    """Wall seconds and peak process-tree RSS (bytes) of `marsad run`."""
    start = time.perf_counter()
    process = subprocess.Popen(
        marsad_command("run", "--raw", str(raw), "--warehouse", str(warehouse)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(process.pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = process.communicate()
    done.set()
    sampler.join()
    wall = time.perf_counter() - start
    if process.returncode != 0:
        raise RuntimeError(f"marsad run failed: {stderr[-3000:]}")
    return wall, peak


def _line(what: str, pages: int, wall: float, peak: int) -> str:
    return (
        f"scale: {what}: {pages:,} pages in {wall:.1f} s = {pages / wall:,.1f} pages/s, "
        f"{1000 * wall / pages:.1f} ms/page, peak RSS (process tree) {peak / 2**30:.2f} GB"
    )


def bench_scale(sizes: list[int], added: int) -> None:
    if not SAUDINEWSNET.exists():
        print(f"scale: skipped, {SAUDINEWSNET} not found")
        return
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        results = {}
        for size in sizes:
            raw = root / f"pages_{size}"
            aggregator_exports(raw, size)
            warehouse = root / f"w_{size}" / "w.duckdb"
            wall, peak = timed_run(raw, warehouse)
            results[size] = wall
            print(_line(f"build {size:,}", size, wall, peak), flush=True)
        largest = max(sizes)
        new = root / "added"
        aggregator_exports(new, added, copy=1)
        wall, peak = timed_run(new, root / f"w_{largest}" / "w.duckdb")
        print(_line(f"add {added:,} to {largest:,}", added, wall, peak), flush=True)
        print(f"scale: adding cost {wall / results[largest]:.1%} of building {largest:,}")
        if len(sizes) > 1:
            small = min(sizes)
            ratio = (results[largest] / largest) / (results[small] / small)
            print(f"scale: time per page at {largest:,} is {ratio:.2f}x that at {small:,}")
