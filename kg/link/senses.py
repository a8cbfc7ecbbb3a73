"""Acronym senses: the long form a paper gives decides what a short form means.

"CLIP (Contrastive Language-Image Pre-training)" and "CLIP (Common Lisp
Instrumentation Package)" share a short form but are two things. Two long forms
are one sense when they share most of their content words ("Segment Anything
Model" and "Segment Anything"); otherwise they are different senses.
"""

from __future__ import annotations

import re

from kg.extract.paper import name_key

# Words that carry no sense of their own in a long form.
FUNCTION_WORDS = frozenset({"a", "an", "and", "by", "for", "from", "in", "of", "on", "the", "to"})
# A short form: one token, no spaces, at least one capital, at most this long.
SHORT_FORM = re.compile(r"^(?=.*[A-Z])[\w.+\-]{2,12}$")


def is_short_form(name: str) -> bool:
    """Shaped like an acronym or a short model name (CLIP, SAM, YOLOv8), not a phrase."""
    return bool(SHORT_FORM.match(name))


def is_long_form_of(form: str, short: str) -> bool:
    """`form` reads as a spelled-out phrase for `short` (several words, longer)."""
    return " " in form.strip() and len(form) > len(short) and name_key(form) != name_key(short)


def content_words(long_form: str) -> frozenset[str]:
    """Lower-case words of a long form without function words; plurals folded."""
    words = re.split(r"[^0-9a-z]+", long_form.casefold())
    return frozenset(
        word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word
        for word in words
        if word and word not in FUNCTION_WORDS
    )


def same_sense(first: str, second: str) -> bool:
    """Two long forms name the same thing: equal up to spelling, or at least half of the
    shorter one's content words are shared."""
    if name_key(first) == name_key(second):
        return True
    a, b = content_words(first), content_words(second)
    if not a or not b:
        return False
    return len(a & b) * 2 >= min(len(a), len(b))


def sense_groups(long_forms: list[str]) -> list[list[str]]:
    """Long forms grouped into senses (single linkage over `same_sense`), each group sorted,
    groups ordered by their first form."""
    groups: list[list[str]] = []
    for form in sorted(set(long_forms)):
        joined = [g for g in groups if any(same_sense(form, other) for other in g)]
        merged = sorted({form}.union(*joined))
        groups = [g for g in groups if g not in joined] + [merged]
    return sorted(groups)
