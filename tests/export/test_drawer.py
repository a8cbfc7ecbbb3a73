"""The charts' drawing process: it draws what a writer would, the page it helps write has
the bytes of a page drawn in one process, a writer that finds it gone draws alone, and
asked, it keeps the ontology it merged in a cache folder."""

from __future__ import annotations

import os
import signal

import pytest

import kg
from kg.export import drawer, layout
from kg.export import html as html_module
from kg.export.fragments import ExportCache
from kg.export.html import write_html
from kg.export.turtle import ontology_entry
from kg.export.views import Overview, chart_svgs
from kg.paths import SEEDS_DIR


@pytest.fixture(scope="module")
def seeds_graph():
    return kg.build([SEEDS_DIR], jobs=1).graph


@pytest.fixture
def running_drawer():
    drawer.start()
    yield drawer.running()
    drawer.stop()


def test_the_drawer_draws_the_charts_a_writer_would(seeds_graph, running_drawer):
    overview = Overview.of(seeds_graph)
    assert overview.drawings()
    running_drawer.send(overview.drawings())
    assert running_drawer.answer() == chart_svgs(overview)


def test_a_page_drawn_with_the_drawer_is_the_page_drawn_alone(
    seeds_graph, running_drawer, tmp_path, monkeypatch
):
    write_html(seeds_graph, tmp_path / "alone.html")
    # With the drawer running, this process draws no chart and lays out no map.
    monkeypatch.setattr(html_module, "chart_svgs", lambda overview: pytest.fail("drew here"))
    monkeypatch.setattr(layout, "forceatlas2", lambda *a, **k: pytest.fail("laid out here"))
    assert Overview.of(seeds_graph).entity_map.drawn  # the seeds' map has a layout to compute
    write_html(seeds_graph, tmp_path / "aside.html", draw_aside=True)
    assert (tmp_path / "aside.html").read_bytes() == (tmp_path / "alone.html").read_bytes()


def test_a_writer_that_finds_the_drawer_gone_draws_alone(seeds_graph, running_drawer, tmp_path):
    write_html(seeds_graph, tmp_path / "alone.html")
    os.kill(running_drawer._process.pid, signal.SIGKILL)
    running_drawer._process.join()
    write_html(seeds_graph, tmp_path / "after.html", draw_aside=True)
    assert (tmp_path / "after.html").read_bytes() == (tmp_path / "alone.html").read_bytes()


def test_the_drawer_lays_out_the_map_as_a_writer_would(seeds_graph, running_drawer):
    compute_layout = Overview.of(seeds_graph).entity_map.layout()
    running_drawer.send({"map": compute_layout})
    laid_out = running_drawer.answer()["map"]
    assert laid_out and laid_out == compute_layout()  # the same floats


def test_stopping_ends_the_process():
    drawer.start()
    process = drawer.running()._process
    drawer.stop()
    assert not process.is_alive() and process.exitcode == 0 and drawer.running() is None


@pytest.mark.parametrize("warmed_up", [True, False])
def test_asked_it_keeps_the_ontology_it_merged_in_the_cache(seeds_graph, tmp_path, warmed_up):
    drawer.start()
    try:
        if warmed_up:  # as `kg build` has it when linking starts; else the first request loads
            drawer.running().warm_up()
        drawer.running().keep_ontology(tmp_path)
        drawer.running().send(Overview.of(seeds_graph).drawings())
        assert drawer.running().answer() is not None  # requests are served in order
    finally:
        drawer.stop()
    assert ExportCache(tmp_path).path("ontology").exists()
    cached = ontology_entry(ExportCache(tmp_path), warn=pytest.fail)
    assert cached == ontology_entry(None, warn=pytest.fail)


@pytest.mark.parametrize("held", [True, False])
def test_it_merges_no_ontology_the_builds_cache_holds(seeds_graph, tmp_path, monkeypatch, held):
    cache = tmp_path / "cache"
    if held:  # as a re-build finds it: kept by the build before
        ontology_entry(ExportCache(cache), warn=pytest.fail)
    merged = tmp_path / "merged"
    real_merge = drawer.merged_ontology

    def merge_and_mark():
        merged.touch()  # the drawing process is forked with this in place of rdflib's merge
        return real_merge()

    monkeypatch.setattr(drawer, "merged_ontology", merge_and_mark)
    drawer.start(cache)
    try:
        drawer.running().warm_up()
        drawer.running().keep_ontology(cache)
        drawer.running().send(Overview.of(seeds_graph).drawings())
        assert drawer.running().answer() is not None  # requests are served in order
    finally:
        drawer.stop()
    assert merged.exists() is not held
    assert ontology_entry(ExportCache(cache), warn=pytest.fail) == ontology_entry(None, pytest.fail)
