"""Cross-validation of the entity recognizer by contiguous blocks of ANERcorp train.

One tenth at the end of the training split overestimated the test split by six points, so
models are chosen on every contiguous fifth in turn: both models are trained on the other
four, and the fifth is tagged twice: one sentence a text, as the test split is measured
through ``marsad tag`` (a sentence alone on its line), and ten consecutive sentences a text,
as an article reads (one reading of a name per text). Prints each fold, the pooled figures
and the spread of each reading.
"""

from __future__ import annotations

import statistics
import tempfile
from pathlib import Path

from bench.corpora import SAUDINEWSNET
from marsad.enrich.entities.features import CLUSTERS_PATH, WordClusters
from marsad.enrich.entities.tagger import MODEL_PATH, EntityTagger
from marsad.training.entities import evaluate, read_conll, train_models

ANERCORP_CONLL = SAUDINEWSNET.parents[1] / "anercorp_train" / "anercorp_train.conll"
# How many consecutive sentences make one text: alone, as the test split is measured, and as
# an article reads.
READINGS = (1, 10)


def bench_entity_folds(folds: int, encoder: Path | None) -> None:
    """Train and score both models on each of ``folds`` contiguous blocks; with ``encoder``
    (a news encoder's file) the LSTM reads its states."""
    if not ANERCORP_CONLL.exists():
        print(f"entity folds: skipped, {ANERCORP_CONLL} not found")
        return
    sentences = read_conll(ANERCORP_CONLL)
    clusters = WordClusters.load(CLUSTERS_PATH)
    gold: list[list[str]] = []
    predicted: dict[int, list[list[str]]] = {n: [] for n in READINGS}
    scores: dict[int, list] = {n: [] for n in READINGS}
    for fold in range(folds):
        first, last = (len(sentences) * fold // folds, len(sentences) * (fold + 1) // folds)
        held_out = sentences[first:last]
        fold_gold = [tags for _, tags in held_out]
        gold += fold_gold
        with tempfile.TemporaryDirectory() as folder:
            model = Path(folder) / MODEL_PATH.name
            train_models(sentences[:first] + sentences[last:], model, clusters, encoder=encoder)
            tagger = EntityTagger(model, CLUSTERS_PATH)
            for n in READINGS:
                documents = [held_out[i : i + n] for i in range(0, len(held_out), n)]
                tagged = tagger.tag_documents([[w for w, _ in d] for d in documents])
                fold_predicted = [tags for document in tagged for tags in document]
                found = evaluate(fold_gold, fold_predicted)
                predicted[n] += fold_predicted
                scores[n].append(found)
                print(
                    f"entity folds: fold {fold + 1}/{folds}, {_reading(n)}: {_line(found)}",
                    flush=True,
                )
    for n in READINGS:
        micro = [s.micro_f1 for s in scores[n]]
        print(
            f"entity folds ({'with encoder ' + str(encoder) if encoder else 'no encoder'}, "
            f"{_reading(n)}): pooled {_line(evaluate(gold, predicted[n]))}; folds "
            + " / ".join(f"{m:.3f}" for m in micro)
            + f", standard deviation {statistics.stdev(micro):.3f}"
        )


def _reading(sentences: int) -> str:
    return "one sentence a text" if sentences == 1 else f"{sentences} sentences a text"


def _line(scores) -> str:
    per_type = {row["type"]: row["f1"] for row in scores.per_type.iter_rows(named=True)}
    return (
        f"micro-F1 {scores.micro_f1:.3f} (P {scores.micro_precision:.3f}, "
        f"R {scores.micro_recall:.3f}; PER {per_type['PER']:.3f}, ORG {per_type['ORG']:.3f}, "
        f"LOC {per_type['LOC']:.3f})"
    )
