"""A stage in an object store: `marsad run --stage s3://…` stages its batches as objects
(written and read by Arrow's and Polars' own S3 clients, against a local S3 server on
loopback) and publishes the same warehouse as a stage beside it; runs still add."""

from __future__ import annotations

import socket
from pathlib import Path

import duckdb
import pytest

from marsad.cli import main
from marsad.warehouse.schema import TABLES
from marsad.warehouse.stage import Stage

moto_server = pytest.importorskip("moto.server", reason="moto[server] (dev group) not installed")
boto3 = pytest.importorskip("boto3")

BUCKET = "observatory"


def _tables(warehouse: Path) -> dict[str, list]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {t: con.execute(f'SELECT * FROM "{t}" ORDER BY ALL').fetchall() for t in TABLES}


@pytest.fixture(scope="module")
def s3_endpoint():
    """A local S3 server (moto's) on a free loopback port, with one bucket."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="marsad",
        aws_secret_access_key="marsad",
    ).create_bucket(Bucket=BUCKET)
    yield endpoint
    server.stop()


@pytest.fixture
def s3_env(s3_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> str:
    for name, value in {
        "AWS_ENDPOINT_URL": s3_endpoint,
        "AWS_ACCESS_KEY_ID": "marsad",
        "AWS_SECRET_ACCESS_KEY": "marsad",
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_EC2_METADATA_DISABLED": "true",
    }.items():
        monkeypatch.setenv(name, value)
    return s3_endpoint


def _objects(endpoint: str, prefix: str) -> list[str]:
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
    listed = client.list_objects_v2(Bucket=BUCKET, Prefix=prefix)
    return sorted(item["Key"] for item in listed.get("Contents", []))


def test_a_stage_in_an_object_store_publishes_what_a_local_stage_does(
    deliveries: Path, s3_env: str, tmp_path: Path
):
    local = tmp_path / "local" / "w.duckdb"
    assert main(["run", "--raw", str(deliveries), "--warehouse", str(local)]) == 0

    url = f"s3://{BUCKET}/marsad/run1"
    remote = tmp_path / "remote" / "w.duckdb"
    for part in ("a", "b"):  # two runs: the second adds to what the first staged
        args = ["run", "--raw", str(deliveries / part), "--warehouse", str(remote)]
        assert main([*args, "--stage", url]) == 0
    assert _tables(remote) == _tables(local)

    stage = Stage(url)
    batches = stage.staged_batches()
    assert len(batches) == 2
    keys = _objects(s3_env, "marsad/run1/")
    for table in ("batches", "raw_pages", "parsed_pages", "annotated_pages"):
        assert [k for k in keys if k.startswith(f"marsad/run1/{table}/")] == [
            f"marsad/run1/{table}/{b}.parquet" for b in sorted(batches)
        ]
    assert not (remote.parent / ".staging").exists()  # nothing staged beside the file

    # A delivery seen before is a no-op; a rebuild from the objects gives the same tables.
    before = remote.stat().st_mtime_ns
    assert main(["run", "--raw", str(deliveries), "--warehouse", str(remote), "--stage", url]) == 0
    assert remote.stat().st_mtime_ns == before
    assert main(["run", "--rebuild", "--warehouse", str(remote), "--stage", url]) == 0
    assert _tables(remote) == _tables(local)


def test_an_unreachable_object_store_is_a_clear_error(
    deliveries: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
):
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")  # nothing listens there
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "marsad")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "marsad")
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    warehouse = tmp_path / "w.duckdb"
    code = main(
        [
            "run",
            "--raw",
            str(deliveries / "a"),
            "--warehouse",
            str(warehouse),
            "--stage",
            f"s3://{BUCKET}/nowhere",
        ]
    )
    assert code == 2
    assert "stage" in capsys.readouterr().err
    assert not warehouse.exists()
