"""The ``marsad`` command: run the pipeline, parse one page, start the dashboard."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

DEFAULT_RAW = "data/sample"
DEFAULT_WAREHOUSE = "data/warehouse.duckdb"


def _run(args: argparse.Namespace) -> int:
    # Dagster is imported here so that `marsad parse` starts fast.
    import dagster as dg

    from marsad.warehouse import connect_read_only
    from pipelines.definitions import MAIN_JOB, build_definitions
    from pipelines.progress import progress_logger
    from pipelines.resources import MarsadStorage

    raw = args.raw or [DEFAULT_RAW]
    missing = [p for p in raw if not Path(p).exists()]
    if missing:
        print(f"marsad run: input not found: {', '.join(missing)}", file=sys.stderr)
        return 2
    storage = MarsadStorage(
        raw_paths=[str(Path(p).resolve()) for p in raw],
        warehouse_path=str(Path(args.warehouse).resolve()),
    )
    job = build_definitions(storage, loggers={"progress": progress_logger}).resolve_job_def(
        MAIN_JOB
    )
    print(f"marsad run: {', '.join(raw)} -> {args.warehouse}", file=sys.stderr)
    result = job.execute_in_process(
        instance=dg.DagsterInstance.ephemeral(),
        raise_on_error=False,
        run_config={"loggers": {"progress": {}}},
    )
    for evaluation in result.get_asset_check_evaluations():
        if not evaluation.passed:
            print(
                f"  check failed  {evaluation.check_name} on "
                f"{evaluation.asset_key.to_user_string()}",
                file=sys.stderr,
            )
    if not result.success:
        for event in result.all_events:
            if event.event_type_value == "STEP_FAILURE":
                error = event.event_specific_data.error
                print(
                    f"marsad run: step {event.step_key} failed: {error.message.strip()}",
                    file=sys.stderr,
                )
        print("marsad run: failed; the previous warehouse (if any) is unchanged", file=sys.stderr)
        return 1
    with connect_read_only(Path(args.warehouse)) as con:
        counts = {
            name: con.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
            for name in ("pages", "articles", "headlines", "quarantine")
        }
        duplicates = con.execute(
            "SELECT count(*) FROM pages WHERE status = 'duplicate'"
        ).fetchone()[0]
    print(
        f"pages {counts['pages']}  articles {counts['articles']}  duplicates {duplicates}  "
        f"headlines {counts['headlines']}  quarantined {counts['quarantine']}"
    )
    print(f"warehouse: {args.warehouse}")
    return 0


def _parse(args: argparse.Namespace) -> int:
    from marsad.aggregator_page import parse_page_text
    from marsad.raw_inputs import read_text_page

    path = Path(args.file)
    if not path.is_file():
        print(f"marsad parse: no such file: {path}", file=sys.stderr)
        return 2
    record = read_text_page(path.resolve())
    if record.read_error:
        print(f"marsad parse: {record.read_error}: {record.read_error_detail}", file=sys.stderr)
        return 1
    page = parse_page_text(record.text)
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
    return subprocess.call(command, env=env)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="marsad", description="Marsad: an observatory of Arabic news coverage."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="run the whole pipeline and publish the warehouse")
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
    run.set_defaults(handler=_run)

    parse = commands.add_parser("parse", help="print one raw page, parsed, as JSON")
    parse.add_argument("file")
    parse.set_defaults(handler=_parse)

    dashboard = commands.add_parser("dashboard", help="start the Streamlit dashboard")
    dashboard.add_argument(
        "--warehouse", default=os.environ.get("MARSAD_WAREHOUSE", DEFAULT_WAREHOUSE)
    )
    dashboard.add_argument("--port", type=int, default=8501)
    dashboard.set_defaults(handler=_dashboard)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
