"""Read-only SQL for the dashboard's pages, on the published warehouse version that the
script run pinned (``dashboards.published``)."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from dashboards.published import query
from marsad.arabic import query_keys


@dataclass(frozen=True)
class Selection:
    """The shared filters: dates, outlets, outlet countries, topics, countries (as main
    subject, or mentioned at all), one entity and a free-text search (empty = all)."""

    start: object
    end: object
    outlets: tuple[str, ...] = ()
    outlet_countries: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    about_only: bool = True
    entity: str | None = None
    search: str = ""

    def where(self, alias: str = "a") -> tuple[str, tuple]:
        clauses = [f"{alias}.published_date BETWEEN ? AND ?"]
        params: list = [self.start, self.end]

        def among(column: str, values: tuple[str, ...]) -> None:
            clauses.append(f"{column} IN ({', '.join('?' for _ in values)})")
            params.extend(values)

        if self.outlets:
            # Outlets are chosen by canonical name, so every spelling of one outlet counts.
            among(f"{alias}.outlet_name", self.outlets)
        if self.outlet_countries:
            among(f"{alias}.outlet_country", self.outlet_countries)
        if self.topics:
            among(f"{alias}.topic", self.topics)
        if self.countries:
            about = " AND c.is_about" if self.about_only else ""
            marks = ", ".join("?" for _ in self.countries)
            clauses.append(
                f"EXISTS (SELECT 1 FROM article_countries c WHERE c.article_id = "
                f"{alias}.article_id AND c.country_code IN ({marks}){about})"
            )
            params.extend(self.countries)
        if self.entity:
            # An entity and every other name of it (entities.merged_into).
            clauses.append(
                f"EXISTS (SELECT 1 FROM article_entities e JOIN entities x USING (entity_id) "
                f"WHERE e.article_id = {alias}.article_id "
                f"AND coalesce(x.merged_into, x.entity_id) = ?)"
            )
            params.append(self.entity)
        # Every word of the search must be in the article; the index (article_words) files
        # each word under its clitic-free forms, so احمد finds أحمد and بأحمد.
        for key in query_keys(self.search):
            clauses.append(
                f"{alias}.article_id IN (SELECT article_id FROM article_words WHERE word = ?)"
            )
            params.append(key)
        return " AND ".join(clauses), tuple(params)


GRANULARITIES = ("day", "week", "month")
OTHER = "\u2026other"  # the series of every series beyond the top ones
UNKNOWN = "\u2026unknown"  # articles whose outlet is not known
ALL = "all articles"  # the one series of the split "none"
SPLITS = ("topic", "country", "outlet", "none")


def date_bounds() -> tuple[object, object] | None:
    row = query("SELECT min(published_date), max(published_date) FROM articles").row(0)
    return None if row[0] is None else row


def outlets() -> list[str]:
    return query(
        "SELECT outlet_name AS outlet FROM articles WHERE outlet_name IS NOT NULL "
        "GROUP BY outlet_name ORDER BY count(*) DESC, outlet_name"
    )["outlet"].to_list()


def totals(selection: Selection) -> dict[str, int]:
    """The number cards: articles, outlets and headlines of the selection; pages, undated
    articles and quarantined pages of the whole warehouse (no filter applies to them)."""
    where, params = selection.where()
    headline_where, headline_params = _headline_where(selection)
    row = query(
        f"""
        SELECT (SELECT count(*) FROM articles a WHERE {where}),
               (SELECT count(DISTINCT a.outlet_name) FROM articles a WHERE {where}),
               (SELECT count(*) FROM headlines h WHERE {headline_where}),
               (SELECT count(*) FROM pages),
               (SELECT count(*) FROM articles WHERE published_date IS NULL),
               (SELECT count(*) FROM quarantine)
        """,
        (*params, *params, *headline_params),
    ).row(0)
    names = ["articles", "outlets", "headlines", "pages", "undated", "quarantined"]
    return dict(zip(names, row, strict=True))


def _series(split: str, selection: Selection) -> tuple[str, str]:
    """(join, series expression) of a coverage split."""
    if split == "topic":
        return "", "coalesce(a.topic, 'unclassified')"
    if split == "country":
        about = " AND c.is_about" if selection.about_only else ""
        return f"JOIN article_countries c ON c.article_id = a.article_id{about}", "c.country_code"
    if split == "outlet":
        return "", f"coalesce(a.outlet_name, '{UNKNOWN}')"
    return "", f"'{ALL}'"


def coverage(
    selection: Selection, split: str = "topic", granularity: str = "week", top: int = 8
) -> pl.DataFrame:
    """Articles per period and series, with periods without articles as explicit zeros.

    The ``top`` largest series are kept and the rest summed into one ``OTHER`` series (each
    article once), so no article leaves the chart; ``hidden`` says how many series OTHER
    holds. ``share`` is the series' articles over all the selection's articles in the period
    (a ratio of sums). ``partial`` marks the periods the date range cuts (a week or month
    that starts before the first day or ends after the last): fewer days, not fewer
    articles a day.
    """
    if split not in SPLITS or granularity not in GRANULARITIES:
        raise ValueError(f"unknown split {split!r} or granularity {granularity!r}")
    where, params = selection.where()
    join, series = _series(split, selection)
    return query(
        f"""
        WITH chosen AS (SELECT a.* FROM articles a WHERE {where}),
        tagged AS (
            SELECT date_trunc('{granularity}', a.published_date)::DATE AS period,
                   {series} AS series, a.article_id
            FROM chosen a {join}
        ),
        ranked AS (
            SELECT series, row_number() OVER (
                       ORDER BY count(DISTINCT article_id) DESC, series) AS rank
            FROM tagged GROUP BY series
        ),
        grouped AS (
            SELECT t.period, t.article_id,
                   CASE WHEN r.rank <= {int(top)} THEN t.series ELSE '{OTHER}' END AS series
            FROM tagged t JOIN ranked r USING (series)
        ),
        kept AS (SELECT DISTINCT series FROM grouped),
        periods AS (
            SELECT range::DATE AS period
            FROM range(date_trunc('{granularity}', ?::DATE), ?::DATE + 1,
                       INTERVAL 1 {granularity})
        ),
        totals AS (
            SELECT date_trunc('{granularity}', published_date)::DATE AS period,
                   count(*) AS total
            FROM chosen GROUP BY 1
        ),
        counts AS (
            SELECT period, series, count(DISTINCT article_id) AS articles
            FROM grouped GROUP BY ALL
        )
        SELECT p.period, k.series, coalesce(c.articles, 0) AS articles,
               coalesce(t.total, 0) AS total,
               CASE WHEN coalesce(t.total, 0) = 0 THEN NULL
                    ELSE coalesce(c.articles, 0) / t.total END AS share,
               p.period < ?::DATE
                 OR (p.period + INTERVAL 1 {granularity} - INTERVAL 1 day)::DATE > ?::DATE
                 AS partial,
               (SELECT greatest(count(*) - {int(top)}, 0) FROM ranked) AS hidden
        FROM periods p CROSS JOIN kept k
        LEFT JOIN counts c ON c.period = p.period AND c.series = k.series
        LEFT JOIN totals t ON t.period = p.period
        ORDER BY p.period, k.series = '{OTHER}', k.series
        """,
        (*params, selection.start, selection.end, selection.start, selection.end),
    )


def coverage_articles(
    selection: Selection,
    split: str,
    granularity: str,
    period,
    series: str,
    shown: tuple[str, ...] = (),
    limit: int = 200,
) -> pl.DataFrame:
    """The articles behind one point of the coverage chart; for the OTHER series, those of
    every series not among ``shown``."""
    where, params = selection.where()
    join, expression = _series(split, selection)
    if series == OTHER:
        marks = ", ".join("?" for _ in shown) or "NULL"
        match, values = f"{expression} NOT IN ({marks})", tuple(shown)
    else:
        match, values = f"{expression} = ?", (series,)
    return query(
        f"""
        SELECT DISTINCT a.published_date, a.outlet_name AS outlet, a.title, a.topic, a.url,
               a.article_id
        FROM articles a {join}
        WHERE {where} AND date_trunc('{granularity}', a.published_date)::DATE = ?
          AND {match}
        ORDER BY a.published_date DESC, a.title LIMIT {int(limit)}
        """,
        (*params, period, *values),
    )


def countries_map(selection: Selection) -> pl.DataFrame:
    """Articles per country (as subject, or mentioned) in the selection."""
    where, params = selection.where()
    about = " AND c.is_about" if selection.about_only else ""
    return query(
        f"""
        SELECT c.country_code, count(*) AS articles  -- one row per article and country
        FROM articles a JOIN article_countries c ON c.article_id = a.article_id{about}
        WHERE {where} GROUP BY 1 ORDER BY 2 DESC
        """,
        params,
    )


def top_entities(selection: Selection, limit: int = 20) -> pl.DataFrame:
    """The ``limit`` most covered people, organisations and places (column ``type``), in one
    pass over the selection. Every name of one entity counts for it (entities.merged_into),
    each article once; bare given names (فهد), who are nobody in particular, and "people"
    without an Arabic letter are left out."""
    where, params = selection.where()
    # Counted per name first (one cheap pass), then summed per entity; only the articles
    # that name one entity twice (two of its names) are looked at again, to count them once.
    return query(
        f"""
        WITH chosen AS (SELECT a.article_id FROM articles a WHERE {where}),
        per_name AS (
            SELECT ae.entity_id, count(*) AS articles, sum(ae.mentions) AS mentions
            FROM article_entities ae WHERE ae.article_id IN (SELECT article_id FROM chosen)
            GROUP BY ae.entity_id
        ),
        grouped AS (
            SELECT entity_id, coalesce(merged_into, entity_id) AS canonical FROM entities
            WHERE merged_into IS NOT NULL
               OR entity_id IN (SELECT merged_into FROM entities WHERE merged_into IS NOT NULL)
        ),
        repeats AS (
            SELECT canonical, sum(names - 1) AS repeats FROM (
                SELECT g.canonical, ae.article_id, count(*) AS names
                FROM article_entities ae JOIN grouped g USING (entity_id)
                WHERE ae.article_id IN (SELECT article_id FROM chosen)
                GROUP BY ALL HAVING count(*) > 1
            ) GROUP BY canonical
        ),
        counted AS (
            SELECT coalesce(e.merged_into, p.entity_id) AS entity_id,
                   sum(p.articles) AS articles, sum(p.mentions) AS mentions
            FROM per_name p JOIN entities e USING (entity_id) GROUP BY 1
        ),
        shown AS (
            SELECT e.type, e.entity_id, e.name, e.country_code,
                   (c.articles - coalesce(r.repeats, 0))::BIGINT AS covered,
                   c.mentions::BIGINT AS named
            FROM counted c JOIN entities e USING (entity_id)
            LEFT JOIN repeats r ON r.canonical = c.entity_id
            WHERE e.merge_rule IS DISTINCT FROM 'given name alone'
              -- A "person" without an Arabic letter is page furniture the tagger took for a
              -- name (Next Previous), not someone the news is about.
              AND NOT (e.type = 'PER' AND NOT regexp_matches(e.name, '[\u0600-\u06ff]'))
            QUALIFY row_number() OVER (
                PARTITION BY e.type ORDER BY covered DESC, named DESC, e.name
            ) <= {int(limit)}
        ),
        -- Entities of each shown name in the warehouse (the clubs called الأهلي), shown or
        -- not: the page names each with its country (``names.distinct_names``).
        namesakes AS (
            SELECT n.type, n.name, count(*)::BIGINT AS namesakes
            FROM entities n SEMI JOIN shown t ON n.type = t.type AND n.name = t.name
            WHERE n.merged_into IS NULL GROUP BY ALL
        )
        SELECT t.*, coalesce(s.namesakes, 1)::BIGINT AS namesakes
        FROM shown t LEFT JOIN namesakes s USING (type, name)
        ORDER BY t.type, t.covered DESC, t.named DESC, t.name
        """,
        params,
    ).rename({"covered": "articles", "named": "mentions"})


def co_occurring(selection: Selection, entity_id: str, limit: int = 15) -> pl.DataFrame:
    """The entities most often in the same articles as ``entity_id`` (every name of each
    counting for it)."""
    where, params = selection.where()
    return query(
        f"""
        WITH named AS (
            SELECT entity_id, coalesce(merged_into, entity_id) AS canonical FROM entities
        ),
        mine AS (
            SELECT DISTINCT ae.article_id FROM article_entities ae JOIN named n USING (entity_id)
            WHERE n.canonical = ?
        ),
        others AS (
            SELECT DISTINCT ae.article_id, n.canonical
            FROM article_entities ae JOIN named n USING (entity_id)
            JOIN mine USING (article_id)
            WHERE n.canonical <> ?
        )
        SELECT e.name, e.type, count(*) AS articles  -- one row per article and entity
        FROM others o JOIN articles a ON a.article_id = o.article_id
        JOIN entities e ON e.entity_id = o.canonical
        WHERE {where}
        GROUP BY ALL ORDER BY articles DESC, e.name LIMIT {int(limit)}
        """,
        (entity_id, entity_id, *params),
    )


def entity_names() -> pl.DataFrame:
    """Entities to filter by: one per person or organisation (not its other names)."""
    return query(
        "SELECT entity_id, name, type FROM entities WHERE merged_into IS NULL "
        "ORDER BY articles DESC, name LIMIT 2000"
    )


def topic_labels() -> pl.DataFrame:
    return query("SELECT topic, label_en, label_ar FROM topics ORDER BY topic")


def country_codes() -> list[str]:
    return query("SELECT country_code FROM article_countries GROUP BY 1 ORDER BY count(*) DESC")[
        "country_code"
    ].to_list()


def outlet_countries() -> list[str]:
    return query(
        "SELECT DISTINCT outlet_country FROM articles WHERE outlet_country IS NOT NULL ORDER BY 1"
    )["outlet_country"].to_list()


def article(article_id: str) -> dict | None:
    rows = query(
        """
        SELECT a.article_id, a.title, a.body, a.outlet_name AS outlet, a.outlet_country,
               a.source_credit, a.published_date, a.url, a.topic, t.label_en, t.label_ar
        FROM articles a LEFT JOIN topics t USING (topic) WHERE a.article_id = ?
        """,
        (article_id,),
    )
    return rows.row(0, named=True) if rows.height else None


def article_mentions(article_id: str) -> pl.DataFrame:
    return query(
        """
        SELECT m.field, m.start, m."end", m.text, e.type, e.name, e.country_code
        FROM entity_mentions m JOIN entities e USING (entity_id)
        WHERE m.article_id = ? ORDER BY m.field, m.start
        """,
        (article_id,),
    )


def article_country_list(article_id: str) -> pl.DataFrame:
    return query(
        "SELECT country_code, mentions, is_about FROM article_countries WHERE article_id = ? "
        "ORDER BY is_about DESC, mentions DESC",
        (article_id,),
    )


def articles(selection: Selection, limit: int = 500) -> pl.DataFrame:
    where, params = selection.where()
    return query(
        f"""
        SELECT a.published_date, a.outlet_name AS outlet, a.title, a.topic, a.url, a.article_id
        FROM articles a WHERE {where}
        ORDER BY a.published_date DESC, a.outlet, a.title LIMIT {int(limit)}
        """,
        params,
    )


def outlet_sources(selection: Selection) -> pl.DataFrame:
    """Per outlet of the selection: its articles, those whose text credits an agency or a
    paper as their source, and the sources, most credited first."""
    where, params = selection.where()
    return query(
        f"""
        WITH credited AS (
            SELECT coalesce(a.outlet_name, '{UNKNOWN}') AS outlet, a.source_credit
            FROM articles a WHERE {where}
        ),
        sources AS (
            SELECT outlet, source_credit, count(*) AS n FROM credited
            WHERE source_credit IS NOT NULL GROUP BY ALL
        )
        SELECT c.outlet, count(*) AS articles, count(c.source_credit) AS credited,
               round(100.0 * count(c.source_credit) / count(*), 1) AS credited_share,
               (SELECT string_agg(source_credit || ' ' || n, ' · ' ORDER BY n DESC, source_credit)
                FROM sources s WHERE s.outlet = c.outlet) AS sources
        FROM credited c GROUP BY c.outlet HAVING count(c.source_credit) > 0
        ORDER BY credited DESC, c.outlet
        """,
        params,
    )


def _headline_where(selection: Selection) -> tuple[str, tuple]:
    """The selection's dates (first seen), topics and countries, for ticker headlines."""
    clauses = ["h.first_seen::DATE BETWEEN ? AND ?"]
    params: list = [selection.start, selection.end]
    if selection.topics:
        clauses.append(f"h.topic IN ({', '.join('?' for _ in selection.topics)})")
        params.extend(selection.topics)
    if selection.countries:
        marks = ", ".join("?" for _ in selection.countries)
        clauses.append(
            f"EXISTS (SELECT 1 FROM headline_countries c WHERE c.headline_id = h.headline_id "
            f"AND c.country_code IN ({marks}))"
        )
        params.extend(selection.countries)
    return " AND ".join(clauses), tuple(params)


def collection_start() -> object | None:
    """The day the first page was crawled: the headlines first seen then were already on the
    ticker, so their real first appearance is unknown."""
    return query("SELECT min(first_seen)::DATE FROM headlines").item()


def headline_days(selection: Selection) -> pl.DataFrame:
    """Distinct headlines per first-seen day and topic, all of them in the selection."""
    where, params = _headline_where(selection)
    return query(
        f"""
        SELECT h.first_seen::DATE AS first_seen_day, h.topic, count(*) AS headlines
        FROM headlines h WHERE {where} GROUP BY ALL ORDER BY 1, 2
        """,
        params,
    )


def headlines(selection: Selection, limit: int = 500) -> pl.DataFrame:
    """The selection's most-shown headlines, with how long each stayed on the ticker."""
    where, params = _headline_where(selection)
    return query(
        f"""
        SELECT h.text, h.first_seen::DATE AS first_seen_day, h.first_seen, h.last_seen,
               h.page_count, h.topic,
               round((epoch(h.last_seen) - epoch(h.first_seen)) / 86400, 1) AS days_on_ticker
        FROM headlines h WHERE {where}
        ORDER BY h.page_count DESC, h.first_seen LIMIT {int(limit)}
        """,
        params,
    )


def outlet_flags(weekly: pl.DataFrame) -> tuple[pl.DataFrame, list]:
    """Outlet weeks that stand out, and the weeks with no articles from any outlet.

    Only whole weeks in which the collection has articles count: a week the date range cuts
    has fewer days, and a week without any article is a gap in the collection, not in every
    outlet. Among those, an outlet's week is a ``gap`` when it published nothing though its
    median week has articles, a ``drop`` under half its median week, a ``surge`` over twice
    its median week (``other`` is not an outlet and is never flagged).
    """
    whole = weekly.filter(~pl.col("partial"))
    gaps = whole.filter(pl.col("total") == 0)["period"].unique().sort().to_list()
    active = whole.filter((pl.col("total") > 0) & (pl.col("series") != OTHER))
    flags = (
        active.with_columns(pl.col("articles").median().over("series").alias("median_week"))
        .with_columns(
            pl.when((pl.col("articles") == 0) & (pl.col("median_week") >= 1))
            .then(pl.lit("gap"))
            .when(pl.col("articles") < 0.5 * pl.col("median_week"))
            .then(pl.lit("drop"))
            .when(pl.col("articles") > 2 * pl.col("median_week"))
            .then(pl.lit("surge"))
            .alias("flag")
        )
        .filter(pl.col("flag").is_not_null())
        .select("series", "period", "articles", "median_week", "flag")
        .rename({"series": "outlet"})
        .sort("period", "outlet")
    )
    return flags, gaps
