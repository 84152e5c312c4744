"""Jobs: ingest input files (partitioned by file), publish the warehouse, train the models."""

import dagster as dg

from pipelines.models.assets import entity_model, topic_model, word_clusters, word_vectors
from pipelines.pages.assets import annotated_pages, parsed_pages, raw_pages
from pipelines.warehouse.assets import warehouse

ingest_job = dg.define_asset_job(
    "ingest_job",
    selection=dg.AssetSelection.assets(raw_pages, parsed_pages, annotated_pages),
    description="Read, parse and classify input files (one partition per file).",
)
publish_job = dg.define_asset_job(
    "publish_job",
    selection=dg.AssetSelection.assets(annotated_pages).downstream(include_self=False)
    | dg.AssetSelection.checks_for_assets(warehouse),
    description="Build the warehouse tables over every ingested file, check and publish them.",
)
train_models_job = dg.define_asset_job(
    "train_models_job",
    selection=dg.AssetSelection.assets(word_vectors, topic_model, word_clusters, entity_model),
    description="Train the word vectors and the topic model, the word clusters and the entity "
    "recognizer.",
)
