"""Regenerate docs/screenshot.png: the seeds' graph in headless Chromium.

.venv/bin/python tests/browser/screenshot.py [output.png]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from chromium import CHROMIUM, CHROMIUM_ARGS
from playwright.sync_api import sync_playwright

import kg
from kg.export.html import write_html

ROOT = Path(__file__).parents[2]


def take_screenshot(output: Path) -> None:
    """Build the seeds, draw them, and save a screenshot of the settled page to `output`."""
    graph = kg.build([ROOT / "seeds"]).graph
    with tempfile.TemporaryDirectory() as folder:
        page_path = Path(folder) / "graph.html"
        write_html(graph, page_path)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1600, "height": 1000}, bypass_csp=True)
            page.goto(page_path.as_uri())
            page.wait_for_function("window.kg && window.kg.stabilized", timeout=120_000)
            output.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(output))
            browser.close()


if __name__ == "__main__":
    take_screenshot(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshot.png")
