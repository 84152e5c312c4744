"""The `marsad` command as users run it: a real subprocess."""

import json
import subprocess
from pathlib import Path

import duckdb

from bench.commands import marsad_command


def marsad(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(marsad_command(*args), capture_output=True, text=True, timeout=300)


def test_run_builds_the_warehouse_and_prints_a_summary(raw_dir: Path, tmp_path: Path):
    warehouse = tmp_path / "w.duckdb"
    done = marsad("run", "--raw", str(raw_dir), "--warehouse", str(warehouse))
    assert done.returncode == 0, done.stderr
    assert "pages 69  articles 60  duplicates 3  stories" in done.stdout
    assert "quarantined 6  skipped 0" in done.stdout
    assert "warehouse" in done.stderr  # progress lines name the steps
    # Quiet: progress and the summary, no library notices.
    assert "Warning" not in done.stderr and "nanobind" not in done.stderr, done.stderr
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM pages").fetchone()[0] == 69


def test_a_run_on_ray_is_quiet_too(raw_dir: Path, tmp_path: Path):
    import os

    env = {**os.environ, "MARSAD_POOL_MIN_ARTICLES": "1"}  # Ray even for a small run
    done = subprocess.run(
        marsad_command("run", "--raw", str(raw_dir), "--warehouse", str(tmp_path / "w.duckdb")),
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert "pages 69  articles 60" in done.stdout
    assert "Warning" not in done.stderr and "WARNING" not in done.stderr, done.stderr
    assert "nanobind" not in done.stderr, done.stderr[-2000:]


def test_run_accepts_several_inputs(raw_dir: Path, tmp_path: Path):
    files = sorted(raw_dir.glob("page_000*.txt"))[:3]
    warehouse = tmp_path / "w.duckdb"
    args = [a for f in files for a in ("--raw", str(f))]
    done = marsad("run", *args, "--warehouse", str(warehouse))
    assert done.returncode == 0, done.stderr
    assert "pages 3  articles 3" in done.stdout


def test_run_with_missing_input_fails_clearly(tmp_path: Path):
    done = marsad(
        "run", "--raw", str(tmp_path / "missing"), "--warehouse", str(tmp_path / "w.duckdb")
    )
    assert done.returncode == 2
    assert "does not exist" in done.stderr
    assert not (tmp_path / "w.duckdb").exists()


def test_parse_prints_the_page_as_json(seed_page: Path):
    done = marsad("parse", str(seed_page))
    assert done.returncode == 0, done.stderr
    page = json.loads(done.stdout)
    assert page["outlet"] == "كاب 24 تيفي"
    assert page["published_date"] == "2020-05-31"
    assert page["title"].startswith("بعد تدخلها في سوريا")
    assert len(page["headlines"]) == 58
    assert set(page) >= {"title", "outlet", "published_date", "headlines", "body"}


def test_parse_reports_pages_without_an_article(tmp_path: Path):
    page = tmp_path / "bad.txt"
    page.write_text("نص بلا سطر نشر\n", encoding="utf-8")
    done = marsad("parse", str(page))
    assert done.returncode == 1
    assert json.loads(done.stdout)["error"] == "no_byline"
    binary = tmp_path / "bin.txt"
    binary.write_bytes(b"\x00\x01")
    done = marsad("parse", str(binary))
    assert done.returncode == 1 and "binary" in done.stderr


ROOT = Path(__file__).parents[1]


def test_the_project_instance_gives_pools_a_slot_and_sends_no_telemetry(tmp_path: Path):
    """`dagster dev` in the project folder reads ./dagster.yaml: the warehouse pool has a slot
    and no usage statistics are sent."""
    from dagster import DagsterInstance
    from dagster._core.instance.ref import InstanceRef

    ref = InstanceRef.from_dir(str(tmp_path), config_dir=str(ROOT))
    with DagsterInstance.from_ref(ref) as instance:
        assert instance.get_concurrency_config().pool_config.default_pool_limit == 1
        assert not instance.telemetry_enabled


def test_ui_stops_on_sigterm_when_started_in_the_background(tmp_path: Path):
    import os
    import shutil
    import signal
    import socket
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    home = tmp_path / "home"  # keeps the test's runs out of the project's data/
    home.mkdir()
    shutil.copy(ROOT / "dagster.yaml", home / "dagster.yaml")
    ui = subprocess.Popen(
        marsad_command("ui", "--workspace", str(ROOT / "workspace.yaml"), "--port", str(port)),
        env={**os.environ, "DAGSTER_HOME": str(home)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        # As a background job of a script: interrupts ignored.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/server_info", timeout=2)
                break
            except OSError:
                assert ui.poll() is None, ui.stdout.read()
                time.sleep(1)
        else:
            raise AssertionError("the Dagster UI did not start")
        ui.send_signal(signal.SIGTERM)
        log, _ = ui.communicate(timeout=90)
    finally:
        if ui.poll() is None:
            os.killpg(ui.pid, signal.SIGKILL)
    assert ui.returncode == 0, log[-2000:]
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0, "the webserver outlived the command"
    leftover = subprocess.run(["pgrep", "-g", str(ui.pid)], capture_output=True, text=True)
    assert leftover.stdout.strip() == "", "processes of the UI outlived it"
    for notice in ("SupersessionWarning", "BetaWarning", "PreviewWarning"):
        assert notice not in log


def test_tag_starts_without_the_warehouse_libraries():
    """`marsad tag` answers a line without importing Polars, DuckDB or the training packages:
    each would add to every start (Polars alone about 0.1 s of 0.55)."""
    import sys

    script = (
        "import runpy, sys\n"
        "sys.argv = ['marsad', 'tag']\n"
        "try:\n"
        "    runpy.run_module('marsad.cli', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = ('polars', 'duckdb', 'jax', 'dagster', 'pyarrow', 'pandas', 'ray')\n"
        "print(sorted(m for m in heavy if m in sys.modules), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        input=json.dumps({"id": 1, "text": "قال الرئيس الروسي فلاديمير بوتين"}) + "\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "بوتين" in json.loads(done.stdout)["entities"][0]["text"]
    assert done.stderr.strip().splitlines()[-1] == "[]", done.stderr


def test_tag_and_classify_read_a_file_in_bounded_groups_and_know_the_last(tmp_path: Path):
    """Groups are bounded in lines and bytes (memory follows the group, not the file), and
    the last is known as such, so that the process skips the garbage collection it would
    make before exiting (``BatchCollector.batch``)."""
    from marsad.cli.model_commands import BATCH_BYTES, CLASSIFY_BATCH, _arrived_lines

    small = tmp_path / "small.jsonl"
    small.write_bytes(b'{"text": "a"}\n{"text": "b"}\n{"text": "c"}')  # no final newline
    with small.open("rb") as stream:
        assert list(_arrived_lines(stream)) == [
            ([b'{"text": "a"}', b'{"text": "b"}', b'{"text": "c"}'], True)
        ]
    large = tmp_path / "large.jsonl"
    large.write_bytes(b"x" * 100 + b"\n" * (3 * CLASSIFY_BATCH))
    with large.open("rb") as stream:
        groups = list(_arrived_lines(stream))
    assert sum(len(lines) for lines, _ in groups) == 3 * CLASSIFY_BATCH
    assert [last for _, last in groups[:-1]] == [False] * (len(groups) - 1)
    # Long texts: a group holds about BATCH_BYTES, whatever its number of lines.
    long_texts = tmp_path / "long.jsonl"
    line = b"x" * (BATCH_BYTES // 4)
    long_texts.write_bytes((line + b"\n") * 20)
    with long_texts.open("rb") as stream:
        groups = list(_arrived_lines(stream))
    assert sum(len(lines) for lines, _ in groups) == 20
    assert all(sum(map(len, lines)) <= 2 * BATCH_BYTES for lines, _ in groups)
    assert len(groups) >= 4


def test_a_reader_that_leaves_early_stops_tag_and_classify_quietly():
    """`marsad tag < news.jsonl | head -1`: the command stops without a traceback."""
    lines = "".join(
        json.dumps({"id": i, "text": f"قال الرئيس فلاديمير بوتين في موسكو {i}"}) + "\n"
        for i in range(3000)
    )
    for command in ("tag", "classify"):
        process = subprocess.Popen(
            marsad_command(command),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        process.stdout.close()  # the reader is gone before the first answer
        _, error = process.communicate(lines.encode("utf-8"), timeout=300)
        assert process.returncode == 1, error
        assert b"Traceback" not in error and b"BrokenPipe" not in error, error
