"""Code and project URLs in an abstract, cleaned of trailing punctuation and markup."""

from __future__ import annotations

import re

URL = re.compile(r"https?://[^\s<>\"'{}\\]+")
TRAILING = ".,;:!?'\"*_~"


def clean_url(url: str) -> str:
    """Strip what the sentence put after the URL: punctuation, unbalanced brackets."""
    while url:
        if (
            url[-1] in TRAILING
            or url[-1] in ")]"
            and url.count(url[-1]) > url.count("(" if url[-1] == ")" else "[")
        ):
            url = url[:-1]
        else:
            break
    return url


def find_urls(text: str) -> list[str]:
    """Every distinct URL in `text`, in order of appearance."""
    seen: dict[str, None] = {}
    for match in URL.finditer(text):
        url = clean_url(match.group())
        if "://" in url and len(url) > len("https://x"):
            seen.setdefault(url, None)
    return list(seen)
