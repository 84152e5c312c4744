"""Warehouse: the DuckDB tables. ``schema`` documents them, ``stage`` keeps ingest batches as
Parquet beside the warehouse, ``assembly`` adds a slice of staged pages (with ``rows``,
``state`` and ``aggregates``), ``publish`` swaps the new file in atomically and ``tables``
builds a whole warehouse at once.

May import ``ingest``, ``enrich`` and the foundations; never ``training``.
"""
