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
        # Footnote markers, as 88k abstracts have them.
        (
            "https://edu-convokit.readthedocs.io/en/latest/[4]",
            "https://edu-convokit.readthedocs.io/en/latest/",
        ),
        (
            "https://github.com/lab/tool?tab=readme#data[5].",
            "https://github.com/lab/tool?tab=readme#data",
        ),
        ("https://github.com/lab/tool[^2]", "https://github.com/lab/tool"),
        ("https://lab.org/a[2][3]", "https://lab.org/a"),
        # A colon typed for the dot before the top-level domain; a port stays a port.
        ("https://github:com/lab/tool", "https://github.com/lab/tool"),
        ("https://lab.org:8080/tool", "https://lab.org:8080/tool"),
        ("https://lab.github:io", "https://lab.github.io"),
        # Brackets that belong to the URL stay.
        ("https://lab.org/a.php?files[]=x", "https://lab.org/a.php?files[]=x"),
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


def test_a_markdown_link_typed_as_text_gives_the_url_once():
    text = (
        "Code: [https://github.com/lab/FormaRL](https://github.com/lab/FormaRL). "
        "Project page https://lab.github.io/](https://lab.github.io/) and "
        "[the data](https://lab.org/data)."
    )
    assert find_urls(text) == [
        "https://github.com/lab/FormaRL",
        "https://lab.github.io/",
        "https://lab.org/data",
    ]


def test_paper_carries_its_cleaned_code_urls(extract):
    extraction = extract("We release OrbitSeg. Code is at https://github.com/lab/orbitseg.")
    assert extraction.code_urls == ("https://github.com/lab/orbitseg",)
