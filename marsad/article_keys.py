"""What deduplication and search need of each article, worked out once per article where the
article is annotated (on every core, or a Ray cluster) and staged with it, so that adding it
to the warehouse is a matter of joins:

- ``exact_key``: the article's text identity (match keys of title and body): copies share it;
- ``bands``: the LSH buckets of its shingles' MinHash signature (``dedup.band_buckets``);
- ``search_words``: the keys it is found under (``arabic.search_keys``).
"""

from __future__ import annotations

import numpy as np
import polars as pl

from marsad.arabic import match_keyed, readings, word_lists
from marsad.dedup import buckets_of_shingles, shingle_hashes, word_shingles
from marsad.ids import stable_id_expr

ARTICLE_KEYS_SCHEMA = {
    "exact_key": pl.String,
    "bands": pl.List(pl.UInt64),
    "search_words": pl.List(pl.String),
}


def exact_key(title: pl.Expr, body: pl.Expr) -> pl.Expr:
    return stable_id_expr(match_keyed(title), match_keyed(body))


def _text_words(texts: pl.Expr) -> pl.Expr:
    """The words of a text's match key, as shingles are built from them."""
    return (
        match_keyed(texts)
        .fill_null("")
        .str.split(" ")
        .list.eval(pl.element().filter(pl.element() != ""))
    )


def shingle_sets(texts: list[str]) -> list[np.ndarray]:
    """The shingle hash set (``dedup.shingle_hashes``) of each text, worked out together."""
    frame = pl.DataFrame({"text": texts}, schema={"text": pl.String})
    words = frame.select(_text_words(pl.col("text"))).to_series()
    return [shingle_hashes(w) for w in words.to_list()]


def article_keys(articles: pl.DataFrame) -> pl.DataFrame:
    """``ARTICLE_KEYS_SCHEMA`` of each row of a frame with ``title`` and ``body``; the work
    per distinct word (hash, search readings) is done once per frame."""
    text = pl.col("title").fill_null("") + pl.lit(" ") + pl.col("body").fill_null("")
    keyed = articles.select(
        exact_key(pl.col("title"), pl.col("body")).alias("exact_key"),
        _text_words(pl.col("title") + pl.lit(" ") + pl.col("body")).alias("shingle_words"),
        word_lists(text).list.unique().alias("tokens"),
    ).with_row_index("row")
    bands = [buckets_of_shingles(word_shingles(w)) for w in keyed["shingle_words"].to_list()]
    tokens = keyed.select("row", "tokens").explode("tokens").drop_nulls("tokens")
    distinct = tokens["tokens"].unique().to_list()
    forms = pl.DataFrame(
        [(token, form) for token in distinct for form, _ in readings(token)],
        schema={"tokens": pl.String, "word": pl.String},
        orient="row",
    )
    found = (
        tokens.join(forms, on="tokens")
        .group_by("row")
        .agg(pl.col("word").unique().sort().alias("search_words"))
    )
    search_words = keyed.select("row").join(found, on="row", how="left", maintain_order="left")
    return pl.DataFrame(
        {
            "exact_key": keyed["exact_key"],
            "bands": bands,
            "search_words": search_words["search_words"].fill_null([]),
        },
        schema=ARTICLE_KEYS_SCHEMA,
    )
