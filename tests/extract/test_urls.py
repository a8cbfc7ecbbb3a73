"""Code URLs in abstracts, cleaned of what the sentence put after them."""

from __future__ import annotations

import pytest

from kg.extract.urls import clean_url, find_urls


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("https://github.com/lab/tool.", "https://github.com/lab/tool"),
        ("https://github.com/lab/tool).", "https://github.com/lab/tool"),
        ("https://github.com/lab/tool],", "https://github.com/lab/tool"),
        (
            "https://en.wikipedia.org/wiki/Kidney_(organ)",
            "https://en.wikipedia.org/wiki/Kidney_(organ)",
        ),
        ("https://lab.org/tool/*", "https://lab.org/tool/"),
    ],
)
def test_clean_url(raw, clean):
    assert clean_url(raw) == clean


def test_find_urls_in_order_without_duplicates():
    text = (
        "Code (https://github.com/lab/tool) and data at https://lab.org/data; "
        "see also https://github.com/lab/tool."
    )
    assert find_urls(text) == ["https://github.com/lab/tool", "https://lab.org/data"]


def test_paper_carries_its_cleaned_code_urls(extract):
    extraction = extract("We release OrbitSeg. Code is at https://github.com/lab/orbitseg.")
    assert extraction.code_urls == ("https://github.com/lab/orbitseg",)
