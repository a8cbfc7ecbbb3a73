"""Screenshots of graph.html's views for the README: overview, lineage and entity map.

.venv/bin/python tests/browser/screenshot.py [corpus-or-export] [output-folder]

The first argument is a corpus to build (default: the MICCAI 2025 corpus beside the
checkout, else the seeds) or a `graph.html` already written. Writes
docs/overview.png, docs/lineage.png and docs/map.png.
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
MICCAI = ROOT.parent / "shared" / "corpora" / "miccai2025.jsonl"
VIEWPORT = {"width": 1500, "height": 940}


def take_screenshots(page_path: Path, output: Path) -> list[Path]:
    """Open `page_path` and save one PNG per view into `output`."""
    output.mkdir(parents=True, exist_ok=True)
    shots = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        # Playwright waits by evaluating text, which the page's CSP (no eval) would refuse.
        page = browser.new_page(viewport=VIEWPORT, bypass_csp=True)
        page.goto(page_path.resolve().as_uri())
        page.wait_for_function("window.kg && window.kg.ready", timeout=120_000)
        shots.append(output / "overview.png")
        page.screenshot(path=str(shots[-1]))
        page.click("#tabs [data-view='lineage']")
        page.wait_for_function("kg.lineage !== null")
        page.evaluate("kg.showEntity(kg.lineage.root)")
        shots.append(output / "lineage.png")
        page.screenshot(path=str(shots[-1]))
        page.click("#side-close")
        page.click("#tabs [data-view='map']")
        page.wait_for_function("kg.map && kg.map.settled")
        shots.append(output / "map.png")
        page.screenshot(path=str(shots[-1]))
        browser.close()
    return shots


def main(source: Path, output: Path) -> None:
    if source.suffix == ".html":
        print("\n".join(str(p) for p in take_screenshots(source, output)))
        return
    graph = kg.build([source], jobs=1).graph
    with tempfile.TemporaryDirectory() as folder:
        page_path = Path(folder) / "graph.html"
        write_html(graph, page_path)
        print("\n".join(str(p) for p in take_screenshots(page_path, output)))


if __name__ == "__main__":
    default = MICCAI if MICCAI.exists() else ROOT / "seeds"
    main(
        Path(sys.argv[1]) if len(sys.argv) > 1 else default,
        Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "docs",
    )
