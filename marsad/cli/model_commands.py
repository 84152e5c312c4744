"""The ``marsad`` command: run the pipeline, parse one page, start the dashboard."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

DEFAULT_RAW = "data/sample"
DEFAULT_WAREHOUSE = "data/warehouse.duckdb"


def _column_overrides(pairs: list[str] | None) -> dict[str, str]:
    overrides = {}
    for pair in pairs or []:
        role, _, name = pair.partition("=")
        if not name:
            raise SystemExit(f"marsad: --column expects ROLE=NAME, got {pair!r}")
        overrides[role] = name
    return overrides


def _report(result) -> None:
    for evaluation in result.get_asset_check_evaluations():
        if not evaluation.passed:
            print(
                f"  check failed  {evaluation.check_name} on "
                f"{evaluation.asset_key.to_user_string()}",
                file=sys.stderr,
            )
    for event in result.all_events:
        if event.event_type_value == "STEP_FAILURE":
            error = event.event_specific_data.error
            print(
                f"marsad run: step {event.step_key} failed: {error.message.strip()}",
                file=sys.stderr,
            )


def _run(args: argparse.Namespace) -> int:
    # Dagster is imported here so that `marsad parse` starts fast.
    from marsad.ingest.readers import discover_input_files
    from pipelines.progress import progress_logger
    from pipelines.runner import run_once

    raw = args.raw or ([] if args.rebuild else [DEFAULT_RAW])
    try:
        files = [str(f) for f in discover_input_files(raw)]
        storage = _storage(args)
    except (FileNotFoundError, ValueError) as error:
        print(f"marsad run: {error}", file=sys.stderr)
        return 2
    if not files and not args.rebuild:
        print(f"marsad run: no input files under {', '.join(raw)}", file=sys.stderr)
        return 2
    print(
        f"marsad run: {len(files)} input files -> {args.warehouse}"
        + (" (rebuilt from the stage)" if args.rebuild else ""),
        file=sys.stderr,
    )
    results = run_once(storage, files, loggers={"progress": progress_logger}, rebuild=args.rebuild)
    return _summary(results, args.warehouse)


def _storage(args: argparse.Namespace):
    """The storage the arguments name, checked before any work: the column roles are
    known and the stage can be listed (an object store reachable, its credentials good)."""
    from marsad.warehouse.stage import is_url
    from pipelines.resources import MarsadStorage

    stage = args.stage or ""
    storage = MarsadStorage(
        warehouse_path=str(Path(args.warehouse).resolve()),
        # A local stage folder is resolved like the warehouse; a URL is kept as given.
        stage_path=stage if not stage or is_url(stage) else str(Path(stage).resolve()),
        export_columns=_column_overrides(getattr(args, "column", None)),
    )
    storage.columns  # noqa: B018 - validates the column roles
    try:
        storage.stage.manifests()
    except OSError as error:
        raise ValueError(f"the stage at {storage.stage.root} cannot be read: {error}") from error
    return storage


def _stage_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--stage",
        default=os.environ.get("MARSAD_STAGE"),
        metavar="PATH|URL",
        help="where the staged batches live: a shared folder or an object-store URL such as "
        "s3://bucket/marsad (default: .staging/ beside the warehouse)",
    )


def _summary(results, warehouse: str) -> int:
    from marsad.warehouse.schema import connect_read_only

    for result in results:
        _report(result)
    if not results or not all(result.success for result in results):
        print("marsad run: failed; the previous warehouse (if any) is unchanged", file=sys.stderr)
        return 1
    with connect_read_only(Path(warehouse)) as con:
        counts = dict(con.execute("SELECT status, count(*) FROM pages GROUP BY 1").fetchall())
        headlines = con.execute("SELECT count(*) FROM headlines").fetchall()[0][0]
        stories = con.execute("SELECT count(DISTINCT story_id) FROM articles").fetchall()[0][0]
    print(
        f"pages {sum(counts.values())}  articles {counts.get('article', 0)}  "
        f"duplicates {counts.get('duplicate', 0)}  stories {stories}  headlines {headlines}  "
        f"quarantined {counts.get('quarantined', 0)}  skipped {counts.get('skipped', 0)}"
    )
    print(f"warehouse: {warehouse}")
    return 0


def _reannotate(args: argparse.Namespace) -> int:
    """Annotate every staged batch again (after a model change) and rebuild the warehouse."""
    from pipelines.progress import progress_logger
    from pipelines.runner import reannotate

    try:
        storage = _storage(args)
    except ValueError as error:
        print(f"marsad reannotate: {error}", file=sys.stderr)
        return 2
    if not storage.stage.staged_batches():
        print(f"marsad reannotate: nothing staged for {args.warehouse}", file=sys.stderr)
        return 2
    results = reannotate(storage, loggers={"progress": progress_logger})
    return _summary(results, args.warehouse)


def _parse(args: argparse.Namespace) -> int:
    from marsad.ingest.page_parsing import parse_records
    from marsad.ingest.readers import read_input, records_frame

    path = Path(args.file)
    if not path.is_file():
        print(f"marsad parse: no such file: {path}", file=sys.stderr)
        return 2
    record = next(read_input(path.resolve()))
    if record.read_error or record.skip_reason:
        reason = record.read_error or "skipped"
        print(
            f"marsad parse: {reason}: {record.read_error_detail or record.skip_reason}",
            file=sys.stderr,
        )
        return 1
    page = parse_records(records_frame([record])).row(0, named=True)
    published = page["published_date"]
    out = {
        "title": page["title"],
        "outlet": page["outlet"],
        "published_date": published.isoformat() if published else None,
        "headlines": page["headlines"],
        "body": page["body"],
    }
    if page["date_flag"] not in (None, "ok"):
        out["date_flag"] = page["date_flag"]
    if page["parse_error"]:
        out["error"] = page["parse_error"]
    print(json.dumps(out, ensure_ascii=False, indent=2))
    if page["parse_error"]:
        print(f"marsad parse: not an article page ({page['parse_error']})", file=sys.stderr)
        return 1
    return 0


def _dashboard(args: argparse.Namespace) -> int:
    import dashboards

    app = Path(dashboards.__file__).parent / "streamlit_app.py"
    env = {**os.environ, "MARSAD_WAREHOUSE": str(Path(args.warehouse).resolve())}
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app),
        "--server.port",
        str(args.port),
        "--server.headless",
        "true",
    ]
    # Streamlit takes this process's place: a stop signal reaches the server itself (which
    # installs its own handlers), and no server is left running behind a stopped launcher.
    os.execve(sys.executable, command, env)
    return 0  # not reached


# `dagster dev` itself warns that `dg dev` supersedes it; that notice is about the command, not
# the project, and is left out of the log (matched by its text: no import at start-up).
DAGSTER_DEV_NOTICE = "ignore:Function `dev_command` is superseded"


def _ui(args: argparse.Namespace) -> int:
    """`dagster dev` on the project's workspace, stopped by SIGINT or SIGTERM whatever the
    shell that started it (a background job of a script starts with SIGINT ignored, and
    `dagster dev` only stops on an interrupt). The signal is passed on as an interrupt so that
    dagster dev stops its webserver, daemon and code servers itself."""
    import signal
    import subprocess
    import threading

    root = Path(args.workspace).resolve().parent
    warnings = ",".join(filter(None, [os.environ.get("PYTHONWARNINGS"), DAGSTER_DEV_NOTICE]))
    command = [sys.executable, "-m", "dagster", "dev", "-w", str(Path(args.workspace).resolve())]
    if args.port:
        command += ["-p", str(args.port)]
    child = subprocess.Popen(
        command,
        cwd=root,  # dagster.yaml and the data/ paths are relative to the project folder
        env={**os.environ, "PYTHONWARNINGS": warnings},
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        start_new_session=True,
    )

    def stop(_signum: int, _frame) -> None:
        child.send_signal(signal.SIGINT)
        # Whatever still runs a minute later is killed, with its whole process group.
        timer = threading.Timer(60, _kill_group, (child.pid,))
        timer.daemon = True
        timer.start()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    return child.wait()


def _kill_group(pid: int) -> None:
    import signal

    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


# Lines classified together at most, and the fewest worth a batch (a batch has a fixed
# cost; fewer lines are classified one by one, with the same answers).
CLASSIFY_BATCH = 1000
CLASSIFY_BATCH_MIN = 32


def _waiting(fd: int) -> bool:
    """Whether more input can be read at once (pipes and files; False where unknown)."""
    import select

    try:
        return bool(select.select([fd], [], [], 0)[0])
    except (OSError, ValueError):
        return False


def _arrived_lines(stream) -> Iterator[list[bytes]]:
    """The complete lines of a binary stream, in groups: reading goes on while more input is
    already waiting, up to CLASSIFY_BATCH lines, so a piped file comes in large groups and a
    line sent alone is answered at once."""
    fd, pending, lines = stream.fileno(), b"", []
    while chunk := os.read(fd, 1 << 20):
        *complete, pending = (pending + chunk).split(b"\n")
        lines += complete
        if lines and (len(lines) >= CLASSIFY_BATCH or not _waiting(fd)):
            yield lines
            lines = []
    if pending:
        lines.append(pending)
    if lines:
        yield lines


def _arrived_items(command: str, check) -> Iterator[list[tuple[dict | None, str | None]]]:
    """The JSON objects of stdin's lines in the groups they arrive in (``_arrived_lines``),
    each with None, or None and the error of a bad line (reported on stderr); ``check``
    raises ValueError for an object that cannot be answered."""
    number = 0
    for lines in _arrived_lines(sys.stdin.buffer):
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
        yield items


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


def _classify(args: argparse.Namespace) -> int:
    """Topic of each line; the lines that arrive together are classified as one batch
    (``TopicModel.classify_many``: the same answers, faster)."""
    from marsad.enrich.topics.model import MODEL_PATH, TopicModel

    model = TopicModel.load(args.model or MODEL_PATH)
    status = 0
    for items in _arrived_items("classify", _strings("title", "text")):
        good = [item for item, _ in items if item is not None]
        titles, texts = [i.get("title") for i in good], [i.get("text") for i in good]
        if len(good) >= CLASSIFY_BATCH_MIN:
            answers = model.classify_many(titles, texts)
        else:
            answers = map(model.classify, titles, texts)
        out = (
            {"id": item.get("id"), "topic": topic, "scores": scores}
            for item, (topic, scores) in zip(good, answers, strict=True)
        )
        status = max(status, _write_answers(items, out))
    return status


def _tag(args: argparse.Namespace) -> int:
    """Entities (and countries) of each line; the lines that arrive together are tagged as
    one batch (``EntityTagger.analyse_many``)."""
    from marsad.enrich.entities.countries import article_countries
    from marsad.enrich.entities.features import CLUSTERS_PATH
    from marsad.enrich.entities.tagger import MODEL_PATH, EntityTagger

    model = Path(args.model) if args.model else MODEL_PATH
    tagger = EntityTagger(model, model.parent / CLUSTERS_PATH.name)
    status = 0
    for items in _arrived_items("tag", _strings("text")):
        good = [item for item, _ in items if item is not None]
        found = tagger.analyse_many([item.get("text") or "" for item in good])
        out = []
        for item, (mentions, countries) in zip(good, found, strict=True):
            answer = {"id": item.get("id"), "entities": [vars(m) for m in mentions]}
            if args.countries:
                answer["countries"] = article_countries([], countries)
            out.append(answer)
        status = max(status, _write_answers(items, iter(out)))
    return status


def _eval_ner(args: argparse.Namespace) -> int:
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


def _eval_topics(args: argparse.Namespace) -> int:
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


def _train(args: argparse.Namespace) -> int:
    import dagster as dg

    from pipelines.models.assets import (
        entity_model,
        news_encoder,
        topic_model,
        word_clusters,
        word_vectors,
    )
    from pipelines.resources import ModelStore

    models = ModelStore(models_path=args.models, training_data_path=args.data)
    # The news encoder is trained (14 minutes) only when the entity model is to read it.
    encoder = [news_encoder] if args.news_encoder else []
    result = dg.materialize(
        [word_vectors, topic_model, word_clusters, *encoder, entity_model],
        run_config={"ops": {"entity_model": {"config": {"news_encoder": args.news_encoder}}}},
        resources={"models": models},
        raise_on_error=False,
    )
    for event in result.get_asset_materialization_events():
        materialization = event.step_materialization_data.materialization
        shown = {k: v.value for k, v in materialization.metadata.items() if "per_topic" not in k}
        print(materialization.asset_key.to_user_string(), json.dumps(shown, default=str))
    return 0 if result.success else 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="marsad", description="Marsad: an observatory of Arabic news coverage."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser(
        "run",
        help="add the given inputs to the warehouse (inputs already staged are skipped) and "
        "publish it",
    )
    run.add_argument(
        "--raw",
        action="append",
        metavar="PATH",
        help=f"input file or folder (repeatable; default {DEFAULT_RAW})",
    )
    run.add_argument(
        "--warehouse",
        default=os.environ.get("MARSAD_WAREHOUSE", DEFAULT_WAREHOUSE),
        metavar="FILE",
        help=f"DuckDB file to publish (default {DEFAULT_WAREHOUSE})",
    )
    _stage_argument(run)
    run.add_argument(
        "--column",
        action="append",
        metavar="ROLE=NAME",
        help="column of JSONL/Parquet exports playing a role: text, url, fetched_at, "
        "published, title, outlet (repeatable)",
    )
    run.add_argument(
        "--rebuild",
        action="store_true",
        help="publish the warehouse anew from every staged batch (after deleting a batch "
        "from the stage, or a change to warehouse assembly)",
    )
    run.set_defaults(handler=_run)

    again = commands.add_parser(
        "reannotate",
        help="annotate every staged batch again with the current models, then rebuild",
    )
    again.add_argument(
        "--warehouse", default=os.environ.get("MARSAD_WAREHOUSE", DEFAULT_WAREHOUSE), metavar="FILE"
    )
    _stage_argument(again)
    again.set_defaults(handler=_reannotate)

    parse = commands.add_parser("parse", help="print one raw page, parsed, as JSON")
    parse.add_argument("file")
    parse.set_defaults(handler=_parse)

    classify = commands.add_parser(
        "classify",
        help="IPTC topics of JSONL lines {id, title, text} on stdin, as JSONL on stdout",
    )
    classify.add_argument("--model", metavar="NPZ", help="topic model (default: shipped)")
    classify.set_defaults(handler=_classify)

    evaluation = commands.add_parser("eval", help="measure a model on labelled data")
    tasks = evaluation.add_subparsers(dest="task", required=True)
    eval_topics = tasks.add_parser(
        "topics",
        help="accuracy, macro-F1 and confusion of the topic model on a labelled JSONL/Parquet "
        "file (label, category or topic column: IPTC codes or ANT/ASND labels)",
    )
    eval_topics.add_argument("--file", required=True)
    eval_topics.add_argument("--source", choices=["antcorpus", "asnd"], help="label set")
    eval_topics.add_argument("--model", metavar="NPZ", help="topic model (default: shipped)")
    eval_topics.set_defaults(handler=_eval_topics)

    eval_ner = tasks.add_parser(
        "ner",
        help="per-type and micro precision/recall/F1 (exact spans) and tokens per second of the "
        "entity recognizer on a CoNLL file (token<TAB>tag, IOB2)",
    )
    eval_ner.add_argument("--conll", required=True)
    eval_ner.add_argument("--model", metavar="CRFSUITE", help="entity model (default: shipped)")
    eval_ner.set_defaults(handler=_eval_ner)

    tag = commands.add_parser(
        "tag",
        help="named entities of JSONL lines {id, text} on stdin, as JSONL on stdout "
        "(character offsets, end exclusive)",
    )
    tag.add_argument(
        "--countries", action="store_true", help="add each line's countries and is_about"
    )
    tag.add_argument(
        "--model",
        metavar="CRFSUITE",
        help="entity model (default: shipped); an entities_lstm.npz beside it is used with it",
    )
    tag.set_defaults(handler=_tag)

    training = commands.add_parser(
        "train",
        help="train the word vectors, topic and entity models, and with --news-encoder the news "
        "encoder (the Dagster model assets)",
    )
    training.add_argument("--data", default="../shared/data", help="training data folder")
    training.add_argument("--models", default="data/models", help="where models are written")
    training.add_argument(
        "--news-encoder",
        action="store_true",
        help="also pre-train the news encoder and train the entity LSTM to read it "
        "(more accurate, slower tagging: see the README)",
    )
    training.set_defaults(handler=_train)

    dashboard = commands.add_parser("dashboard", help="start the Streamlit dashboard")
    dashboard.add_argument(
        "--warehouse", default=os.environ.get("MARSAD_WAREHOUSE", DEFAULT_WAREHOUSE)
    )
    dashboard.add_argument("--port", type=int, default=8501)
    dashboard.set_defaults(handler=_dashboard)

    ui = commands.add_parser(
        "ui", help="start the Dagster UI (dagster dev) on the project; stops on SIGINT/SIGTERM"
    )
    ui.add_argument("--workspace", default="workspace.yaml")
    ui.add_argument("--port", type=int, default=None)
    ui.set_defaults(handler=_ui)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    status = args.handler(args)
    if argv is None and args.command in ("run", "reannotate"):
        # The run is complete and its files closed. DuckDB's bindings would report objects
        # still alive at interpreter shutdown after Ray ran (nanobind's leak notices), which
        # says nothing about the run: the command ends here, without that shutdown.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)
    return status


if __name__ == "__main__":
    sys.exit(main())
