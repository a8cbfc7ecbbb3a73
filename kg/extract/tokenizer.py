"""spaCy's English tokenizer with our suffixes and infixes, its affix regexes searched
faster for the same tokens.

spaCy searches the prefix, suffix and infix regexes on every chunk of text it has not
seen before, and Python's `re` tries their ~90 alternatives at every position of the
chunk: a third of the tokenizer's time on abstracts. What the alternatives are tells
where a match can be (read from the parsed regex, `re._parser`):
- every prefix alternative starts with `^`: only a match at the start is tried;
- a suffix match ends at the end of the chunk: only the alternatives that can end with
  its last character are tried, from as far back as the longest bounded one reaches
  (the unbounded dots of an ellipsis are searched on their own);
- an infix match consumes one of a known set of characters first: a chunk with none of
  them has no infix, which one scan for that set tells.
The matches are those of the whole regexes (tests/extract/test_tokenizer.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from re import _compiler, _parser
from re import _constants as sre

from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex, registry

# A full stop after a name that ends in a capital or digit ends the sentence
# ("trained on RenalCyst-12K."); "U.S." and "e.g." keep theirs.
NAME_FULL_STOP = r"(?<=[A-Za-z0-9][A-Z0-9])\."
# "(CG)-the": a closing parenthesis before a hyphen ends the acronym's token.
PARENTHESIS_BEFORE_HYPHEN = r"(?<=[A-Za-z0-9])\)(?=[-–])"
# "framework(HGFD)": a parenthesis that opens a short form right after a word is its own token.
PARENTHESIS_AFTER_WORD = r"(?<=[a-z])\((?=[A-Z])"

ZERO_WIDTH = {sre.AT, sre.ASSERT, sre.ASSERT_NOT}


def build_tokenizer(nlp: Language) -> Tokenizer:
    """`nlp`'s tokenizer rules with our suffixes and infixes added, built once: each of
    spaCy's setters re-tokenizes the thousands of special cases (0.1 s each)."""
    default = nlp.tokenizer
    prefix_regex = getattr(default.prefix_search, "__self__", None)
    return _tokenizer(
        nlp,
        rules=default.rules,
        prefix_search=(
            PrefixSearch(prefix_regex).search
            if isinstance(prefix_regex, re.Pattern)
            else default.prefix_search
        ),
        token_match=default.token_match,
        url_match=default.url_match,
        faster_heuristics=default.faster_heuristics,
    )


@registry.tokenizers("kg.Tokenizer.v1")
def create_tokenizer() -> Callable[[Language], Tokenizer]:
    """spaCy's default tokenizer (`spacy.Tokenizer.v1`) with our suffixes and infixes: a
    blank pipeline made with it builds this one tokenizer, where replacing the default
    afterwards builds two (each loads the ~2,700 special cases, 0.1 s)."""

    def tokenizer_factory(nlp: Language) -> Tokenizer:
        return _tokenizer(
            nlp,
            rules=nlp.Defaults.tokenizer_exceptions,
            prefix_search=PrefixSearch(compile_prefix_regex(nlp.Defaults.prefixes)).search,
            token_match=nlp.Defaults.token_match,
            url_match=nlp.Defaults.url_match,
            faster_heuristics=True,
        )

    return tokenizer_factory


def _tokenizer(nlp: Language, **rules) -> Tokenizer:
    """A tokenizer with `rules` and our suffixes and infixes added to `nlp`'s defaults."""
    suffixes = [*nlp.Defaults.suffixes, NAME_FULL_STOP]
    infixes = [*nlp.Defaults.infixes, PARENTHESIS_BEFORE_HYPHEN, PARENTHESIS_AFTER_WORD]
    return Tokenizer(
        nlp.vocab,
        suffix_search=SuffixSearch(compile_suffix_regex(suffixes)).search,
        infix_finditer=InfixFinditer(compile_infix_regex(infixes)).finditer,
        **rules,
    )


def alternatives(regex: re.Pattern) -> list[_parser.SubPattern]:
    """The top-level alternatives of `regex` (itself alone when it has none)."""
    parsed = _parser.parse(regex.pattern, regex.flags)
    if len(parsed.data) == 1 and parsed.data[0][0] is sre.BRANCH:
        return list(parsed.data[0][1][1])
    return [parsed]


class PrefixSearch:
    """`regex.search` for a prefix regex; `regex.match` when every alternative is anchored
    at the start (`^`), which is the same match without trying every other position."""

    def __init__(self, regex: re.Pattern):
        anchored = all(
            branch.data[:1] == [(sre.AT, sre.AT_BEGINNING)] for branch in alternatives(regex)
        )
        self.search = regex.match if anchored and not regex.flags & re.MULTILINE else regex.search


class SuffixSearch:
    """`regex.search` for a suffix regex, whose alternatives all end with `$`.

    A match ends where the string does, so only the alternatives that can end with its
    last character can match: those are compiled apart for each such character (on first
    sight) and searched from `reach` characters before the end, the furthest back a
    bounded alternative can start. The unbounded alternatives (the dots of "....") are
    searched on their own. The leftmost match wins, as in the whole regex; all matches
    end at the end of the string, so the spans are the whole regex's.
    """

    def __init__(self, regex: re.Pattern):
        self.regex = regex
        self.pattern = regex.pattern  # what spaCy serialises (`suffix_search.__self__.pattern`)
        branches = alternatives(regex)
        self.bounded = [b for b in branches if b.getwidth()[1] < sre.MAXREPEAT]
        # + 1: `$` also matches before a final newline.
        self.reach = max((b.getwidth()[1] for b in self.bounded), default=0) + 1
        self.unbounded = [
            _compiler.compile(b) for b in branches if b.getwidth()[1] >= sre.MAXREPEAT
        ]
        self.endings = [
            None if regex.flags & re.IGNORECASE else _consumed(list(b.data), last=True)
            for b in self.bounded
        ]
        self._ending_with: dict[str, re.Pattern | None] = {}
        self._compiled: dict[tuple[int, ...], re.Pattern] = {}

    def search(self, string: str) -> re.Match | None:
        start = max(0, len(string) - self.reach)
        leftmost = None
        for unbounded in self.unbounded:
            match = unbounded.search(string)
            if match is not None and (leftmost is None or match.start() < leftmost.start()):
                leftmost = match
        if leftmost is not None and leftmost.start() < start:
            return self.regex.search(string)
        if not string or string[-1] == "\n":  # `$` matches before a final newline too
            return self.regex.search(string, start)
        ending = self._ending(string[-1])
        found = None if ending is None else ending.search(string, start)
        if leftmost is not None and (found is None or leftmost.start() < found.start()):
            return leftmost
        return found

    def _ending(self, last: str) -> re.Pattern | None:
        """The bounded alternatives that can end with `last`, compiled, or None."""
        if last not in self._ending_with:
            code = ord(last)
            chosen = tuple(
                index
                for index, ranges in enumerate(self.endings)
                if ranges is None or any(low <= code <= high for low, high in ranges)
            )
            if chosen and chosen not in self._compiled:
                self._compiled[chosen] = _compile_alternatives([self.bounded[i] for i in chosen])
            self._ending_with[last] = self._compiled[chosen] if chosen else None
        return self._ending_with[last]


class InfixFinditer:
    """`regex.finditer` for an infix regex, skipped (no match) for a string that holds
    none of the characters an infix match can start with."""

    def __init__(self, regex: re.Pattern):
        self.regex = regex
        self.pattern = regex.pattern
        ranges = opening_characters(regex)
        self.opening = self.ascii_opening = None
        if ranges is not None:
            self.opening = re.compile(character_class(ranges))
            # An ASCII string is scanned for the ASCII characters alone: a short class.
            ascii_ranges = [(low, min(high, 127)) for low, high in ranges if low < 128]
            self.ascii_opening = re.compile(
                character_class(ascii_ranges) if ascii_ranges else "(?!)"
            )

    def finditer(self, string: str) -> Iterator[re.Match]:
        opening = self.ascii_opening if string.isascii() else self.opening
        if opening is not None and opening.search(string) is None:
            return iter(())
        return self.regex.finditer(string)


def opening_characters(regex: re.Pattern) -> list[tuple[int, int]] | None:
    """The code point ranges that the first character a match of `regex` consumes falls in,
    or None when that cannot be told (an alternative that can match nothing, or opens with
    a negated, categorical or case-insensitive set)."""
    if regex.flags & re.IGNORECASE:
        return None
    ranges: list[tuple[int, int]] = []
    for branch in alternatives(regex):
        found = _consumed(list(branch.data)) if branch.getwidth()[0] else None
        if found is None:
            return None
        ranges.extend(found)
    return ranges


def _compile_alternatives(branches: list[_parser.SubPattern]) -> re.Pattern:
    """One regex of some of the parsed top-level alternatives of a regex, in their order."""
    return _compiler.compile(
        _parser.SubPattern(branches[0].state, [(sre.BRANCH, (None, branches))])
    )


def _consumed(items: list, last: bool = False) -> list[tuple[int, int]] | None:
    """The code point ranges of the first (or `last`) character a parsed sequence
    consumes, or None when that cannot be told."""
    for op, argument in reversed(items) if last else items:
        if op in ZERO_WIDTH:
            continue
        if op is sre.LITERAL:
            return [(argument, argument)]
        if op is sre.IN:
            ranges = []
            for member_op, member in argument:
                if member_op is sre.LITERAL:
                    ranges.append((member, member))
                elif member_op is sre.RANGE:
                    ranges.append(member)
                else:  # a negation or a category (\d, \w): not worth spelling out
                    return None
            return ranges
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and argument[0] >= 1:
            return _consumed(list(argument[2].data), last)
        if op is sre.SUBPATTERN and not argument[1] & re.IGNORECASE:
            return _consumed(list(argument[3].data), last)
        if op is sre.BRANCH:
            ranges = []
            for branch in argument[1]:
                found = _consumed(list(branch.data), last)
                if found is None:
                    return None
                ranges.extend(found)
            return ranges
        return None
    return None


def character_class(ranges: list[tuple[int, int]]) -> str:
    """A regex character class of the code point ranges."""
    merged: list[list[int]] = []
    for low, high in sorted(ranges):
        if merged and low <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], high)
        else:
            merged.append([low, high])
    return "[" + "".join(f"\\U{low:08x}-\\U{high:08x}" for low, high in merged) + "]"
