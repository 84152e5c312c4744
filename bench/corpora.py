"""Test and benchmark corpora built from the real data in ../shared/data (never copied here).

``saudinewsnet_mixed`` writes SaudiNewsNet articles as WET, JSONL, Parquet and aggregator
``.txt`` pages, then injects exact duplicates (the same article again, in another format) and
near duplicates (small edits, another outlet), and returns what it injected.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import random
from dataclasses import dataclass
from pathlib import Path

import polars as pl
from warcio.warcwriter import WARCWriter

from marsad.arabic import match_key
from marsad.ingest.dedup import STORY_SIMILARITY, similar_pairs
from marsad.warehouse.rows import language_of

SHARED = Path(__file__).resolve().parents[2] / "shared"
SAUDINEWSNET = SHARED / "data" / "saudinewsnet" / "saudinewsnet.parquet"


@dataclass(frozen=True)
class Injected:
    copy_url: str
    original_url: str
    kind: str  # "exact" or "near"


def clean_sample(count: int, seed: int, source: Path = SAUDINEWSNET) -> pl.DataFrame:
    """``count`` articles with a title and a real body, none a near copy of another."""
    articles = (
        pl.read_parquet(source)
        .filter(
            (pl.col("title").str.len_chars() > 10)
            & (pl.col("content").str.len_chars() > 400)
            # a few rows are English; the corpus is about Arabic articles
            & (language_of(pl.col("title") + pl.lit(" ") + pl.col("content")) == "ar")
        )
        .sample(n=count * 2, seed=seed, shuffle=True)
    )
    keys = [match_key(f"{t} {c}") for t, c in articles.select("title", "content").iter_rows()]
    tainted = {j for _, j, _ in similar_pairs(keys, STORY_SIMILARITY)}
    return articles.with_row_index("i").filter(~pl.col("i").is_in(list(tainted))).head(count)


def _edit(text: str, rng: random.Random) -> str:
    """Small edits a syndicating outlet makes: a few words changed, the last sentence cut."""
    words = text.split()
    for i in rng.sample(range(len(words)), max(1, len(words) // 40)):
        words[i] = rng.choice(["وقال", "وأضاف", "كما", "حيث", "أيضا"])
    edited = " ".join(words)
    cut = edited.rfind(".", 0, len(edited) - 2)
    return edited[: cut + 1] if cut > len(edited) // 2 else edited


def _wet(rows: list[dict], path: Path) -> None:
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        for row in rows:
            payload = f"{row['title']}\n{row['content']}".encode()
            record = writer.create_warc_record(
                row["url"],
                "conversion",
                payload=io.BytesIO(payload),
                warc_headers_dict={
                    "WARC-Date": row["crawled"].strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "Content-Type": "text/plain",
                },
            )
            writer.write_record(record)


def _export_rows(rows: list[dict]) -> list[dict]:
    return [
        {
            "text": r["content"],
            "title": r["title"],
            "url": r["url"],
            "timestamp": r["crawled"].isoformat(),
            "outlet": r["outlet"],
        }
        for r in rows
    ]


def _txt_pages(rows: list[dict], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for n, row in enumerate(rows):
        day = row["crawled"].date()
        byline = f"نشر في {row['outlet']} يوم {day.day:02d} - {day.month:02d} - {day.year}"
        body = "\n".join(p.strip() for p in row["content"].split("\n") if p.strip())
        (folder / f"page_{n:05d}.txt").write_text(
            f"{row['title']}\n{byline}\n\n{body}\n", encoding="utf-8"
        )
        (folder / f"page_{n:05d}.meta.json").write_text(
            json.dumps({"url": row["url"], "fetched_at": row["crawled"].isoformat() + "Z"})
        )


def saudinewsnet_mixed(
    folder: Path, count: int = 800, exact: int = 60, near: int = 60, seed: int = 7
) -> list[Injected]:
    rng = random.Random(seed)
    sample = clean_sample(count, seed)
    rows = [
        {
            "title": r["title"].strip(),
            "content": r["content"].strip(),
            "url": r["url"],
            "outlet": r["source_name"],
            "crawled": r["date_extracted"] or dt.datetime(2015, 8, 1),
        }
        for r in sample.iter_rows(named=True)
    ]
    injected: list[Injected] = []
    for original in rng.sample(rows, exact):
        copy = {**original, "url": original["url"] + "?recrawl=1"}
        rows.append(copy)
        injected.append(Injected(copy["url"], original["url"], "exact"))
    others = sorted({r["outlet"] for r in rows})
    for original in rng.sample(rows[:count], near):
        copy = {
            **original,
            "content": _edit(original["content"], rng),
            "outlet": rng.choice([o for o in others if o != original["outlet"]]),
            "url": f"https://syndicated.example/{len(injected)}",
        }
        rows.append(copy)
        injected.append(Injected(copy["url"], original["url"], "near"))
    rng.shuffle(rows)
    quarter = len(rows) // 4
    parts = [
        rows[:quarter],
        rows[quarter : 2 * quarter],
        rows[2 * quarter : 3 * quarter],
        rows[3 * quarter :],
    ]
    folder.mkdir(parents=True, exist_ok=True)
    _wet(parts[0], folder / "crawl.warc.wet.gz")
    with (folder / "export.jsonl").open("w", encoding="utf-8") as out:
        for row in _export_rows(parts[1]):
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    pl.DataFrame(_export_rows(parts[2])).write_parquet(folder / "export.parquet")
    _txt_pages(parts[3], folder / "pages")
    return injected


def duplicate_scores(story_of: dict[str, str], injected: list[Injected]) -> tuple[float, float]:
    """Precision and recall of the injected pairs, a pair being found when both pages share a
    story (exact copies also share an article, and so a story)."""
    groups: dict[str, set[str]] = {}
    for url, story in story_of.items():
        groups.setdefault(story, set()).add(url)
    found = {frozenset((a, b)) for g in groups.values() for a in g for b in g if a < b}
    truth = {frozenset((i.copy_url, i.original_url)) for i in injected}
    hits = len(found & truth)
    return hits / max(len(found), 1), hits / len(truth)


def _aggregator_text(row: dict, ticker: list[str]) -> str:
    """A SaudiNewsNet article as an aggregator page: ticker, title, byline, body, footer."""
    day = row["crawled"].date()
    byline = f"نشر في {row['outlet']} يوم {day.day:02d} - {day.month:02d} - {day.year}"
    body = "\n\n".join(p.strip() for p in row["content"].split("\n") if p.strip())
    separator = "\u00a0" * 4
    ticker_line = separator.join(ticker) + separator
    return (
        f"{ticker_line}\n\n\n{row['title']}\n{byline}\n\n{body}\n\n"
        "انقر هنا لقراءة الخبر من مصدره.\n"
    )


def aggregator_exports(
    folder: Path,
    count: int,
    copy: int = 0,
    per_file: int = 2000,
    seed: int = 3,
    whole: bool = False,
) -> list[Path]:
    """``count`` SaudiNewsNet articles rendered as aggregator pages, written as JSONL exports
    of ``per_file`` pages each (``text``, ``url``, ``timestamp``). Copy k > 0 of the corpus
    has its titles and URLs marked, so its pages are new articles, not duplicates of copy 0;
    beyond the corpus's size, copies ``copy``, ``copy + 1``… follow each other. ``whole``
    stops at the end of copy ``copy``."""
    corpus = (
        pl.scan_parquet(SAUDINEWSNET)
        .filter((pl.col("title").str.len_chars() > 10) & (pl.col("content").str.len_chars() > 200))
        .collect()
    )
    titles = corpus["title"].sample(n=400, seed=seed).to_list()
    folder.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    out = None
    written = 0
    while written < count:
        rng = random.Random(seed + copy)
        take = min(count - written, corpus.height)
        for row in corpus.sample(n=take, seed=seed + copy, shuffle=True).iter_rows(named=True):
            if written % per_file == 0:
                if out:
                    out.close()
                files.append(folder / f"export_{copy:02d}_{written // per_file:04d}.jsonl")
                out = files[-1].open("w", encoding="utf-8")
            mark = f" ({copy})" if copy else ""
            crawled = row["date_extracted"] or dt.datetime(2015, 8, 1)
            page = {
                "title": row["title"].strip() + mark,
                "content": row["content"].strip(),
                "outlet": row["source_name"],
                "crawled": crawled,
            }
            line = {
                "text": _aggregator_text(page, rng.sample(titles, 20)),
                "url": f"{row['url']}#copy{copy}" if copy else row["url"],
                "timestamp": crawled.isoformat() + "Z",
            }
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
            written += 1
        copy += 1
        if whole:
            break
    if out:
        out.close()
    return files
