"""Input files to page records, and page records to article parts, one input file at a time."""

import itertools
from collections.abc import Iterable, Iterator
from pathlib import Path

import dagster as dg
import polars as pl
from tqdm import tqdm

from marsad.annotation import annotate_parts
from marsad.inputs import read_input, records_frame
from marsad.page_parsing import parse_records
from pipelines.metadata import counts_by, markdown_preview, share
from pipelines.models.assets import entity_model, topic_model
from pipelines.pages.partitions import input_files
from pipelines.resources import MarsadStorage, ModelStore

# A run over many files reads them all in one process (the CLI and backfills).
ONE_RUN = dg.BackfillPolicy.single_run()
# Records held in memory at once, whatever the size of an input file.
BATCH_RECORDS = 5000


def _batched(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


@dg.asset(
    group_name="ingest",
    kinds={"polars", "parquet"},
    partitions_def=input_files,
    backfill_policy=ONE_RUN,
    description="Every record of every raw input file, decoded, with its crawl metadata.",
)
def raw_pages(context: dg.AssetExecutionContext, storage: MarsadStorage) -> dg.MaterializeResult:
    keys = context.partition_keys
    for key in tqdm(keys, desc="reading inputs", unit="file", disable=None, leave=False):
        path = Path(key)
        if not path.is_file():
            raise dg.Failure(f"input file {key} no longer exists")
        batches = _batched(read_input(path, storage.columns), BATCH_RECORDS)
        storage.write_staged_batches(
            "raw_pages", map(records_frame, batches), key, empty=records_frame([])
        )
    # Metadata from the staged parts, without loading the text.
    records = storage.scan_partitions("raw_pages", keys).select(pl.exclude("text")).collect()
    context.log.info(f"read {records.height} records from {len(keys)} input files")
    unreadable = records.filter(pl.col("read_error").is_not_null())
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": records.height,
            "input_files": len(keys),
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


def _parse_batches(storage: MarsadStorage, keys: list[str]):
    """(key, parsed frame) pieces: small files parsed together (column work amortizes), a
    large file in slices, never more than BATCH_RECORDS records at once."""
    sizes = {
        k: storage.scan_partitions("raw_pages", [k]).select(pl.len()).collect().item() for k in keys
    }
    group: list[str] = []
    for key in [*keys, None]:
        if (
            key is not None
            and sizes[key] <= BATCH_RECORDS
            and (sum(sizes[k] for k in group) + sizes[key] <= BATCH_RECORDS)
        ):
            group.append(key)
            continue
        if group:
            records = storage.scan_partitions("raw_pages", group).collect()
            parsed = parse_records(records).join(
                records.select("page_id", "source_file"), on="page_id"
            )
            for (file,), part in parsed.partition_by("source_file", as_dict=True).items():
                yield file, part.drop("source_file")
            for file in set(group) - set(parsed["source_file"]):
                yield file, parse_records(records.clear())
        group = [key] if key is not None and sizes[key] <= BATCH_RECORDS else []
        if key is not None and sizes[key] > BATCH_RECORDS:
            scan = storage.scan_partitions("raw_pages", [key])
            for offset in range(0, sizes[key], BATCH_RECORDS):
                yield key, parse_records(scan.slice(offset, BATCH_RECORDS).collect())


@dg.asset(
    deps=[raw_pages],
    group_name="parse",
    kinds={"polars", "parquet"},
    partitions_def=input_files,
    backfill_policy=ONE_RUN,
    description="Title, original outlet, publication date, body and ticker headlines of each page.",
)
def parsed_pages(context: dg.AssetExecutionContext, storage: MarsadStorage) -> dg.MaterializeResult:
    keys = context.partition_keys
    pieces = itertools.groupby(_parse_batches(storage, keys), key=lambda piece: piece[0])
    for key, parts in pieces:
        storage.write_staged_batches("parsed_pages", (frame for _, frame in parts), key)
    parsed = storage.scan_partitions("parsed_pages", keys).select(pl.exclude("body")).collect()
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


@dg.asset(
    deps=[parsed_pages, topic_model, entity_model],
    group_name="parse",
    kinds={"polars", "parquet"},
    partitions_def=input_files,
    backfill_policy=ONE_RUN,
    description="IPTC topic and scores, entity mentions and country mentions of each parsed "
    "article, as pages are ingested (the trained models, else the shipped ones).",
)
def annotated_pages(
    context: dg.AssetExecutionContext, storage: MarsadStorage, models: ModelStore
) -> dg.MaterializeResult:
    keys = context.partition_keys

    def parsed_parts() -> Iterator[tuple[str, pl.DataFrame]]:
        for key in tqdm(keys, desc="annotating", unit="file", disable=None, leave=False):
            scan = storage.scan_partitions("parsed_pages", [key])
            for offset in range(0, scan.select(pl.len()).collect().item() or 1, BATCH_RECORDS):
                yield key, scan.slice(offset, BATCH_RECORDS).collect()

    articles = (
        storage.scan_partitions("parsed_pages", keys)
        .filter(pl.col("parse_error").is_null())
        .select(pl.len())
        .collect()
        .item()
    )
    # Tagging is the costly step of ingestion; over many articles it runs on every core.
    pieces = annotate_parts(parsed_parts(), models.annotation_models(), articles)
    for key, parts in itertools.groupby(pieces, key=lambda piece: piece[0]):
        storage.write_staged_batches("annotated_pages", (frame for _, frame in parts), key)
    annotated = (
        storage.scan_partitions("annotated_pages", keys)
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
