"""Page records and parsed pages to the warehouse tables (DESIGN.md §3), as Polars frames.

Every page record becomes exactly one ``pages`` row with a status:
``article`` (first page of a distinct article), ``duplicate`` (the same article seen before,
exactly or with small edits by the same outlet), ``quarantined`` (bad input, with a
``quarantine`` row saying why) or ``skipped`` (not an Arabic news page: WARC requests, images,
other languages; ``pages.reason`` says which).
"""

from __future__ import annotations

import polars as pl

from marsad.annotation import (
    ANNOTATION_SCHEMA,
    COUNTRY_MENTIONS,
    TOPIC_SCORES,
    classify_texts,
    tag_texts,
)
from marsad.arabic import match_keyed, search_keys
from marsad.dedup import SAME_ARTICLE_SIMILARITY, STORY_SIMILARITY, group, similar_pairs
from marsad.entities import CountryMention, EntityTagger, article_countries
from marsad.ids import stable_id_expr
from marsad.outlets import registry
from marsad.topics import TopicModel, topics_frame

PAGE_STATUSES = ("article", "duplicate", "quarantined", "skipped")

QUARANTINE_DETAILS = {
    "empty": "the page holds no text",
    "no_byline": "no byline line ('نشر في OUTLET يوم DATE') found",
    "no_title": "a byline but no title line before it",
}

_ARABIC_LETTER = r"[\x{0621}-\x{064A}\x{066E}-\x{06D3}]"


def language_of(text: pl.Expr) -> pl.Expr:
    """``ar`` when most letters are Arabic, else ``und`` (undetermined)."""
    letters = text.str.count_matches(r"\p{L}")
    arabic = text.str.count_matches(_ARABIC_LETTER)
    return pl.when(arabic > 0.5 * letters).then(pl.lit("ar")).otherwise(pl.lit("und"))


def join_parsed(records: pl.DataFrame, parsed: pl.DataFrame) -> pl.DataFrame:
    """Page records with their article parts and the first reason a page has no article."""
    joined = records.drop("text", strict=False).join(parsed, on="page_id", how="left")
    language = language_of(
        pl.col("title").fill_null("") + pl.lit(" ") + pl.col("body").fill_null("")
    )
    rejection = pl.coalesce("read_error", "parse_error")
    return joined.with_columns(
        rejection.alias("rejection"),
        pl.coalesce(
            "read_error_detail",
            pl.col("parse_error").replace_strict(QUARANTINE_DETAILS, default=None),
        ).alias("rejection_detail"),
        language.alias("language"),
    ).with_columns(
        # Marsad observes Arabic news: readable pages in other languages are set aside.
        pl.when(pl.col("skip_reason").is_null() & rejection.is_null() & (language != "ar"))
        .then(pl.lit("not Arabic text"))
        .otherwise("skip_reason")
        .alias("skip_reason"),
    )


def _article_groups(candidates: pl.DataFrame) -> pl.DataFrame:
    """Exact copies share an article; near copies by the same outlet too (re-crawls with
    small edits); near copies across outlets share a story."""
    exact_key = stable_id_expr(match_keyed(pl.col("title")), match_keyed(pl.col("body")))
    keyed = candidates.with_columns(exact_key.alias("exact_key"))
    firsts = keyed.unique("exact_key", keep="first", maintain_order=True)
    texts = firsts.select(match_keyed(pl.col("title") + pl.lit(" ") + pl.col("body")).alias("key"))[
        "key"
    ].to_list()
    pairs = similar_pairs(texts, STORY_SIMILARITY)
    outlets = firsts.select(pl.coalesce("outlet_id", "outlet")).to_series().to_list()
    same_article = [
        (i, j, sim)
        for i, j, sim in pairs
        if sim >= SAME_ARTICLE_SIMILARITY and outlets[i] == outlets[j]
    ]
    first_ids = firsts["exact_key"].to_list()
    article_of = [first_ids[k] for k in group(len(first_ids), same_article)]
    story_of = [first_ids[k] for k in group(len(first_ids), pairs)]
    mapping = pl.DataFrame(
        {"exact_key": first_ids, "article_id": article_of, "story_id": story_of},
        schema={"exact_key": pl.String, "article_id": pl.String, "story_id": pl.String},
    )
    return keyed.join(mapping, on="exact_key", how="left").drop("exact_key")


def _with_statuses(pages: pl.DataFrame) -> pl.DataFrame:
    # Input order decides which page holds an article; joins do not keep row order.
    ordered = pages.sort("source_file", "record_no").with_row_index("input_order")
    accepted = pl.col("rejection").is_null() & pl.col("skip_reason").is_null()
    grouped = _article_groups(ordered.filter(accepted))
    with_ids = ordered.join(
        grouped.select("page_id", "article_id", "story_id"), on="page_id", how="left"
    )
    return with_ids.with_columns(
        pl.when(pl.col("skip_reason").is_not_null())
        .then(pl.lit("skipped"))
        .when(pl.col("rejection").is_not_null())
        .then(pl.lit("quarantined"))
        .when(pl.col("input_order") == pl.col("input_order").min().over("article_id"))
        .then(pl.lit("article"))
        .otherwise(pl.lit("duplicate"))
        .alias("status"),
        pl.coalesce("skip_reason", "rejection").alias("reason"),
    ).sort("input_order")


def _outlets(articles: pl.DataFrame) -> pl.DataFrame:
    """Registry outlets and unknown outlets seen, with their article counts, for review."""
    seen = articles.group_by("outlet_id", "outlet_name", maintain_order=True).agg(
        pl.len().cast(pl.Int64).alias("articles"),
        pl.col("outlet").drop_nulls().unique().sort().alias("spellings"),
        pl.col("published_date").min().alias("first_published"),
        pl.col("published_date").max().alias("last_published"),
    )
    known = registry().select("outlet_id", "name", "name_en", "country")
    listed = known.join(seen.drop("outlet_name"), on="outlet_id", how="left").with_columns(
        pl.lit(True).alias("in_registry")
    )
    unknown = seen.filter(pl.col("outlet_id").is_null()).select(
        "outlet_id",
        pl.col("outlet_name").alias("name"),
        pl.lit(None, dtype=pl.String).alias("name_en"),
        pl.lit(None, dtype=pl.String).alias("country"),
        "articles",
        "spellings",
        "first_published",
        "last_published",
        pl.lit(False).alias("in_registry"),
    )
    return pl.concat([listed, unknown], how="vertical_relaxed").with_columns(
        pl.col("articles").fill_null(0)
    )


def _topic_rows(frame: pl.DataFrame, key: str) -> pl.DataFrame:
    """Long table (key, topic, score, is_primary) from ``topic`` and ``topic_scores``."""
    return (
        frame.select(key, pl.col("topic").alias("primary"), "topic_scores")
        .explode("topic_scores")
        .unnest("topic_scores")
        .filter(pl.col("topic").is_not_null())
        .with_columns((pl.col("topic") == pl.col("primary")).alias("is_primary"))
        .select(key, "topic", "score", "is_primary")
        .sort(key, "topic")
    )


def _entity_tables(articles: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """``entities``, ``article_entities`` and ``entity_mentions`` from the articles'
    ``entities`` mention lists."""
    mentions = (
        articles.select("article_id", "entities")
        .explode("entities")
        .unnest("entities")
        .filter(pl.col("entity_id").is_not_null())
    )
    # The name shown is the fullest spelling (a person's surname alone links to their full
    # name), the one seen most often among those (ties: the shortest, then first).
    names = (
        mentions.group_by("entity_id", "text")
        .len()
        .sort(
            "entity_id",
            pl.col("text").str.count_matches(r"\s+"),
            "len",
            pl.col("text").str.len_chars(),
            "text",
            descending=[False, True, True, False, False],
        )
        .group_by("entity_id", maintain_order=True)
        .agg(pl.col("text").first().alias("name"), pl.col("text").alias("spellings"))
    )
    countries = (
        mentions.filter(pl.col("country_code").is_not_null())
        .group_by("entity_id", "country_code")
        .len()
        .sort("entity_id", "len", "country_code", descending=[False, True, False])
        .group_by("entity_id", maintain_order=True)
        .agg(pl.col("country_code").first())
    )
    entities = (
        mentions.group_by("entity_id")
        .agg(
            pl.col("type").first(),
            pl.col("article_id").n_unique().cast(pl.Int64).alias("articles"),
            pl.len().cast(pl.Int64).alias("mentions"),
        )
        .join(names, on="entity_id")
        .join(countries, on="entity_id", how="left")
        .select("entity_id", "type", "name", "country_code", "articles", "mentions", "spellings")
        .sort("entity_id")
    )
    article_entities = (
        mentions.group_by("article_id", "entity_id")
        .agg(
            pl.len().cast(pl.Int64).alias("mentions"),
            (pl.col("field") == "title").any().alias("in_title"),
        )
        .sort("article_id", "entity_id")
    )
    entity_mentions = mentions.select(
        "article_id", "entity_id", "field", "start", "end", "text"
    ).sort("article_id", "field", "start")
    return {
        "entities": entities,
        "article_entities": article_entities,
        "entity_mentions": entity_mentions,
    }


def _country_rows(frame: pl.DataFrame, key: str) -> pl.DataFrame:
    """(key, country_code, mentions, is_about) from ``countries`` mention lists."""
    rows = []
    for item, mentions in frame.select(key, "countries").iter_rows():
        title = [
            CountryMention(m["country_code"], m["start"], m["end"], m["kind"])
            for m in mentions or []
            if m["field"] == "title"
        ]
        body = [
            CountryMention(m["country_code"], m["start"], m["end"], m["kind"])
            for m in mentions or []
            if m["field"] != "title"
        ]
        rows += [{key: item, **c} for c in article_countries(title, body)]
    return pl.DataFrame(
        rows,
        schema={
            key: pl.String,
            "country_code": pl.String,
            "mentions": pl.Int64,
            "is_about": pl.Boolean,
        },
    ).sort(key, "country_code")


def build_tables(
    records: pl.DataFrame,
    parsed: pl.DataFrame,
    annotations: pl.DataFrame | None = None,
    topic_model: TopicModel | None = None,
    tagger: EntityTagger | None = None,
) -> dict[str, pl.DataFrame]:
    """The warehouse tables from page records (``inputs.records.RECORD_SCHEMA``) and their
    article parts (``page_parsing.PARSED_COLUMNS``)."""
    joined = _with_statuses(join_parsed(records, parsed))

    pages = joined.select(
        "page_id",
        "source_file",
        "record_no",
        "input_format",
        "url",
        "fetched_at",
        "fetched_at_source",
        "site",
        "status",
        "reason",
        "article_id",
        "byte_size",
        "encoding",
        "notes",
    )
    seen = (
        joined.filter(pl.col("article_id").is_not_null())
        .group_by("article_id")
        .agg(pl.len().cast(pl.Int64).alias("page_count"))
    )
    articles = (
        joined.filter(pl.col("status") == "article")
        .join(seen, on="article_id")
        .select(
            "article_id",
            "story_id",
            "page_id",
            "url",
            "outlet",
            "outlet_id",
            "outlet_country",
            "outlet_name",
            "outlet_source",
            "published_date",
            "date_source",
            "date_flag",
            "byline_date",
            "title",
            "body",
            "language",
            "page_count",
            "fetched_at",
        )
    )
    if annotations is None:
        annotations = pl.DataFrame(schema=ANNOTATION_SCHEMA)
    articles = articles.join(annotations, on="page_id", how="left")
    article_topics = _topic_rows(articles, "article_id")
    entity_tables = _entity_tables(articles)
    countries_of_articles = _country_rows(articles, "article_id")
    articles = articles.drop("topic_scores", "entities", "countries")
    sightings = (
        joined.filter(pl.col("headlines").list.len() > 0)
        .select("page_id", "fetched_at", "headlines")
        .with_columns(pl.int_ranges(1, pl.col("headlines").list.len() + 1).alias("position"))
        .explode("headlines", "position")
        .rename({"headlines": "text"})
        .with_columns(stable_id_expr(match_keyed(pl.col("text"))).alias("headline_id"))
    )
    headlines = (
        sightings.sort("fetched_at", "page_id", "position")
        .group_by("headline_id", maintain_order=True)
        .agg(
            pl.col("text").first(),
            pl.col("fetched_at").min().alias("first_seen"),
            pl.col("fetched_at").max().alias("last_seen"),
            pl.col("page_id").n_unique().cast(pl.Int64).alias("page_count"),
            pl.len().cast(pl.Int64).alias("sightings"),
        )
        .sort("first_seen", "headline_id")
    )
    if topic_model is not None:
        headline_texts = headlines["text"].to_list()
        headlines = pl.concat(
            [headlines, classify_texts(topic_model, headline_texts, [None] * len(headline_texts))],
            how="horizontal",
        )
    else:
        headlines = headlines.with_columns(
            pl.lit(None, dtype=pl.String).alias("topic"),
            pl.lit([], dtype=TOPIC_SCORES).alias("topic_scores"),
        )
    headline_topics = _topic_rows(headlines, "headline_id")
    if tagger is not None:
        headlines = pl.concat(
            [headlines, tag_texts(tagger, {"title": headlines["text"].to_list()})],
            how="horizontal",
        )
    else:
        headlines = headlines.with_columns(pl.lit([], dtype=COUNTRY_MENTIONS).alias("countries"))
    countries_of_headlines = _country_rows(headlines, "headline_id").drop("is_about")
    headlines = headlines.drop("topic_scores", "entities", "countries", strict=False)
    page_headlines = sightings.select("page_id", "headline_id", pl.col("position").cast(pl.Int64))

    quarantine = joined.filter(pl.col("status") == "quarantined").select(
        "source_file",
        "record_no",
        "page_id",
        pl.col("rejection").alias("reason"),
        pl.col("rejection_detail").alias("detail"),
    )
    return {
        "pages": pages,
        "articles": articles,
        "article_words": article_words(articles),
        "headlines": headlines,
        "page_headlines": page_headlines,
        "quarantine": quarantine,
        "outlets": _outlets(articles),
        "topics": topics_frame(),
        "article_topics": article_topics,
        "headline_topics": headline_topics,
        **entity_tables,
        "article_countries": countries_of_articles,
        "headline_countries": countries_of_headlines,
    }


def article_words(articles: pl.DataFrame) -> pl.DataFrame:
    """The search index: each article under every key of its title and body, sorted by key
    so that DuckDB's per-block min/max skips straight to a word's rows."""
    keys = [
        sorted(search_keys(f"{title or ''} {body or ''}"))
        for title, body in zip(articles["title"], articles["body"], strict=True)
    ]
    return (
        pl.DataFrame(
            {"article_id": articles["article_id"], "word": keys},
            schema={"article_id": pl.String, "word": pl.List(pl.String)},
        )
        .explode("word")
        .drop_nulls("word")
        .sort("word", "article_id")
        .select("word", "article_id")
    )


def accounting_errors(tables: dict[str, pl.DataFrame], input_records: int) -> list[str]:
    """Breaches of the accounting invariant (DESIGN.md §3); empty when the books balance."""
    pages, articles, quarantine = tables["pages"], tables["articles"], tables["quarantine"]
    errors = []
    if pages.height != input_records:
        errors.append(f"{input_records} input records but {pages.height} pages")
    duplicated = pages.filter(pl.struct("source_file", "record_no").is_duplicated())
    if duplicated.height:
        errors.append(f"{duplicated.height} pages share a (source_file, record_no)")
    counts = dict(pages.group_by("status").len().iter_rows())
    unknown = set(counts) - set(PAGE_STATUSES)
    if unknown:
        errors.append(f"unknown page statuses: {sorted(unknown)}")
    if counts.get("article", 0) != articles.height:
        errors.append(f"{counts.get('article', 0)} article pages but {articles.height} articles")
    if counts.get("quarantined", 0) != quarantine.height:
        errors.append(
            f"{counts.get('quarantined', 0)} quarantined pages "
            f"but {quarantine.height} quarantine rows"
        )
    if sum(counts.values()) != pages.height:
        errors.append("page statuses do not add up to the pages")
    return errors
