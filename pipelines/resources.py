"""Resources of the Marsad code location."""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg
import polars as pl

DEFAULT_RAW_PATHS = ["data/sample"]
DEFAULT_WAREHOUSE = "data/warehouse.duckdb"


class MarsadStorage(dg.ConfigurableResource):
    """Where raw pages are read, where intermediate tables are staged as Parquet, and where
    the DuckDB warehouse is published. Relative paths are taken from the working directory."""

    raw_paths: list[str]
    warehouse_path: str

    @property
    def warehouse(self) -> Path:
        return Path(self.warehouse_path)

    @property
    def staging_dir(self) -> Path:
        # One staging folder per warehouse, beside it, so two warehouses never mix.
        return self.warehouse.parent / ".staging" / self.warehouse.stem

    def staged_path(self, table: str) -> Path:
        return self.staging_dir / f"{table}.parquet"

    def write_staged(self, table: str, frame: pl.DataFrame) -> Path:
        """Write a staged table; the rename keeps a reader from seeing half a file."""
        path = self.staged_path(table)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".parquet.tmp")
        frame.write_parquet(tmp)
        os.replace(tmp, path)
        return path

    def read_staged(self, table: str) -> pl.DataFrame:
        path = self.staged_path(table)
        if not path.is_file():
            raise dg.Failure(f"staged table {table!r} is missing at {path}: materialize it first")
        return pl.read_parquet(path)


def storage_from_env() -> MarsadStorage:
    """Storage for `dagster dev`: MARSAD_RAW (os.pathsep-separated) and MARSAD_WAREHOUSE."""
    raw = os.environ.get("MARSAD_RAW")
    return MarsadStorage(
        raw_paths=raw.split(os.pathsep) if raw else DEFAULT_RAW_PATHS,
        warehouse_path=os.environ.get("MARSAD_WAREHOUSE", DEFAULT_WAREHOUSE),
    )
