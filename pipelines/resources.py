"""Resources of the Marsad code location."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import dagster as dg
import polars as pl
import pyarrow.parquet as pq
from pydantic import Field

from marsad.annotation import AnnotationModels
from marsad.entities import CLUSTERS_PATH, EntityTagger
from marsad.entities import MODEL_PATH as ENTITY_MODEL_PATH
from marsad.entity_lstm import LSTM_PATH
from marsad.ids import stable_id
from marsad.inputs import ColumnMap
from marsad.topics import MODEL_PATH as SHIPPED_TOPIC_MODEL
from marsad.topics import TopicModel

SHIPPED_MODELS = SHIPPED_TOPIC_MODEL.parent
TOPIC_MODEL_FILE = SHIPPED_TOPIC_MODEL.name
ENTITY_MODEL_FILE = ENTITY_MODEL_PATH.name
CLUSTERS_FILE = CLUSTERS_PATH.name
LSTM_FILE = LSTM_PATH.name

DEFAULT_INBOX = "data/inbox"
DEFAULT_WAREHOUSE = "data/warehouse.duckdb"
DEFAULT_MODELS = "data/models"
DEFAULT_TRAINING_DATA = "../shared/data"


class MarsadStorage(dg.ConfigurableResource):
    """Where new input files arrive (the inbox), where intermediate tables are staged as
    Parquet, and where the DuckDB warehouse is published. Relative paths are taken from the
    working directory."""

    warehouse_path: str = DEFAULT_WAREHOUSE
    inbox_path: str = DEFAULT_INBOX
    # Column names of JSONL/Parquet exports, by role (text, url, fetched_at, published, title,
    # outlet), where they differ from the usual names.
    export_columns: dict[str, str] = Field(default_factory=dict)

    @property
    def warehouse(self) -> Path:
        return Path(self.warehouse_path)

    @property
    def inbox(self) -> Path:
        return Path(self.inbox_path)

    @property
    def columns(self) -> ColumnMap:
        return ColumnMap.with_overrides(self.export_columns) if self.export_columns else ColumnMap()

    @property
    def staging_dir(self) -> Path:
        # One staging folder per warehouse, beside it, so two warehouses never mix.
        return self.warehouse.parent / ".staging" / self.warehouse.stem

    def staged_path(self, table: str, partition: str | None = None) -> Path:
        if partition is None:
            return self.staging_dir / f"{table}.parquet"
        return self.staging_dir / table / f"{stable_id(partition)}.parquet"

    def write_staged(self, table: str, frame: pl.DataFrame, partition: str | None = None) -> Path:
        """Write a staged table (or one input file's part of it); the rename keeps a reader
        from seeing half a file, and a re-run replaces the part instead of adding to it."""
        path = self.staged_path(table, partition)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".parquet.tmp")
        frame.write_parquet(tmp)
        os.replace(tmp, path)
        return path

    def write_staged_batches(
        self,
        table: str,
        batches: Iterable[pl.DataFrame],
        partition: str,
        empty: pl.DataFrame | None = None,
    ) -> Path:
        """Write one input file's part batch by batch, so a large file never sits in memory
        whole; the part appears (renamed into place) only once complete."""
        path = self.staged_path(table, partition)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".parquet.tmp")
        writer = None
        try:
            for batch in batches:
                arrow = batch.to_arrow()
                if writer is None:
                    writer = pq.ParquetWriter(tmp, arrow.schema)
                writer.write_table(arrow)
        finally:
            if writer is not None:
                writer.close()
        if writer is None:  # an input without records still gets its (empty) part
            if empty is None:
                raise ValueError(f"no batch to stage for {partition}")
            empty.write_parquet(tmp)
        os.replace(tmp, path)
        return path

    def scan_partitions(self, table: str, partitions: list[str]) -> pl.LazyFrame:
        """The staged parts of the given partitions, lazily (for metadata without the text)."""
        return pl.scan_parquet([str(self.staged_path(table, p)) for p in partitions])

    def read_staged(self, table: str, partition: str | None = None) -> pl.DataFrame:
        path = self.staged_path(table, partition)
        if not path.is_file():
            what = f"{table!r} for {partition}" if partition else repr(table)
            raise dg.Failure(f"staged table {what} is missing at {path}: materialize it first")
        return pl.read_parquet(path)

    def read_partitions(
        self, table: str, partitions: list[str], exclude: tuple[str, ...] = ()
    ) -> tuple[pl.DataFrame, list[str]]:
        """All staged parts of a partitioned table (without the ``exclude`` columns), and the
        partitions not staged yet."""
        paths = {p: self.staged_path(table, p) for p in partitions}
        present = [str(path) for path in paths.values() if path.is_file()]
        missing = [p for p, path in paths.items() if not path.is_file()]
        if not present:
            return pl.DataFrame(), missing
        parts = pl.scan_parquet(present, missing_columns="insert", extra_columns="ignore")
        return parts.select(pl.exclude(exclude)).collect(), missing


class ModelStore(dg.ConfigurableResource):
    """Where the pipeline looks for training data and keeps the models it trains. Without a
    trained model the one shipped in the repository (``marsad/models``) is used."""

    models_path: str = DEFAULT_MODELS
    training_data_path: str = DEFAULT_TRAINING_DATA

    @property
    def models_dir(self) -> Path:
        return Path(self.models_path)

    @property
    def training_data(self) -> Path:
        return Path(self.training_data_path)

    def training_file(self, relative: str) -> Path | None:
        path = self.training_data / relative
        return path if path.is_file() else None

    def trained_path(self, name: str) -> Path:
        return self.models_dir / name

    def model_path(self, name: str) -> Path:
        """The trained model ``name`` if the pipeline made one, else the shipped one."""
        trained = self.trained_path(name)
        return trained if trained.is_file() else SHIPPED_MODELS / name

    def annotation_models(self) -> AnnotationModels:
        # The CRF and the clusters its features were built with go together.
        folder = self.model_path(ENTITY_MODEL_FILE).parent
        return AnnotationModels(
            self.model_path(TOPIC_MODEL_FILE), folder / ENTITY_MODEL_FILE, folder / CLUSTERS_FILE
        )

    def topic_model(self) -> TopicModel:
        return TopicModel.load(self.annotation_models().topics)

    def entity_tagger(self) -> EntityTagger:
        paths = self.annotation_models()
        return EntityTagger(paths.entities, paths.clusters)


def models_from_env() -> ModelStore:
    """Model store for `dagster dev`: MARSAD_MODELS and MARSAD_TRAINING_DATA."""
    return ModelStore(
        models_path=os.environ.get("MARSAD_MODELS", DEFAULT_MODELS),
        training_data_path=os.environ.get("MARSAD_TRAINING_DATA", DEFAULT_TRAINING_DATA),
    )


def storage_from_env() -> MarsadStorage:
    """Storage for `dagster dev`: MARSAD_WAREHOUSE and MARSAD_INBOX."""
    return MarsadStorage(
        warehouse_path=os.environ.get("MARSAD_WAREHOUSE", DEFAULT_WAREHOUSE),
        inbox_path=os.environ.get("MARSAD_INBOX", DEFAULT_INBOX),
    )
