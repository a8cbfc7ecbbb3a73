"""Code and project URLs in an abstract, cleaned of trailing punctuation and markup.

Abstracts carry URLs wrapped in what their authors typed around them: Markdown links
written as plain text (`https://github.com/a/b](https://github.com/a/b)`), footnote
markers (`https://pypi.org/project/x/[3]`), sentence punctuation, and host typos
(`https://github:com/a/b`). Each URL found is cleaned of these; whether what is left
can be written as an IRI is decided by the exporter (`kg.namespace.web_iri`).
"""

from __future__ import annotations

import re

URL = re.compile(r"https?://[^\s<>\"'{}\\]+")
TRAILING = ".,;:!?'\"*_~"
# `[text](url)` typed around a URL leaves `url](url)` in plain text: two URLs, one per side.
MARKDOWN_LINK = "]("
FOOTNOTE_MARKER = re.compile(r"\[\^?\d{1,3}\]$")
# A colon between a host name and a top-level domain (`github:com`) is a typo for a dot:
# a port is digits, so no URL reads it any other way.
HOST_COLON_TYPO = re.compile(r"^(https?://[A-Za-z0-9][A-Za-z0-9.-]*):([A-Za-z]{2,6})(?=[/?#]|$)")


def clean_url(url: str) -> str:
    """Strip what the sentence put after the URL (punctuation, unbalanced brackets,
    footnote markers) and mend a colon typed for the dot before the top-level domain."""
    url = HOST_COLON_TYPO.sub(r"\1.\2", url)
    while True:
        before = url
        url = FOOTNOTE_MARKER.sub("", url)
        while url and (
            url[-1] in TRAILING
            or url[-1] in ")]"
            and url.count(url[-1]) > url.count("(" if url[-1] == ")" else "[")
        ):
            url = url[:-1]
        if url == before:
            return url


def find_urls(text: str) -> list[str]:
    """Every distinct URL in `text`, in order of appearance."""
    seen: dict[str, None] = {}
    for match in URL.finditer(text):
        for part in match.group().split(MARKDOWN_LINK):
            url = clean_url(part)
            if url.startswith(("http://", "https://")) and len(url) > len("https://x"):
                seen.setdefault(url, None)
    return list(seen)
