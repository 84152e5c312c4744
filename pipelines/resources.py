"""Resources of the Marsad code location."""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg
from pydantic import Field

from marsad.enrich.annotation import AnnotationModels
from marsad.enrich.entities.features import CLUSTERS_PATH
from marsad.enrich.entities.lstm import LSTM_PATH
from marsad.enrich.entities.tagger import MODEL_PATH as ENTITY_MODEL_PATH
from marsad.enrich.entities.tagger import EntityTagger
from marsad.enrich.topics.model import MODEL_PATH as SHIPPED_TOPIC_MODEL
from marsad.enrich.topics.model import TopicModel
from marsad.ingest.readers import ColumnMap
from marsad.shipped import MODELS
from marsad.warehouse.stage import Stage

SHIPPED_MODELS = MODELS
TOPIC_MODEL_FILE = SHIPPED_TOPIC_MODEL.name
ENTITY_MODEL_FILE = ENTITY_MODEL_PATH.name
CLUSTERS_FILE = CLUSTERS_PATH.name
LSTM_FILE = LSTM_PATH.name

DEFAULT_INBOX = "data/inbox"
DEFAULT_WAREHOUSE = "data/warehouse.duckdb"
DEFAULT_MODELS = "data/models"
DEFAULT_TRAINING_DATA = "../shared/data"


class MarsadStorage(dg.ConfigurableResource):
    """Where new input files arrive (the inbox), where the DuckDB warehouse is published, and
    where its stage is (beside it unless ``stage_path`` names a shared folder or an
    object-store URL). Relative paths are taken from the working directory."""

    warehouse_path: str = DEFAULT_WAREHOUSE
    inbox_path: str = DEFAULT_INBOX
    stage_path: str = ""
    # Column names of JSONL/Parquet exports, by role (text, url, fetched_at, published, title,
    # outlet), where they differ from the usual names.
    export_columns: dict[str, str] = Field(default_factory=dict)

    @property
    def warehouse(self) -> Path:
        return Path(self.warehouse_path)

    @property
    def inbox(self) -> Path:
        return Path(self.inbox_path)

    @property
    def columns(self) -> ColumnMap:
        return ColumnMap.with_overrides(self.export_columns) if self.export_columns else ColumnMap()

    @property
    def stage(self) -> Stage:
        """The staged ingest batches this warehouse is published from."""
        return Stage(self.stage_path) if self.stage_path else Stage.beside(self.warehouse)


class ModelStore(dg.ConfigurableResource):
    """Where the pipeline looks for training data and keeps the models it trains. Without a
    trained model the one shipped in the repository (``marsad/models``) is used."""

    models_path: str = DEFAULT_MODELS
    training_data_path: str = DEFAULT_TRAINING_DATA

    @property
    def models_dir(self) -> Path:
        return Path(self.models_path)

    @property
    def training_data(self) -> Path:
        return Path(self.training_data_path)

    def training_file(self, relative: str) -> Path | None:
        path = self.training_data / relative
        return path if path.is_file() else None

    def trained_path(self, name: str) -> Path:
        return self.models_dir / name

    def model_path(self, name: str) -> Path:
        """The trained model ``name`` if the pipeline made one, else the shipped one."""
        trained = self.trained_path(name)
        return trained if trained.is_file() else SHIPPED_MODELS / name

    def annotation_models(self) -> AnnotationModels:
        # The CRF and the clusters its features were built with go together.
        folder = self.model_path(ENTITY_MODEL_FILE).parent
        return AnnotationModels(
            self.model_path(TOPIC_MODEL_FILE), folder / ENTITY_MODEL_FILE, folder / CLUSTERS_FILE
        )

    def topic_model(self) -> TopicModel:
        return TopicModel.load(self.annotation_models().topics)

    def entity_tagger(self) -> EntityTagger:
        paths = self.annotation_models()
        return EntityTagger(paths.entities, paths.clusters)


def models_from_env() -> ModelStore:
    """Model store for `dagster dev`: MARSAD_MODELS and MARSAD_TRAINING_DATA."""
    return ModelStore(
        models_path=os.environ.get("MARSAD_MODELS", DEFAULT_MODELS),
        training_data_path=os.environ.get("MARSAD_TRAINING_DATA", DEFAULT_TRAINING_DATA),
    )


def storage_from_env() -> MarsadStorage:
    """Storage for `dagster dev`: MARSAD_WAREHOUSE, MARSAD_INBOX and MARSAD_STAGE."""
    return MarsadStorage(
        warehouse_path=os.environ.get("MARSAD_WAREHOUSE", DEFAULT_WAREHOUSE),
        inbox_path=os.environ.get("MARSAD_INBOX", DEFAULT_INBOX),
        stage_path=os.environ.get("MARSAD_STAGE", ""),
    )
