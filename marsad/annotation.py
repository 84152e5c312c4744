"""Annotations of parsed pages (topic scores, entity and country mentions), computed as pages
are ingested so that a publish never re-reads every article."""

from __future__ import annotations

import polars as pl

from marsad.entities import EntityTagger
from marsad.topics import TopicModel

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
ANNOTATION_SCHEMA = {
    "page_id": pl.String,
    "topic": pl.String,
    "topic_scores": TOPIC_SCORES,
    "entities": ENTITY_MENTIONS,
    "countries": COUNTRY_MENTIONS,
}


def classify_texts(
    model: TopicModel, titles: list[str | None], texts: list[str | None]
) -> pl.DataFrame:
    """``topic`` and ``topic_scores`` (every topic with a score above 0) of each text."""
    topics, scores = [], []
    for title, text in zip(titles, texts, strict=True):
        topic, topic_scores = model.classify(title, text)
        topics.append(topic)
        scores.append([{"topic": t, "score": s} for t, s in topic_scores.items() if s > 0])
    return pl.DataFrame(
        {"topic": topics, "topic_scores": scores},
        schema={"topic": pl.String, "topic_scores": TOPIC_SCORES},
    )


def tag_texts(tagger: EntityTagger, fields: dict[str, list[str | None]]) -> pl.DataFrame:
    """``entities`` and ``countries`` mentions of each row's texts, by field name."""
    entities, countries = [], []
    rows = len(next(iter(fields.values())))
    for i in range(rows):
        row_entities, row_countries = [], []
        for field, texts in fields.items():
            mentions, places = tagger.analyse(texts[i] or "")
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
    mentions and country mentions (offsets into the title or the body)."""
    articles = parsed.filter(pl.col("parse_error").is_null()).select("page_id", "title", "body")
    titles, bodies = articles["title"].to_list(), articles["body"].to_list()
    topics = classify_texts(model, titles, bodies)
    mentions = tag_texts(tagger, {"title": titles, "body": bodies})
    return pl.concat([articles.select("page_id"), topics, mentions], how="horizontal").cast(
        ANNOTATION_SCHEMA  # type: ignore[arg-type]
    )
