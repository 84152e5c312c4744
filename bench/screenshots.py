"""Screenshots of every dashboard page in English and Arabic (`make screenshots`), taken with
Playwright and Debian's Chromium from the real server, with the network cut off as on an
air-gapped machine (the page reaches the dashboard and nothing else).

By default the warehouse is built from 1,800 SaudiNewsNet articles rendered as aggregator
pages (../shared/data; real outlets, topics and countries); `--warehouse FILE` shoots an
existing warehouse instead (for example data/warehouse.duckdb after `make run`).
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.commands import marsad_command, run_marsad
from bench.corpora import aggregator_exports

PAGES = ("", "map", "articles", "entities", "headlines", "outlets", "sql")
OUT = Path("docs/screenshots")
TALL = {"outlets": 1500}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def shoot(warehouse: Path) -> None:
    from playwright.sync_api import sync_playwright

    port = _free_port()
    server = subprocess.Popen(
        marsad_command("dashboard", "--warehouse", str(warehouse), "--port", str(port)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=2)
                break
            except OSError:
                time.sleep(0.3)
        OUT.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
            )
            context = browser.new_context(viewport={"width": 1500, "height": 1000})
            context.route(
                "**/*",
                lambda route: (
                    route.continue_() if route.request.url.startswith(url) else route.abort()
                ),
            )
            page = context.new_page()
            for language in ("en", "ar"):
                for path in PAGES:
                    # The Outlets page's last table sits below the usual height.
                    page.set_viewport_size({"width": 1500, "height": TALL.get(path, 1000)})
                    page.goto(f"{url}/{path}?lang={language}")
                    page.locator('[data-testid="stHeading"]').first.wait_for(timeout=60000)
                    if path == "sql":  # its example query run, so the page shows a result
                        page.locator('[data-testid="stExpander"]').first.wait_for(timeout=60000)
                        page.locator('[data-testid="stFormSubmitButton"] button').click()
                        page.locator('[data-testid="stDownloadButton"]').wait_for(timeout=60000)
                    page.wait_for_timeout(4000)  # let charts and tables draw
                    name = f"{path or 'coverage'}_{language}.png"
                    page.screenshot(path=str(OUT / name), full_page=True)
                    print(OUT / name)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--warehouse", type=Path, help="shoot this warehouse")
    parser.add_argument("--pages", type=int, default=1800, help="SaudiNewsNet pages to build")
    args = parser.parse_args()
    if args.warehouse:
        shoot(args.warehouse)
        return
    with tempfile.TemporaryDirectory() as folder:
        raw, warehouse = Path(folder) / "raw", Path(folder) / "warehouse.duckdb"
        aggregator_exports(raw, args.pages)
        run_marsad([raw], warehouse)
        shoot(warehouse)


if __name__ == "__main__":
    main()
