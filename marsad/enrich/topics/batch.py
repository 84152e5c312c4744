"""Topic classification of a batch of documents in one pass (the pipeline's path).

Gives the answers of ``TopicModel.classify`` for each document, but finds the words,
features and seed phrases of the whole batch with Polars and scores them with NumPy, so
no Python code runs per word: per document, only the final choice of a topic does. Words
met for the first time are looked up once (``TopicModel._word_entry``) and kept in a
table on the model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import polars as pl

from marsad.arabic import light_stem, word_lists
from marsad.enrich.topics.features import CHAR_GRAM_SIZES, LEAD_WORDS, SHORT_WORDS
from marsad.enrich.topics.seeds import (
    LEAD_FOR_SEEDS,
    SEED_LEADS,
    SEED_MARGIN,
    SEED_MIN_HITS,
    SEED_TOPICS,
    seed_lexicons,
    with_seed,
)
from marsad.enrich.topics.taxonomy import TOPIC_CODES
from marsad.limits import WORD_CACHE

if TYPE_CHECKING:
    from marsad.enrich.topics.model import TopicModel

# Documents classified together at most: larger batches gain little speed and hold a row
# per word of every document.
BATCH_DOCUMENTS = 2000
# Words of a batch's table beyond which it starts afresh: a stream of new words cannot
# grow it without bound.
WORD_TABLE_LIMIT = WORD_CACHE
_WORD_SCHEMA = {
    "word": pl.String,
    # Vocabulary indices of the word's own features: the word, ``s:`` stem, ``p:`` head.
    "as_word": pl.Int64,
    "as_stem": pl.Int64,
    "as_head": pl.Int64,
    "number": pl.Int64,
    "stem": pl.String,
    "vector_row": pl.Int64,
}


def _words(column: str, chars: int | None = None) -> pl.Expr:
    """``marsad.arabic.words`` of a column (list of words per row), of its first ``chars``."""
    text = pl.col(column).fill_null("")
    return word_lists(text.str.slice(0, chars) if chars is not None else text)


def _word_table(model: TopicModel, batch_words: pl.Series) -> pl.DataFrame:
    """Entries of the batch's words (``_WORD_SCHEMA``; as ``TopicModel._word_entry``), from
    the model's table, new words added to it."""
    table = getattr(model, "batch_words", None)
    if table is None or table.height > WORD_TABLE_LIMIT:
        table = pl.DataFrame(schema=_WORD_SCHEMA)
    new = batch_words.unique().to_frame("word").join(table, on="word", how="anti")["word"]
    if new.len():
        words = new.to_list()
        stems = [light_stem(word) for word in words]
        vocabulary = model.vocabulary
        added = pl.DataFrame(
            {
                "word": words,
                "as_word": [vocabulary.get(word) for word in words],
                "as_stem": [vocabulary.get(f"s:{stem}") for stem in stems],
                "as_head": [vocabulary.get(f"p:{s[:4]}") if len(s) > 4 else None for s in stems],
                "number": [model.stem_numbers.get(stem, -1) for stem in stems],
                "stem": stems,
                "vector_row": [model.word_vocabulary.get(word, -1) for word in words],
            },
            schema=_WORD_SCHEMA,
        )
        table = pl.concat([table, added])
    model.batch_words = table
    return table


def _char_table(model: TopicModel, short_words: pl.Series) -> pl.DataFrame:
    """Words of short texts with the vocabulary indices of their character n-grams (as
    ``TopicModel._char_entry``), from the model's table, new words added to it."""
    table = getattr(model, "batch_chars", None)
    if table is None or table.height > WORD_TABLE_LIMIT:
        table = pl.DataFrame(schema={"word": pl.String, "as_chars": pl.List(pl.Int64)})
    new = short_words.unique().to_frame("word").join(table, on="word", how="anti")["word"]
    if new.len():
        found = _char_features(model, new)
        table = pl.concat([table, new.to_frame().join(found, on="word", how="left")])
    model.batch_chars = table
    return table


def _char_features(model: TopicModel, words: pl.Series) -> pl.DataFrame:
    """Each word with the vocabulary indices of its character n-grams the model kept (as
    ``char_grams``, repeats kept); words with none are left out."""
    base = words.to_frame("word").with_columns(
        pl.concat_str(pl.lit("<"), "word", pl.lit(">")).alias("padded")
    )
    grams = pl.concat(
        [
            base.select(
                "word",
                "padded",
                pl.int_ranges(0, pl.col("padded").str.len_chars().cast(pl.Int64) - size + 1).alias(
                    "at"
                ),
            )
            .explode("at")
            .drop_nulls("at")
            .select("word", pl.col("padded").str.slice(pl.col("at"), size).alias("gram"))
            for size in CHAR_GRAM_SIZES
        ]
    )
    return (
        grams.join(model.char_terms, on="gram")
        .group_by("word")
        .agg(pl.col("feature").alias("as_chars"))
    )


def _seed_choices(tokens: pl.DataFrame) -> dict[int, tuple[str, int, int]]:
    """Document → (seed topic, its title hits, its weight) where the seeds clearly point to a
    topic the labelled data lacks or one that may lead (``SeedLexicons.label``, then
    ``SEED_TOPICS`` and ``SEED_LEADS``)."""
    lexicons = seed_lexicons()
    # Phrases of one or two stems, as "stem" or "stem next" (stems hold no spaces).
    phrases = pl.DataFrame(
        [(" ".join(p), code) for p, codes in lexicons.index.items() for code in codes],
        schema={"phrase": pl.String, "topic": pl.String},
        orient="row",
    )
    read = tokens.filter((pl.col("part") == 0) | (pl.col("position") < LEAD_FOR_SEEDS))
    read = read.with_columns(pl.col("stem").shift(-1).over("doc", "part").alias("next"))
    grams = pl.concat(
        [
            read.select("doc", "part", pl.col("stem").alias("phrase")),
            read.filter(pl.col("next").is_not_null()).select(
                "doc", "part", pl.concat_str("stem", "next", separator=" ").alias("phrase")
            ),
        ]
    )
    hits = (
        grams.join(phrases, on="phrase")
        .unique(["doc", "part", "phrase", "topic"])
        .group_by("doc", "topic")
        .agg(
            (pl.col("part") == 0).sum().alias("title_hits"),
            (2 * (pl.col("part") == 0).cast(pl.Int64) + (pl.col("part") == 1)).sum().alias("score"),
        )
        .sort(["doc", "score"], descending=[False, True])
    )
    ranked = hits.group_by("doc", maintain_order=True).agg(
        pl.col("topic").first(),
        pl.col("title_hits").first(),
        pl.col("score").first().alias("top"),
        pl.col("score").get(1, null_on_oob=True).fill_null(0).alias("runner_up"),
    )
    chosen = ranked.filter(
        (pl.col("top") >= SEED_MIN_HITS)
        & (pl.col("top") >= pl.col("runner_up") + SEED_MARGIN)
        & pl.col("topic").is_in([*SEED_TOPICS, *SEED_LEADS])
    )
    return {
        doc: (topic, hits, weight)
        for doc, topic, hits, weight in chosen.select(
            "doc", "topic", "title_hits", "top"
        ).iter_rows()
    }


def classify_batch(
    model: TopicModel, titles: list[str | None], texts: list[str | None]
) -> list[tuple[str | None, dict[str, float]]]:
    """``model.classify(title, text)`` for every pair, computed for all at once."""
    if not titles:
        return []
    documents = pl.DataFrame(
        {"title": titles, "text": texts}, schema={"title": pl.String, "text": pl.String}
    )
    parts = documents.select(
        _words("title").alias("title"),
        _words("text", LEAD_WORDS * 8).list.head(LEAD_WORDS).alias("lead"),
    ).with_row_index("doc")
    sizes = (parts["title"].list.len() + parts["lead"].list.len()).to_numpy()
    # One row per word: document, part (0 title, 1 lead), position in the part.
    tokens = (
        pl.concat(
            [
                parts.select("doc", pl.lit(0).alias("part"), pl.col("title").alias("word")),
                parts.select("doc", pl.lit(1).alias("part"), pl.col("lead").alias("word")),
            ]
        )
        .explode("word")
        .drop_nulls("word")
        .with_columns(pl.int_range(pl.len()).over("doc", "part").alias("position"))
        .sort("doc", "part", "position")
    )
    tokens = tokens.join(
        _word_table(model, tokens["word"]), on="word", how="left", maintain_order="left"
    )
    count = len(titles)
    logits, has_features = _tfidf_logits(model, tokens, sizes, count)
    vectors, has_vectors = _short_text_logits(model, tokens, sizes, count)
    seeds = _seed_choices(tokens)
    results = []
    for doc in range(count):
        seed, title_hits, weight = seeds.get(doc, (None, 0, 0))
        if not has_features[doc] and not has_vectors[doc]:
            if seed is None:
                results.append((None, {}))
                continue
            scores = dict.fromkeys(TOPIC_CODES, 0.0)
        else:
            row = logits[doc] + vectors[doc]
            exp = np.exp(row - row.max())
            scores = dict.fromkeys(TOPIC_CODES, 0.0)
            scores.update(zip(model.classes, (exp / exp.sum()).tolist(), strict=True))
        results.append(with_seed(scores, seed, title_hits, weight))
    return results


def _tfidf_logits(
    model: TopicModel, tokens: pl.DataFrame, sizes: np.ndarray, count: int
) -> tuple[np.ndarray, np.ndarray]:
    """TF-IDF part of each document's logits (with the intercept), and whether it has any
    feature the model knows."""
    from scipy.sparse import csr_matrix

    width = len(model.stem_numbers)
    pairs = (
        tokens.select("doc", "number", pl.col("number").shift(-1).over("doc").alias("next"))
        .filter((pl.col("number") >= 0) & (pl.col("next") >= 0))  # bigrams span title and lead
        .select("doc", (pl.col("number") * width + pl.col("next")).alias("code"))
    )
    codes = pairs["code"].to_numpy()
    bigram_codes, bigram_features = model.bigram_arrays
    at = np.searchsorted(bigram_codes, codes).clip(max=max(len(bigram_codes) - 1, 0))
    found = bigram_codes[at] == codes if len(bigram_codes) else np.zeros(len(codes), bool)
    own = pl.concat(
        [
            *(
                tokens.select("doc", pl.col(c).alias("feature"))
                for c in ("as_word", "as_stem", "as_head")
            ),
            _short_text_chars(model, tokens, sizes),
        ]
    ).drop_nulls("feature")
    docs = np.concatenate([own["doc"].to_numpy(), pairs["doc"].to_numpy()[found]])
    features = np.concatenate([own["feature"].to_numpy(), bigram_features[at[found]]])
    vocabulary = len(model.idf)
    keys, counts = np.unique(docs.astype(np.int64) * vocabulary + features, return_counts=True)
    docs, features = keys // vocabulary, keys % vocabulary
    # Same weighting as training: sublinear term frequency × IDF, L2-normalized.
    values = (1.0 + np.log(counts, dtype=np.float32)) * model.idf[features]
    norms = np.sqrt(np.bincount(docs, values * values, minlength=count))
    values = values / norms[docs]
    matrix = csr_matrix((values, (docs, features)), shape=(count, vocabulary))
    logits = np.asarray(matrix @ model.coef) + model.intercept
    return logits.astype(np.float32), np.bincount(docs, minlength=count) > 0


def _short_text_chars(model: TopicModel, tokens: pl.DataFrame, sizes: np.ndarray) -> pl.DataFrame:
    """(doc, feature) of the character n-grams of short documents' words."""
    short = tokens.filter(pl.col("doc").is_in(np.flatnonzero(sizes <= SHORT_WORDS).tolist()))
    chars = _char_table(model, short["word"])
    return (
        short.select("doc", "word")
        .join(chars, on="word", how="left", maintain_order="left")
        .select("doc", pl.col("as_chars").alias("feature"))
        .explode("feature")
        .cast({"doc": tokens.schema["doc"], "feature": pl.Int64})
    )


def _short_text_logits(
    model: TopicModel, tokens: pl.DataFrame, sizes: np.ndarray, count: int
) -> tuple[np.ndarray, np.ndarray]:
    """Word-vector part of the logits of short documents (mean of their known words' rows;
    zero for long ones), and whether a document has one."""
    classes = len(model.classes)
    known = tokens.filter(pl.col("vector_row") >= 0).select("doc", "vector_row")
    docs, rows = known["doc"].to_numpy().astype(np.int64), known["vector_row"].to_numpy()
    short = sizes[docs] <= SHORT_WORDS
    docs, rows = docs[short], rows[short]
    sums = np.zeros((count, classes), np.float64)
    np.add.at(sums, docs, model.word_logits[rows])
    seen = np.bincount(docs, minlength=count)
    means = sums / np.maximum(seen, 1)[:, None]
    return means.astype(np.float32), seen > 0
