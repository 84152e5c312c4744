"""The stage: the source of truth that a warehouse is published from (DESIGN.md §7).

Input files are staged in *ingest batches*: small files that arrive together share a batch,
a large crawl or export file is a batch of its own, so a million pages are a few thousand
batches. Each batch has a manifest (its files and their content fingerprints) and, once
ingested, one Parquet part per staged table::

    <warehouse folder>/.staging/<warehouse name>/
        batches/<batch>.parquet            the batch's input files (written when planned)
        raw_pages/<batch>.parquet          page records, text included
        parsed_pages/<batch>.parquet       title, outlet, dates, body, ticker headlines
        annotated_pages/<batch>.parquet    topics, entity and country mentions

Batches are only ever added: a file whose content was staged before (under any name) is not
staged again, and nothing here is deleted by a run. Every part is written to a temporary
name and renamed into place, so a killed run leaves whole parts or none.

The root may be a shared folder that every worker of a cluster reads, or an object-store URL
(``s3://bucket/prefix``; docs/operations.md, "Running on a cluster"): files are then read and
written through Arrow's file systems and Polars' cloud readers, with credentials and endpoint
from the usual environment (``AWS_ACCESS_KEY_ID``, ``AWS_ENDPOINT_URL``…). Other schemes Arrow
knows (``gs://``) take the same path but are untested. An object appears only once its
upload completes, so there a part is written in place rather than renamed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pyarrow.fs as pafs
import pyarrow.parquet as pq

from marsad.ids import stable_id

# A file this large is a batch of its own (a crawl or an export); smaller ones are grouped.
OWN_BATCH_BYTES = 8 << 20
# Small files grouped into one batch at most (by count and by size).
BATCH_FILES = 1000
BATCH_BYTES = 64 << 20

STAGED_TABLES = ("raw_pages", "parsed_pages", "annotated_pages")

MANIFEST_SCHEMA = {
    "batch_id": pl.String,
    "planned_at": pl.Datetime("us", "UTC"),
    "source_file": pl.String,
    "fingerprint": pl.String,
    "bytes": pl.Int64,
    # Earlier contents staged under the same path (a file rewritten in place): its page ids
    # then carry the fingerprint, so both versions keep their pages.
    "revision": pl.Int64,
}


def content_fingerprint(path: Path) -> str:
    """BLAKE2b of the whole file: the same content under any name is the same input."""
    digest = hashlib.blake2b(digest_size=16)
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class InputFile:
    path: str
    fingerprint: str
    bytes: int


def group_into_batches(files: list[InputFile]) -> list[list[InputFile]]:
    """Files in the order given, grouped: a large file alone, small ones together."""
    batches: list[list[InputFile]] = []
    group: list[InputFile] = []
    size = 0
    for item in files:
        if item.bytes >= OWN_BATCH_BYTES:
            batches.append([item])
            continue
        if group and (len(group) >= BATCH_FILES or size + item.bytes > BATCH_BYTES):
            batches.append(group)
            group, size = [], 0
        group.append(item)
        size += item.bytes
    if group:
        batches.append(group)
    return batches


def is_url(location: str | Path) -> bool:
    """Whether a stage location is an object-store URL rather than a local path."""
    return "://" in str(location)


def storage_options(url: str) -> dict[str, str] | None:
    """Polars' options for an object-store URL, from the same environment Arrow reads (Polars
    does not allow plain HTTP unless told, and a local S3 endpoint is plain HTTP)."""
    if not url.startswith("s3://"):
        return None
    endpoint = os.environ.get("AWS_ENDPOINT_URL")
    options = {}
    if endpoint:
        options["aws_endpoint_url"] = endpoint
        if endpoint.startswith("http://"):
            options["aws_allow_http"] = "true"
    return options or None


class Stage:
    """The staged batches of one warehouse, in a local folder or under an object-store URL."""

    def __init__(self, root: Path | str):
        self.remote = is_url(root)
        if self.remote:
            self.root = str(root).rstrip("/")
            self.fs, base = pafs.FileSystem.from_uri(self.root)
            self._base = base.rstrip("/")
        else:
            self.root = Path(root)
            self.fs, self._base = pafs.LocalFileSystem(), str(Path(root).resolve())

    @classmethod
    def beside(cls, warehouse: Path | str) -> Stage:
        # One stage per warehouse, beside it, so two warehouses never mix.
        warehouse = Path(warehouse)
        return cls(warehouse.parent / ".staging" / warehouse.stem)

    def _location(self, *parts: str) -> str:
        """A file's path for Arrow's file system."""
        return "/".join([self._base, *parts])

    def _url(self, name: str) -> str:
        """A file's path or URL for Polars."""
        return f"{self.root if self.remote else self._base}/{name}"

    def _exists(self, location: str) -> bool:
        return self.fs.get_file_info(location).type == pafs.FileType.File

    def _scan(self, *names: str) -> pl.LazyFrame:
        """Parquet files under the root (``table/file.parquet``), read by Polars."""
        urls = [self._url(name) for name in names]
        return pl.scan_parquet(urls, storage_options=storage_options(str(self.root)))

    # -- manifests ------------------------------------------------------------------------

    def manifest_path(self, batch_id: str) -> str:
        return self._location("batches", f"{batch_id}.parquet")

    def manifests(self) -> pl.DataFrame:
        """Every planned batch's files, batches in the order they were planned."""
        listed = self.fs.get_file_info(
            pafs.FileSelector(self._location("batches"), allow_not_found=True)
        )
        names = sorted(
            info.base_name
            for info in listed
            if info.type == pafs.FileType.File
            and info.base_name.endswith(".parquet")
            and not info.base_name.startswith(".")
        )
        if not names:
            return pl.DataFrame(schema=MANIFEST_SCHEMA)
        return (
            self._scan(*(f"batches/{n}" for n in names))
            .collect()
            .sort("planned_at", "batch_id", maintain_order=True)
        )

    def plan(self, paths: Iterable[Path]) -> list[str]:
        """Batches for the given input files whose content was not staged before (each
        batch's manifest written). Identical files given together are all staged: they are
        pages of this delivery, and the warehouse counts the copies as duplicates. Batches
        planned earlier whose ingestion has not completed come first, so an interrupted run
        is resumed."""
        manifests = self.manifests()
        known = set(manifests["fingerprint"])
        revisions = manifests.group_by("source_file").agg(pl.col("fingerprint").n_unique())
        revision_of = dict(revisions.iter_rows())
        fresh: list[InputFile] = []
        for path in paths:
            fingerprint = content_fingerprint(path)
            if fingerprint in known:
                continue  # staged before, under this name or another: nothing new
            fresh.append(InputFile(str(path), fingerprint, path.stat().st_size))
        pending = [
            b for b in manifests["batch_id"].unique(maintain_order=True) if not self.is_staged(b)
        ]
        planned = []
        now = dt.datetime.now(dt.UTC)
        for n, group in enumerate(group_into_batches(fresh)):
            batch_id = stable_id(*sorted(f.fingerprint for f in group))
            manifest = pl.DataFrame(
                {
                    "batch_id": [batch_id] * len(group),
                    # One instant per plan, in order: batches keep the order they were planned.
                    "planned_at": [now + dt.timedelta(microseconds=n)] * len(group),
                    "source_file": [f.path for f in group],
                    "fingerprint": [f.fingerprint for f in group],
                    "bytes": [f.bytes for f in group],
                    "revision": [revision_of.get(f.path, 0) for f in group],
                },
                schema=MANIFEST_SCHEMA,
            )
            self._write(self.manifest_path(batch_id), manifest)
            planned.append(batch_id)
        return pending + planned

    def batch_files(self, batch_id: str) -> pl.DataFrame:
        path = self.manifest_path(batch_id)
        if not self._exists(path):
            raise FileNotFoundError(f"ingest batch {batch_id} has no manifest at {path}")
        return self._scan(f"batches/{batch_id}.parquet").collect()

    # -- parts ----------------------------------------------------------------------------

    def part_path(self, table: str, batch_id: str) -> str:
        return self._location(table, f"{batch_id}.parquet")

    def is_staged(self, batch_id: str) -> bool:
        """Whether every table of the batch is staged (its last part written)."""
        return self._exists(self.part_path("annotated_pages", batch_id))

    def staged_batches(self) -> list[str]:
        """Fully staged batches, in the order they were planned."""
        order = self.manifests()["batch_id"].unique(maintain_order=True).to_list()
        return [b for b in order if self.is_staged(b)]

    def write_part(
        self, table: str, batch_id: str, frames: Iterable[pl.DataFrame], empty: pl.DataFrame
    ) -> str:
        """Write one batch's part frame by frame (a large batch never sits in memory whole);
        it appears only once complete."""
        path = self.part_path(table, batch_id)
        with self._writing(path) as tmp:
            writer = None
            try:
                for frame in frames:
                    arrow = frame.to_arrow()
                    if writer is None:
                        writer = pq.ParquetWriter(tmp, arrow.schema, filesystem=self.fs)
                    writer.write_table(arrow)
            finally:
                if writer is not None:
                    writer.close()
            if writer is None:  # a batch without rows still gets its (empty) part
                pq.write_table(empty.to_arrow(), tmp, filesystem=self.fs)
        return path

    def scan(self, table: str, batch_ids: list[str]) -> pl.LazyFrame:
        if not batch_ids:
            return pl.LazyFrame()
        return self._scan(*(f"{table}/{b}.parquet" for b in batch_ids))

    def rows(self, table: str, batch_ids: list[str]) -> int:
        """Rows of the batches' parts, from the Parquet footers alone."""
        total = 0
        for b in batch_ids:
            with self.fs.open_input_file(self.part_path(table, b)) as stream:
                total += pq.ParquetFile(stream).metadata.num_rows
        return total

    def _write(self, path: str, frame: pl.DataFrame) -> None:
        with self._writing(path) as tmp:
            pq.write_table(frame.to_arrow(), tmp, filesystem=self.fs)

    @contextlib.contextmanager
    def _writing(self, path: str):
        """Where to write a file that must appear whole: a local file is written beside and
        renamed into place; an object appears when its upload completes, so it is written
        in place."""
        if self.remote:
            yield path
            return
        folder, name = path.rsplit("/", 1)
        self.fs.create_dir(folder, recursive=True)
        tmp = f"{folder}/.{name}.tmp"
        yield tmp
        os.replace(tmp, path)
