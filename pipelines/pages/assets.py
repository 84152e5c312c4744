"""Input files to page records, and page records to article parts, one input file at a time."""

from pathlib import Path

import dagster as dg
import polars as pl
from tqdm import tqdm

from marsad.inputs import read_input, records_frame
from marsad.inputs.records import RECORD_SCHEMA
from marsad.page_parsing import parse_records
from pipelines.metadata import counts_by, markdown_preview, share
from pipelines.pages.partitions import input_files
from pipelines.resources import MarsadStorage

# A run over many files reads them all in one process (the CLI and backfills).
ONE_RUN = dg.BackfillPolicy.single_run()


@dg.asset(
    group_name="ingest",
    kinds={"polars", "parquet"},
    partitions_def=input_files,
    backfill_policy=ONE_RUN,
    description="Every record of every raw input file, decoded, with its crawl metadata.",
)
def raw_pages(context: dg.AssetExecutionContext, storage: MarsadStorage) -> dg.MaterializeResult:
    keys = context.partition_keys
    frames = []
    for key in tqdm(keys, desc="reading inputs", unit="file", disable=None, leave=False):
        path = Path(key)
        if not path.is_file():
            raise dg.Failure(f"input file {key} no longer exists")
        records = records_frame(read_input(path, storage.columns))
        storage.write_staged("raw_pages", records, key)
        frames.append(records)
    records = pl.concat(frames) if frames else pl.DataFrame(schema=RECORD_SCHEMA)
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
    records = pl.concat([storage.read_staged("raw_pages", key) for key in keys])
    # One parse over all the run's files (column work amortizes), staged back file by file.
    parsed = parse_records(records)
    files = records.select("page_id", "source_file")
    by_file = parsed.join(files, on="page_id").partition_by("source_file", as_dict=True)
    for key in keys:
        part = by_file.get((key,), parsed.clear().with_columns(pl.lit(key).alias("source_file")))
        storage.write_staged("parsed_pages", part.drop("source_file"), key)
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
