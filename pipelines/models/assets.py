"""Models trained by the pipeline from the data it has: word vectors and the topic model, word
clusters and the entity recognizer.

Without training data (a clone without ``../shared/data``) the assets say so and the
pipeline keeps using the models shipped in ``marsad/models``.
"""

from collections.abc import Callable
from pathlib import Path

import dagster as dg
import polars as pl

from marsad.enrich.entities.name_shapes import NAME_SHAPES_FILE
from marsad.enrich.entities.news_encoder import ENCODER_FILE
from marsad.training import INSTALL_HINT, missing_packages
from marsad.training.topics import (
    evaluate_model,
    held_out_split,
    labelled_documents,
    train,
)
from marsad.training.word_vectors import news_texts, train_word_vectors
from pipelines.metadata import markdown_preview
from pipelines.resources import (
    CLUSTERS_FILE,
    ENTITY_MODEL_FILE,
    LSTM_FILE,
    TOPIC_MODEL_FILE,
    ModelStore,
)

WORD_VECTORS_FILE = "word_vectors.kv"
ANTCORPUS = "antcorpus/antcorpus_v1.1_train80.parquet"
ASND = "asnd/asnd_train80.parquet"
ANERCORP = "anercorp_train/anercorp_train.conll"
# Share of ANERcorp's training sentences (its end, like the standard test split) held out to
# report scores before the final model is trained on all of them.
NER_HELD_OUT = 0.1


def _load_word_vectors(models: ModelStore):
    from gensim.models import KeyedVectors

    path = models.trained_path(WORD_VECTORS_FILE)
    return KeyedVectors.load(str(path)) if path.is_file() else None


def _learn_from_news(
    context: dg.AssetExecutionContext,
    models: ModelStore,
    file_name: str,
    learn: Callable[[list[str], Path], dict],
) -> dg.MaterializeResult:
    """Learn a model from every news text of the training data and write it to
    ``file_name``; ``learn`` returns what it wrote, for the metadata."""
    texts = list(news_texts(models.training_data))
    if not texts:
        context.log.warning(f"no training data under {models.training_data}")
        return dg.MaterializeResult(metadata={"trained": False})
    path = _trained_path(models, file_name)
    metadata = learn(texts, path)
    return dg.MaterializeResult(
        metadata={
            "trained": True,
            "texts": len(texts),
            **metadata,
            "path": dg.MetadataValue.path(str(path.resolve())),
        }
    )


def _require_training_packages() -> None:
    """Training needs the ``train`` extra; the run fails with what to install, not an
    ImportError deep in a library."""
    if missing := missing_packages():
        raise dg.Failure(description=f"training needs {', '.join(missing)}: {INSTALL_HINT}")


def _trained_path(models: ModelStore, name: str) -> Path:
    path = models.trained_path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


@dg.asset(
    group_name="models",
    kinds={"gensim"},
    description="Word2vec vectors learnt from every news text of the training data "
    "(SaudiNewsNet, ANT, ASND, ANERcorp train), read by the topic model.",
)
def word_vectors(context: dg.AssetExecutionContext, models: ModelStore) -> dg.MaterializeResult:
    _require_training_packages()

    def learn(texts: list[str], path: Path) -> dict:
        vectors = train_word_vectors(texts)
        vectors.save(str(path))
        return {"vocabulary": len(vectors.index_to_key)}

    return _learn_from_news(context, models, WORD_VECTORS_FILE, learn)


@dg.asset(
    deps=[word_vectors],
    group_name="models",
    kinds={"scikitlearn"},
    description="IPTC topic classifier trained on ANT Corpus and ASND (labels mapped to IPTC "
    "codes), with scores on a held-out tenth; the shipped model is used without training data.",
)
def topic_model(context: dg.AssetExecutionContext, models: ModelStore) -> dg.MaterializeResult:
    _require_training_packages()
    antcorpus, asnd = models.training_file(ANTCORPUS), models.training_file(ASND)
    if antcorpus is None and asnd is None:
        context.log.warning("no labelled topic data: the shipped topic model stays in use")
        return dg.MaterializeResult(metadata={"trained": False})
    documents = labelled_documents(antcorpus, asnd)
    vectors = _load_word_vectors(models)
    training, held_out = held_out_split(documents)
    metadata: dict = {"trained": True, "documents": documents.height}
    trial = train(training, vectors)
    for source in documents["source"].unique().sort():
        scores = evaluate_model(trial, held_out.filter(pl.col("source") == source))
        metadata[f"{source}/held_out_accuracy"] = round(scores.accuracy, 4)
        metadata[f"{source}/held_out_macro_f1"] = round(scores.macro_f1, 4)
        metadata[f"{source}/per_topic"] = markdown_preview(scores.per_topic, rows=20)
    model = train(documents, vectors)
    path = models.trained_path(TOPIC_MODEL_FILE)
    model.save(path)
    metadata["path"] = dg.MetadataValue.path(str(path.resolve()))
    metadata["examples_per_topic"] = markdown_preview(
        documents.filter(pl.col("topic").is_not_null()).group_by("topic").len().sort("topic"),
        rows=20,
    )
    return dg.MaterializeResult(metadata=metadata)


@dg.asset(
    group_name="models",
    kinds={"gensim", "scikitlearn"},
    description="Word clusters for the entity recognizer: k-means at five granularities over "
    "skip-gram word2vec vectors learnt from every news text of the training data.",
)
def word_clusters(context: dg.AssetExecutionContext, models: ModelStore) -> dg.MaterializeResult:
    _require_training_packages()
    from marsad.training.entities import train_word_clusters

    def learn(texts: list[str], path: Path) -> dict:
        clusters = train_word_clusters(texts)
        clusters.save(path)
        return {"words": len(clusters.index)}

    return _learn_from_news(context, models, CLUSTERS_FILE, learn)


@dg.asset(
    deps=[word_clusters],
    group_name="models",
    kinds={"scikitlearn"},
    description="Name shapes for the entity recognizer: how much a word's letters look like a "
    "foreign name part (بلير, شيراك), logistic models over letter n-grams learnt from the "
    "foreign-name list against the word clusters' other words, each word scored by the model "
    "that never saw it; with that held-out AUC. Kept beside the trained word clusters.",
)
def name_shapes(context: dg.AssetExecutionContext, models: ModelStore) -> dg.MaterializeResult:
    _require_training_packages()
    from marsad.enrich.entities.features import WordClusters
    from marsad.training.name_shapes import train

    clusters_path = models.trained_path(CLUSTERS_FILE)
    if not clusters_path.is_file():
        # The entity model is then trained without clusters, and without name shapes.
        context.log.warning("no trained word clusters: the shipped name shapes stay in use")
        return dg.MaterializeResult(metadata={"trained": False})
    shapes, report = train(WordClusters.load(clusters_path))
    path = clusters_path.with_name(NAME_SHAPES_FILE)
    shapes.save(path)
    return dg.MaterializeResult(
        metadata={
            "trained": True,
            "foreign_names": report.foreign_names,
            "other_words": report.other_words,
            "held_out_auc": round(report.held_out_auc, 4),
            "bytes": path.stat().st_size,
            "path": dg.MetadataValue.path(str(path.resolve())),
        }
    )


@dg.asset(
    deps=[word_clusters],
    group_name="models",
    kinds={"jax"},
    description="News encoder for the entity recognizer: two LSTM language models (one "
    "reading forwards, one backwards) pre-trained on the unlabelled news (SaudiNewsNet, ANT, "
    "ASND), whose states the BiLSTM-CRF reads; perplexity on held-out whole documents.",
)
def news_encoder(context: dg.AssetExecutionContext, models: ModelStore) -> dg.MaterializeResult:
    _require_training_packages()
    from marsad.enrich.entities.features import WordClusters
    from marsad.training.entity_encoder import news_documents, train

    training, held_out = news_documents(models.training_data, held_out=0.02)
    if not training:
        context.log.warning(f"no unlabelled news under {models.training_data}")
        return dg.MaterializeResult(metadata={"trained": False})
    # The encoder reads the cluster features the tagger will be trained with.
    clusters = WordClusters.load(models.model_path(CLUSTERS_FILE))
    path = _trained_path(models, ENCODER_FILE)
    report = train(training, held_out, clusters, path, log=context.log.info)
    return dg.MaterializeResult(
        metadata={
            "trained": True,
            "words": report.words,
            "features": report.vocabulary,
            "held_out_words": report.held_out_words,
            "held_out_perplexity_forward": report.perplexity_forward,
            "held_out_perplexity_backward": report.perplexity_backward,
            "held_out_class_perplexity_forward": report.class_perplexity_forward,
            "held_out_class_perplexity_backward": report.class_perplexity_backward,
            "seconds": report.seconds,
            "bytes": path.stat().st_size,
            "path": dg.MetadataValue.path(str(path.resolve())),
        }
    )


class EntityModelConfig(dg.Config):
    # Whether the BiLSTM-CRF reads the news encoder's states (the trained ``news_encoder``),
    # as the shipped one does (docs/entities.md, "The news encoder under the LSTM"). False
    # trains a tagger without it, where there is no unlabelled news to pre-train on.
    news_encoder: bool = True


@dg.asset(
    deps=[word_clusters, name_shapes, news_encoder],
    group_name="models",
    kinds={"crfsuite", "jax"},
    description="Entity recognizer: a CRF over Arabic features, gazetteers, word clusters and "
    "name shapes, "
    "and a BiLSTM-CRF over the same features and the news encoder's states (unless "
    "news_encoder=false; the encoder's LSTM weights tuned with it and saved in its file), "
    "whose scores the tagger weighs with the CRF's; trained on ANERcorp's "
    "training split, with scores on its last tenth (together and the CRF alone), and its "
    "lexicon of frequent words' sums; the shipped models are used without training data.",
)
def entity_model(
    context: dg.AssetExecutionContext, config: EntityModelConfig, models: ModelStore
) -> dg.MaterializeResult:
    _require_training_packages()
    import tempfile

    from marsad.enrich.entities.features import WordClusters
    from marsad.enrich.entities.lexicon import build_lexicon, lexicon_path
    from marsad.enrich.entities.tagger import EntityTagger
    from marsad.training.entities import evaluate_tagger, read_conll, train_models
    from marsad.training.entity_encoder import read_report
    from marsad.training.entity_lstm import LstmSettings

    conll = models.training_file(ANERCORP)
    if conll is None:
        context.log.warning("no ANERcorp training data: the shipped entity model stays in use")
        return dg.MaterializeResult(metadata={"trained": False})
    encoder = models.trained_path(ENCODER_FILE) if config.news_encoder else None
    if encoder is not None and not encoder.is_file():
        raise FileNotFoundError(
            f"news_encoder=true but {encoder} does not exist: materialize news_encoder first "
            f"(from the unlabelled news under {models.training_data}), or train the entity "
            "model without it (news_encoder: false; `marsad train --no-news-encoder`)"
        )
    # The model is trained with the clusters it will be used with: the trained ones, or none.
    clusters_path = models.trained_path(CLUSTERS_FILE)
    if clusters_path.is_file():
        clusters = WordClusters.load(clusters_path)
    else:
        clusters = WordClusters([], {})
        clusters.save(_trained_path(models, CLUSTERS_FILE))
    sentences = read_conll(conll)
    cut = round(len(sentences) * (1 - NER_HELD_OUT))
    model_path = models.trained_path(ENTITY_MODEL_FILE)
    model_path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=model_path.parent) as trial:
        trial_path = Path(trial) / ENTITY_MODEL_FILE
        train_models(sentences[:cut], trial_path, clusters, context.log.info, encoder)
        tagger = EntityTagger(trial_path, clusters_path)
        scores = evaluate_tagger(tagger, sentences[cut:])
        tagger.lstm = None  # the CRF alone, for comparison
        crf_scores = evaluate_tagger(tagger, sentences[cut:])
    train_models(sentences, model_path, clusters, context.log.info, encoder)
    lstm_path = model_path.with_name(LSTM_FILE)
    # The frequent words' sums for these models, so the pipeline's taggers start warm.
    lexicon = lexicon_path(model_path, clusters_path)
    lexicon_words = build_lexicon(EntityTagger(model_path, clusters_path), lexicon)
    metadata = {
        "trained": True,
        "sentences": len(sentences),
        "held_out_micro_f1": round(scores.micro_f1, 4),
        "held_out_crf_alone_micro_f1": round(crf_scores.micro_f1, 4),
        "held_out_per_type": markdown_preview(scores.per_type, rows=3),
        "word_clusters": len(clusters.index),
        # Whether the CRF read the name shapes learnt beside the clusters (the ``nl`` feature).
        "name_shapes": clusters.name_shapes is not None,
        "lexicon_words": lexicon_words,
        "news_encoder": encoder is not None,
        "bytes": model_path.stat().st_size + lstm_path.stat().st_size,
        "path": dg.MetadataValue.path(str(model_path.resolve())),
    }
    if encoder is not None:
        # The pre-trained encoder's perplexity: the LSTM's file holds its weights as tuned.
        report = read_report(encoder)["report"]
        metadata["encoder_tuned_with_tagger"] = LstmSettings().encoder_learning_rate > 0
        metadata["encoder_held_out_perplexity_forward"] = report["perplexity_forward"]
        metadata["encoder_held_out_perplexity_backward"] = report["perplexity_backward"]
    return dg.MaterializeResult(metadata=metadata)
