"""Warehouse assembly in proportion to what is new: a slice of staged pages is added to an open
warehouse database, in DuckDB SQL, without reading back what earlier slices added.

What a slice needs of the warehouse so far (which exact texts it holds, the MinHash bands of
its articles, per-entity spelling counts, the batches it holds) is kept in the ``marsad_state``
schema of the same file, so the published file and that state are replaced together,
atomically, and can never disagree.

Deduplication, slice by slice (the same rules as ever, now against everything published):

- an *exact copy* (same match key of title and body) is a duplicate of the article that first
  had that text;
- a *near copy by the same outlet* (shingle Jaccard >= ``SAME_ARTICLE_SIMILARITY``) is a
  duplicate of the earliest such article;
- *near copies across outlets* (>= ``STORY_SIMILARITY``) share a story; a new article that is
  near two earlier stories joins them into one (the story of the earliest article).

Candidates come from the articles' MinHash LSH bands (a join in SQL) and are verified with the
exact Jaccard similarity of the shingle sets, read back only for those candidates.
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb
import polars as pl

from marsad.arabic import match_keyed
from marsad.enrich.annotation import ANNOTATION_SCHEMA, COUNTRY_MENTIONS, classify_texts, tag_texts
from marsad.enrich.entities.merge import TEXT_AFTER_NAME, acronym_pairs
from marsad.enrich.entities.tagger import EntityTagger
from marsad.enrich.topics.model import TopicModel
from marsad.ids import stable_id_expr
from marsad.ingest.article_keys import ARTICLE_KEYS_SCHEMA, article_keys, shingle_sets
from marsad.ingest.dedup import SAME_ARTICLE_SIMILARITY, STORY_SIMILARITY, jaccard_of_hashes
from marsad.ingest.source_credits import source_credits
from marsad.warehouse import aggregates
from marsad.warehouse.rows import country_rows, join_parsed, topic_rows
from marsad.warehouse.schema import TABLES
from marsad.warehouse.state import STATE_SCHEMA, add_acronym_pairs

PAGE_COLUMNS = TABLES["pages"].column_names
ARTICLE_COLUMNS = [c for c in TABLES["articles"].column_names if c != "topic"]


class _Groups:
    """Union-find over named items; the item that arrived first (lowest order) is the root."""

    def __init__(self, order: dict[str, int]):
        self.order = order
        self.parent: dict[str, str] = {}

    def find(self, item: str) -> str:
        parent = self.parent.get(item, item)
        if parent == item:
            return item
        root = self.find(parent)
        self.parent[item] = root
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            first, later = sorted((ra, rb), key=self.order.__getitem__)
            self.parent[later] = first


def _insert(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> None:
    if frame.height:
        con.register("incoming", frame)
        con.execute(f"INSERT INTO {table} SELECT * FROM incoming")
        con.unregister("incoming")


class WarehouseAssembly:
    """Adds slices of staged pages to an open warehouse database (``create_warehouse``)."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        topic_model: TopicModel | None = None,
        tagger: EntityTagger | None = None,
    ):
        self.con = con
        self.topic_model = topic_model
        self.tagger = tagger
        self.touched_entities: set[str] = set()

    # -- the slice's pages, articles and their statuses ------------------------------------

    def _seq_base(self) -> int:
        return self.con.execute(
            f"SELECT coalesce(max(seq), 0) + 1 FROM {STATE_SCHEMA}.text_keys"
        ).fetchall()[0][0]

    def _known_texts(self, keys: list[str]) -> dict[str, str]:
        """Exact keys already published, with their article."""
        self.con.register(
            "wanted", pl.DataFrame({"exact_key": keys}, schema={"exact_key": pl.String})
        )
        found = self.con.execute(
            f"SELECT k.exact_key, k.article_id FROM {STATE_SCHEMA}.text_keys k "
            "JOIN wanted USING (exact_key)"
        ).fetchall()
        self.con.unregister("wanted")
        return dict(found)

    def _candidates(self, buckets: pl.DataFrame) -> pl.DataFrame:
        """(exact_key, article_id, seq, outlet_key, story_id, title, body) of published
        articles sharing a band with a new text."""
        self.con.register("new_bands", buckets)
        found = self.con.sql(
            f"""
            WITH pairs AS (
                SELECT DISTINCT n.exact_key, b.article_id
                FROM new_bands n JOIN {STATE_SCHEMA}.article_bands b USING (band, bucket)
            )
            SELECT p.exact_key, p.article_id, k.seq,
                   coalesce(a.outlet_id, a.outlet) AS outlet_key, a.story_id, a.title, a.body
            FROM pairs p
            JOIN articles a USING (article_id)
            JOIN {STATE_SCHEMA}.text_keys k ON k.exact_key = p.article_id
            """
        ).pl()
        self.con.unregister("new_bands")
        return found

    def _story_seq(self, story_ids: Iterable[str]) -> dict[str, int]:
        ids = sorted(set(story_ids))
        if not ids:
            return {}
        self.con.register(
            "wanted", pl.DataFrame({"exact_key": ids}, schema={"exact_key": pl.String})
        )
        found = self.con.execute(
            f"SELECT exact_key, seq FROM {STATE_SCHEMA}.text_keys JOIN wanted USING (exact_key)"
        ).fetchall()
        self.con.unregister("wanted")
        return dict(found)

    def _group(self, accepted: pl.DataFrame) -> tuple[pl.DataFrame, dict[str, str]]:
        """Article and story of each accepted page (in input order, with its
        ``article_keys``), and the published stories that new articles join into one (old
        story -> new story)."""
        keyed = accepted.with_columns(pl.coalesce("outlet_id", "outlet").alias("outlet_key"))
        firsts = keyed.unique("exact_key", keep="first", maintain_order=True)
        known = self._known_texts(firsts["exact_key"].to_list())
        new = firsts.filter(~pl.col("exact_key").is_in(list(known)))
        base = self._seq_base()
        new_keys = new["exact_key"].to_list()
        order = {key: base + i for i, key in enumerate(new_keys)}
        outlet_of = dict(zip(new_keys, new["outlet_key"].to_list(), strict=True))
        text_of = {
            key: f"{title} {body}"
            for key, title, body in new.select("exact_key", "title", "body").iter_rows()
        }
        buckets_of = {k: b for k, b in zip(new_keys, new["bands"], strict=True) if len(b)}

        bucket_rows = pl.DataFrame(
            [(k, band, bucket) for k, bs in buckets_of.items() for band, bucket in enumerate(bs)],
            schema={"exact_key": pl.String, "band": pl.Int16, "bucket": pl.UInt64},
            orient="row",
        )
        # Candidate pairs among the new texts (earlier first), then with published articles;
        # then each verified with the exact Jaccard similarity of the two shingle sets.
        candidate_pairs: set[tuple[str, str]] = set()
        by_bucket: dict[tuple[int, int], list[str]] = {}
        for key, buckets in buckets_of.items():
            for band, bucket in enumerate(buckets):
                for earlier in by_bucket.setdefault((band, bucket), []):
                    candidate_pairs.add((earlier, key))
                by_bucket[(band, bucket)].append(key)
        candidates = self._candidates(bucket_rows) if bucket_rows.height else None
        story_of: dict[str, str] = {}
        if candidates is not None and candidates.height:
            for row in candidates.unique("article_id").iter_rows(named=True):
                key = row["article_id"]
                order[key] = row["seq"]
                outlet_of[key] = row["outlet_key"]
                story_of[key] = row["story_id"]
                text_of[key] = f"{row['title']} {row['body']}"
            for new_key, old in candidates.select("exact_key", "article_id").iter_rows():
                candidate_pairs.add((old, new_key))
        compared = sorted({key for pair in candidate_pairs for key in pair})
        shingled = dict(zip(compared, shingle_sets([text_of[k] for k in compared]), strict=True))
        similar = [
            (a, b, similarity)
            for a, b in candidate_pairs
            if (similarity := jaccard_of_hashes(shingled[a], shingled[b])) >= STORY_SIMILARITY
        ]

        # Articles: a near copy by the same outlet joins the earliest; published articles
        # are never merged with each other.
        articles = _Groups(order)
        for a, b, similarity in sorted(similar, key=lambda p: (order[p[0]], order[p[1]])):
            if similarity < SAME_ARTICLE_SIMILARITY or outlet_of[a] != outlet_of[b]:
                continue
            ra, rb = articles.find(a), articles.find(b)
            if ra in story_of and rb in story_of:
                continue
            articles.union(a, b)
        article_of = {key: articles.find(key) for key in new_keys}
        article_of.update(known)

        # Stories: over articles; a published article stands for its story.
        story_order = dict(order)
        story_order.update(self._story_seq(story_of.values()))
        stories = _Groups(story_order)
        for key in story_of:
            stories.union(story_of[key], key)
        for a, b, _ in similar:
            stories.union(article_of.get(a, a), article_of.get(b, b))
        merged = {
            old: stories.find(old) for old in set(story_of.values()) if stories.find(old) != old
        }
        grouped = keyed.with_columns(
            pl.col("exact_key").replace_strict(article_of, default=None).alias("article_id"),
        )
        new_article_ids = sorted(set(article_of.values()) - set(story_of) - set(known.values()))
        grouped = grouped.with_columns(
            pl.col("article_id")
            .replace_strict({a: stories.find(a) for a in new_article_ids}, default=None)
            .alias("story_id"),
        )
        self._new_texts = pl.DataFrame(
            {
                "exact_key": new_keys,
                "article_id": [article_of[k] for k in new_keys],
                "seq": [order[k] for k in new_keys],
            },
            schema={"exact_key": pl.String, "article_id": pl.String, "seq": pl.Int64},
        )
        self._new_bands = bucket_rows.join(
            self._new_texts.select("exact_key", "article_id"), on="exact_key"
        ).filter(pl.col("exact_key") == pl.col("article_id"))
        return grouped.select("page_id", "article_id", "story_id"), merged

    def add(
        self,
        records: pl.DataFrame,
        parsed: pl.DataFrame,
        annotations: pl.DataFrame | None = None,
    ) -> None:
        """Add one slice: page records (``inputs.records.RECORD_SCHEMA``, text not needed),
        their parsed parts and the annotations of their articles."""
        joined = join_parsed(records, parsed).sort("source_file", "record_no")
        accepted = joined.filter(pl.col("rejection").is_null() & pl.col("skip_reason").is_null())
        if annotations is not None and "exact_key" in annotations.columns:
            keys = annotations.select("page_id", *ARTICLE_KEYS_SCHEMA)
        else:  # annotated without them (tests): worked out here
            keys = pl.concat([accepted.select("page_id"), article_keys(accepted)], how="horizontal")
        accepted = accepted.join(keys, on="page_id", how="left", maintain_order="left")
        grouped, merged = self._group(accepted)
        joined = joined.join(grouped, on="page_id", how="left", maintain_order="left")
        first_page = pl.int_range(pl.len()).over("article_id") == 0
        joined = joined.with_columns(
            pl.when(pl.col("skip_reason").is_not_null())
            .then(pl.lit("skipped"))
            .when(pl.col("rejection").is_not_null())
            .then(pl.lit("quarantined"))
            .when(pl.col("story_id").is_not_null() & first_page)
            .then(pl.lit("article"))
            .otherwise(pl.lit("duplicate"))
            .alias("status"),
            pl.coalesce("skip_reason", "rejection").alias("reason"),
        )
        con = self.con
        _insert(con, "pages", joined.select(PAGE_COLUMNS))
        _insert(
            con,
            "quarantine",
            joined.filter(pl.col("status") == "quarantined").select(
                "source_file",
                "record_no",
                "page_id",
                pl.col("rejection").alias("reason"),
                pl.col("rejection_detail").alias("detail"),
            ),
        )
        # Stories joined by a new article: every article of the later one moves.
        if merged:
            con.register(
                "merged",
                pl.DataFrame(
                    {"old": list(merged), "new": list(merged.values())},
                    schema={"old": pl.String, "new": pl.String},
                ),
            )
            con.execute(
                "UPDATE articles SET story_id = merged.new FROM merged "
                "WHERE articles.story_id = merged.old"
            )
            con.unregister("merged")
        seen = (
            joined.filter(pl.col("article_id").is_not_null())
            .group_by("article_id")
            .agg(pl.len().cast(pl.Int64).alias("pages"))
        )
        con.register("seen", seen)
        con.execute(
            "UPDATE articles SET page_count = articles.page_count + seen.pages FROM seen "
            "WHERE articles.article_id = seen.article_id"
        )
        articles = (
            joined.filter(pl.col("status") == "article")
            .join(seen.rename({"pages": "page_count"}), on="article_id")
            .with_columns(source_credits(pl.col("body")))
            .select(ARTICLE_COLUMNS)
        )
        con.unregister("seen")
        _insert(con, f"{STATE_SCHEMA}.text_keys", self._new_texts)
        _insert(
            con,
            f"{STATE_SCHEMA}.article_bands",
            self._new_bands.select("band", "bucket", "article_id"),
        )
        self._add_articles(articles, annotations, keys)
        self._add_headlines(joined)

    def _add_articles(
        self, articles: pl.DataFrame, annotations: pl.DataFrame | None, keys: pl.DataFrame
    ) -> None:
        con = self.con
        if annotations is None:
            annotations = pl.DataFrame(schema=ANNOTATION_SCHEMA)
        columns = ["page_id", "topic", "topic_scores", "entities", "countries"]
        annotated = articles.join(
            annotations.select(columns), on="page_id", how="left", maintain_order="left"
        )
        _insert(con, "articles", annotated.select(TABLES["articles"].column_names))
        _insert(
            con,
            "article_words",
            articles.select("article_id", "page_id")
            .join(keys.select("page_id", "search_words"), on="page_id", maintain_order="left")
            .explode("search_words")
            .drop_nulls("search_words")
            .select(pl.col("search_words").alias("word"), "article_id"),
        )
        _insert(con, "article_topics", topic_rows(annotated, "article_id"))
        _insert(con, "article_countries", country_rows(annotated, "article_id"))
        mentions = (
            annotated.select("article_id", "entities")
            .explode("entities")
            .unnest("entities")
            .filter(pl.col("entity_id").is_not_null())
        )
        _insert(
            con,
            "entity_mentions",
            mentions.select("article_id", "entity_id", "field", "start", "end", "text"),
        )
        _insert(
            con,
            "article_entities",
            mentions.group_by("article_id", "entity_id", maintain_order=True).agg(
                pl.len().cast(pl.Int64).alias("mentions"),
                (pl.col("field") == "title").any().alias("in_title"),
            ),
        )
        spellings = mentions.group_by("entity_id", "type", "text", "country_code").agg(
            pl.len().cast(pl.Int64).alias("mentions")
        )
        if spellings.height:
            con.register("incoming", spellings)
            con.execute(
                f"""
                MERGE INTO {STATE_SCHEMA}.entity_spellings s
                USING incoming i
                ON s.entity_id = i.entity_id AND s.text = i.text
                   AND s.country_code IS NOT DISTINCT FROM i.country_code
                WHEN MATCHED THEN UPDATE SET mentions = s.mentions + i.mentions
                WHEN NOT MATCHED THEN INSERT
                    (entity_id, type, text, country_code, mentions)
                    VALUES (i.entity_id, i.type, i.text, i.country_code, i.mentions)
                """
            )
            con.unregister("incoming")
        after = pl.when(pl.col("field") == "title").then("title").otherwise("body")
        add_acronym_pairs(
            con,
            acronym_pairs(
                mentions.filter(pl.col("type") == "ORG")
                .join(annotated.select("article_id", "title", "body"), on="article_id")
                .select(
                    "article_id",
                    "entity_id",
                    "type",
                    after.str.slice(pl.col("end"), TEXT_AFTER_NAME).alias("after"),
                )
            ),
        )
        self.touched_entities.update(mentions["entity_id"].to_list())

    def _add_headlines(self, joined: pl.DataFrame) -> None:
        con = self.con
        sightings = (
            joined.filter(pl.col("headlines").list.len() > 0)
            .select("page_id", "fetched_at", "headlines")
            .with_columns(pl.int_ranges(1, pl.col("headlines").list.len() + 1).alias("position"))
            .explode("headlines", "position")
            .rename({"headlines": "text"})
        )
        if not sightings.height:
            return
        # A ticker repeats the same few hundred headlines on every page: ids per distinct text.
        ids = (
            sightings.select("text")
            .unique()
            .with_columns(stable_id_expr(match_keyed(pl.col("text"))).alias("headline_id"))
        )
        sightings = sightings.join(ids, on="text", how="left", maintain_order="left")
        _insert(
            con,
            "page_headlines",
            sightings.select("page_id", "headline_id", pl.col("position").cast(pl.Int64)),
        )
        seen = (
            sightings.sort("fetched_at", "page_id", "position", nulls_last=True)
            .group_by("headline_id", maintain_order=True)
            .agg(
                pl.col("text").first(),
                pl.col("fetched_at").min().alias("first_seen"),
                pl.col("fetched_at").max().alias("last_seen"),
                pl.col("page_id").n_unique().cast(pl.Int64).alias("page_count"),
                pl.len().cast(pl.Int64).alias("sightings"),
            )
        )
        con.register("seen", seen)
        con.execute(
            """
            UPDATE headlines SET
                text = CASE WHEN seen.first_seen < headlines.first_seen
                            THEN seen.text ELSE headlines.text END,
                first_seen = least(headlines.first_seen, seen.first_seen),
                last_seen = greatest(headlines.last_seen, seen.last_seen),
                page_count = headlines.page_count + seen.page_count,
                sightings = headlines.sightings + seen.sightings
            FROM seen WHERE headlines.headline_id = seen.headline_id
            """
        )
        fresh = con.execute(
            "SELECT seen.headline_id FROM seen ANTI JOIN headlines USING (headline_id)"
        ).fetchall()
        con.unregister("seen")
        new = seen.filter(pl.col("headline_id").is_in([row[0] for row in fresh])).sort(
            "first_seen", "headline_id", nulls_last=True
        )
        texts = new["text"].to_list()
        if self.topic_model is not None:
            new = pl.concat(
                [new, classify_texts(self.topic_model, texts, [None] * len(texts))],
                how="horizontal",
            )
            _insert(con, "headline_topics", topic_rows(new, "headline_id"))
        else:
            new = new.with_columns(pl.lit(None, dtype=pl.String).alias("topic"))
        if self.tagger is not None:
            tagged = tag_texts(self.tagger, {"title": texts})
            countries = pl.concat([new.select("headline_id"), tagged], how="horizontal")
        else:
            countries = new.select("headline_id").with_columns(
                pl.lit([], dtype=COUNTRY_MENTIONS).alias("countries")
            )
        _insert(
            con,
            "headline_countries",
            country_rows(countries, "headline_id").drop("is_about"),
        )
        _insert(con, "headlines", new.select(TABLES["headlines"].column_names))

    # -- aggregates, once per publish -----------------------------------------------------------

    def finish(self) -> None:
        """Recompute the aggregates the new slices touched (``aggregates.finish``)."""
        aggregates.finish(self.con, self.touched_entities)

    def record_batch(self, batch_id: str, pages: int) -> None:
        self.con.execute(
            f"INSERT INTO {STATE_SCHEMA}.batches "
            f"SELECT ?, coalesce(max(seq), 0) + 1, ?, now() FROM {STATE_SCHEMA}.batches",
            [batch_id, pages],
        )
