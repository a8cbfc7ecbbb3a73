"""spaCy component `kg_names`: every mention of a named model, dataset or modality.

Two sources: vocabulary matches (`kg_vocab`) that stand as whole words, and new
names the vocabulary does not know, found by their shape (CamelCase, acronyms,
digits and size suffixes: MedSAMix, GMAI-VL-5.5M, IMed-361M) and typed as Model
or Dataset by cues in the name and around it (-Bench, "the X dataset").
Results: `doc.spans["kg_names"]`, labelled with the type, `kb_id_` the concept
IRI for known names (empty for new ones).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from kg.extract.text import doc_text
from kg.extract.vocabulary import Vocabulary, default_vocabulary
from kg.extract.vocabulary_matcher import SPAN_KEY as VOCAB_KEY
from kg.records import DATASET, MODEL

SPAN_KEY = "kg_names"
LEADING = "([{\"'“‘«"
TRAILING = ".,;:!?]}\"'”’»"
SIZE_SUFFIX = re.compile(
    r"[-_]?\d+(?:\.\d+)?[KM]$"
)  # sample counts; a B suffix is a parameter count
CAMEL = re.compile(r"[a-z][A-Z]")
# Words are split at whitespace, and at a parenthesis that opens a new name ("Models(LLMs)")
# or closes one before a hyphen ("(CG)-the"); "GPT-4V(ision)" stays whole.
WORD = re.compile(r"(?:[^\s(]|\((?![A-Z0-9]))+|\((?=[A-Z0-9])[^\s)]*\)?")
PLURAL_ACRONYM = re.compile(r"^(?:[\w]+-)?[A-Z][A-Z0-9]+s$")
# "the Colonoscopy 3D Video Dataset": capitalised words ending in a capitalised dataset word.
TITLED_DATASET = re.compile(
    r"(?<=\bthe )(?:[A-Z0-9][\w-]*\s+){1,5}(?:Dataset|Benchmark|Corpus|Database|Challenge)\b"
)
# "the X dataset" is typed by what follows; "two public datasets (X and Y)" and
# "the benchmark X" by what precedes, over a list of further names.
DATASET_BEFORE = re.compile(
    r"\b(?i:datasets?|benchmarks?|corpus|corpora|databases?|cohorts?)\s*[(:,]?\s*"
    r"(?:[A-Z0-9][\w.-]*\s*,?\s*(?:and\s+|or\s+)?){0,4}$"
)
# "Sana 0.6B", "LLaMA 13B": a capitalised name followed by its parameter count.
PARAMETER_COUNT = re.compile(r"\d+(?:\.\d+)?[BM]")


@dataclass(frozen=True)
class Word:
    """A whitespace-delimited word with its outer punctuation stripped, by character offsets."""

    start: int
    end: int
    text: str


def words(text: str) -> Iterator[Word]:
    for match in WORD.finditer(text):
        start, end = match.span()
        while start < end and text[start] in LEADING:
            start += 1
        while end > start and text[end - 1] in TRAILING:
            end -= 1
        # A closing parenthesis belongs to the word only when the word opened one.
        while (
            end > start
            and text[end - 1] == ")"
            and text.count("(", start, end) < text.count(")", start, end)
        ):
            end -= 1
        if end > start:
            yield Word(start, end, text[start:end])


class NameShape:
    """Decides whether a word is shaped like a name, from the cue lexicon's lists."""

    def __init__(self, vocabulary: Vocabulary):
        names = vocabulary.cues["names"]
        self.generic = set(names["generic"])
        self.modifier_suffixes = tuple(names["modifier_suffixes"])
        self.dataset_suffixes = tuple(s.lower() for s in names["dataset_suffixes"])
        self.dataset_heads = set(names["dataset_heads"])
        self.model_heads = set(names["model_heads"])
        self.task_heads = set(names["task_heads"])

    def core(self, word: str) -> str:
        """The word without modifiers that attach to a name: "CLIP-based" -> "CLIP"."""
        changed = "-" in word or "'" in word or "’" in word
        while changed:
            changed = False
            lowered = word.lower()
            for suffix in self.modifier_suffixes:
                if lowered.endswith(suffix) and len(word) > len(suffix):
                    word, changed = word[: -len(suffix)], True
                    break
        return word

    def is_name(self, word: str) -> bool:
        uppers = sum(ch.isupper() for ch in word)
        if not uppers:  # every rule below needs a capital: most words stop here
            return False
        if word in self.generic or word.rstrip("s") in self.generic:
            return False
        if PLURAL_ACRONYM.match(word):  # "VLSMs", "Med-LVLMs": a class of models, not one
            return False
        letters = [ch for ch in word if ch.isalpha()]
        if len(letters) < 2 or "/" in word.strip("/") and not re.search(r"/\d+$", word):
            return False
        if any(ch in word for ch in "=<>@#%*+|\\") or word.startswith("http"):
            return False
        if word.lower().endswith("score") or word.lower().endswith(")"):
            return word.endswith(")") and "(" in word and word[word.index("(") + 1 : -1].islower()
        has_digit = any(ch.isdigit() for ch in word)
        segments = [s for s in re.split(r"[-–]", word) if s]
        # "image-ROI-description": a phrase that merely contains an acronym.
        if len(segments) > 2 and segments[0].islower() and segments[-1].islower():
            return False
        # "Vision-Language", "Multi-Modal": hyphenated ordinary words, not a name.
        if all(s.isalpha() and (s.islower() or s.istitle()) for s in segments) and not CAMEL.search(
            word
        ):
            return False
        return uppers >= 2 or (uppers >= 1 and has_digit) or bool(CAMEL.search(word))

    def type_of(self, name: str, following: str = "", preceding: str = "") -> str:
        """Dataset when the name or the words around it say so, else Model.

        The head noun decides: the name's own ("the OphVL dataset") or that of an
        appositive right after it ("UniMed, a large-scale medical dataset").
        """
        lowered = name.lower()
        if SIZE_SUFFIX.search(name) or lowered.endswith(self.dataset_suffixes):
            return DATASET
        head = self._head_after(following)
        if head is not None:
            return DATASET if head in self.dataset_heads else MODEL
        if DATASET_BEFORE.search(preceding[-120:]):
            return DATASET
        return MODEL

    def _head_after(self, following: str) -> str | None:
        """The first head noun after a name, over an appositive (", a large-scale
        dataset") or a list of further names ("X, Y, and Z datasets")."""
        tokens = re.findall(r"[\w-]+|[^\w\s]", following[:160])
        if tokens[:1] == [","] and tokens[1:2] and tokens[1].lower() in ("a", "an", "the", "our"):
            window, skip_names = tokens[2:10], False
        else:
            window, skip_names = tokens[:8], True
        for position, token in enumerate(window):
            word = token.lower()
            if word in self.model_heads or word in self.dataset_heads:
                return word
            listed = skip_names and (
                word in (",", "and", "or") or any(c.isupper() or c.isdigit() for c in token)
            )
            adjective = not skip_names and (word in (",", "and") or token[0].isalnum())
            if not (listed or adjective) or (skip_names and not listed and position >= 3):
                return None
        return None


class NameFinder:
    def __init__(self, vocabulary: Vocabulary):
        self.shape = NameShape(vocabulary)

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        word_list = list(words(text))
        starts = {w.start for w in word_list}
        ends = {w.end for w in word_list}
        abbreviations = doc._.kg_abbreviations or ()
        long_forms = [(p.long.start_char, p.long.end_char) for p in abbreviations]
        spans: list[Span] = [
            span
            for span in doc.spans[VOCAB_KEY]
            if self._stands_alone(text, span.start_char, span.end_char, starts, ends)
            and not any(
                start <= span.start_char
                and span.end_char <= end
                and (start, end) != (span.start_char, span.end_char)
                for start, end in long_forms
            )
        ]
        terms = self._task_acronyms(doc, text)
        inside_long_forms = {
            offset
            for pair in abbreviations
            for offset in range(pair.long.start_char, pair.long.end_char)
        }
        for word in word_list:
            core = self.shape.core(word.text)
            if (
                core.casefold() in terms
                or word.start in inside_long_forms
                or not self.shape.is_name(core)
            ):
                continue
            following = text[word.start + len(core) :]
            entity_type = self.shape.type_of(core, following, text[: word.start])
            span = doc.char_span(
                word.start, word.start + len(core), entity_type, alignment_mode="expand"
            )
            if span is not None:
                spans.append(span)
        for index, word in enumerate(word_list[:-1]):
            following = word_list[index + 1]
            if (
                word.text[:1].isupper()
                and PARAMETER_COUNT.fullmatch(following.text)
                and word.text not in self.shape.generic
            ):
                span = doc.char_span(word.start, following.end, MODEL, alignment_mode="expand")
                if span is not None:
                    spans.append(span)
        spans.extend(self._defined_phrases(doc, text, abbreviations, terms))
        for match in TITLED_DATASET.finditer(text):
            span = doc.char_span(match.start(), match.end(), DATASET, alignment_mode="expand")
            if span is not None:
                spans.append(span)
        doc.spans[SPAN_KEY] = filter_spans(spans)
        return doc

    def _defined_phrases(self, doc: Doc, text: str, abbreviations, terms: set[str]) -> list[Span]:
        """Every occurrence of a several-word short form the text defines ("Med-PaLM M")."""
        spans = []
        for short in sorted({p.short.text for p in abbreviations if " " in p.short.text}):
            if short.casefold() in terms or not self.shape.is_name(short.replace(" ", "")):
                continue
            for match in re.finditer(r"(?<![\w-])" + re.escape(short) + r"(?![\w-])", text):
                span = doc.char_span(match.start(), match.end(), MODEL, alignment_mode="expand")
                if span is not None:
                    spans.append(span)
        return spans

    def _stands_alone(
        self, text: str, start: int, end: int, starts: set[int], ends: set[int]
    ) -> bool:
        """A vocabulary match counts only as a whole word, or with a modifier ("CLIP-based")."""
        if start not in starts:
            return False
        if end in ends:
            return True
        rest = text[end:].split(maxsplit=1)[0] if text[end:].strip() else ""
        rest = rest.rstrip(TRAILING)
        return any(
            rest == suffix or rest.startswith(suffix) for suffix in self.shape.modifier_suffixes
        )

    def _task_acronyms(self, doc: Doc, text: str) -> set[str]:
        """Acronyms the text defines as a task or field rather than an artifact.

        "Interactive Medical Image Segmentation (IMIS)" names a task; an acronym followed
        by "approach", "model" or "dataset" names an artifact whatever its long form.
        """
        terms = set()
        for pair in doc._.kg_abbreviations or ():
            long_words = pair.long.text.split()
            after = text[pair.short.end_char + 1 : pair.short.end_char + 40].split(maxsplit=1)
            head_after = after[0].lower().strip(".,;:") if after else ""
            if head_after in self.shape.model_heads or head_after in self.shape.dataset_heads:
                continue
            acronym = pair.short.text.rstrip("s")
            task_like = (
                bool(long_words)
                and long_words[-1].lower() in self.shape.task_heads
                and acronym.isupper()
            )
            if task_like or pair.long.text.islower():
                terms.add(pair.short.text.casefold())  # later spelt MVLMS as often as MVLMs
        return terms


@Language.factory("kg_names", requires=["doc.spans"])
def make_name_finder(nlp: Language, name: str) -> NameFinder:
    return NameFinder(default_vocabulary())
