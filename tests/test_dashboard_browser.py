"""The real Streamlit server, driven by a real browser (Playwright with Debian's Chromium)."""

import os
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.commands import marsad_command, run_marsad
from marsad.synthetic import generate, write_pages

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"dashboard exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError("dashboard did not become healthy")


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        message = "Chromium not installed (apt-get install chromium)"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def dashboard(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """`marsad dashboard` on its own warehouse, as a user starts it."""
    warehouse = tmp_path / "warehouse.duckdb"
    write_pages(generate(40, seed=21), tmp_path / "raw")
    run_marsad([tmp_path / "raw"], warehouse)
    port = _free_port()
    process = subprocess.Popen(
        marsad_command("dashboard", "--warehouse", str(warehouse), "--port", str(port)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process)
        yield url, warehouse
    finally:
        process.terminate()
        process.wait(timeout=20)


def _metric(page, label: str) -> str:
    metric = page.locator('[data-testid="stMetric"]').filter(has_text=label).first
    return metric.locator('[data-testid="stMetricValue"]').inner_text()


def _open(page, url: str) -> None:
    page.goto(url)
    page.get_by_text("Coverage over time").first.wait_for(timeout=30000)
    page.locator('[data-testid="stMetricValue"]').first.wait_for(timeout=30000)


def test_pages_load_and_show_data(browser, dashboard):
    url, _ = dashboard
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    _open(page, url)
    assert _metric(page, "Articles") == "40"
    page.locator(".js-plotly-plot").first.wait_for(timeout=30000)
    assert page.locator('[data-testid="stException"]').count() == 0

    page.get_by_role("link", name="Articles").first.click()
    page.get_by_text("articles shown").wait_for(timeout=30000)
    page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=30000)
    page.get_by_role("link", name="Headlines").first.click()
    page.get_by_text("distinct headlines").wait_for(timeout=30000)
    assert page.locator('[data-testid="stException"]').count() == 0
    page.close()


def test_dashboard_keeps_serving_while_the_warehouse_is_republished(browser, dashboard, tmp_path):
    url, warehouse = dashboard
    page = browser.new_page()
    _open(page, url)
    assert _metric(page, "Articles") == "40"

    write_pages(generate(90, seed=22), tmp_path / "more")
    run = subprocess.Popen(
        marsad_command(
            "run",
            "--raw",
            str(tmp_path / "raw"),
            "--raw",
            str(tmp_path / "more"),
            "--warehouse",
            str(warehouse),
        ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    reloads = 0
    while run.poll() is None:  # reload throughout the run: never an error, never locked out
        _open(page, url)
        assert page.locator('[data-testid="stException"]').count() == 0
        assert _metric(page, "Articles") in ("40", "130")
        reloads += 1
    assert run.returncode == 0
    assert reloads >= 1
    _open(page, url)
    assert _metric(page, "Articles") == "130"
    page.close()
