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

from marsad.arabic import match_key_words, match_keyed, readings, word_lists
from marsad.ids import stable_id_expr
from marsad.ingest.dedup import SHINGLE_WORDS, buckets_of_shingles, word_shingles

ARTICLE_KEYS_SCHEMA = {
    "exact_key": pl.String,
    "bands": pl.List(pl.UInt64),
    "search_words": pl.List(pl.String),
}


def exact_key(title: pl.Expr, body: pl.Expr) -> pl.Expr:
    return stable_id_expr(match_keyed(title), match_keyed(body))


def _text_words(texts: pl.Expr) -> pl.Expr:
    """The words of a text's match key, as shingles are built from them."""
    return match_key_words(texts).fill_null([])


# A shingle's hash: its words' hashes combined, each step multiplied by this odd number.
_WORD_MIX = np.uint64(0x100000001B3)
# A shingle's sort key: the text's number above, 40 bits of the shingle's hash below.
_HASH_BITS = np.uint64(40)
_HASH_SHIFT = np.uint64(64 - 40)
_HASH_MASK = np.uint64((1 << 40) - 1)
MAX_TEXTS = 1 << 24


def shingle_sets(texts: list[str]) -> list[np.ndarray]:
    """The word shingles of each text's match key (``dedup.word_shingles``), hashed to 40
    bits, sorted and distinct: exact Jaccard similarities are worked out on these.

    A publish compares thousands of texts a slice, and joining and hashing each shingle in
    Python was most of its time: here each word is hashed once (Polars) and a shingle's hash
    combines its words' hashes (NumPy). The hashes are Polars' own, so they are compared only
    within one process (both texts of a pair are always hashed in the same call)."""
    if not texts:
        return []
    if len(texts) >= MAX_TEXTS:
        raise ValueError(f"shingle_sets takes fewer than {MAX_TEXTS} texts a call")
    frame = pl.DataFrame({"text": texts}, schema={"text": pl.String})
    words = (
        frame.select(_text_words(pl.col("text")).alias("word"))
        .with_row_index("row")
        .explode("word")
        .drop_nulls("word")
    )
    row = words["row"].to_numpy()
    word = words["word"].hash().to_numpy()
    lengths = np.bincount(row, minlength=len(texts))
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    position = np.arange(row.size) - starts[row]
    shingle = np.zeros(row.size, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(SHINGLE_WORDS):
            # The k-th word after each start, where the text still has one.
            following = np.zeros(row.size, dtype=np.uint64)
            inside = position + k < lengths[row]
            following[inside] = word[np.flatnonzero(inside) + k]
            shingle = shingle * _WORD_MIX + following
    # A shingle starts at every word with SHINGLE_WORDS - 1 words after it in its own text;
    # a shorter text is one shingle of all its words.
    first = (position + SHINGLE_WORDS <= lengths[row]) | (
        (lengths[row] < SHINGLE_WORDS) & (position == 0)
    )
    # Sorting the shingles' keys puts each text's shingles together and their copies side by
    # side; 40 bits keep a text's few hundred shingles apart (one collision in about 10^7
    # texts, which moves that text's similarities by one shingle).
    keys = np.sort((row[first].astype(np.uint64) << _HASH_BITS) | (shingle[first] >> _HASH_SHIFT))
    distinct = np.ones(keys.size, dtype=bool)
    distinct[1:] = keys[1:] != keys[:-1]
    keys = keys[distinct]
    counts = np.bincount((keys >> _HASH_BITS).astype(np.int64), minlength=len(texts))
    shingle = keys & _HASH_MASK
    return np.split(shingle, np.cumsum(counts)[:-1])


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
    # Two columns, not a frame built row by row: the same frame, built faster.
    owners: list[str] = []
    forms_of: list[str] = []
    for token in tokens["tokens"].unique().to_list():
        token_forms = [form for form, _ in readings(token)]
        owners += [token] * len(token_forms)
        forms_of += token_forms
    forms = pl.DataFrame(
        {"tokens": owners, "word": forms_of}, schema={"tokens": pl.String, "word": pl.String}
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
