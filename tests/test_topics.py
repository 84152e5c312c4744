"""Topics: the IPTC taxonomy, the shipped classifier, training, evaluation and the CLI."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import dagster as dg
import duckdb
import numpy as np
import polars as pl
import pytest

from bench.commands import marsad_command
from marsad.enrich.topics.features import Document, char_grams
from marsad.enrich.topics.model import MODEL_PATH, TopicModel, shipped_model
from marsad.enrich.topics.seeds import SeedLexicons
from marsad.enrich.topics.taxonomy import (
    SOURCE_LABELS,
    TOPIC_CODES,
    TOPICS,
    topic_label,
    topics_frame,
)
from marsad.synthetic import generate
from marsad.training import topics as topic_training
from marsad.training.topics import (
    evaluate,
    evaluate_model,
    gold_topics,
    held_out_split,
    labelled_documents,
    read_labelled_file,
    train,
)
from tests.conftest import SHARED, shared_file

ANTCORPUS = SHARED / "data" / "antcorpus" / "antcorpus_v1.1_train80.parquet"
ASND = SHARED / "data" / "asnd" / "asnd_train80.parquet"

SPORT, ECONOMY, POLITICS, HEALTH, WEATHER = (
    "15000000",
    "04000000",
    "11000000",
    "07000000",
    "17000000",
)


def test_taxonomy_has_the_17_iptc_top_level_topics_with_both_labels():
    assert len(TOPICS) == 17 == len(set(TOPIC_CODES))
    assert all(len(code) == 8 and code.endswith("000000") for code in TOPIC_CODES)
    assert all(topic.ar and topic.en for topic in TOPICS)
    assert topic_label(SPORT) == "sport" and topic_label(SPORT, "ar") == "رياضة"
    assert topic_label(None) == "unclassified"


def test_every_source_label_maps_to_a_topic_or_to_none():
    for labels in SOURCE_LABELS.values():
        assert set(labels.values()) - {None} <= set(TOPIC_CODES)
    # Labels that say where a story happened are not topics.
    for label in ("localNews", "internationalNews", "diverse"):
        assert SOURCE_LABELS["antcorpus"][label] is None
    assert SOURCE_LABELS["asnd"]["others"] is None
    frame = topics_frame()
    assert frame.height == 17
    sport = frame.filter(pl.col("topic") == SPORT).row(0, named=True)
    assert sport["qcode"] == "medtop:15000000"
    assert "antcorpus:sport" in sport["source_labels"] and "asnd:sports" in sport["source_labels"]


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        ("المنتخب يفوز على نظيره بثلاثة أهداف في تصفيات كأس العالم", None, SPORT),
        (None, "سجل المهاجم هدفين في المباراة وتأهل النادي إلى نهائي البطولة", SPORT),
        ("البنك المركزي يرفع سعر الفائدة وتراجع التضخم", None, ECONOMY),
        ("الحكومة تعرض مشروع قانون الانتخابات على مجلس النواب", None, POLITICS),
        ("وزارة الصحة تطلق حملة تلقيح ضد فيروس كورونا في المستشفيات", None, HEALTH),
        ("توقعات أحوال الطقس: أمطار رعدية ورياح قوية وانخفاض درجات الحرارة", None, WEATHER),
    ],
)
def test_shipped_model_classifies_clear_headlines_and_bodies(title, text, expected):
    topic, scores = shipped_model().classify(title, text)
    assert topic == expected, {topic_label(k): round(v, 2) for k, v in scores.items() if v > 0.05}
    assert set(scores) == set(TOPIC_CODES)
    assert sum(scores.values()) == pytest.approx(1.0, abs=1e-4)
    assert max(scores, key=scores.__getitem__) == topic


def test_classification_ignores_spelling_variants():
    plain = "المنتخب الوطني يفوز في المباراة النهائية"
    marked = "المُنْتَخَبُ الوطنيّ يفوز في المباراة النهائيـــة"
    model = shipped_model()
    assert model.classify(plain, None)[0] == model.classify(marked, None)[0] == SPORT


def test_fast_feature_lookup_finds_exactly_the_training_features():
    """The classifier looks features up by word and stem pair; training builds their
    strings. Both must give the same vocabulary entries, repeats included."""
    model = shipped_model()
    texts = [
        ("المنتخب الوطني يفوز في المباراة النهائية", None),
        ("ارتفاع أسعار النفط", "وقال وزير المالية إن الميزانية ستتأثر بانخفاض الإيرادات النفطية"),
        (None, "الحكومة تعلن خطة لدعم التعليم والصحة في المناطق الريفية " * 20),
        ("", "و"),
        (None, None),
    ]
    for title, text in texts:
        document = Document.of(title, text)
        expected = [model.vocabulary[f] for f in document.features() if f in model.vocabulary]
        assert sorted(model.feature_indices(Document.of(title, text))) == sorted(expected)
    assert any(model.feature_indices(Document.of(*texts[1])))


def test_seed_hits_count_distinct_one_and_two_word_phrases():
    seeds = SeedLexicons.build({"A": ["وزير المالية", "النفط", "الميزانية"], "B": ["المطر"]})
    stems = Document.of(None, "قال وزير المالية إن النفط والنفط والأمطار والمطر").lead_stems
    # وزير المالية and النفط (once, though twice in the text); المطر behind its clitic.
    assert seeds.hits(stems) == {"A": 2, "B": 1}
    assert seeds.hits(Document.of(None, "المالية وزير").lead_stems) == {}
    assert seeds.hits([]) == {}


def _assert_batch_matches_one_by_one(model: TopicModel, pairs: list[tuple]) -> None:
    titles, texts = [t for t, _ in pairs], [x for _, x in pairs]
    batch = model.classify_many(titles, texts)
    assert len(batch) == len(pairs)
    for (title, text), (topic, scores) in zip(pairs, batch, strict=True):
        one_topic, one_scores = model.classify(title, text)
        assert topic == one_topic, (title, text)
        assert scores.keys() == one_scores.keys()
        assert all(abs(scores[k] - one_scores[k]) < 1e-5 for k in scores), (title, text)


def test_batches_give_the_answers_of_one_by_one(monkeypatch):
    """The pipeline classifies batches (Polars and NumPy); ``marsad classify`` one document
    at a time. Same topics, same scores: seeds, short texts, empty and unknown texts too."""
    import marsad.enrich.topics.batch

    pages = generate(60, seed=11)
    pairs = [(p.title, p.body) for p in pages] + [(p.title, None) for p in pages[:20]]
    pairs += [
        (None, None),
        ("", "   "),
        ("zzqx qqzv", None),
        ("عاصفة ثلجية وأمطار غزيرة وانخفاض درجات الحرارة", None),  # a seed topic (weather)
        ("المُنْتَخَبُ الوطنيّ يفوز", "وَقَالَ المدرّب ، «الفوز» مستحق ٣-١"),
        (None, "و"),
    ]
    model = shipped_model()
    assert model.classify_many([], []) == []
    _assert_batch_matches_one_by_one(model, pairs)
    monkeypatch.setattr(marsad.enrich.topics.batch, "BATCH_DOCUMENTS", 7)  # many small batches
    _assert_batch_matches_one_by_one(model, pairs)


def test_batches_match_one_by_one_on_the_labelled_corpora():
    documents = labelled_documents(shared_file(ANTCORPUS), shared_file(ASND))
    sample = documents.sample(3000, seed=3)
    _assert_batch_matches_one_by_one(shipped_model(), sample.select("title", "text").rows())


def test_text_without_known_words_gets_no_topic():
    model = shipped_model()
    assert model.classify(None, None) == (None, {})
    assert model.classify("", "   ") == (None, {})
    assert model.classify("zzqx qqzv", None) == (None, {})


def test_gold_labels_map_to_codes_and_unknown_labels_fail():
    labels = pl.Series(["sport", "politics", "localNews", "others", "15000000", "medtop:07000000"])
    assert gold_topics(labels).to_list() == [SPORT, POLITICS, None, None, SPORT, HEALTH]
    with pytest.raises(ValueError, match="neither IPTC codes"):
        gold_topics(pl.Series(["football"]))


def test_evaluate_counts_accuracy_macro_f1_and_confusion():
    scores = evaluate([SPORT, SPORT, ECONOMY, ECONOMY], [SPORT, ECONOMY, ECONOMY, None])
    assert scores.accuracy == 0.5
    # sport P 1 R .5 F1 .667; economy P .5 R .5 F1 .5
    assert scores.macro_f1 == pytest.approx((2 / 3 + 0.5) / 2)
    row = scores.confusion.filter(pl.col("gold") == ECONOMY).row(0, named=True)
    assert row["none"] == 1 and row[ECONOMY] == 1


def _tiny_corpus() -> pl.DataFrame:
    sport = ["فاز الفريق في المباراة", "هدف رائع للمهاجم في الدوري", "المدرب يختار اللاعبين"]
    money = ["ارتفاع أسعار النفط في السوق", "البنك يرفع الفائدة", "الشركة تعلن أرباحها السنوية"]
    rows = [(t, SPORT) for t in sport * 3] + [(t, ECONOMY) for t in money * 3]
    return pl.DataFrame(
        {
            "title": [""] * len(rows),
            "text": [t for t, _ in rows],
            "topic": [c for _, c in rows],
            "group": [str(i) for i in range(len(rows))],
        }
    )


def test_a_trained_model_survives_saving_and_loading(tmp_path: Path):
    model = train(_tiny_corpus())
    path = tmp_path / "topics.npz"
    model.save(path)
    loaded = TopicModel.load(path)
    for text in ("المهاجم يسجل هدفا في المباراة", "أسعار النفط والفائدة"):
        topic, scores = model.classify(None, text)
        again, scores_again = loaded.classify(None, text)
        assert topic == again
        assert scores[topic] == pytest.approx(scores_again[topic], abs=1e-3)
    assert loaded.classify(None, "المهاجم يسجل هدفا في المباراة")[0] == SPORT


def test_character_grams_of_a_word_are_padded_3_to_5_grams():
    assert char_grams("نفط") == ["c:<نف", "c:نفط", "c:فط>", "c:<نفط", "c:نفط>", "c:<نفط>"]
    assert char_grams("و") == ["c:<و>"]


def test_training_keeps_only_the_most_topical_character_grams(monkeypatch):
    from sklearn.feature_extraction.text import TfidfVectorizer

    monkeypatch.setattr(topic_training, "CHAR_FEATURES", 12)
    corpus = _tiny_corpus()
    model = train(corpus)
    grams = [term for term in model.vocabulary if term.startswith("c:")]
    assert len(grams) == 12
    assert {"فاز", "s:نفط"} <= set(model.vocabulary)  # words and stems all stay
    # Dropping columns then normalizing again equals vectorizing with the kept terms only.
    documents = [Document.of(t, x) for t, x in corpus.select("title", "text").iter_rows()]
    full = TfidfVectorizer(analyzer=Document.features, min_df=2, sublinear_tf=True)
    matrix = full.fit_transform(documents)
    terms, idf, kept = topic_training._keep_topical_char_grams(
        full.get_feature_names_out(), full.idf_, matrix, corpus["topic"].to_list()
    )
    direct = TfidfVectorizer(analyzer=Document.features, vocabulary=terms, sublinear_tf=True)
    assert abs(direct.fit_transform(documents) - kept).max() < 1e-9
    assert idf.tolist() == pytest.approx(direct.idf_.tolist())


def test_held_out_split_keeps_duplicate_groups_together():
    documents = _tiny_corpus().with_columns((pl.col("group").cast(pl.Int64) % 6).cast(pl.String))
    training, held = held_out_split(documents, share=0.34)
    assert not set(training["group"]) & set(held["group"])
    assert training.height + held.height == documents.height


def test_model_trained_on_90_percent_scores_well_on_the_held_out_tenth():
    """Quality guard on the real corpora (the shipped model adds word vectors on top)."""
    documents = labelled_documents(shared_file(ANTCORPUS), shared_file(ASND))
    training, held = held_out_split(documents, share=0.1, seed=1)
    model = train(training)
    articles = evaluate_model(model, held.filter(pl.col("source") == "antcorpus"))
    posts = evaluate_model(model, held.filter(pl.col("source") == "asnd"))
    assert articles.accuracy >= 0.93, articles.per_topic
    assert posts.macro_f1 >= 0.50, posts.per_topic


def classify(lines: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        marsad_command("classify"),
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_classify_command_answers_each_line_in_order():
    lines = [
        json.dumps({"id": 1, "title": "المنتخب يفوز في المباراة النهائية"}, ensure_ascii=False),
        json.dumps({"id": "b", "text": "البنك المركزي يرفع سعر الفائدة"}, ensure_ascii=False),
        json.dumps({"id": 3}),
        "not json",
        json.dumps({"id": 5, "title": "وزير الخارجية يلتقي نظيره", "text": "بحث الوزيران"}),
        json.dumps({"id": 6, "title": 7, "text": ["not", "a", "string"]}),
    ]
    done = classify(lines)
    assert done.returncode == 1  # bad lines, reported in place
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert [o["id"] for o in out] == [1, "b", 3, None, 5, None]
    assert "line 6: title is not a string" in out[5]["error"]
    assert out[0]["topic"] == SPORT and out[1]["topic"] == ECONOMY
    assert out[2] == {"id": 3, "topic": None, "scores": {}}
    assert "line 4" in out[3]["error"] and "line 4" in done.stderr
    assert out[4]["topic"] == POLITICS
    assert sum(out[0]["scores"].values()) == pytest.approx(1.0, abs=1e-4)


def test_classify_command_answers_a_line_before_the_input_ends():
    """Lines are classified in the groups they arrive in: a line sent alone is answered at
    once, while the input stays open; a piped file is answered in order, line for line."""
    process = subprocess.Popen(
        marsad_command("classify"),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    try:
        process.stdin.write(json.dumps({"id": "first", "title": "المنتخب يفوز بالمباراة"}) + "\n")
        process.stdin.flush()
        answer = json.loads(process.stdout.readline())  # stdin is still open
        assert answer["id"] == "first" and answer["topic"] == SPORT
        many = [json.dumps({"id": i, "text": "البنك المركزي يرفع سعر الفائدة"}) for i in range(500)]
        process.stdin.write("\n".join(many))  # the last line without its newline
        process.stdin.close()
        rest = [json.loads(line) for line in process.stdout]
    finally:
        process.wait(timeout=60)
    assert [o["id"] for o in rest] == list(range(500))
    assert {o["topic"] for o in rest} == {ECONOMY}
    assert process.returncode == 0


def test_eval_topics_command_reports_accuracy_macro_f1_and_confusion(tmp_path: Path):
    rows = [
        {"label": "sports", "text": "المنتخب يفوز في المباراة النهائية ويتأهل إلى كأس العالم"},
        {"label": "business-and-economy", "text": "البنك المركزي يرفع سعر الفائدة"},
        {"label": "others", "text": "صورة جميلة من البحر"},
    ]
    path = tmp_path / "posts.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    assert read_labelled_file(path).height == 2  # "others" is not a topic
    done = subprocess.run(
        marsad_command("eval", "topics", "--file", str(path), "--source", "asnd"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "documents      2" in done.stdout
    assert "accuracy       1.0000" in done.stdout
    assert "macro-F1" in done.stdout and "confusion" in done.stdout and "documents/s" in done.stdout


def test_eval_topics_command_rejects_a_file_without_labels(tmp_path: Path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "نص"}\n', encoding="utf-8")
    done = subprocess.run(
        marsad_command("eval", "topics", "--file", str(path)),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2 and "no label" in done.stderr


def test_warehouse_holds_topics_for_articles_and_headlines(built_warehouse: Path):
    with duckdb.connect(str(built_warehouse), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM topics").fetchone()[0] == 17
        unclassified = con.execute("SELECT count(*) FROM articles WHERE topic IS NULL").fetchone()[
            0
        ]
        assert unclassified == 0
        # Scores of an article sum to 1 and its one primary row is articles.topic.
        bad = con.execute(
            """
            SELECT a.article_id
            FROM articles a JOIN article_topics t USING (article_id)
            GROUP BY a.article_id, a.topic
            HAVING abs(sum(t.score) - 1) > 1e-3
                OR count(*) FILTER (t.is_primary) <> 1
                OR any_value(t.topic) FILTER (t.is_primary) <> a.topic
            """
        ).fetchall()
        assert bad == []
        assert con.execute("SELECT count(*) FROM headlines WHERE topic IS NULL").fetchone()[0] == 0
        assert (
            con.execute("SELECT count(DISTINCT headline_id) FROM headline_topics").fetchone()[0]
            == con.execute("SELECT count(*) FROM headlines").fetchone()[0]
        )
        # Every code used is one of the taxonomy's.
        assert (
            con.execute(
                "SELECT count(*) FROM articles WHERE topic NOT IN (SELECT topic FROM topics)"
            ).fetchone()[0]
            == 0
        )
        # The synthetic sport stories come out as sport.
        sport = con.execute(
            "SELECT avg((topic = '15000000')::INT) FROM articles "
            "WHERE title LIKE '%يتعاقد مع مهاجم%'"
        ).fetchone()[0]
        assert sport is not None and sport >= 0.9


def _train_assets(models, read_encoder: bool = False) -> dg.ExecuteInProcessResult:
    from pipelines.models.assets import (
        entity_model,
        name_shapes,
        news_encoder,
        topic_model,
        word_clusters,
        word_vectors,
    )

    return dg.materialize(
        [word_vectors, topic_model, word_clusters, name_shapes, news_encoder, entity_model],
        run_config={"ops": {"entity_model": {"config": {"news_encoder": read_encoder}}}},
        resources={"models": models},
    )


def test_model_assets_keep_the_shipped_model_without_training_data(tmp_path: Path):
    from pipelines.resources import ModelStore

    models = ModelStore(models_path=str(tmp_path / "m"), training_data_path=str(tmp_path / "no"))
    result = _train_assets(models)
    assert result.success
    for event in result.get_asset_materialization_events():
        assert event.step_materialization_data.materialization.metadata["trained"].value is False
    assert models.model_path("topics.npz") == MODEL_PATH
    assert models.model_path("entities.crfsuite").parent == MODEL_PATH.parent


def test_model_assets_train_from_the_training_data_folder(tmp_path: Path, monkeypatch):
    from pipelines.resources import ModelStore

    monkeypatch.setenv("MARSAD_CACHE", str(tmp_path / "cache"))  # the trained lexicon's

    corpus = _tiny_corpus()
    ant = tmp_path / "data" / "antcorpus" / "antcorpus_v1.1_train80.parquet"
    ant.parent.mkdir(parents=True)
    pl.DataFrame(
        {
            "doc_id": [f"d{i}" for i in range(corpus.height)],
            "category": ["sport" if t == SPORT else "economy" for t in corpus["topic"]],
            "title": corpus["title"],
            "text": corpus["text"],
            "dup_group": [None] * corpus.height,
        },
        schema_overrides={"dup_group": pl.Int64},
    ).write_parquet(ant)
    conll = tmp_path / "data" / "anercorp_train" / "anercorp_train.conll"
    conll.parent.mkdir(parents=True)
    sentence = "قال\tO\nمحمد\tB-PER\nفي\tO\nتونس\tB-LOC\n.\tO\n\n"
    conll.write_text(sentence * 20, encoding="utf-8")
    models = ModelStore(models_path=str(tmp_path / "m"), training_data_path=str(tmp_path / "data"))
    # The entity LSTM reads the news encoder, as `marsad train` trains it.
    assert _train_assets(models, read_encoder=True).success
    assert (tmp_path / "m" / "entities.crfsuite").is_file()
    tagger = models.entity_tagger()
    assert tagger.tag_words(["قال", "محمد", "في", "تونس", "."])[1] == "B-PER"
    trained = models.model_path("topics.npz")
    assert trained == tmp_path / "m" / "topics.npz" and trained.is_file()
    assert (tmp_path / "m" / "word_vectors.kv").is_file()
    assert (tmp_path / "m" / "word_clusters.npz").is_file()
    # The name shapes were learnt from the trained clusters' vocabulary, and the tagger reads
    # them beside those clusters.
    assert (tmp_path / "m" / "name_shapes.npz").is_file()
    assert tagger.clusters.name_shapes is not None
    # The encoder learnt from the news; the tagger's LSTM reads its states, the encoder's
    # LSTM weights as tuned with it.
    assert (tmp_path / "m" / "entities_encoder.npz").is_file()
    assert tagger.encoder is not None and "encoder_fw_U" in tagger.lstm.weights
    assert np.array_equal(tagger.encoder.weights["fw_U"], tagger.lstm.weights["encoder_fw_U"])
    # The trained models' lexicon was worked out with them: their taggers start warm.
    assert tagger.lexicon is not None and tagger.lexicon.word("في")[1] >= 0
    model = models.topic_model()
    assert model.word_vocabulary  # the word vectors went into the topic model
    assert model.classify(None, "المهاجم يسجل هدفا في المباراة")[0] == SPORT


def test_conflict_reaches_articles_on_a_hand_checked_sample():
    """Whole SaudiNewsNet articles (2015), 300 drawn apart from the ones the conflict seeds were
    written on, each read by hand: about war, armed attacks or terrorism ("yes"), close to it
    (soldiers' funerals, "borderline"), or not. The labelled sources give conflict only short
    posts, so before the seed lead the model filed 3 of these 27 as conflict."""
    sample = pl.read_csv(Path(__file__).parent / "fixtures" / "conflict_sample.csv")
    bodies = (
        pl.scan_parquet(shared_file(SHARED / "data" / "saudinewsnet" / "saudinewsnet.parquet"))
        .select("url", "content")
        .unique("url")
        .collect()
    )
    sample = sample.join(bodies, on="url", how="left", maintain_order="left")
    assert sample["content"].null_count() == 0
    answers = shipped_model().classify_many(sample["title"].to_list(), sample["content"].to_list())
    found = pl.Series([topic == "16000000" for topic, _ in answers])
    gold = sample["conflict"] != "no"
    hits = (found & gold).sum()
    precision, recall = hits / found.sum(), hits / gold.sum()
    # Measured: 17 found, precision 0.88 (both misses are Aden's reopening after its war),
    # recall 0.56 (0.65 of the clear cases).
    assert precision >= 0.8 and recall >= 0.5, (precision, recall)
