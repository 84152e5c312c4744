"""Materialization metadata a user wants to see in the Dagster UI."""

from __future__ import annotations

import dagster as dg
import polars as pl


def markdown_preview(frame: pl.DataFrame, rows: int = 5, width: int = 60) -> dg.MetadataValue:
    """The first rows as a markdown table, long text cut to ``width`` characters."""
    head = frame.head(rows)

    def cell(value: object) -> str:
        text = "" if value is None else str(value)
        text = text.replace("|", "\\|").replace("\n", " ")
        return text if len(text) <= width else text[: width - 1] + "…"

    lines = [
        "| " + " | ".join(head.columns) + " |",
        "|" + "---|" * len(head.columns),
        *("| " + " | ".join(cell(v) for v in row) + " |" for row in head.iter_rows()),
    ]
    return dg.MetadataValue.md("\n".join(lines))


def share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def counts_by(frame: pl.DataFrame, column: str) -> dg.MetadataValue:
    counts = frame.group_by(column).len().sort("len", descending=True)
    return dg.MetadataValue.json({str(k): n for k, n in counts.iter_rows()})
