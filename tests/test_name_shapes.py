"""Name shapes (``marsad/enrich/entities/name_shapes.py``): how much a word's letters look
like a foreign name part, scored by the model that never saw the word."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from sklearn.metrics import roc_auc_score

from marsad.arabic import match_key
from marsad.enrich.entities.features import CLUSTERS_PATH, WordClusters, word_features
from marsad.enrich.entities.name_shapes import NAME_SHAPES_FILE, NameShapes, part_of
from marsad.enrich.name_lists import foreign_names
from marsad.training.name_shapes import gram_matrix, train, training_words


def test_each_word_is_scored_by_the_model_learnt_without_it(tmp_path: Path):
    """The tagger's scores are training's held-out scores: the same AUC over every word
    learnt from, each word's score that of its part's model, which never saw it."""
    vocabulary = list(WordClusters.load(CLUSTERS_PATH).index)[:2000]
    shapes, report = train(WordClusters(vocabulary, {}))
    assert report.foreign_names == len(foreign_names())
    assert 1500 < report.other_words <= 2000
    shapes.save(tmp_path / NAME_SHAPES_FILE)
    loaded = WordClusters.load(tmp_path / "absent_clusters.npz").name_shapes
    assert isinstance(loaded, NameShapes)
    words, labels = training_words(WordClusters(vocabulary, {}))
    scores = np.array([loaded.score(w) for w in words])
    assert abs(roc_auc_score(labels, scores) - report.held_out_auc) < 0.001
    assert report.held_out_auc > 0.9
    # By hand: the word's n-grams through its own part's weights.
    grams = gram_matrix(words[::97])
    for row, word in enumerate(words[::97]):
        part = part_of(word)
        weights = loaded.steps[part].astype(np.float64) * loaded.scale[part]
        expected = (grams[row] @ weights).item() + loaded.bias[part]
        assert abs(loaded.score(word) - expected) < 1e-9, word


def test_the_vocabulary_bands_are_the_scores_bands():
    """The bands worked out for the clusters' vocabulary are those its words would score;
    beside another vocabulary they are not read, and every word is scored."""
    clusters = WordClusters.load(CLUSTERS_PATH)
    shapes = clusters.name_shapes
    assert shapes is not None and len(shapes.known) == len(clusters.index)
    afresh = NameShapes(shapes.steps, np.float64(shapes.scale), np.float64(shapes.bias))
    sample = list(clusters.index)[::53]
    assert [shapes.band_of(w) for w in sample] == [afresh.band_of(w) for w in sample]
    beside_another = NameShapes(afresh.steps, *map(np.float64, (afresh.scale, afresh.bias)))
    beside_another.known = shapes.known
    WordClusters(sample[:100], {}, beside_another)
    assert beside_another._index == {}
    assert [beside_another.band_of(w) for w in sample] == [shapes.band_of(w) for w in sample]


def test_shipped_name_shapes_tell_foreign_names_from_everyday_words():
    """Held out, as the tagger reads them: most foreign name parts fall in a band, few of the
    5,000 most frequent other news words do; names of recent news no list holds are banded."""
    clusters = WordClusters.load(CLUSTERS_PATH)
    shapes = clusters.name_shapes
    assert shapes is not None
    names = sorted(foreign_names())[::20]
    banded = np.mean([shapes.band(n) != "-" for n in names])
    words, labels = training_words(clusters)
    others = [w for w, label in zip(words, labels, strict=True) if not label][:5000]
    others_banded = np.mean([shapes.band(w) != "-" for w in others])
    assert banded > 0.85 and others_banded < 0.1, (banded, others_banded)
    for name in ("بومبيو", "غوارديولا"):  # Pompeo, Guardiola: in no list
        assert match_key(name) not in foreign_names()
        assert shapes.band(match_key(name)) in ("0", "1"), name
    for word in ("كتاب", "مدرسة", "الحكومة", "وزير", "مباراة", "شركة"):
        assert shapes.band(match_key(word)) == "-", word


def test_name_shapes_are_a_feature_of_the_word_and_the_words_either_side():
    clusters = WordClusters.load(CLUSTERS_PATH)
    _, _, own, for_neighbours = word_features("وبومبيو", clusters)  # behind و
    assert "nl=0" in own
    assert "1nl=0" in for_neighbours[1] and "-1nl=0" in for_neighbours[-1]
    assert "nl=-" in word_features("الحكومة", clusters)[2]
    assert "nl=-" in word_features("2024", clusters)[2]  # words only
    # Models trained without name shapes (clusters without them) see none.
    assert "nl=-" in word_features("وبومبيو", WordClusters([], {}))[2]


def test_words_scored_together_score_as_one_at_a_time():
    """A batch's words beyond the vocabulary are scored together (``prime``): to the bit
    what each gets alone, so no text's tags depend on the words tagged beside it."""
    clusters = WordClusters.load(CLUSTERS_PATH)
    shapes = clusters.name_shapes
    words = [*list(clusters.index)[50_000::97], "ب", "كوفيد١٩", "ﷺ", "😀", "x", "وبومبيو" * 6]
    assert shapes.scores(words).tolist() == [shapes.score(w) for w in words]


def test_a_texts_entities_do_not_depend_on_the_texts_tagged_beside_it():
    from marsad.enrich.entities.tagger import MODEL_PATH, EntityTagger

    texts = [
        "التقى وزير الخارجية الأمريكي مايك بومبيو نظيره الروسي في موسكو.",
        "قال المدرب بيب غوارديولا إن فريقه مانشستر سيتي سيفوز.",
        "وصل رئيس الوزراء اليوناني كيرياكوس ميتسوتاكيس إلى أثينا أمس.",
        "أعلنت الشركة عن نتائجها في الرياض.",
    ]
    together = EntityTagger(MODEL_PATH, CLUSTERS_PATH).analyse_many(texts)
    alone = EntityTagger(MODEL_PATH, CLUSTERS_PATH)
    assert [alone.analyse(t) for t in reversed(texts)][::-1] == together
    people = {m.text for mentions, _ in together for m in mentions if m.type == "PER"}
    assert {"مايك بومبيو", "بيب غوارديولا"} <= people, people


def test_the_words_scored_together_are_kept_within_the_bound(monkeypatch):
    """Past _SCORED_KEPT bands ``prime`` starts again with the words asked about, so none
    of them is scored one by one after."""
    import marsad.enrich.entities.name_shapes as name_shapes_module

    monkeypatch.setattr(name_shapes_module, "_SCORED_KEPT", 4)
    shapes = WordClusters.load(CLUSTERS_PATH).name_shapes
    shapes._scored.clear()
    shapes.prime(["ابومبيو", "اغوارديولا", "اكوشنر"])
    asked = ["اكوشنر", "ازيلينسكي", "اماكرون"]
    shapes.prime(asked)
    assert set(shapes._scored) == set(asked)
    monkeypatch.setattr(shapes, "score", None)  # none is scored one by one now
    assert [shapes.band_of(w) for w in asked] == [shapes._scored[w] for w in asked]
