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
    from marsad.inputs import discover_input_files
    from marsad.warehouse import connect_read_only
    from pipelines.progress import progress_logger
    from pipelines.resources import MarsadStorage
    from pipelines.runner import run_once

    raw = args.raw or [DEFAULT_RAW]
    try:
        files = [str(f) for f in discover_input_files(raw)]
        storage = MarsadStorage(
            warehouse_path=str(Path(args.warehouse).resolve()),
            export_columns=_column_overrides(args.column),
        )
        storage.columns  # noqa: B018 - validates the column roles before any work
    except (FileNotFoundError, ValueError) as error:
        print(f"marsad run: {error}", file=sys.stderr)
        return 2
    if not files:
        print(f"marsad run: no input files under {', '.join(raw)}", file=sys.stderr)
        return 2
    print(f"marsad run: {len(files)} input files -> {args.warehouse}", file=sys.stderr)
    results = run_once(storage, files, loggers={"progress": progress_logger})
    for result in results:
        _report(result)
    if not all(result.success for result in results) or len(results) < 2:
        print("marsad run: failed; the previous warehouse (if any) is unchanged", file=sys.stderr)
        return 1
    with connect_read_only(Path(args.warehouse)) as con:
        counts = dict(con.execute("SELECT status, count(*) FROM pages GROUP BY 1").fetchall())
        headlines = con.execute("SELECT count(*) FROM headlines").fetchone()[0]
        stories = con.execute("SELECT count(DISTINCT story_id) FROM articles").fetchone()[0]
    print(
        f"pages {sum(counts.values())}  articles {counts.get('article', 0)}  "
        f"duplicates {counts.get('duplicate', 0)}  stories {stories}  headlines {headlines}  "
        f"quarantined {counts.get('quarantined', 0)}  skipped {counts.get('skipped', 0)}"
    )
    print(f"warehouse: {args.warehouse}")
    return 0


def _parse(args: argparse.Namespace) -> int:
    from marsad.inputs import read_input, records_frame
    from marsad.page_parsing import parse_records

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
    run.add_argument(
        "--column",
        action="append",
        metavar="ROLE=NAME",
        help="column of JSONL/Parquet exports playing a role: text, url, fetched_at, "
        "published, title, outlet (repeatable)",
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
