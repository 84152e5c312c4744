"""Ingest batches to page records, page records to article parts and their annotations,
one ingest batch (a partition) at a time, each staged as Parquet (``marsad.warehouse.stage``)."""

import itertools
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import polars as pl
from tqdm import tqdm

from marsad.enrich.annotation import ANNOTATION_SCHEMA, annotate_parts
from marsad.failpoints import failpoint
from marsad.ids import stable_id_expr
from marsad.ingest.page_parsing import parse_records
from marsad.ingest.readers import read_input, records_frame
from marsad.warehouse.stage import Stage
from pipelines.metadata import counts_by, markdown_preview, share
from pipelines.models.assets import entity_model, topic_model
from pipelines.pages.partitions import ingest_batches
from pipelines.resources import MarsadStorage, ModelStore

# A run over many batches works through them all in one process (the CLI and backfills).
ONE_RUN = dg.BackfillPolicy.single_run()
# Records held in memory at once, whatever the size of an input file or batch.
BATCH_RECORDS = 5000


def _batched(items, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def _batch_records(storage: MarsadStorage, batch_id: str) -> Iterator[pl.DataFrame]:
    """The page records of every file of a batch, BATCH_RECORDS at a time."""
    for path, fingerprint, revision in (
        storage.stage.batch_files(batch_id)
        .select("source_file", "fingerprint", "revision")
        .iter_rows()
    ):
        if not Path(path).is_file():
            raise dg.Failure(f"input file {path} (ingest batch {batch_id}) no longer exists")
        for records in _batched(read_input(Path(path), storage.columns), BATCH_RECORDS):
            frame = records_frame(records)
            if revision:  # the file was rewritten in place: its earlier pages keep their ids
                frame = frame.with_columns(
                    stable_id_expr("page_id", pl.lit(fingerprint)).alias("page_id")
                )
            yield frame


@dg.asset(
    group_name="ingest",
    kinds={"polars", "parquet"},
    partitions_def=ingest_batches,
    backfill_policy=ONE_RUN,
    description="Every record of every raw input file of an ingest batch, decoded, with its "
    "crawl metadata.",
)
def raw_pages(context: dg.AssetExecutionContext, storage: MarsadStorage) -> dg.MaterializeResult:
    keys = context.partition_keys
    stage = storage.stage
    for key in tqdm(keys, desc="reading inputs", unit="batch", disable=None, leave=False):
        stage.write_part("raw_pages", key, _batch_records(storage, key), records_frame([]))
    # Metadata from the staged parts, without loading the text.
    records = stage.scan("raw_pages", keys).select(pl.exclude("text")).collect()
    files = sum(stage.batch_files(key).height for key in keys)
    context.log.info(f"read {records.height} records from {files} input files")
    unreadable = records.filter(pl.col("read_error").is_not_null())
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": records.height,
            "ingest_batches": len(keys),
            "input_files": files,
            "bytes": int(records["byte_size"].sum() or 0),
            "unreadable": unreadable.height,
            "unreadable_share": share(unreadable.height, records.height),
            "skipped": records["skip_reason"].is_not_null().sum(),
            "formats": counts_by(records, "input_format"),
            "encodings": counts_by(records, "encoding"),
            "preview": markdown_preview(
                records.select("source_file", "record_no", "url", "input_format", "read_error")
            ),
        }
    )


def _slices(stage: Stage, table: str, key: str) -> Iterator[pl.DataFrame]:
    scan = stage.scan(table, [key])
    rows = stage.rows(table, [key])
    for offset in range(0, rows or 1, BATCH_RECORDS):
        yield scan.slice(offset, BATCH_RECORDS).collect()


def _parsed_in_order(records: pl.DataFrame) -> pl.DataFrame:
    """Parsed pages in the order of their records (publishing reads them side by side)."""
    parsed = parse_records(records)
    return records.select("page_id").join(parsed, on="page_id", maintain_order="left")


@dg.asset(
    deps=[raw_pages],
    group_name="parse",
    kinds={"polars", "parquet"},
    partitions_def=ingest_batches,
    backfill_policy=ONE_RUN,
    description="Title, original outlet, publication date, body and ticker headlines of each page.",
)
def parsed_pages(context: dg.AssetExecutionContext, storage: MarsadStorage) -> dg.MaterializeResult:
    keys = context.partition_keys
    stage = storage.stage
    for key in keys:
        parsed = map(_parsed_in_order, _slices(stage, "raw_pages", key))
        stage.write_part("parsed_pages", key, parsed, parse_records(records_frame([])))
    parsed = stage.scan("parsed_pages", keys).select(pl.exclude("body")).collect()
    articles = parsed.filter(pl.col("parse_error").is_null())
    context.log.info(f"parsed {parsed.height} pages, {articles.height} with an article")
    metadata = {"dagster/row_count": parsed.height}
    if parsed.height:
        metadata |= {
            "parse_rate": share(articles.height, parsed.height),
            "parse_errors": counts_by(
                parsed.filter(pl.col("parse_error").is_not_null()), "parse_error"
            ),
            "date_flags": counts_by(articles, "date_flag"),
            "outlet_sources": counts_by(articles, "outlet_source"),
            "ticker_headlines": int(parsed["headlines"].list.len().sum() or 0),
            "preview": markdown_preview(
                articles.select("title", "outlet", "published_date", "date_source")
            ),
        }
    return dg.MaterializeResult(metadata=metadata)


def annotate_batches(stage: Stage, keys: list[str], models: ModelStore) -> None:
    """Annotate the staged parsed pages of the batches and stage the annotations."""

    def parsed_parts() -> Iterator[tuple[str, pl.DataFrame]]:
        for key in tqdm(keys, desc="annotating", unit="batch", disable=None, leave=False):
            for frame in _slices(stage, "parsed_pages", key):
                yield key, frame

    articles = (
        stage.scan("parsed_pages", keys)
        .filter(pl.col("parse_error").is_null())
        .select(pl.len())
        .collect()
        .item()
    )
    # Tagging is the costly step of ingestion; over many articles it runs on Ray.
    pieces = annotate_parts(parsed_parts(), models.annotation_models(), articles)
    empty = pl.DataFrame(schema=ANNOTATION_SCHEMA)
    for key, parts in itertools.groupby(pieces, key=lambda piece: piece[0]):
        stage.write_part("annotated_pages", key, _frames_until_failpoint(parts), empty)


def _frames_until_failpoint(parts) -> Iterator[pl.DataFrame]:
    for _, frame in parts:
        yield frame
        failpoint("annotate")


@dg.asset(
    deps=[parsed_pages, topic_model, entity_model],
    group_name="parse",
    kinds={"polars", "parquet"},
    partitions_def=ingest_batches,
    backfill_policy=ONE_RUN,
    description="IPTC topic and scores, entity mentions and country mentions of each parsed "
    "article, as pages are ingested (the trained models, else the shipped ones).",
)
def annotated_pages(
    context: dg.AssetExecutionContext, storage: MarsadStorage, models: ModelStore
) -> dg.MaterializeResult:
    keys = context.partition_keys
    annotate_batches(storage.stage, keys, models)
    annotated = (
        storage.stage.scan("annotated_pages", keys)
        .select(
            "topic",
            pl.col("entities").list.len().alias("entities"),
            pl.col("countries").list.len().alias("countries"),
        )
        .collect()
    )
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": annotated.height,
            "topic_model": str(models.model_path("topics.npz")),
            "entity_model": str(models.model_path("entities.crfsuite")),
            "topics": counts_by(annotated, "topic"),
            "unclassified": annotated["topic"].null_count(),
            "entity_mentions": int(annotated["entities"].sum() or 0),
            "country_mentions": int(annotated["countries"].sum() or 0),
        }
    )
