"""Marsad: raw Arabic news pages to an analysis-ready warehouse.

Stages, each a package, in the order data flows: ``ingest`` (raw inputs → pages → articles)
→ ``enrich`` (entities, countries, topics) → ``warehouse`` (tables, publish). ``training``
fits the models ``enrich`` runs; ``cli`` is the ``marsad`` command. Shared foundations sit
here: ``arabic`` (normalization), ``cache`` (the cache folder of what is built from the
shipped data and models), ``ids``, ``limits``, ``failpoints``, ``shipped`` (paths of the
shipped data and models) and ``synthetic`` (the bundled sample's pages).
"""
