"""Raw input files to page records, and page records to parsed pages."""

import dagster as dg
import polars as pl
from tqdm import tqdm

from marsad.aggregator_page import parse_pages
from marsad.raw_inputs import discover_input_files, iter_page_records, records_frame
from pipelines.metadata import counts_by, markdown_preview, share
from pipelines.resources import MarsadStorage


@dg.asset(
    group_name="ingest",
    kinds={"polars", "parquet"},
    description="Every record of every raw input file, decoded, with its crawl metadata.",
)
def raw_pages(context: dg.AssetExecutionContext, storage: MarsadStorage) -> dg.MaterializeResult:
    try:
        files = discover_input_files(storage.raw_paths)
    except FileNotFoundError as missing:
        raise dg.Failure(str(missing)) from missing
    context.log.info(f"reading {len(files)} input files from {storage.raw_paths}")
    progress = tqdm(files, desc="reading pages", unit="file", disable=None, leave=False)
    records = records_frame(iter_page_records(progress))
    storage.write_staged("raw_pages", records)
    unreadable = records.filter(pl.col("read_error").is_not_null())
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": records.height,
            "input_files": len(files),
            "bytes": int(records["byte_size"].sum() or 0),
            "unreadable": unreadable.height,
            "unreadable_share": share(unreadable.height, records.height),
            "encodings": counts_by(records, "encoding"),
            "fetched_at_source": counts_by(records, "fetched_at_source"),
            "preview": markdown_preview(
                records.select("source_file", "url", "fetched_at", "encoding", "read_error")
            ),
        }
    )


@dg.asset(
    deps=[raw_pages],
    group_name="parse",
    kinds={"polars", "parquet"},
    description="Title, original outlet, byline date, body and ticker headlines of each page.",
)
def parsed_pages(context: dg.AssetExecutionContext, storage: MarsadStorage) -> dg.MaterializeResult:
    records = storage.read_staged("raw_pages")
    readable = records.filter(pl.col("text").is_not_null()).select("page_id", "text")
    parsed = parse_pages(readable)
    storage.write_staged("parsed_pages", parsed)
    articles = parsed.filter(pl.col("parse_error").is_null())
    context.log.info(f"parsed {parsed.height} pages, {articles.height} with an article")
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": parsed.height,
            "parse_rate": share(articles.height, parsed.height),
            "parse_errors": counts_by(
                parsed.filter(pl.col("parse_error").is_not_null()), "parse_error"
            ),
            "date_flags": counts_by(articles, "date_flag"),
            "ticker_headlines": int(parsed["headlines"].list.len().sum() or 0),
            "preview": markdown_preview(
                articles.select("title", "outlet", "published_date", "date_flag")
            ),
        }
    )
