"""Annotations of parsed pages (topic scores, entity and country mentions), computed as pages
are ingested so that a publish never re-reads every article."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from marsad.enrich.entities.credits import without_credits, without_own_outlet
from marsad.enrich.entities.place_mentions import joined_places
from marsad.enrich.entities.tagger import EntityTagger
from marsad.enrich.topics.model import TopicModel
from marsad.enrich.topics.taxonomy import TOPICS
from marsad.ingest.article_keys import ARTICLE_KEYS_SCHEMA, article_keys
from marsad.limits import BatchCollector, one_blas_thread

# Articles sent to a worker at once: enough to outweigh the trip between processes.
CHUNK_ARTICLES = 400
# Bytes of titles and bodies sent at once, at most (but one article each time): news chunks
# stay at CHUNK_ARTICLES (400 SaudiNewsNet articles hold 1.2 MB at the median, 3.2 MB at
# most), while very long bodies cannot make a worker's memory grow (`marsad tag` held 0.8 GB
# for 1,000 articles, about 6 MB of JSON lines).
CHUNK_BYTES = 4 << 20
# Below this many articles a pool costs more (Ray starts, each worker loads the models) than
# it saves.
POOL_MIN_ARTICLES = int(os.environ.get("MARSAD_POOL_MIN_ARTICLES", "2000"))
# An existing Ray cluster to annotate on (``ray://host:10001`` or ``host:6379``).
RAY_ADDRESS_VARIABLE = "MARSAD_RAY_ADDRESS"

TOPIC_SCORES = pl.List(pl.Struct({"topic": pl.String, "score": pl.Float64}))
ENTITY_MENTIONS = pl.List(
    pl.Struct(
        {
            "field": pl.String,
            "start": pl.Int64,
            "end": pl.Int64,
            "type": pl.String,
            "text": pl.String,
            "entity_id": pl.String,
            "country_code": pl.String,
        }
    )
)
COUNTRY_MENTIONS = pl.List(
    pl.Struct(
        {
            "field": pl.String,
            "start": pl.Int64,
            "end": pl.Int64,
            "country_code": pl.String,
            "kind": pl.String,
        }
    )
)
# The IPTC topic of sports stories.
SPORT = next(topic.code for topic in TOPICS if topic.en == "sport")
ANNOTATION_SCHEMA = {
    "page_id": pl.String,
    "topic": pl.String,
    "topic_scores": TOPIC_SCORES,
    "entities": ENTITY_MENTIONS,
    "countries": COUNTRY_MENTIONS,
    **ARTICLE_KEYS_SCHEMA,
}


def classify_texts(
    model: TopicModel, titles: list[str | None], texts: list[str | None]
) -> pl.DataFrame:
    """``topic`` and ``topic_scores`` (every topic with a score above 0) of each text,
    classified as one batch."""
    topics, scores = [], []
    for topic, topic_scores in model.classify_many(titles, texts):
        topics.append(topic)
        scores.append([{"topic": t, "score": s} for t, s in topic_scores.items() if s > 0])
    return pl.DataFrame(
        {"topic": topics, "topic_scores": scores},
        schema={"topic": pl.String, "topic_scores": TOPIC_SCORES},
    )


def tag_texts(
    tagger: EntityTagger,
    fields: dict[str, list[str | None]],
    home_countries: list[str | None] | None = None,
    sports: list[bool] | None = None,
    outlet_ids: list[str | None] | None = None,
) -> pl.DataFrame:
    """``entities`` and ``countries`` mentions of each row's texts, by field name; each row's
    ``home_countries`` entry is its outlet's country, its ``sports`` entry whether it is a
    sports story (``EntityTagger.analyse_many``), its ``outlet_ids`` entry its outlet's
    registry id (the paper naming itself is no organisation of the story)."""
    entities, countries = [], []
    rows = len(next(iter(fields.values())))
    # All texts are analysed together (the LSTM reads many sentences at once).
    found = {
        field: tagger.analyse_many([text or "" for text in texts], home_countries, sports)
        for field, texts in fields.items()
    }
    for i in range(rows):
        row_entities, row_countries = [], []
        for field in fields:
            mentions, places = found[field][i]
            mentions = joined_places(fields[field][i] or "", mentions, tagger.gazetteer)
            if field == "body":  # its opening credit names who wrote it, not whom it is about
                mentions = without_credits(fields[field][i], mentions, places)
            if outlet_ids:
                mentions = without_own_outlet(mentions, outlet_ids[i])
            row_entities += [{"field": field, **vars(m)} for m in mentions]
            row_countries += [{"field": field, **vars(c)} for c in places]
        entities.append(row_entities)
        countries.append(row_countries)
    return pl.DataFrame(
        {"entities": entities, "countries": countries},
        schema={"entities": ENTITY_MENTIONS, "countries": COUNTRY_MENTIONS},
    )


def annotate_pages(parsed: pl.DataFrame, model: TopicModel, tagger: EntityTagger) -> pl.DataFrame:
    """One row per parsed page with an article: its primary topic, topic scores, entity
    mentions and country mentions (offsets into the title or the body), and its keys for
    deduplication and search (``article_keys``)."""
    articles = parsed.filter(pl.col("parse_error").is_null()).select(
        "page_id", "title", "body", "outlet_id", "outlet_country"
    )
    titles, bodies = articles["title"].to_list(), articles["body"].to_list()
    topics = classify_texts(model, titles, bodies)
    homes = articles["outlet_country"].to_list()
    # An article the topic model files under sport is a sports story, its title too (النصر
    # alone in a title is the club).
    sports = [topic == SPORT for topic in topics["topic"].to_list()]
    outlets = articles["outlet_id"].to_list()
    mentions = tag_texts(tagger, {"title": titles, "body": bodies}, homes, sports, outlets)
    keys = article_keys(articles)
    return pl.concat([articles.select("page_id"), topics, mentions, keys], how="horizontal").cast(
        ANNOTATION_SCHEMA  # type: ignore[arg-type]
    )


@dataclass(frozen=True)
class AnnotationModels:
    """Files of the models annotation uses, so that each worker process loads its own."""

    topics: Path
    entities: Path
    clusters: Path

    def load(self) -> tuple[TopicModel, EntityTagger]:
        return TopicModel.load(self.topics), EntityTagger(self.entities, self.clusters)


def _annotate_chunk(parsed: pl.DataFrame, models: tuple[TopicModel, EntityTagger]):
    annotated = annotate_pages(parsed, *models)
    return annotated.join(
        parsed.select("page_id", "part"), on="page_id", how="left", maintain_order="left"
    )


class Annotator:
    """A worker that loads the models once and annotates chunk after chunk (a Ray actor)."""

    def __init__(self, models: AnnotationModels):
        self.models = models.load()
        self.collector = BatchCollector()

    def annotate(self, chunk: pl.DataFrame) -> pl.DataFrame:
        with self.collector.batch(), one_blas_thread():
            return _annotate_chunk(chunk, self.models)


def _pieces(
    parts: Iterable[tuple[str, pl.DataFrame]],
) -> Iterator[tuple[str, pl.DataFrame, int]]:
    """Each part's rows in pieces of at most CHUNK_ARTICLES and CHUNK_BYTES (or one row),
    with their bytes of text (a part with no row still gets its turn)."""
    for key, frame in parts:
        # The outlet's country places shared club names, its id its own name (``tag_texts``).
        columns = frame.select(
            "page_id", "title", "body", "parse_error", "outlet_id", "outlet_country"
        )
        sizes = columns.select(
            pl.col("title").str.len_bytes().fill_null(0)
            + pl.col("body").str.len_bytes().fill_null(0)
        ).to_series()
        start, rows, size = 0, 0, 0
        for row, length in enumerate(sizes.to_list()):
            if rows and (rows == CHUNK_ARTICLES or size + length > CHUNK_BYTES):
                yield key, columns.slice(start, rows), size
                start, rows, size = row, 0, 0
            rows, size = rows + 1, size + length
        yield key, columns.slice(start, rows), size


def _chunks(
    parts: Iterable[tuple[str, pl.DataFrame]],
) -> Iterator[tuple[list[str], pl.DataFrame]]:
    """Parsed pages of many parts (ingest batches) in chunks of at most CHUNK_ARTICLES and
    CHUNK_BYTES (or one article), each with the parts it covers in order (a part with no
    article still gets its turn)."""
    keys: list[str] = []
    frames: list[pl.DataFrame] = []
    rows = size = 0
    for key, piece, piece_size in _pieces(parts):
        full = rows + piece.height > CHUNK_ARTICLES or size + piece_size > CHUNK_BYTES
        if full and frames:
            yield keys, pl.concat(frames, how="vertical_relaxed")
            keys, frames, rows, size = [], [], 0, 0
        if not keys or keys[-1] != key:
            keys.append(key)
        frames.append(piece.with_columns(pl.lit(key).alias("part")))
        rows, size = rows + piece.height, size + piece_size
    if keys:
        yield keys, pl.concat(frames, how="vertical_relaxed")


def annotate_parts(
    parts: Iterable[tuple[str, pl.DataFrame]],
    models: AnnotationModels,
    articles: int,
    workers: int | None = None,
) -> Iterator[tuple[str, pl.DataFrame]]:
    """``annotate_pages`` of each part's parsed pages, as (part, annotations) pieces in the
    parts' order (consecutive pieces may share a part).

    With ``articles`` (an estimate) above POOL_MIN_ARTICLES, or a Ray cluster named by
    MARSAD_RAY_ADDRESS, chunks are annotated by a pool of Ray actors, each with the models
    loaded once: one per core of a local Ray instance (``workers``, default every core this
    process may use), or as many as the cluster's CPUs. Otherwise all stays in this process,
    which spares a small run Ray's start-up."""
    address = os.environ.get(RAY_ADDRESS_VARIABLE)
    workers = workers or _usable_cores()
    empty = pl.DataFrame(schema=ANNOTATION_SCHEMA)
    if not address and (workers < 2 or articles < POOL_MIN_ARTICLES):
        annotator = Annotator(models)
        results = ((keys, annotator.annotate(chunk)) for keys, chunk in _chunks(parts))
        try:
            yield from _split(results, empty)
        finally:
            annotator.collector.release()  # this process goes on with the run
        return
    from marsad.enrich.ray_pool import ray_map_in_order

    yield from _split(ray_map_in_order(Annotator, models, _chunks(parts), workers, address), empty)


def _usable_cores() -> int:
    """Cores this process may run on (its affinity where the system has one)."""
    if hasattr(os, "sched_getaffinity"):  # Linux
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _split(
    results: Iterable[tuple[list[str], pl.DataFrame]], empty: pl.DataFrame
) -> Iterator[tuple[str, pl.DataFrame]]:
    for keys, annotated in results:
        by_part = annotated.partition_by("part", as_dict=True, include_key=False)
        for key in keys:
            yield key, by_part.get((key,), empty)
