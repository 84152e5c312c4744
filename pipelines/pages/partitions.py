"""One partition per ingest batch (``warehouse.stage``): small files that arrived together, or
one large crawl or export file; keyed by the batch id."""

import dagster as dg

ingest_batches = dg.DynamicPartitionsDefinition(name="ingest_batches")
