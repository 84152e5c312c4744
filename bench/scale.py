"""`python -m bench scale`: `marsad run` over JSONL exports of SaudiNewsNet articles rendered
as aggregator pages, at growing sizes, then 1,000 new pages added to the largest warehouse.

Prints, per run: pages, wall time, pages/s, ms per page and the peak RSS of the whole process
tree (the command and every process it starts, Ray's included), sampled from /proc.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import duckdb
import polars as pl

from bench.commands import marsad_command, one_core
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


_STEP = re.compile(r'Finished execution of step "(\w+)" in (?:(\d+)m)?([\d.]+)(ms|s)')


def step_seconds(log: str) -> dict[str, float]:
    """Seconds of each step of a `marsad run`, from its progress lines."""
    steps = {}
    for step, minutes, amount, unit in _STEP.findall(log):
        seconds = float(amount) / (1000 if unit == "ms" else 1)
        steps[step] = steps.get(step, 0.0) + 60 * int(minutes or 0) + seconds
    return steps


def timed_run(raw: Path, warehouse: Path) -> tuple[float, int, dict[str, float]]:
    """Wall seconds, peak process-tree RSS (bytes) and step seconds of `marsad run`."""
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
    return wall, peak, step_seconds(stderr)


def _line(what: str, pages: int, wall: float, peak: int, steps: dict[str, float]) -> str:
    annotation = steps.get("annotated_pages", 0.0)
    rest = sum(steps.values()) - annotation
    return (
        f"scale: {what}: {pages:,} pages in {wall:.1f} s = {pages / wall:,.1f} pages/s, "
        f"{1000 * wall / pages:.1f} ms/page, peak RSS (process tree) {peak / 2**30:.2f} GB; "
        f"annotation {annotation:.1f} s = {pages / max(annotation, 1e-9):,.1f} pages/s; "
        f"the other steps {rest:.1f} s = {pages / max(rest, 1e-9):,.0f} pages/s "
        f"({', '.join(f'{k} {v:.1f} s' for k, v in steps.items() if v >= 0.5)})"
    )


def single_core_annotation(raw: Path, articles: int = 1000) -> float:
    """Articles per second of `marsad tag` plus `marsad classify`, each pinned to one core,
    over the first articles of the exports (title and body parsed as the pipeline does)."""
    from marsad.ingest.page_parsing import parse_records
    from marsad.ingest.readers import read_input, records_frame

    first = sorted(raw.glob("*.jsonl"))[0]
    records = records_frame(list(itertools.islice(read_input(first), articles)))
    parsed = parse_records(records).filter(pl.col("parse_error").is_null())
    tag = "".join(
        json.dumps({"id": i, "text": f"{t}\n{b}"}, ensure_ascii=False) + "\n"
        for i, (t, b) in enumerate(parsed.select("title", "body").iter_rows())
    )
    classify = "".join(
        json.dumps({"id": i, "title": t, "text": b}, ensure_ascii=False) + "\n"
        for i, (t, b) in enumerate(parsed.select("title", "body").iter_rows())
    )
    seconds = 0.0
    for command, lines in (("tag", tag), ("classify", classify)):
        start = time.perf_counter()
        extra = ["--countries"] if command == "tag" else []
        subprocess.run(
            [*one_core(), *marsad_command(command, *extra)],
            input=lines,
            capture_output=True,
            text=True,
            check=True,
        )
        seconds += time.perf_counter() - start
    return parsed.height / seconds


def write_plot(points: list[tuple[int, float, float]], path: Path) -> Path:
    """An SVG of seconds and peak RSS (GB) against pages, one point per build."""
    width, height, margin = 680, 360, 70
    top_pages = max(p for p, _, _ in points)
    top_seconds = max(s for _, s, _ in points) * 1.1
    top_gb = max(3.2, max(g for _, _, g in points) * 1.1)

    def x(pages: float) -> float:
        return margin + (width - 2 * margin) * pages / top_pages

    def y(value: float, top: float) -> float:
        return height - margin - (height - 2 * margin) * value / top

    def polyline(values: list[tuple[float, float]], top: float, colour: str) -> str:
        coords = " ".join(f"{x(p):.1f},{y(v, top):.1f}" for p, v in values)
        dots = "".join(
            f'<circle cx="{x(p):.1f}" cy="{y(v, top):.1f}" r="4" fill="{colour}"/>'
            for p, v in values
        )
        return f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="2"/>{dots}'

    seconds = [(p, s) for p, s, _ in points]
    memory = [(p, g) for p, _, g in points]
    labels = "".join(
        f'<text x="{x(p):.1f}" y="{height - margin + 18}" text-anchor="middle">{p:,}</text>'
        for p, _, _ in points
    )
    ticks = "".join(
        f'<text x="{margin - 6}" y="{y(share * top_seconds, top_seconds) + 4:.1f}" '
        f'text-anchor="end" fill="#1f77b4">{share * top_seconds:,.0f}</text>'
        f'<text x="{width - margin + 6}" y="{y(share * top_gb, top_gb) + 4:.1f}" '
        f'fill="#d62728">{share * top_gb:.1f}</text>'
        for share in (0, 0.25, 0.5, 0.75, 1)
    )
    limit = y(3.0, top_gb)
    svg = f"""<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}"
 font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="white"/>
<line x1="{margin}" y1="{height - margin}" x2="{width - margin}" y2="{height - margin}"
 stroke="black"/>
<line x1="{margin}" y1="{margin}" x2="{margin}" y2="{height - margin}" stroke="#1f77b4"/>
<line x1="{width - margin}" y1="{margin}" x2="{width - margin}" y2="{height - margin}"
 stroke="#d62728"/>
<line x1="{margin}" y1="{limit:.1f}" x2="{width - margin}" y2="{limit:.1f}" stroke="#d62728"
 stroke-dasharray="4 4"/>
<text x="{width - margin - 4}" y="{limit - 4:.1f}" text-anchor="end" fill="#d62728">3 GB</text>
{polyline(seconds, top_seconds, "#1f77b4")}{polyline(memory, top_gb, "#d62728")}{labels}{ticks}
<text x="{width / 2}" y="{height - 15}" text-anchor="middle">pages
 (marsad run, new warehouse)</text>
<text x="15" y="{height / 2}" transform="rotate(-90 15 {height / 2})" text-anchor="middle"
 fill="#1f77b4">wall seconds</text>
<text x="{width - 15}" y="{height / 2}" transform="rotate(90 {width - 15} {height / 2})"
 text-anchor="middle" fill="#d62728">peak RSS of the process tree, GB</text>
</svg>
"""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(svg, encoding="utf-8")
    return path


def bench_scale(sizes: list[int], added: int) -> None:
    if not SAUDINEWSNET.exists():
        print(f"scale: skipped, {SAUDINEWSNET} not found")
        return
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        results = {}
        points = []
        for size in sizes:
            raw = root / f"pages_{size}"
            aggregator_exports(raw, size)
            warehouse = root / f"w_{size}" / "w.duckdb"
            wall, peak, steps = timed_run(raw, warehouse)
            results[size] = wall
            points.append((size, wall, peak / 2**30))
            print(_line(f"build {size:,}", size, wall, peak, steps), flush=True)
        plot = write_plot(points, Path(__file__).parent / "out" / "scale.svg")
        print(f"scale: plot of seconds and peak RSS against pages: {plot}")
        largest = max(sizes)
        new = root / "added"
        aggregator_exports(new, added, copy=99)  # pages no build holds
        wall, peak, steps = timed_run(new, root / f"w_{largest}" / "w.duckdb")
        print(_line(f"add {added:,} to {largest:,}", added, wall, peak, steps), flush=True)
        rate = single_core_annotation(root / f"pages_{min(sizes)}")
        print(
            f"scale: `marsad tag --countries` + `marsad classify`, each on one core: "
            f"{rate:,.1f} articles/s (whole commands; 80 % of it on 2 cores: {1.6 * rate:,.1f})"
        )
        print(f"scale: adding cost {wall / results[largest]:.1%} of building {largest:,}")
        if len(sizes) > 1:
            small = min(sizes)
            ratio = (results[largest] / largest) / (results[small] / small)
            print(f"scale: time per page at {largest:,} is {ratio:.2f}x that at {small:,}")


def bench_million(folder: Path, copies: int = 34, per_part: int = 4) -> None:
    """SaudiNewsNet rendered ``copies`` times (about 31,000 pages a copy; each copy's titles
    and URLs marked, so its pages are new articles), built in parts of ``per_part`` copies,
    each added with `marsad run` to the warehouse the parts before it built. ``folder`` is
    kept: a stopped benchmark resumes at the first part its log does not record."""
    if not SAUDINEWSNET.exists():
        print(f"million: skipped, {SAUDINEWSNET} not found")
        return
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / "parts.jsonl"
    done = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
    warehouse = folder / "warehouse" / "w.duckdb"
    for number, first in enumerate(range(0, copies, per_part)):
        if number < len(done):
            continue
        raw = folder / f"part_{number:03d}"
        shutil.rmtree(raw, ignore_errors=True)
        pages = 0
        for copy in range(first, min(first + per_part, copies)):
            # One whole copy per call: its pages are the corpus once, marked with ``copy``.
            files = aggregator_exports(raw / f"copy_{copy:02d}", 10**9, copy=copy, whole=True)
            pages += sum(1 for f in files for _ in f.open())
        wall, peak, steps = timed_run(raw, warehouse)
        shutil.rmtree(raw)
        held = duckdb.connect(str(warehouse), read_only=True)
        total = held.sql("select count(*) from pages").fetchall()[0][0]
        held.close()
        record = {
            "part": number,
            "pages": pages,
            "wall": wall,
            "peak": peak,
            "steps": steps,
            "pages_held": total,
        }
        with log.open("a") as out:
            out.write(json.dumps(record) + "\n")
        done.append(record)
        print(
            _line(f"part {number} (warehouse now holds {total:,} pages)", pages, wall, peak, steps),
            flush=True,
        )
    pages, wall = sum(r["pages"] for r in done), sum(r["wall"] for r in done)
    print(
        f"million: {pages:,} pages in {len(done)} parts, {wall / 3600:.2f} h = "
        f"{pages / wall:,.1f} pages/s; peak RSS (process tree) "
        f"{max(r['peak'] for r in done) / 2**30:.2f} GB"
    )
