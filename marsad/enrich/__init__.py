"""Enrich: what an article is about. ``entities`` (people, organisations, places, linked to
ids and countries), ``topics`` (IPTC), ``gazetteer`` (the names both look up), and
``annotation``, which runs them over batches (in process, or on Ray via ``ray_pool``).

May import ``ingest`` and the foundations; never ``warehouse`` or ``training``. Models are
read from files only (NumPy), so nothing here needs the training packages.
"""
