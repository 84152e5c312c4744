"""Commands on the models: ``classify`` and ``tag`` (JSON lines in, answers out as they
arrive), ``eval`` (held-out figures) and ``train`` (the Dagster model assets).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from marsad.limits import BatchCollector, one_blas_thread

# Lines after which a group of input is handed on, and the fewest worth a batch (a batch has
# a fixed cost; fewer lines are classified one by one, with the same answers).
CLASSIFY_BATCH = 1000
CLASSIFY_BATCH_MIN = 32
# Bytes after which a group is handed on, so that long texts do not make a group's memory
# grow: groups of 1,000 SaudiNewsNet articles (about 6 MB of JSON lines) took a tagging
# process to 0.81 GB, 1 MB groups to 0.58 GB, at the same speed. Input is read 1 MB at a
# time, so a group holds under 2 MB, or one line longer than that (and more than
# CLASSIFY_BATCH lines where they are short: 30,000 one-word lines come as one group).
BATCH_BYTES = 1 << 20


def _waiting(fd: int) -> bool:
    """Whether more input can be read at once (pipes and files; False where unknown)."""
    import select

    try:
        return bool(select.select([fd], [], [], 0)[0])
    except (OSError, ValueError):
        return False


def _arrived_lines(stream) -> Iterator[tuple[list[bytes], bool]]:
    """The complete lines of a binary stream, in groups: reading goes on while more input is
    already waiting, until CLASSIFY_BATCH lines or BATCH_BYTES have come (a read of 1 MB at a
    time), so a piped file comes in large groups and a line sent alone is answered at once.
    Each group comes with whether the stream had ended before it was handed on: so it is for
    a file's last group, unless it was full."""
    fd, pending, lines, size = stream.fileno(), b"", [], 0
    while chunk := os.read(fd, 1 << 20):
        *complete, pending = (pending + chunk).split(b"\n")
        lines += complete
        size += len(chunk)
        full = len(lines) >= CLASSIFY_BATCH or size >= BATCH_BYTES
        if lines and (full or not _waiting(fd)):
            yield lines, False
            lines, size = [], len(pending)
    if pending:
        lines.append(pending)
    if lines:
        yield lines, True


def _arrived_items(
    command: str, check
) -> Iterator[tuple[list[tuple[dict | None, str | None]], bool]]:
    """The JSON objects of stdin's lines in the groups they arrive in (``_arrived_lines``),
    each with None, or None and the error of a bad line (reported on stderr); ``check``
    raises ValueError for an object that cannot be answered. Each group comes with whether
    it is the last."""
    number = 0
    for lines, last in _arrived_lines(sys.stdin.buffer):
        items: list[tuple[dict | None, str | None]] = []
        for raw in lines:
            number += 1
            try:
                line = raw.decode("utf-8")
                if not line.strip():
                    continue
                item = json.loads(line)
                if not isinstance(item, dict):
                    raise ValueError("not a JSON object")
                check(item)
                items.append((item, None))
            except ValueError as error:  # bad UTF-8 and bad JSON included
                print(f"marsad {command}: line {number}: {error}", file=sys.stderr)
                items.append((None, f"line {number}: {error}"))
        yield items, last


def _write_answers(items, answers: Iterator[dict]) -> int:
    """One line per item, in order: its answer, or its error (status 1)."""
    status = 0
    for item, error in items:
        if item is None:
            out, status = {"id": None, "error": error}, 1
        else:
            out = next(answers)
        sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
    sys.stdout.flush()
    return status


def _strings(*names: str):
    def check(item: dict) -> None:
        for name in names:
            if item.get(name) is not None and not isinstance(item[name], str):
                raise ValueError(f"{name} is not a string")

    return check


def classify(args: argparse.Namespace) -> int:
    """Topic of each line; the lines that arrive together are classified as one batch
    (``TopicModel.classify_many``: the same answers, faster)."""
    from marsad.enrich.topics.model import MODEL_PATH, TopicModel

    model = TopicModel.load(args.model or MODEL_PATH)
    collector = BatchCollector()
    status = 0
    for items, last in _arrived_items("classify", _strings("title", "text")):
        good = [item for item, _ in items if item is not None]
        titles, texts = [i.get("title") for i in good], [i.get("text") for i in good]
        with collector.batch(last), one_blas_thread():  # lists: the work is done inside
            if len(good) >= CLASSIFY_BATCH_MIN:
                answers = list(model.classify_many(titles, texts))
            else:
                answers = list(map(model.classify, titles, texts))
        out = (
            {"id": item.get("id"), "topic": topic, "scores": scores}
            for item, (topic, scores) in zip(good, answers, strict=True)
        )
        status = max(status, _write_answers(items, out))
    return status


def tag(args: argparse.Namespace) -> int:
    """Entities (and countries) of each line; the lines that arrive together are tagged as
    one batch (``EntityTagger.analyse_many``)."""
    from marsad.enrich.entities.countries import article_countries
    from marsad.enrich.entities.features import CLUSTERS_PATH
    from marsad.enrich.entities.tagger import MODEL_PATH, EntityTagger

    model = Path(args.model) if args.model else MODEL_PATH
    tagger = EntityTagger(model, model.parent / CLUSTERS_PATH.name)
    if tagger.lstm is not None and tagger.lexicon is None:
        # The tags are the same without it, so nothing else would tell whoever times the
        # command that it runs on the slower path.
        rebuild = "marsad lexicon" + (f" --model {args.model}" if args.model else "")
        print(
            f"marsad tag: no lexicon for these models in the cache folder; `{rebuild}` "
            "writes it once (the same tags, about a fifth faster)",
            file=sys.stderr,
        )
    collector = BatchCollector()
    status = 0
    for items, last in _arrived_items("tag", _strings("text", "outlet_country")):
        good = [item for item, _ in items if item is not None]
        with collector.batch(last), one_blas_thread():
            found = tagger.analyse_many(
                [item.get("text") or "" for item in good],
                [item.get("outlet_country") for item in good],
            )
        out = []
        for item, (mentions, countries) in zip(good, found, strict=True):
            answer = {"id": item.get("id"), "entities": [vars(m) for m in mentions]}
            if args.countries:
                answer["countries"] = article_countries([], countries)
            out.append(answer)
        status = max(status, _write_answers(items, iter(out)))
    return status


def lexicon(args: argparse.Namespace) -> int:
    """Build the tagger's lexicon (``marsad.enrich.entities.lexicon``) and its LSTMs' graphs
    where they are missing."""
    import time

    from marsad.cache import cache_folder
    from marsad.enrich.entities.features import CLUSTERS_PATH
    from marsad.enrich.entities.lexicon import build_lexicon, lexicon_path
    from marsad.enrich.entities.tagger import MODEL_PATH, EntityTagger

    model = Path(args.model) if args.model else MODEL_PATH
    clusters = model.parent / CLUSTERS_PATH.name
    path = lexicon_path(model, clusters)
    started = time.perf_counter()
    tagger = EntityTagger(model, clusters)  # reads the lexicon where it is whole
    if tagger.lstm is None:
        print(f"marsad lexicon: {model} has no LSTM beside it: nothing to work out")
        return 0
    # The LSTMs' ONNX graphs are written to the cache folder once per models too, so that no
    # tagging process pays the import of onnx (``BidirectionalLstm``).
    before = set(cache_folder().glob("lstm-graph-*.pickle"))
    graphs = [m.reader for m in (tagger.lstm, tagger.encoder) if m is not None]
    written = len(set(cache_folder().glob("lstm-graph-*.pickle")) - before)
    print(f"LSTM graphs {'written' if written else 'current'}: {len(graphs)}")
    if tagger.lexicon is not None:
        print(f"lexicon current: {path}")
        return 0
    try:
        words = build_lexicon(tagger, path)
    except OSError as error:  # a read-only cache folder: tagging works without it, slower
        print(f"marsad lexicon: not written ({error}); tagging works without it", file=sys.stderr)
        return 0
    print(f"lexicon of {words:,} words in {time.perf_counter() - started:.1f} s: {path}")
    return 0


def eval_ner(args: argparse.Namespace) -> int:
    from marsad.enrich.entities.features import CLUSTERS_PATH
    from marsad.enrich.entities.tagger import MODEL_PATH, EntityTagger
    from marsad.training.entities import evaluate_documents, read_conll_documents

    try:
        documents = read_conll_documents(Path(args.conll))
    except (OSError, ValueError) as error:
        print(f"marsad eval ner: {error}", file=sys.stderr)
        return 2
    model = Path(args.model) if args.model else MODEL_PATH
    scores = evaluate_documents(EntityTagger(model, model.parent / CLUSTERS_PATH.name), documents)
    print(f"documents      {len(documents)}  (-DOCSTART- lines; else a sentence each)")
    print(f"sentences      {sum(len(document) for document in documents)}")
    print(f"tokens         {scores.tokens}")
    print(f"tokens/s       {scores.tokens / max(scores.seconds, 1e-9):,.0f}  (tagging only)")
    for kind, p, r, f1, gold, predicted in scores.per_type.iter_rows():
        print(f"{kind:<5}  P {p:.4f}  R {r:.4f}  F1 {f1:.4f}  gold {gold}  predicted {predicted}")
    print(
        f"micro  P {scores.micro_precision:.4f}  R {scores.micro_recall:.4f}  "
        f"F1 {scores.micro_f1:.4f}  (PER, ORG, LOC; exact spans)"
    )
    return 0


def eval_topics(args: argparse.Namespace) -> int:
    import time

    import polars as pl

    from marsad.enrich.topics.model import MODEL_PATH, TopicModel
    from marsad.enrich.topics.taxonomy import topic_label
    from marsad.training.topics import evaluate, read_labelled_file

    try:
        documents = read_labelled_file(Path(args.file), args.source)
    except (OSError, ValueError, pl.exceptions.PolarsError) as error:
        print(f"marsad eval topics: {error}", file=sys.stderr)
        return 2
    model = TopicModel.load(args.model or MODEL_PATH)
    started = time.perf_counter()
    answers = model.classify_many(documents["title"].to_list(), documents["text"].to_list())
    predicted = [topic for topic, _ in answers]
    seconds = time.perf_counter() - started
    scores = evaluate(documents["topic"].to_list(), predicted)
    print(f"documents      {scores.documents}")
    print(f"accuracy       {scores.accuracy:.4f}")
    print(f"macro-F1       {scores.macro_f1:.4f}  (over the {scores.per_topic.height} gold topics)")
    print(f"documents/s    {scores.documents / max(seconds, 1e-9):,.0f}")
    print("\nper topic")
    for code, p, r, f1, support in scores.per_topic.iter_rows():
        print(f"  {code}  P {p:.3f}  R {r:.3f}  F1 {f1:.3f}  n {support:5d}  {topic_label(code)}")
    print("\nconfusion (rows gold, columns predicted)")
    with pl.Config(tbl_rows=-1, tbl_cols=-1, tbl_width_chars=250):
        print(scores.confusion)
    return 0


def train(args: argparse.Namespace) -> int:
    from marsad.training import INSTALL_HINT, missing_packages

    if missing := missing_packages():
        print(f"marsad train needs {', '.join(missing)}: {INSTALL_HINT}", file=sys.stderr)
        return 2
    import dagster as dg

    from pipelines.models.assets import (
        entity_model,
        name_shapes,
        news_encoder,
        topic_model,
        word_clusters,
        word_vectors,
    )
    from pipelines.resources import ModelStore

    models = ModelStore(models_path=args.models, training_data_path=args.data)
    # The news encoder is trained (minutes on two cores, docs/entities.md) only when the
    # entity model is to read it.
    encoder = [news_encoder] if args.news_encoder else []
    result = dg.materialize(
        [word_vectors, topic_model, word_clusters, name_shapes, *encoder, entity_model],
        run_config={"ops": {"entity_model": {"config": {"news_encoder": args.news_encoder}}}},
        resources={"models": models},
        raise_on_error=False,
    )
    for event in result.get_asset_materialization_events():
        materialization = event.step_materialization_data.materialization
        shown = {k: v.value for k, v in materialization.metadata.items() if "per_topic" not in k}
        print(materialization.asset_key.to_user_string(), json.dumps(shown, default=str))
    return 0 if result.success else 1
