"""Commands on the warehouse: ``marsad run`` and ``reannotate`` (the pipeline through Dagster),
``parse`` (one page as JSON), ``dashboard`` and ``ui`` (Streamlit, dagster dev).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
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


def run(args: argparse.Namespace) -> int:
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


def reannotate(args: argparse.Namespace) -> int:
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


def parse(args: argparse.Namespace) -> int:
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


def dashboard(args: argparse.Namespace) -> int:
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


def ui(args: argparse.Namespace) -> int:
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
