"""The entity tagger's lexicon: frequent words' sums worked out beforehand, read by a new
tagging process instead of worked out again, with the same tags to the bit."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from marsad.enrich.entities.features import CLUSTERS_PATH, word_features
from marsad.enrich.entities.lexicon import (
    Lexicon,
    build_lexicon,
    lexicon_built,
    lexicon_path,
    lexicon_words,
    name_lists,
)
from marsad.enrich.entities.tagger import MODEL_PATH, EntityTagger
from tests.conftest import SHARED, shared_file

SAMPLE = Path(__file__).parents[1] / "data" / "sample"
SAUDINEWSNET = SHARED / "data" / "saudinewsnet" / "saudinewsnet_sample500.jsonl"
# Words of one normalized form written several ways (hamza, alef maqsura, ta marbuta,
# diacritics, tatweel), digits, Latin, clitics: the lexicon is keyed by normalized words
# (those written with alef maqsura are worked out: the CRF reads which letter was written).
SPELLINGS = (
    "وقال الرئيسُ المصريّ عبدالفتاح السيسي إن مصر ستعمل مع الأمم المتحدة، ثم توجه إلى "
    "الرياض واجتمع بالأمير محمد بن سلمان في قصر اليمامة يوم ٢٥ مايو 2024 مع وفد من Google "
    "ومسؤولي الشركة الامريكية وأكد ان الاتفاقيه ستوقع فى الرياض قبل نهايــة العام."
)


@pytest.fixture
def cleared_name_lists():
    """The place, organisation and club lists as a new process has them (nothing tried yet,
    nothing read from a lexicon), and so again afterwards."""

    def clear() -> None:
        for names in name_lists():
            names._starts.clear()
            names._ends.clear()
            names._prior = None

    clear()
    yield
    clear()


def _texts() -> list[str]:
    pages = sorted(SAMPLE.glob("page_*.txt"))[:40]
    texts = [p.read_text("utf-8", errors="replace") for p in pages] + [SPELLINGS]
    with shared_file(SAUDINEWSNET).open(encoding="utf-8") as lines:
        texts += [json.loads(line)["content"] for _, line in zip(range(150), lines, strict=False)]
    return texts


def test_a_lexicon_gives_the_tags_and_countries_of_working_every_word_out(
    tmp_path, monkeypatch, cleared_name_lists
):
    monkeypatch.setenv("MARSAD_CACHE", str(tmp_path))
    texts = _texts()
    without = EntityTagger()
    assert without.lexicon is None  # an empty cache folder: nothing to read
    expected = without.analyse_many(texts)
    path = lexicon_path(MODEL_PATH, CLUSTERS_PATH)
    assert build_lexicon(without, path, count=5000) == 5000 and lexicon_built(path)
    for names in name_lists():  # as in a new process
        names._starts.clear()
    tagger = EntityTagger()
    assert tagger.lexicon is not None
    # The models' own feature vectors stay on disk: the file holds them.
    assert "embeddings" not in tagger.lstm.weights and "embeddings" in without.lstm.weights
    assert not tagger.encoder.index and "embeddings" not in tagger.encoder.weights
    # The LSTM's feature vectors are read from the file too, as they were built.
    assert tagger.lstm_sums.index == without.lstm_sums.index
    assert np.array_equal(tagger.lstm_sums.vectors, without.lstm_sums.vectors)
    # Most of the words are read from the table, yet every answer is the same.
    words = [w for text in texts for w in text.split()]
    assert sum(tagger.lexicon.word(w)[1] >= 0 for w in words) > 0.6 * len(words)
    assert tagger.analyse_many(texts) == expected
    assert tagger.lexicon.word("الرئيسُ")[1] == tagger.lexicon.word("الرئيس")[1] >= 0
    assert tagger.lexicon.word("2024")[1] == -1 and tagger.lexicon.word("Google")[1] == -1
    # Its rows are of words written with ya: one written with alef maqsura is worked out.
    assert tagger.lexicon.word("فى")[1] == -1 and tagger.lexicon.word("في")[1] >= 0


def test_a_words_blocks_do_not_depend_on_the_words_summed_beside_it(tmp_path, monkeypatch):
    monkeypatch.setenv("MARSAD_CACHE", str(tmp_path))
    tagger = EntityTagger()
    path = lexicon_path(MODEL_PATH, CLUSTERS_PATH)
    build_lexicon(tagger, path, count=300)
    width = tagger.lstm_sums.vectors.shape[1]
    table = Lexicon.load(path, tagger.clusters, tagger.crf_sums.block_shape, width)
    words = lexicon_words(tagger.clusters, 300)
    for row in (0, 57, 299):  # summed alone, not among 300
        info = [word_features(words[row], tagger.clusters)]
        assert np.array_equal(table.crf[row], tagger.crf_sums.summed(info)[0])
        assert np.array_equal(table.lstm[row], tagger.lstm_sums.summed(info)[0])
    # Words that start a name are known as such; others are not tried.
    starts = {word: table.starts[tagger.clusters.index[word]] for word in words}
    assert starts["مصر"] & 1 and not starts["قال"] & 1


def test_a_lexicon_is_named_by_what_it_is_made_from(tmp_path, monkeypatch):
    monkeypatch.setenv("MARSAD_CACHE", str(tmp_path / "cache"))
    models = tmp_path / "models"
    shutil.copytree(MODEL_PATH.parent, models)
    model, clusters = models / MODEL_PATH.name, models / CLUSTERS_PATH.name
    first = lexicon_path(model, clusters)
    assert lexicon_path(model, clusters) == first
    (models / "entities_lstm.npz").write_bytes((models / "entities_lstm.npz").read_bytes())
    second = lexicon_path(model, clusters)
    assert second != first  # the LSTM was rewritten: its table is another
    (models / "topics.npz").unlink()  # the topic model is not part of it
    assert lexicon_path(model, clusters) == second
    # A table whose width is not the models' is refused, not misread; so is a damaged one.
    tagger = EntityTagger(model, clusters)
    build_lexicon(tagger, second, count=10)
    assert Lexicon.load(second, tagger.clusters, tagger.crf_sums.block_shape, 128) is not None
    with pytest.warns(UserWarning, match="not read"):
        assert Lexicon.load(second, tagger.clusters, tagger.crf_sums.block_shape, 64) is None
    second.write_bytes(b"not a table")
    with pytest.warns(UserWarning, match="not read"):
        damaged = EntityTagger(model, clusters)
    # The models' feature vectors are then read after all, and the tags are the same.
    assert damaged.lexicon is None and "embeddings" in damaged.lstm.weights
    assert damaged.lstm_sums.vectors.shape == (len(damaged.lstm_sums.index) + 1, 128)
    text = "قال الرئيس المصري عبد الفتاح السيسي في القاهرة إن منظمة الصحة العالمية"
    assert damaged.analyse_many([text]) == tagger.analyse_many([text])


def test_marsad_lexicon_builds_the_table_once(tmp_path):
    command = [sys.executable, "-m", "marsad.cli", "lexicon"]
    env = {"MARSAD_CACHE": str(tmp_path), "PATH": "/usr/bin:/bin"}
    line = '{"id": 1, "text": "قال الرئيس الروسي فلاديمير بوتين"}\n'
    tag = [sys.executable, "-m", "marsad.cli", "tag"]
    slow = subprocess.run(tag, env=env, input=line, capture_output=True, text=True, check=True)
    # Tagging without the table tells whoever times it how to get the faster path.
    assert "no lexicon" in slow.stderr and "`marsad lexicon`" in slow.stderr, slow.stderr
    built = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    assert "\nlexicon of 50,000 words in " in built.stdout, built.stdout
    fast = subprocess.run(tag, env=env, input=line, capture_output=True, text=True, check=True)
    assert fast.stderr == "" and fast.stdout == slow.stdout
    again = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    assert again.stdout.startswith("LSTM graphs current: 2\nlexicon current: "), again.stdout
    (table,) = tmp_path.glob("lexicon-*.npy")
    assert sorted(f.suffix for f in tmp_path.glob("lexicon-*")) == [".npy", ".npz"]
    table.write_bytes(table.read_bytes()[:1000])  # damaged: written anew
    rebuilt = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    assert "\nlexicon of " in rebuilt.stdout and "not read" in rebuilt.stderr
    assert table.stat().st_size > 1000


def test_a_tagging_process_reads_the_lstm_graphs_and_never_imports_onnx(tmp_path):
    # Writing a graph takes onnx, whose import alone costs 0.8 s: `marsad lexicon` writes
    # them once, and tagging reads them from the cache folder. The CRF is read from its
    # tables: CRFsuite is not imported either.
    env = {"MARSAD_CACHE": str(tmp_path), "PATH": "/usr/bin:/bin"}
    lexicon = [sys.executable, "-m", "marsad.cli", "lexicon"]
    built = subprocess.run(lexicon, env=env, capture_output=True, text=True, check=True)
    assert built.stdout.startswith("LSTM graphs written: 2\n"), built.stdout
    assert len(list(tmp_path.glob("lstm-graph-*.pickle"))) == 2  # the encoder's, the LSTM's
    tag = [sys.executable, "-X", "importtime", "-m", "marsad.cli", "tag"]
    line = '{"id": 1, "text": "قال الرئيس الروسي فلاديمير بوتين في موسكو"}\n'
    run = subprocess.run(tag, env=env, input=line, capture_output=True, text=True, check=True)
    imported = {row.rsplit("|", 1)[1].strip() for row in run.stderr.splitlines() if "|" in row}
    assert "onnxruntime" in imported and "onnx" not in imported
    assert "pycrfsuite" not in imported
    assert '"type": "PER"' in run.stdout


def test_the_words_looked_up_together_are_kept_within_the_bound(tmp_path, monkeypatch):
    """``Lexicon.look_up`` finds a batch's words at once; past FEATURE_STRINGS_CACHE entries
    it starts again with the batch's words, so none of them is found one by one after."""
    import marsad.enrich.entities.lexicon as lexicon_module

    monkeypatch.setenv("MARSAD_CACHE", str(tmp_path))
    monkeypatch.setattr(lexicon_module, "FEATURE_STRINGS_CACHE", 10)
    tagger = EntityTagger()
    path = lexicon_path(MODEL_PATH, CLUSTERS_PATH)
    build_lexicon(tagger, path, count=300)
    width = tagger.lstm_sums.vectors.shape[1]
    table = Lexicon.load(path, tagger.clusters, tagger.crf_sums.block_shape, width)
    first = ["قال", "الرئيس", "إن", "بومبيو", "وصل"]
    table.look_up(first)
    second = ["أعلن", "وزير", "الخارجية", "الأمريكي", "أن", "غوارديولا", "وبومبيو"]
    table.look_up(second)
    assert set(table._entries) == set(second)  # 5 + 7 words past 10: started again
    assert table.word("وبومبيو") == (word_features("وبومبيو", tagger.clusters), -1)
    assert table.word("بومبيو")[0][2] is not None and "nl=0" in table.word("بومبيو")[0][2]
