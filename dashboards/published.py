"""The published warehouse, one version for a whole script run of the dashboard.

The pipeline replaces the file atomically. Each script run of the dashboard begins by pinning
the version at the path (`pin`), and every query of that run reads that version, so a page's
date range, totals and charts come from one warehouse even when a run publishes between two
queries. The next script run pins the new version. The pinned version is opened once and
shared by all sessions; results are cached per query and version.
"""

from __future__ import annotations

import atexit
import os
import threading
from pathlib import Path

import duckdb
import polars as pl
import streamlit as st

from dashboards.sql_console import WAREHOUSE, locked_connection

DEFAULT_WAREHOUSE = "data/warehouse.duckdb"
# The version the current script run reads; Streamlit runs each script run in one thread.
_run = threading.local()


class Republished(RuntimeError):
    """The file at the warehouse path is no longer the version asked for."""


def warehouse_path() -> Path:
    return Path(os.environ.get("MARSAD_WAREHOUSE", DEFAULT_WAREHOUSE))


def warehouse_version(path: Path | str | None = None) -> tuple[int, int] | None:
    """Identity of the published file; changes whenever a run publishes."""
    try:
        stat = Path(path or warehouse_path()).stat()
    except FileNotFoundError:
        return None
    return stat.st_ino, stat.st_mtime_ns


# One version open at a time: pinning a new one lets the replaced file go (and its disk space,
# once the queries still running on it end); a run still on it finds it gone and starts again.
@st.cache_resource(max_entries=1, show_spinner=False)
def _opened(path: str, version: tuple[int, int]) -> duckdb.DuckDBPyConnection:
    con = locked_connection(Path(path))
    # Publishes only move forward, so a file that is this version both before and after the
    # attach is the file attached.
    if warehouse_version(path) != version:
        con.close()
        raise Republished(path)
    return con


# Closed before the interpreter ends: DuckDB's bindings report a connection still open then as
# leaked (a wall of "nanobind: leaked" lines after the tests).
atexit.register(_opened.clear)


def _cursor(path: str, version: tuple[int, int]) -> duckdb.DuckDBPyConnection:
    # A cursor per query: the sessions' script runs query the shared version at once.
    cursor = _opened(path, version).cursor()
    cursor.execute(f"USE {WAREHOUSE}")  # a cursor starts in the empty in-memory database
    return cursor


def pin() -> bool:
    """Pin the published warehouse for the rest of this script run; False when there is none."""
    _run.pinned = None
    path = str(warehouse_path())
    for _ in range(10):
        version = warehouse_version(path)
        if version is None:
            return False
        try:
            _opened(path, version)
        except Republished:
            continue  # published again meanwhile: pin the newer one
        _run.pinned = (path, version)
        return True
    raise Republished(path)


def _pinned() -> tuple[str, tuple[int, int]]:
    pinned = getattr(_run, "pinned", None)
    if pinned is not None:
        return pinned
    # Outside a dashboard script run (tests, notebooks): the file as it is now.
    version = warehouse_version()
    if version is None:
        raise FileNotFoundError(str(warehouse_path()))
    return str(warehouse_path()), version


@st.cache_data(ttl=3600, max_entries=256, show_spinner=False)
def _cached(sql: str, params: tuple, path: str, version: tuple[int, int]) -> pl.DataFrame:
    with _cursor(path, version) as cursor:
        return cursor.sql(sql, params=list(params)).pl()


def query(sql: str, params: tuple = ()) -> pl.DataFrame:
    try:
        return _cached(sql, params, *_pinned())
    except Republished:
        # The pinned version was let go for a newer one: run the script again on that.
        st.rerun()


def connection() -> duckdb.DuckDBPyConnection:
    """A locked read-only connection to the version this run reads (the SQL console's)."""
    try:
        return _cursor(*_pinned())
    except Republished:
        st.rerun()
