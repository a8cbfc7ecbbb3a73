"""The link stage's shortcuts answer as the plain definitions they stand in for: each test
compares a fast function with the straightforward one it replaced, on tricky text."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from hypothesis import example, given, settings
from hypothesis import strategies as st

from kg.extract.vocabulary import name_key
from kg.link.introductions import KIND_BEFORE, NO_CLAIM, OBJECT_OF, claim_strength, ends_with
from kg.link.linked import slug
from kg.link.senses import FUNCTION_WORDS, abbreviates, is_long_form_of, text_stems

# Letters whose case folds are not one ASCII letter to one (İ, ı, ß, ſ, the Kelvin sign, ﬁ),
# word breaks, digits, and the letters of a few names.
ALPHABET = "SAMsamCOcoIiİıßſ\u212aﬁé -_./1("
names = st.text(ALPHABET, min_size=1, max_size=6)
phrases = st.text(ALPHABET, max_size=40)


def plain_abbreviates(short: str, long: str) -> bool:
    """The definition `abbreviates` implements, with a table per character of `long`."""
    chars = [c for c in short if c.isalnum()]
    if not chars or len(long) > 200:
        return False
    starts = {
        i for i, c in enumerate(long) if c.isalnum() and (i == 0 or not long[i - 1].isalnum())
    }
    anchors = starts | {i for i, c in enumerate(long) if c.isupper()}
    words = list(re.finditer(r"[0-9A-Za-z]+", long))
    first = next((w for w in words if w.group().casefold() not in FUNCTION_WORDS), None)
    if first is None or first.group()[0].casefold() != chars[0].casefold():
        return False
    folded = [c.lower()[:1] for c in long]
    word_of = []
    word = 0
    for i in range(len(long)):
        word += i in starts
        word_of.append(word)

    @cache
    def rest_matches(index: int, position: int) -> bool:
        if index == len(chars):
            return True
        char = chars[index]
        return any(
            folded[at] == char.lower()
            and (not char.isupper() or at in anchors or word_of[at] == word_of[position - 1])
            and rest_matches(index + 1, at + 1)
            for at in range(position, len(long))
        )

    return first.start() in starts and rest_matches(1, first.start() + 1)


@settings(max_examples=400)
@given(short=names, long=phrases)
@example(short="SAM", long="Segment Anything Model")
@example(short="SAM", long="strategy for adapting the Segment Anything")
@example(short="COCO", long="Common Objects in COntext")
@example(short="İS", long="İmage Set")
@example(short="SA", long="S xbA")  # a capital inside another word
@example(short="SA", long="S xba")
def test_abbreviates_as_defined(short, long):
    assert abbreviates(short, long) == plain_abbreviates(short, long)


@settings(max_examples=400)
@given(form=phrases, short=names)
@example(form="ImageNet Large Scale Visual Recognition Challenge", short="ImageNet")
@example(form="Image-Net Challenge", short="imagenet")
def test_is_long_form_of_as_defined(form, short):
    plain = (
        " " in form.strip()
        and len(form) > len(short)
        and all(name_key(word) != name_key(short) for word in re.split(r"[\s/]+", form))
    )
    assert is_long_form_of(form, short) == plain


@given(text=phrases)
@example(text="Segmentation of brains; the MODELS, a cat")
def test_text_stems_as_defined(text):
    plain = frozenset(word[:5] for word in re.findall(r"[a-z]{4,}", text.casefold()))
    assert text_stems(text) == plain


def test_the_recently_proposed_x_is_found_in_any_script():
    """The pattern is skipped only for ASCII sentences without its adverbs: a long s (ſ) the
    case-insensitive pattern reads as "s" still finds someone else's work."""
    for sentence in (
        "We build on the previously proposed ZNet for segmentation.",
        "We build on the previouſly proposed ZNet for segmentation.",
    ):
        assert (
            claim_strength("introduces:verb:propose", sentence, frozenset({"ZNet"}), ()) == NO_CLAIM
        )
    plain = "We propose ZNet, a network for segmentation."
    assert claim_strength("introduces:verb:propose", plain, frozenset({"ZNet"}), ()) > NO_CLAIM


@given(text=st.text(max_size=30))
def test_slug_as_defined(text):
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    assert slug(text) == (re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "x")


@settings(max_examples=600)
@given(
    text=st.lists(
        st.sampled_from(
            [
                "a",
                "an",
                "A",
                "for",
                "of",
                "xfor",
                "(a",
                "novel",
                "new",
                "we",
                "net,",
                "big-data",
                "Net",
                "x",
                "1",
                ",",
                " ",
                "  ",
                "\n",
                "\t",
                "\u00a0",
                "\x1c",
                "\u2003",
            ]
        ),
        max_size=14,
    ).map("".join)
)
@example(text="an estimator for the ")
@example(text="proposes a fast, new ")
@example(text="a b c d e f ")
def test_ends_with_as_searched_from_the_start(text):
    """The tail-only search finds what a search from the start finds."""
    assert ends_with(OBJECT_OF, text, 4) == (OBJECT_OF.search(text) is not None)
    assert ends_with(KIND_BEFORE, text, 5) == (KIND_BEFORE.search(text) is not None)
