"""Benchmarks: `make bench` (or `python -m bench`). Prints figures for docs/benchmarks.md.

- parse: pages per second of the aggregator parser on generated pages (in-process);
- ingest: wall time and peak memory of `marsad run` over SaudiNewsNet in mixed formats with
  injected duplicates, and the duplicates' precision and recall.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

import duckdb
import polars as pl

from bench.commands import run_marsad
from bench.corpora import SAUDINEWSNET, duplicate_scores, saudinewsnet_mixed
from marsad.inputs import discover_input_files, read_inputs, records_frame
from marsad.page_parsing import parse_records
from marsad.synthetic import generate, write_pages


def bench_parse(pages: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        write_pages(generate(pages, seed=1), Path(folder))
        start = time.perf_counter()
        records = records_frame(read_inputs(discover_input_files([folder])))
        read = time.perf_counter() - start
        start = time.perf_counter()
        parsed = parse_records(records)
        parse = time.perf_counter() - start
    ok = parsed.filter(pl.col("parse_error").is_null()).height
    print(
        f"parse: {pages} pages read in {read:.2f} s ({pages / read:,.0f}/s), "
        f"parsed in {parse:.2f} s ({pages / parse:,.0f} pages/s), {ok} articles"
    )


def bench_ingest(count: int, duplicates: int) -> None:
    if not SAUDINEWSNET.exists():
        print(f"ingest: skipped, {SAUDINEWSNET} not found")
        return
    with tempfile.TemporaryDirectory() as folder:
        raw, warehouse = Path(folder) / "raw", Path(folder) / "w.duckdb"
        injected = saudinewsnet_mixed(raw, count=count, exact=duplicates, near=duplicates)
        start = time.perf_counter()
        run_marsad([raw], warehouse)
        wall = time.perf_counter() - start
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        with duckdb.connect(str(warehouse), read_only=True) as con:
            rows = con.execute(
                "SELECT p.url, a.story_id FROM pages p JOIN articles a USING (article_id)"
            ).fetchall()
    story = dict(rows)
    precision, recall = duplicate_scores(story, injected)
    pages = count + 2 * duplicates
    print(
        f"ingest: {pages} records (WET, JSONL, Parquet, .txt) in {wall:.1f} s "
        f"({pages / wall:,.0f} records/s), peak RSS {peak_mb:,.0f} MB; "
        f"duplicates precision {precision:.3f} recall {recall:.3f}; "
        f"articles kept {len(story)} of {pages}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--pages", type=int, default=20000)
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--duplicates", type=int, default=500)
    args = parser.parse_args()
    bench_parse(args.pages)
    bench_ingest(args.articles, args.duplicates)


if __name__ == "__main__":
    main()
