"""The Marsad code location: everything Dagster loads, assembled in one place."""

from __future__ import annotations

import dagster as dg

from pipelines.jobs import ingest_job, publish_job, reannotate_job, train_models_job
from pipelines.models.assets import (
    entity_model,
    name_shapes,
    news_encoder,
    topic_model,
    word_clusters,
    word_vectors,
)
from pipelines.pages.assets import annotated_pages, parsed_pages, raw_pages
from pipelines.pages.sensors import inbox_sensor, publish_after_ingest
from pipelines.resources import MarsadStorage, ModelStore, models_from_env, storage_from_env
from pipelines.warehouse import checks
from pipelines.warehouse.assets import publish_warehouse


def build_definitions(
    storage: MarsadStorage,
    loggers: dict[str, dg.LoggerDefinition] | None = None,
    models: ModelStore | None = None,
) -> dg.Definitions:
    """Definitions bound to one warehouse and inbox (the CLI binds its own)."""
    return dg.Definitions(
        assets=[
            word_vectors,
            topic_model,
            word_clusters,
            name_shapes,
            news_encoder,
            entity_model,
            raw_pages,
            parsed_pages,
            annotated_pages,
            publish_warehouse,
        ],
        asset_checks=dg.load_asset_checks_from_modules([checks]),
        jobs=[ingest_job, publish_job, reannotate_job, train_models_job],
        sensors=[inbox_sensor, publish_after_ingest],
        resources={"storage": storage, "models": models or models_from_env()},
        loggers=loggers,
    )


defs = build_definitions(storage_from_env(), models=models_from_env())
