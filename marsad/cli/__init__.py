"""The ``marsad`` command: its arguments here, the commands in ``warehouse_commands`` (run,
reannotate, parse, dashboard, ui) and ``model_commands`` (classify, tag, eval, train).
"""

from __future__ import annotations

import argparse
import os
import sys

from marsad.cli import model_commands, warehouse_commands
from marsad.cli.warehouse_commands import DEFAULT_RAW, DEFAULT_WAREHOUSE


def _stage_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--stage",
        default=os.environ.get("MARSAD_STAGE"),
        metavar="PATH|URL",
        help="where the staged batches live: a shared folder or an object-store URL such as "
        "s3://bucket/marsad (default: .staging/ beside the warehouse)",
    )


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
    run.set_defaults(handler=warehouse_commands.run)

    again = commands.add_parser(
        "reannotate",
        help="annotate every staged batch again with the current models, then rebuild",
    )
    again.add_argument(
        "--warehouse", default=os.environ.get("MARSAD_WAREHOUSE", DEFAULT_WAREHOUSE), metavar="FILE"
    )
    _stage_argument(again)
    again.set_defaults(handler=warehouse_commands.reannotate)

    parse = commands.add_parser("parse", help="print one raw page, parsed, as JSON")
    parse.add_argument("file")
    parse.set_defaults(handler=warehouse_commands.parse)

    classify = commands.add_parser(
        "classify",
        help="IPTC topics of JSONL lines {id, title, text} on stdin, as JSONL on stdout",
    )
    classify.add_argument("--model", metavar="NPZ", help="topic model (default: shipped)")
    classify.set_defaults(handler=model_commands.classify)

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
    eval_topics.set_defaults(handler=model_commands.eval_topics)

    eval_ner = tasks.add_parser(
        "ner",
        help="per-type and micro precision/recall/F1 (exact spans) and tokens per second of the "
        "entity recognizer on a CoNLL file (token<TAB>tag, IOB2)",
    )
    eval_ner.add_argument("--conll", required=True)
    eval_ner.add_argument("--model", metavar="CRFSUITE", help="entity model (default: shipped)")
    eval_ner.set_defaults(handler=model_commands.eval_ner)

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
    tag.set_defaults(handler=model_commands.tag)

    lexicon = commands.add_parser(
        "lexicon",
        help="work out the entity tagger's table of frequent words and its LSTMs' graphs for "
        "its models, if they are not there yet (a new tagging process then starts warm; "
        "`make install` runs this)",
    )
    lexicon.add_argument(
        "--model", metavar="CRFSUITE", help="entity model (default: shipped), as for tag"
    )
    lexicon.set_defaults(handler=model_commands.lexicon)

    training = commands.add_parser(
        "train",
        help="train the word vectors, topic model, news encoder and entity model (the Dagster "
        "model assets)",
    )
    training.add_argument("--data", default="../shared/data", help="training data folder")
    training.add_argument("--models", default="data/models", help="where models are written")
    training.add_argument(
        "--no-news-encoder",
        dest="news_encoder",
        action="store_false",
        help="leave the news encoder out: the entity LSTM reads the tagger's features alone "
        "(less accurate, faster tagging: see docs/entities.md)",
    )
    training.set_defaults(handler=model_commands.train)

    dashboard = commands.add_parser("dashboard", help="start the Streamlit dashboard")
    dashboard.add_argument(
        "--warehouse", default=os.environ.get("MARSAD_WAREHOUSE", DEFAULT_WAREHOUSE)
    )
    dashboard.add_argument("--port", type=int, default=8501)
    dashboard.set_defaults(handler=warehouse_commands.dashboard)

    ui = commands.add_parser(
        "ui", help="start the Dagster UI (dagster dev) on the project; stops on SIGINT/SIGTERM"
    )
    ui.add_argument("--workspace", default="workspace.yaml")
    ui.add_argument("--port", type=int, default=None)
    ui.set_defaults(handler=warehouse_commands.ui)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        status = args.handler(args)
    except BrokenPipeError:
        # The reader left early (`marsad tag < news.jsonl | head`): stop quietly, as Unix
        # tools do. Output still buffered goes nowhere, or its flush at exit fails again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    if argv is None and args.command in ("run", "reannotate"):
        # The run is complete and its files closed. DuckDB's bindings would report objects
        # still alive at interpreter shutdown after Ray ran (nanobind's leak notices), which
        # says nothing about the run: the command ends here, without that shutdown.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)
    return status
