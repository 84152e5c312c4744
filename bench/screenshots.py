"""Screenshots of every dashboard page in English and Arabic (`make screenshots`), taken with
Playwright and Debian's Chromium from the real server on data/warehouse.duckdb."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.request
from pathlib import Path

from bench.commands import marsad_command

PAGES = ("", "map", "articles", "entities", "headlines", "outlets", "sql")
OUT = Path("docs/screenshots")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main(warehouse: str = "data/warehouse.duckdb") -> None:
    from playwright.sync_api import sync_playwright

    port = _free_port()
    server = subprocess.Popen(
        marsad_command("dashboard", "--warehouse", warehouse, "--port", str(port)),
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
            page = browser.new_page(viewport={"width": 1500, "height": 1000})
            for language in ("en", "ar"):
                for path in PAGES:
                    page.goto(f"{url}/{path}?lang={language}")
                    page.locator('[data-testid="stHeading"]').first.wait_for(timeout=60000)
                    page.wait_for_timeout(2500)  # let charts draw
                    name = f"{path or 'coverage'}_{language}.png"
                    page.screenshot(path=str(OUT / name), full_page=True)
                    print(OUT / name)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
