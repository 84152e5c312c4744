"""Benchmarks: `make bench` (or `python -m bench`). Prints figures for docs/benchmarks.md.

- parse: pages per second of the aggregator parser on generated pages (in-process);
- ingest: wall time and peak memory of `marsad run` over SaudiNewsNet in mixed formats with
  injected duplicates, and the duplicates' precision and recall;
- entities: `marsad tag` pinned to one core over about 100,000 tokens of SaudiNewsNet
  (whole command: process start and model load included), with and without --countries,
  and over ANERcorp sentences (the first 100,000 tokens and the last 25,000, the test
  split's size), with the lexicon of frequent words and without it;
- dashboard: latency of every page's queries on a generated warehouse of 1,000,000 articles;
- scale (only when named): `marsad run` over 2,000 and 12,000 aggregator pages as JSONL
  exports, then 1,000 pages added: pages/s, ms/page, peak RSS of the process tree;
- entity-folds (only when named, half an hour): the entity recognizer trained and scored on
  each contiguous fifth of ANERcorp train, read one sentence a text (as the test split is)
  and ten a text, its LSTM reading a news encoder (``--encoder``);
- million (only when named, hours): SaudiNewsNet rendered 34 times (1,013,370 pages)
  built in parts of four copies through `marsad run`'s add path; resumes where it stopped;
- install (only when named, minutes): `make install` and `make run` on a fresh clone of each
  of ``--revisions``, with an empty uv cache and then a full one; size of the environment;
- topics: documents per second of the topic classifier (in-process, one core, steady state)
  on SaudiNewsNet articles and ASND posts, and `marsad classify` as a process pinned to one
  core: time to its first answer and wall time over the whole input.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import duckdb
import polars as pl

from bench.commands import marsad_command, one_core, run_marsad
from bench.corpora import SAUDINEWSNET, duplicate_scores, saudinewsnet_mixed
from marsad.enrich.topics.model import shipped_model
from marsad.ingest.page_parsing import parse_records
from marsad.ingest.readers import discover_input_files, read_inputs, records_frame
from marsad.synthetic import generate, write_pages

ASND = SAUDINEWSNET.parents[1] / "asnd" / "asnd_train80.parquet"
ANERCORP = SAUDINEWSNET.parents[1] / "anercorp_train" / "anercorp_train.jsonl"
TEST_SPLIT_TOKENS = 25_000


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


TOPIC_BATCH = 1000


def _classify_in_batches(model, articles: pl.DataFrame) -> None:
    for start in range(0, articles.height, TOPIC_BATCH):
        batch = articles.slice(start, TOPIC_BATCH)
        model.classify_many(batch["title"].to_list(), batch["content"].to_list())


def bench_topics(count: int) -> None:
    if not SAUDINEWSNET.exists():
        print(f"topics: skipped, {SAUDINEWSNET} not found")
        return
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {0})
    corpus = pl.read_parquet(SAUDINEWSNET, columns=["title", "content"])
    articles = corpus.head(count)
    rows = articles.select("title", "content").rows()
    model = shipped_model()
    # Steady state: a long run has met most of the news vocabulary before, so the word
    # caches of both paths are first warmed on other articles (none of those measured).
    warm = corpus.slice(count, count)
    for title, text in warm.rows():
        model.classify(title, text)
    _classify_in_batches(model, warm)
    start = time.perf_counter()
    for title, text in rows:
        model.classify(title, text)
    seconds = time.perf_counter() - start
    words = int(articles["content"].str.split(" ").list.len().mean() or 0)
    print(
        f"topics: {len(rows)} SaudiNewsNet articles (mean {words} words) in {seconds:.2f} s "
        f"= {len(rows) / seconds:,.0f} articles/s on one core"
    )
    start = time.perf_counter()
    _classify_in_batches(model, articles)
    seconds = time.perf_counter() - start
    print(
        f"topics: the same articles in batches of {TOPIC_BATCH} (classify_many, the pipeline's "
        f"path) in {seconds:.2f} s = {len(rows) / seconds:,.0f} articles/s on one core"
    )
    if ASND.exists():
        posts = pl.read_parquet(ASND, columns=["text"])["text"].to_list()
        start = time.perf_counter()
        for text in posts:
            model.classify(None, text)
        seconds = time.perf_counter() - start
        print(f"topics: {len(posts)} ASND posts = {len(posts) / seconds:,.0f} posts/s")
    lines = "".join(
        json.dumps({"id": i, "title": t, "text": x}, ensure_ascii=False) + "\n"
        for i, (t, x) in enumerate(rows)
    )
    start = time.perf_counter()
    process = subprocess.Popen(
        [*one_core(), *marsad_command("classify")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    process.stdin.write(lines.split("\n", 1)[0] + "\n")
    process.stdin.flush()
    process.stdout.readline()
    first = time.perf_counter() - start
    rest = lines.split("\n", 1)[1]

    def feed() -> None:  # in a thread: the answers must be read while the input is written
        process.stdin.write(rest)
        process.stdin.close()

    feeder = threading.Thread(target=feed)
    feeder.start()
    answered = 1 + sum(1 for _ in process.stdout)
    feeder.join()
    process.wait()
    wall = time.perf_counter() - start
    print(
        f"topics: `marsad classify` pinned to one core: first answer after {first:.2f} s, "
        f"{answered} articles in {wall:.1f} s = {answered / wall:,.0f} articles/s "
        "(process start and model load included)"
    )


def bench_entities(tokens: int) -> None:
    """``marsad tag`` over news articles (SaudiNewsNet, a text a line) and over short lines
    of many rare names (ANERcorp's sentences, a sentence a line, as its test split is)."""
    if not SAUDINEWSNET.exists():
        print(f"entities: skipped, {SAUDINEWSNET} not found")
        return
    from marsad.enrich.entities.tokens import tokenize

    texts, counted = [], 0
    for text in pl.read_parquet(SAUDINEWSNET, columns=["content"])["content"].drop_nulls():
        texts.append(text)
        counted += len(tokenize(text))
        if counted >= tokens:
            break
    for extra in ([], ["--countries"]):
        _time_tag(texts, counted, "articles", *extra)
    if not ANERCORP.exists():
        print(f"entities: sentences skipped, {ANERCORP} not found")
        return
    sentences = [json.loads(line) for line in ANERCORP.read_text("utf-8").splitlines()]
    first = _up_to(sentences, tokens)
    # The last sentences, as many tokens as ANERcorp's test split holds.
    last_texts, last_tokens = _up_to(sentences[::-1], TEST_SPLIT_TOKENS)
    with tempfile.TemporaryDirectory() as bare_cache:
        # A cache folder without the lexicon, its gazetteer built by a first line.
        no_lexicon = {"MARSAD_CACHE": bare_cache}
        _time_tag(first[0][:1], 0, "line", env=no_lexicon, quiet=True)
        for texts, counted in (first, (last_texts[::-1], last_tokens)):
            _time_tag(texts, counted, "ANERcorp sentences")
            _time_tag(texts, counted, "ANERcorp sentences without the lexicon", env=no_lexicon)


def _up_to(sentences: list[dict], tokens: int) -> tuple[list[str], int]:
    """The texts of the first sentences that hold ``tokens`` tokens, and how many they hold."""
    texts, counted = [], 0
    for sentence in sentences:
        texts.append(sentence["text"])
        counted += len(sentence["tokens"])
        if counted >= tokens:
            break
    return texts, counted


def _time_tag(
    texts: list[str],
    tokens: int,
    what: str,
    *extra: str,
    env: dict[str, str] | None = None,
    quiet: bool = False,
) -> None:
    """Wall time of ``marsad tag`` pinned to one core over ``texts`` sent as one stream."""
    lines = "".join(
        json.dumps({"id": i, "text": x}, ensure_ascii=False) + "\n" for i, x in enumerate(texts)
    )
    start = time.perf_counter()
    done = subprocess.run(
        [*one_core(), *marsad_command("tag", *extra)],
        input=lines,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **(env or {})},
    )
    wall = time.perf_counter() - start
    answered = done.stdout.count("\n")
    if not quiet:
        print(
            f"entities: `marsad tag {' '.join(extra)}` pinned to one core: {answered} {what}, "
            f"{tokens:,} tokens in {wall:.2f} s = {tokens / wall:,.0f} tokens/s "
            "(process start and model load included)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--pages", type=int, default=20000)
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--duplicates", type=int, default=500)
    parser.add_argument("--topic-articles", type=int, default=10000)
    parser.add_argument("--entity-tokens", type=int, default=100000)
    parser.add_argument("--dashboard-articles", type=int, default=1_000_000)
    parser.add_argument("--scale-pages", type=int, nargs="+", default=[2000, 12000], metavar="N")
    parser.add_argument("--scale-added", type=int, default=1000)
    parser.add_argument("--million-folder", type=Path, default=Path("bench/out/million"))
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument(
        "--encoder",
        type=Path,
        help="a news encoder (`marsad train` writes data/models/"
        "entities_encoder.npz) the entity folds' LSTM reads",
    )
    parser.add_argument(
        "--revisions", nargs="+", default=["HEAD"], help="revisions the install benchmark clones"
    )
    parser.add_argument(
        "only",
        nargs="*",
        choices=[
            *("parse", "ingest", "topics", "entities", "dashboard"),
            *("scale", "million", "entity-folds", "install"),
        ],
        help="benchmarks to run",
    )
    args = parser.parse_args()
    chosen = set(args.only or ["parse", "ingest", "topics", "entities", "dashboard"])
    if "parse" in chosen:
        bench_parse(args.pages)
    if "ingest" in chosen:
        bench_ingest(args.articles, args.duplicates)
    if "topics" in chosen:
        bench_topics(args.topic_articles)
    if "entities" in chosen:
        bench_entities(args.entity_tokens)
    if "dashboard" in chosen:
        from bench.dashboard import main as bench_dashboard

        bench_dashboard(args.dashboard_articles)
    if "scale" in chosen:  # minutes: only when asked for
        from bench.scale import bench_scale

        bench_scale(args.scale_pages, args.scale_added)
    if "million" in chosen:  # hours: only when asked for, resumable
        from bench.scale import bench_million

        bench_million(args.million_folder)
    if "entity-folds" in chosen:  # half an hour: only when asked for
        from bench.entity_folds import bench_entity_folds

        bench_entity_folds(args.folds, args.encoder)
    if "install" in chosen:  # minutes, downloads every wheel: only when asked for
        from bench.install import bench_install

        bench_install(args.revisions)


if __name__ == "__main__":
    main()
