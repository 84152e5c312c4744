"""Stable identifiers: the same input gives the same id on every run, machine and version."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import polars as pl


def stable_id(*parts: object) -> str:
    """16 hex digits of BLAKE2b over the parts, joined by a unit separator."""
    joined = "\x1f".join("" if part is None else str(part) for part in parts)
    return hashlib.blake2b(joined.encode("utf-8"), digest_size=8).hexdigest()


def stable_id_expr(*columns: str | pl.Expr) -> pl.Expr:
    """``stable_id`` over columns; Polars' own hash is not stable across versions."""
    import polars as pl  # here, so that ids for the `tag` command do not load Polars

    exprs = [pl.col(c) if isinstance(c, str) else c for c in columns]
    return pl.struct(exprs).map_batches(
        lambda rows: pl.Series([stable_id(*row.values()) for row in rows], dtype=pl.String),
        return_dtype=pl.String,
    )
