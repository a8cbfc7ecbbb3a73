"""Headless Chromium for the view's tests: the system browser, never a downloaded one."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from chromium import CHROMIUM, CHROMIUM_ARGS


@dataclass
class LoadedPage:
    """A page opened from disk, with every request and error it produced."""

    page: object
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def offline_requests(self) -> list[str]:
        return [url for url in self.requests if url.split(":", 1)[0] not in ("file", "data")]


def launch_chromium(playwright):
    """Chromium from /usr/bin, or skip (fail under CI, which installs it)."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is not installed"
        if os.environ.get("CI"):
            pytest.fail(message + " (CI must install it)")
        pytest.skip(message)
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser) -> Iterator[Callable[..., LoadedPage]]:
    """Open an HTML file from disk and wait until it is ready; with view="papers", open
    the "All papers" view and wait until its layout has settled."""
    contexts = []

    def open_file(path: Path, *, settle_ms: int = 60_000, view: str = "overview") -> LoadedPage:
        # The page's CSP would also block injected script; bypass it so the tests
        # check that the page itself escapes, and that it requests nothing.
        context = browser.new_context(viewport={"width": 1400, "height": 900}, bypass_csp=True)
        contexts.append(context)
        page = context.new_page()
        loaded = LoadedPage(page)
        page.on("request", lambda request: loaded.requests.append(request.url))
        page.on("pageerror", lambda error: loaded.errors.append(str(error)))
        page.on(
            "console",
            lambda message: loaded.errors.append(message.text) if message.type == "error" else None,
        )
        page.goto(path.resolve().as_uri())
        page.wait_for_function("window.kg && window.kg.ready", timeout=settle_ms)
        if view == "papers":
            page.click("#tabs [data-view='papers']")
            page.wait_for_function("kg.papers && kg.papers.stabilized", timeout=settle_ms)
        return loaded

    yield open_file
    for context in contexts:
        context.close()


MICCAI = Path(__file__).parents[3] / "shared" / "corpora" / "miccai2025.jsonl"


@dataclass
class Export:
    """A build's graph and the folder its export set was written to."""

    graph: object
    folder: Path


@pytest.fixture(scope="session")
def miccai_export(tmp_path_factory) -> Export:
    """The 968-paper MICCAI 2025 corpus, built once per session and exported."""
    if not MICCAI.exists():
        pytest.skip(f"{MICCAI} is not here (the shared corpora sit beside the checkout)")
    import kg

    knowledge_graph = kg.build([MICCAI], jobs=1)
    folder = tmp_path_factory.mktemp("miccai")
    kg.export(knowledge_graph, folder)
    return Export(knowledge_graph.graph, folder)
