"""The news encoder: its pre-training, its numpy states against the JAX model it was
trained as, and the tagger that reads them."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import numpy as np
import pytest

from marsad.enrich.entities.features import (
    CLUSTERS_PATH,
    WordClusters,
    own_feature_sums,
    sentence_marks,
)
from marsad.enrich.entities.lstm import LSTM_PATH, LstmTagger, in_batches
from marsad.enrich.entities.news_encoder import ENCODER_FILE, NewsEncoder
from marsad.enrich.entities.tagger import MODEL_PATH, EntityTagger
from marsad.enrich.gazetteer import gazetteer
from marsad.training.entities import train_lstm
from marsad.training.entity_encoder import (
    EncoderSettings,
    news_documents,
    read_report,
    text_sentences,
    train,
)
from marsad.training.entity_lstm import LstmSettings

# Two kinds of sentence a language model can learn to expect: who said what, and where.
TEXTS = [
    "قال الرئيس محمد إن الوزير سافر إلى تونس . وصل الوفد إلى القاهرة أمس .",
    "قال الوزير أحمد إن الرئيس عاد إلى الرياض . وصل الرئيس إلى دمشق أمس .",
    "قال الأمير خالد إن الوفد وصل إلى عمان . وصل الوزير إلى بغداد أمس .",
] * 30
TINY = EncoderSettings(
    hidden=8, dimensions=8, min_count=1, batch=8, held_out_words=500, epochs=20, learning_rate=0.02
)


@pytest.fixture(scope="module")
def tiny_encoder(tmp_path_factory) -> tuple[Path, dict]:
    path = tmp_path_factory.mktemp("encoder") / ENCODER_FILE
    report = train(TEXTS[:-6], TEXTS[-6:], WordClusters.load(CLUSTERS_PATH), path, TINY)
    return path, report


def test_pretraining_learns_what_comes_next_and_reports_held_out_perplexity(tiny_encoder):
    path, report = tiny_encoder
    assert report.words == sum(len(s) for s in text_sentences(TEXTS[:-6], 48, 10**9))
    assert report.held_out_words == sum(len(s) for s in text_sentences(TEXTS[-6:], 48, 10**9))
    # 514 classes: an encoder that learnt nothing would be near that; these texts repeat.
    for perplexity in (report.class_perplexity_forward, report.class_perplexity_backward):
        assert 1 < perplexity < 20
    assert report.perplexity_forward >= report.class_perplexity_forward
    assert read_report(path)["report"]["perplexity_forward"] == report.perplexity_forward
    assert read_report(path)["settings"]["hidden"] == 8


def test_the_onnx_states_equal_the_trained_jax_model(tiny_encoder):
    import jax.numpy as jnp

    from marsad.training.entity_lstm import bidirectional_lstm

    path, _ = tiny_encoder
    encoder = NewsEncoder.load(path)
    sums = own_feature_sums((encoder.index, encoder.weights["embeddings"]))
    clusters = WordClusters.load(CLUSTERS_PATH)
    sentences = [["قال", "الرئيس", "محمد", "."], ["وصل", "الوفد", "إلى", "تونس", "أمس", "."]]
    marks = [sentence_marks(words, gazetteer(), clusters) for words in sentences]
    inputs = sums.sentences(marks)
    found = in_batches(inputs, encoder.states)  # as the tagger runs it, batch by batch
    assert [f.shape for f in found] == [(4, encoder.width), (6, encoder.width)]
    w = encoder.weights
    params = {d: {k: jnp.asarray(w[f"{d}_{k}"]) for k in ("W", "U", "b")} for d in ("fw", "bw")}
    for x, states in zip(inputs, found, strict=True):
        expected = bidirectional_lstm(params, jnp.asarray(x)[None], jnp.ones((1, len(x))))[0]
        assert np.allclose(states, np.asarray(expected), atol=1e-5)
    # A session does not pickle: the reader goes as its weights and builds one again.
    again = pickle.loads(pickle.dumps(encoder.reader))
    assert np.array_equal(in_batches(inputs, again)[1], found[1])


def test_held_out_documents_are_each_sources_last(tmp_path: Path):
    import polars as pl

    folder = tmp_path / "asnd"
    folder.mkdir()
    texts = [f"نص رقم {i} ." for i in range(100)]
    pl.DataFrame({"text": texts}).write_parquet(folder / "asnd_train80.parquet")
    training, held_out = news_documents(tmp_path, 0.02)
    assert training == texts[:98] and held_out == texts[98:]
    assert news_documents(tmp_path / "nothing", 0.02) == ([], [])


def test_the_tagger_reads_the_encoder_its_lstm_was_trained_with(tiny_encoder, tmp_path: Path):
    path, _ = tiny_encoder
    shutil.copy(path, tmp_path / ENCODER_FILE)
    for name in (MODEL_PATH.name, "entities_crf_tables.npz"):
        shutil.copy(MODEL_PATH.with_name(name), tmp_path / name)
    sentences = [(["قال", "محمد", "في", "تونس", "."], ["O", "B-PER", "O", "B-LOC", "O"])] * 20
    lstm_path = tmp_path / LSTM_PATH.name
    clusters = WordClusters.load(CLUSTERS_PATH)
    train_lstm(sentences, lstm_path, clusters, LstmSettings(hidden=8), encoder=path)
    lstm = LstmTagger.load(lstm_path)
    pretrained = NewsEncoder.load(path)
    assert lstm.context_width == pretrained.width == 16
    tagger = EntityTagger(tmp_path / MODEL_PATH.name, CLUSTERS_PATH)
    assert tagger.encoder is not None
    # The encoder's LSTM weights were tuned with the tagger's: its LSTM file holds them, the
    # tagger's encoder runs them, and the pre-trained encoder's file is as it was.
    for key in ("fw_W", "fw_U", "fw_b", "bw_W", "bw_U", "bw_b"):
        tuned = lstm.weights[f"encoder_{key}"]
        assert tuned.shape == pretrained.weights[key].shape
        assert np.array_equal(tagger.encoder.weights[key], tuned)
    assert not np.allclose(lstm.weights["encoder_fw_U"], pretrained.weights["fw_U"], atol=1e-3)
    assert (tmp_path / ENCODER_FILE).read_bytes() == path.read_bytes()
    assert tagger.tag_words(["قال", "محمد", "في", "تونس", "."])[1] == "B-PER"
    # The LSTM's and the encoder's feature sums are looked up together: each model's are
    # those it gets alone, to the bit. The tagger's encoder no longer holds its own copy.
    assert not tagger.encoder.index and "embeddings" not in tagger.encoder.weights
    marks = [sentence_marks(words, gazetteer(), clusters) for words, _ in sentences[:2]]
    own, states = tagger.split_inputs(tagger.lstm_sums.sentences(marks))
    for model, found in ((tagger.lstm, own), (NewsEncoder.load(path), states)):
        alone = own_feature_sums((model.index, model.weights["embeddings"])).sentences(marks)
        assert all(np.array_equal(a, b) for a, b in zip(found, alone, strict=True))
    # At a rate of 0 the encoder's weights stay as pre-trained (to float16's precision).
    kept = tmp_path / "kept" / LSTM_PATH.name
    train_lstm(
        sentences,
        kept,
        clusters,
        LstmSettings(hidden=8, epochs=2, encoder_learning_rate=0),
        encoder=path,
    )
    kept_weights = LstmTagger.load(kept).weights
    for key in ("fw_W", "fw_U", "fw_b", "bw_W", "bw_U", "bw_b"):
        assert np.allclose(kept_weights[f"encoder_{key}"], pretrained.weights[key], atol=2e-3)
    # Without its encoder beside it, the LSTM cannot run: a clear error.
    (tmp_path / ENCODER_FILE).unlink()
    with pytest.raises(FileNotFoundError):
        EntityTagger(tmp_path / MODEL_PATH.name, CLUSTERS_PATH)
