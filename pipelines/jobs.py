"""Jobs: ingest batches (partitioned), publish the warehouse, train the models."""

import dagster as dg

from pipelines.models.assets import (
    entity_model,
    name_shapes,
    topic_model,
    word_clusters,
    word_vectors,
)
from pipelines.pages.assets import annotated_pages, parsed_pages, raw_pages
from pipelines.warehouse.assets import publish_warehouse

ingest_job = dg.define_asset_job(
    "ingest_job",
    selection=dg.AssetSelection.assets(raw_pages, parsed_pages, annotated_pages),
    description="Read, parse and annotate ingest batches (one partition per batch).",
)
reannotate_job = dg.define_asset_job(
    "reannotate_job",
    selection=dg.AssetSelection.assets(annotated_pages),
    description="Annotate staged ingest batches again with the current models (then publish "
    "with a rebuild).",
)
publish_job = dg.define_asset_job(
    "publish_job",
    selection=dg.AssetSelection.assets(publish_warehouse)
    | dg.AssetSelection.checks_for_assets(publish_warehouse),
    description="Add the staged batches the warehouse lacks, check and publish it.",
)
train_models_job = dg.define_asset_job(
    "train_models_job",
    # As `marsad train`: the news encoder (14 minutes) is materialized on its own, when the
    # entity model is to read it.
    selection=dg.AssetSelection.assets(
        word_vectors, topic_model, word_clusters, name_shapes, entity_model
    ),
    description="Train the word vectors and the topic model, the word clusters, the name "
    "shapes and the entity recognizer.",
)
