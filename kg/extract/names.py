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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice, pairwise
from typing import NamedTuple

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from kg.extract.text import doc_text
from kg.extract.vocabulary import Vocabulary, cue_pattern, default_vocabulary, name_key
from kg.extract.vocabulary_matcher import SPAN_KEY as VOCAB_KEY
from kg.records import DATASET, MODALITY, MODEL

SPAN_KEY = "kg_names"
SHAPE_CACHE_SIZE = 200_000
# The id of names found only as a run of capitalised words: weaker evidence of a name.
TITLED = "titled"
LEADING = "([{\"'“‘«`"
TRAILING = ".,;:!?]}\"'”’»"
# An appositive whose head is a kind of model says what a name is, whatever its ending
# ("MedIQA, the first comprehensive foundation model for medical IQA"; 32 such names in
# the 88k corpora were typed datasets by an ending such as "-QA"); a data word before the
# head keeps it open ("ISAR, a benchmark and baseline method").
# ... except a benchmark's name: "SLAMBench, a software framework" is still one.
BENCH_ENDINGS = ("bench", "benchmark")
APPOSITIVE_MODEL = re.compile(
    r"\)?\s*,\s*(?i:a|an|the)\s+"
    r"(?:(?!(?i:datasets?|benchmarks?|corpus|corpora|collection|suite)\b)[\w-]+\s+){0,5}?"
    r"(?:model|framework|method|network|approach|system|algorithm|architecture)\b"
)
MODEL_DEPTH = re.compile(r"(?P<family>[A-Z][A-Za-z]*[a-z][A-Za-z]*)-?\d{1,3}")
SIZE_SUFFIX = re.compile(
    r"[-_]?\d+(?:\.\d+)?[KM]$"
)  # sample counts; a B suffix is a parameter count
CAMEL = re.compile(r"[a-z][A-Z]")
HYPHENS = re.compile(r"[-–]")
SLASH_NUMBER_END = re.compile(r"/\d+$")
# Words are split at whitespace, and at a parenthesis that opens a new name ("Models(LLMs)")
# or closes one before a hyphen ("(CG)-the"); "GPT-4V(ision)" stays whole. An em dash, a
# comma before a letter and a citation bracket end a word too ("X—a", "GPW,which", "ABE[14]");
# so does an en dash beside a lower-case letter ("BraTS2021–by", "datasets–ADNI"; "GPT–2"
# stays whole).
WORD = re.compile(
    r"(?:[^\s(—–,\[]|(?<=[A-Z0-9])–(?=[A-Z0-9])|,(?![^\W\d_])|\[(?!\d)|\((?![A-Z0-9]))+"
    r"|\((?=[A-Z0-9])[^\s)]*\)?"
)
# A character other than whitespace, ASCII lower case, digits and punctuation: only a
# whitespace-delimited chunk that holds one can hold a capital. A class alone: the regex
# engine skips to where it stands.
MAYBE_CAPITAL = re.compile(r"[^\s\x00-\x40\x5b-\x7f]")
CHUNK_REST = re.compile(r"\S*")
# Every parameter count ("7B", "0.6B") holds a digit before its B or M.
PARAMETER_HINT = re.compile(r"\d[BM]")
NUMBER_WITH_UNIT = re.compile(r"\d+(?:\.\d+)?[A-Za-z]{1,3}")
PLURAL_ACRONYM = re.compile(r"^(?:[\w]+-)?[A-Z][A-Z0-9]+s$")
# "the Colonoscopy 3D Video Dataset": capitalised words ending in a capitalised dataset word.
# (Each pattern of this module that can start with its first letter's class does, with
# the lookbehind after it, so that the regex engine skips to the places where that class
# stands instead of trying every character.)
TITLED_DATASET = re.compile(
    r"[A-Z0-9](?<=\bthe [A-Z0-9])[\w-]*\s+(?:[A-Z0-9][\w-]*\s+){0,4}"
    r"(?:Dataset|Benchmark|Corpus|Database|Challenge)\b"
)
# "introducing DALLE STREET a large-scale dataset": words in capitals before an appositive
# that calls them a dataset are one name, even where one of them is a known model's.
# The appositive is found first (a capital, then it), the run before it after: most text
# holds no such appositive.
DATASET_APPOSITIVE = re.compile(r"[A-Z],?\s+an?\s+(?:[\w-]+\s+){0,3}(?:dataset|benchmark|corpus)\b")
CAPITALS_RUN = re.compile(r"\b[A-Z][A-Z0-9-]*[A-Z](?:\s+[A-Z][A-Z0-9-]*[A-Z])+$")
CAPITALS_REACH = 80
# "the X dataset" is typed by what follows; "two public datasets (X and Y)" and
# "the benchmark X" by what precedes, over a list of further names.
DATASET_BEFORE = re.compile(
    r"\b(?i:datasets?|benchmarks?|corpus|corpora|databases?|cohorts?)\s*[(:,]?\s*"
    r"(?:[A-Z0-9][\w.-]*\s*,?\s*(?:and\s+|or\s+)?){0,4}$"
)
# "experiments on X", "results on A, B and C", "by 4.0% on X": the object of "on"
# after a word of evaluation or training is data, whatever the name looks like.
EVALUATED_ON = re.compile(
    r"(?:%|\b(?i:experiments?|results?|evaluated|evaluations?|tested|validated|trained|"
    r"pre-?trained|fine-?tuned|benchmarked|performance|accuracy|state[- ]of[- ]the[- ]art))"
    r"[^.;:]{0,60}?\s(?:on|across)\s+(?:the\s+|both\s+)?"
    r"(?:[A-Z0-9][\w.+-]*\s*,?\s*(?:and\s+|or\s+)?){0,4}$"
)
# The "on" or "across" of `EVALUATED_ON`, with whitespace around it.
ON_OR_ACROSS = re.compile(r"\s(?:on|across)(?=\s)")
# `EVALUATED_ON`'s cue word ends at most 60 characters before that "on" and is no longer
# than "state-of-the-art".
EVALUATED_ON_REACH = 60 + 40
# "we assembled 106 datasets to create X", "we curate X": what is collected is data.
DATA_MADE = re.compile(
    r"\b(?i:curated?|curating|collect(?:ed|ing)?|compiled?|compiling|assembled?|assembling|"
    r"gathered?|gathering|annotated?|annotating)\b[^.;:,]{0,60}$"
)
# "Sana 0.6B", "LLaMA 13B": a capitalised name followed by its parameter count.
PARAMETER_COUNT = re.compile(r"\d+(?:\.\d+)?[BM]")
# Head nouns that still name data after modifiers ("the X skin-lesion dataset").
STRONG_DATASET_HEADS = {"dataset", "datasets", "benchmark", "benchmarks", "corpus", "set"}
# "on the Hubo-II+ and ATLAS humanoid robots", "COMAN+, the new humanoid robot": the
# platform an experiment runs on, not data (typed as the paper's other artifacts are).
DEVICE_HEADS = {"robot", "robots", "humanoid", "humanoids", "manipulator", "quadruped"}
# "DynaMo, a suite of multi-token prediction language models": the head is what the group
# holds.
GROUP_HEADS = {"suite", "collection", "family", "series"}
# Words that end a noun phrase: never a modifier between a name and its head.
NOT_MODIFIERS = {"with", "from", "into", "over", "than", "that", "which", "were", "have", "this"}
# One word of a dataset's name: capitalised, or a number that carries a letter ("360-Sports").
NAME_WORD = r"[A-Z\d](?:(?<=[A-Z])|(?<=\d)\d*[-.]?[A-Za-z])[\w+\-/&'’]*(?:\.[\w+\-/&'’]+)*"
# A name of several words, numbers allowed after the first ("BraTS 2020", "NTU RGB+D 120").
NAME_GROUP = rf"{NAME_WORD}(?:[ ](?:{NAME_WORD}|\d+(?![\w.]))){{0,3}}"
LIST_SEPARATOR = r"\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+"
NAME_LIST = rf"{NAME_GROUP}(?:(?:{LIST_SEPARATOR}){NAME_GROUP}){{0,7}}"
# "the Visual Genome dataset", "Oxford Radar RobotCar and MulRan datasets", "BTCV Abdomen
# benchmark": capitalised words right before a dataset head noun are its name.
NAMES_BEFORE_DATASET_HEAD = re.compile(
    rf"({NAME_LIST})\s+(?:(?i:test|validation|evaluation|training)\s+)?"
    r"(?:datasets?|benchmarks?|corpus|corpora|database|test set|Dataset|Benchmark|"
    r"(?i:(?<= )(challenge)))\b"
)
# "four datasets (A, B and C)", "benchmarks of A, B", "datasets, i.e. A, B": a list
# that a dataset head noun announces.
NAMES_AFTER_DATASET_HEAD = re.compile(
    r"\b(?i:dat(?:asets|abases)|benchmarks|co(?:rpora|horts))\s*"  # a trie: scanned faster
    r"(?:\(|:|,?\s*(?:i\.e\.|e\.g\.|such as|including|namely|like|of)\s*,?)\s*"
    rf"({NAME_LIST})"
)
# "introduces a novel framework for model-based LfD": what the new artifact is for (a task),
# not the artifact.
PURPOSE_BEFORE = re.compile(
    r"\b(?i:framework|method|approach|model|system|algorithm|architecture|pipeline|network|"
    r"technique|paradigm|strategy|tool|solution|scheme|controller|designed|tailored|intended)s?"
    r"\s+for\s+(?:(?i:each|every|all)\s+)?(?:[\w-]+\s+){0,2}(?<!ss\s)(?<![a-z]s\s)$"
)
NAMING_BEFORE = re.compile(
    r"\b(?i:called|named|termed|dubbed|coined|namely|we call)\s+(?:(?i:the|a|an)\s+)?$"
)
# "Learning from Demonstration", "Question generation over knowledge bases": the head noun
# of a long form, before the preposition that opens its complement.
HEAD_BEFORE_PREPOSITION = re.compile(
    r"(?:[\w'’-]+\s+){0,3}?([\w'’-]+)\s+(?i:from|of|over|for|with|on|in|to|under)\s"
)
# "the GREEN score", "DCA metric": a name followed by one of these is a measure.
METRIC_AFTER = re.compile(r"\s+(?i:scores?|metrics?|coefficients?|index)\b")
# An acronym a sentence defines after its long form: "(TESLA)", "( ILLUME )", "termed AR-Seg".
LATER_ACRONYM = re.compile(
    r"\(\s?([A-Za-z][\w-]*[A-Z][\w-]*)\s?\)"
    r"|\b(?:termed|called|named|dubbed)\s+([A-Za-z][\w-]*[A-Z][\w-]*)"
)
# Where the clause that holds a long form ends: a sentence's end, or a comma that no naming
# verb follows.
CLAUSE_END = re.compile(r"\.\s|[;:]|,(?!\s*(?:termed|called|named|dubbed)\b)")
# How far after a word its acronym may be defined: the longest long forms run to about
# twenty words.
ACRONYM_REACH = 200
ACRONYM = re.compile(r"[A-Z][A-Z0-9]{2,}")
ARTICLE_BEFORE = re.compile(r"\b(?i:a|an)\s+$")
# A capitalised word of running text ("Gaussian", "Cross-Granular"), or "3D" before one.
TITLE_WORD = re.compile(r"[A-Z][a-z][\w'’-]*|\d[Dd]")
CAPITALISED_RUN = re.compile(
    r"[A-Z\d](?<=(?<![\w'’-])[A-Z\d])(?:(?<=[A-Z])[a-z][\w'’-]*|(?<=\d)[Dd])"
    r"(?: (?:[A-Z][a-z][\w'’-]*|\d[Dd]))+"
)
# Every character a match of `NAMES_BEFORE_DATASET_HEAD` cannot hold.
NOT_IN_NAME_LIST = re.compile(r"[^\w\s+\-/&'’.,]")
# Any dataset word, written as a trie: the regex engine scans that faster.
DATASET_WORDS = re.compile(r"(?i:dat(?:aset|abase)|benchmark|corp(?:us|ora)|challenge|test set)")
# The words of `DATASET_WORDS`, spelt out.
DATASET_WORD_SPELLINGS = (
    "dataset",
    "database",
    "benchmark",
    "corpus",
    "corpora",
    "challenge",
    "test set",
)
# A token of `head_after`: a word or one punctuation mark.
HEAD_TOKEN = re.compile(r"[\w-]+|[^\w\s]")
# "BraTS 2020", "ISIC 2018": a dataset's year is part of its name.
YEAR_AFTER = re.compile(r" ((?:19|20)\d\d)(?![\w.]\w)")


class Word(NamedTuple):
    """A whitespace-delimited word with its outer punctuation stripped, by character offsets.

    A tuple, not a dataclass: every word of every abstract makes one."""

    start: int
    end: int
    text: str


def words(text: str, start: int = 0, end: int | None = None) -> Iterator[Word]:
    """The words of `text`, or of `text[start:end]` when that range is whole chunks
    (whitespace-delimited): a word never spans whitespace, so a chunk's words are the same
    read alone or in the whole text."""
    for match in WORD.finditer(text, start, len(text) if end is None else end):
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


def find_dataset_word(text: str) -> int | None:
    """Where `DATASET_WORDS` first matches in `text`, if it does. In ASCII text (most
    abstracts) that is the first of its spellings in the lower-cased text, which `str.find`
    finds faster than a case-insensitive regex, tried at every position."""
    if not text.isascii():  # where case folding may match other letters ("ſ" for "s")
        match = DATASET_WORDS.search(text)
        return None if match is None else match.start()
    lowered = text.lower()
    return min((i for i in map(lowered.find, DATASET_WORD_SPELLINGS) if i >= 0), default=None)


def maybe_capitalised_chunks(text: str) -> Iterator[tuple[int, str]]:
    """Where each chunk (whitespace-delimited) that holds a `MAYBE_CAPITAL` starts, and the
    chunk, in order."""
    found = MAYBE_CAPITAL.search(text)
    while found is not None:
        start = found.start()  # the chunk's first such character: none stands before it
        while start and not text[start - 1].isspace():
            start -= 1
        end = CHUNK_REST.match(text, found.end()).end()
        yield start, text[start:end]
        found = MAYBE_CAPITAL.search(text, end)


def chunk_words(text: str, position: int) -> list[Word]:
    """The words of the whitespace-delimited chunk that holds `position` (none at whitespace)."""
    if position >= len(text) or text[position].isspace():
        return []
    start = position
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    return list(words(text, start, CHUNK_REST.match(text, position).end()))


def evaluated_on(preceding: str) -> bool:
    """`EVALUATED_ON.search(preceding)`, searched only from near the last "on" or "across":
    what follows the "on" of a match is names and "and", so that "on" is the last one."""
    ons = [match.start() for match in ON_OR_ACROSS.finditer(preceding)]
    return bool(ons) and bool(EVALUATED_ON.search(preceding, max(0, ons[-1] - EVALUATED_ON_REACH)))


@dataclass(frozen=True)
class DefinedTerms:
    """Short forms the text defines: as terms of the field (never names), or as its own
    artifacts (names, even when spelt like a generic term)."""

    terms: frozenset[str]  # casefolded
    artifacts: frozenset[str]


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
        self.not_names = set(names["not_names"])
        self.is_generic = vocabulary.is_generic
        # "validated on the Kuka LWR4+": a device its maker names is no dataset.
        makers = "|".join(re.escape(m) for m in vocabulary.cues["builds_on"]["makers"])
        self.maker_before = re.compile(rf"\b(?i:{makers})\s+$")
        self.model_keys = frozenset(
            name_key(form)
            for concept in vocabulary.of_type(MODEL)
            for form in concept.surface_forms
        )
        self._shapes: dict[tuple[str, bool], bool] = {}

    def core(self, word: str) -> str:
        """The word without modifiers that attach to a name: "CLIP-based" -> "CLIP"."""
        changed = ("-" in word or "'" in word or "’" in word) and word.lower().endswith(
            self.modifier_suffixes
        )
        while changed:
            changed = False
            lowered = word.lower()
            for suffix in self.modifier_suffixes:
                if lowered.endswith(suffix) and len(word) > len(suffix):
                    word, changed = word[: -len(suffix)], True
                    break
        return word

    def is_name(self, word: str, generic_allowed: bool = False) -> bool:
        """Whether `word` is shaped like a name; `generic_allowed` for a word the text
        defines as its own artifact ("a novel group Spectral Regularizer (gSR)").

        Words recur across abstracts: answers are kept, up to `SHAPE_CACHE_SIZE` words."""
        if word.islower():  # most words: no capital, no name
            return False
        known = self._shapes.get((word, generic_allowed))
        if known is None:
            if len(self._shapes) >= SHAPE_CACHE_SIZE:
                self._shapes.clear()
            # Both answers at once: the generic-term test is the only rule they differ by.
            allowed = self._shapes[(word, True)] = self._is_name(word)
            self._shapes[(word, False)] = allowed and not self.is_generic(word)
            known = self._shapes[(word, generic_allowed)]
        return known

    def _is_name(self, word: str) -> bool:
        """Whether `word` is shaped like a name, generic terms allowed."""
        uppers = sum(map(str.isupper, word))
        if not uppers:  # every rule below needs a capital: most words stop here
            return False
        if word in self.generic or word.rstrip("s") in self.generic:
            return False
        if PLURAL_ACRONYM.match(word):  # "VLSMs", "Med-LVLMs": a class of models, not one
            return False
        letters = sum(map(str.isalpha, word))
        if letters < 2 or "/" in word.strip("/") and not SLASH_NUMBER_END.search(word):
            return False
        # "MosMedData+", "RefCOCO+": a trailing plus is part of the name
        if any(ch in word.rstrip("+") for ch in "=<>@#%*+|\\{}~") or word.startswith("http"):
            return False  # also LaTeX residue: "Cityscapescite{Cityscapes"
        if NUMBER_WITH_UNIT.fullmatch(word):  # "30Hz", "5mm": a quantity
            return False
        if word.lower().endswith("score") or word.lower().endswith(")"):
            return word.endswith(")") and "(" in word and word[word.index("(") + 1 : -1].islower()
        has_digit = any(map(str.isdigit, word))
        segments = [s for s in HYPHENS.split(word) if s]
        # "image-ROI-description": a phrase that merely contains an acronym.
        if len(segments) > 2 and segments[0].islower() and segments[-1].islower():
            return False
        # "multi-WSI", "non-CT": a prefix to a generic term is still generic.
        rest = word[len(segments[0]) + 1 :]
        if (
            len(segments) > 1
            and segments[0].islower()
            and (rest in self.generic or self.is_generic(rest))
        ):
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
        if APPOSITIVE_MODEL.match(following) and not lowered.endswith(BENCH_ENDINGS):
            return MODEL  # "MedIQA, the first comprehensive foundation model": not a QA set
        if SIZE_SUFFIX.search(name) or lowered.endswith(self.dataset_suffixes):
            return DATASET
        head = self.head_after(following, short_form=preceding.endswith("("))
        if head is not None:
            return DATASET if head in self.dataset_heads else MODEL
        if self._deepened_model(name):
            return MODEL
        if self.maker_before.search(preceding[-30:]):
            return MODEL
        if (
            DATASET_BEFORE.search(preceding[-120:])
            or evaluated_on(preceding[-160:])
            or DATA_MADE.search(preceding[-100:])
        ):
            return DATASET
        return MODEL

    def _deepened_model(self, name: str) -> bool:
        """Whether the name is a variant of a known model family with a depth:
        "PreResNet29", "WideResNet28" (on PreResNet29/ResNet50 it is no dataset). The
        families' own sizes are the vocabulary's to know."""
        depth = MODEL_DEPTH.fullmatch(name)
        if depth is None:
            return False
        family = depth["family"]
        return any(
            name_key(family[start:]) in self.model_keys
            for start in range(1, len(family) - 3)
            if family[start].isupper()
        )

    def _group_head(self, group: str, held: list[str]) -> str:
        """The head of "a suite of ...": that of what it holds where a head follows ("a
        suite of multi-token prediction language models"), else the group's ("a test suite
        of 3,930 short-form statements")."""
        head = self.head_after(" " + " ".join(held))
        if head is not None:
            return head
        for token in held:
            if token.lower() in self.model_heads:
                return token.lower()
            if not token[0].isalnum():
                break
        return group

    def head_after(self, following: str, short_form: bool = True) -> str | None:
        """The first head noun after a name, over an appositive (", a large-scale
        dataset"), a list of further names ("X, Y, and Z datasets"), the parenthesis
        closing a short form (`short_form`: "... (CCS) dataset") or two modifiers ("X skin-lesion
        dataset", "the X test set")."""
        # The loop reads at most the eleventh token.
        tokens = [m.group() for m in islice(HEAD_TOKEN.finditer(following, 0, 160), 12)]
        if short_form and tokens[:1] == [")"]:
            tokens = tokens[1:]
        if tokens[:1] == [","] and tokens[1:2] and tokens[1].lower() in ("a", "an", "the", "our"):
            window, skip_names = tokens[2:10], False
        else:
            window, skip_names = tokens[:8], True
        modifiers = 0
        for index, token in enumerate(window):
            word = token.lower()
            if word in DEVICE_HEADS and "," not in window[:index]:
                return word  # "ALOHA, Open-X, and real robots": the last item's head
            if word in GROUP_HEADS and window[index + 1 : index + 2] == ["of"]:
                return self._group_head(word, window[index + 2 :])
            if modifiers and word in STRONG_DATASET_HEADS:
                return word
            if not modifiers and (word in self.model_heads or word in self.dataset_heads):
                return word
            if not skip_names:
                if word in (",", "and") or token[0].isalnum():
                    continue
                return None
            if modifiers == 0 and (
                word in (",", "and", "or") or any(c.isupper() or c.isdigit() for c in token)
            ):
                continue
            if modifiers < 2 and token.islower() and len(token) > 3 and token not in NOT_MODIFIERS:
                modifiers += 1
                continue
            return None
        return None


def modality_compound_parts(
    text: str, spans: Iterable[Span]
) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
    """Modalities joined by a slash or hyphen ("PET/CT", "CT/MRI", "MRI-CT"): each part
    stands as a name of its own; the parts, and the extents of the compounds (which no
    word shaped like a name takes: "PET-CT" is no dataset)."""
    modalities = sorted((s.start_char, s.end_char) for s in spans if s.label_ == MODALITY)
    parts: set[tuple[int, int]] = set()
    compounds: set[tuple[int, int]] = set()
    for left, right in pairwise(modalities):
        if right[0] == left[1] + 1 and text[left[1]] in "/-":
            parts.update((left, right))
            compounds.add((left[0], right[1]))
    return parts, compounds


class NameFinder:
    def __init__(self, vocabulary: Vocabulary):
        self.shape = NameShape(vocabulary)
        self.component_heads = set(vocabulary.cues["names"]["component_heads"])
        self.owned_class_heads = set(vocabulary.cues["names"]["owned_class_heads"])
        self.task_after = re.compile(
            r"\)?\s*(?:" + "|".join(vocabulary.cues["names"]["task_nouns"]) + r")\b(?!-)"
        )
        self._shaped_in_chunk: dict[str, tuple[tuple[int, str], ...]] = {}
        intro = vocabulary.cues["introduces"]
        self.intro_stops = cue_pattern(intro["stops"])
        # "we propose Merlin, a ...", "a modular prompting paradigm Perthept to ...": one
        # plain capitalised word (or hyphenated capitalised words, "Look-Twice") as the
        # object of an introducing verb is a name.
        # Candidates first (cheap), then the verb before each.
        self.introduced_word = re.compile(
            r"([A-Z](?<=[a-z] [A-Z])[a-z]{2,}[A-Za-z0-9]*(?:-[A-Z][a-z]+[A-Za-z0-9]*)*)"
            r"(?=\s*[,(:;](?!\s*[A-Z])|\s+(?:that|which|to|for|as|with)\s)"
        )
        self.introducing_before = re.compile(
            r"\b(?i:"
            + "|".join(re.escape(v) for v in intro["verbs"])
            + r")\s+(?:(?:a|an|the|our)\s+)?(?:[a-z][\w-]*\s+){0,4}$"
        )
        # "we propose a novel ... (X)", "a new ... (X)": the writer's own artifact.
        self.owned_context = re.compile(
            r"\b(?i:"
            + "|".join(re.escape(v) for v in [*intro["verbs"], *intro["owned"]])
            + r")\s+(?:[\w-]+\s+){0,6}$"
        )

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        abbreviations = doc._.kg_abbreviations or ()
        long_forms = [(p.long.start_char, p.long.end_char) for p in abbreviations]
        known = list(doc.spans[VOCAB_KEY])  # a span group makes its spans anew on each pass
        compound_parts, compounds = modality_compound_parts(text, known)
        # Inside a long form a known name is part of a new one, except a modality:
        # "structural MRI (sMRI)" is still MRI.
        spans: list[Span] = [
            span
            for span in known
            if (
                self._stands_alone(text, span.start_char, span.end_char)
                or (span.start_char, span.end_char) in compound_parts
            )
            and (
                span.label_ == MODALITY
                or not any(
                    start <= span.start_char
                    and span.end_char <= end
                    and (start, end) != (span.start_char, span.end_char)
                    for start, end in long_forms
                )
            )
        ]
        defined = self._defined_terms(doc, text)
        terms = defined.terms
        # A dataset phrase wins over a shape-found name of the same extent: it is typed by
        # its head noun, the shape by the words around it.
        inside_long_forms = {
            offset
            for pair in abbreviations
            for offset in range(pair.long.start_char, pair.long.end_char)
        }
        spans.extend(self._dataset_phrases(doc, text, spans, terms, inside_long_forms))
        for start, core in self._shaped_words(text):
            if (
                core.casefold() in terms
                or start in inside_long_forms
                or (start, start + len(core)) in compounds
                or not self.shape.is_name(core, generic_allowed=core in defined.artifacts)
                or self._spells_a_later_acronym(text, start, core)
            ):
                continue
            following = text[start + len(core) :]
            if METRIC_AFTER.match(following):
                continue
            entity_type = self.shape.type_of(core, following, text[:start])
            span = doc.char_span(start, start + len(core), entity_type, alignment_mode="expand")
            if span is not None:
                spans.append(span)
        spans.extend(self._with_parameter_counts(doc, text))
        spans.extend(self._defined_phrases(doc, text, abbreviations, terms))
        # A run that holds a modality ("Endoscopic Surgery") leaves the modality standing.
        modality_starts = {span.start_char for span in spans if span.label_ == MODALITY}
        spans.extend(self._titled_phrases(doc, text, inside_long_forms | modality_starts))
        spans.extend(self._introduced_words(doc, text, spans, inside_long_forms))
        for match in (*TITLED_DATASET.finditer(text), *self._capitals_datasets(text)):
            span = doc.char_span(match.start(), match.end(), DATASET, alignment_mode="expand")
            if span is not None:
                spans.append(span)
        spans.extend(self._with_years(doc, text, spans))
        doc.spans[SPAN_KEY] = filter_spans(spans)
        return doc

    def _shaped_words(self, text: str) -> Iterator[tuple[int, str]]:
        """Where each word shaped like a name (generic terms allowed) starts, and its core
        ("CLIP" of "CLIP-based"), in order.

        Only a chunk (whitespace-delimited) that can hold a capital can hold a name: one
        regex passes over the rest. Chunks recur ("We", "The", "(CT)"): what each holds is
        kept, up to `SHAPE_CACHE_SIZE` chunks."""
        for chunk_start, chunk in maybe_capitalised_chunks(text):
            shaped = self._shaped_in_chunk.get(chunk)
            if shaped is None:
                if len(self._shaped_in_chunk) >= SHAPE_CACHE_SIZE:
                    self._shaped_in_chunk.clear()
                shaped = self._shaped_in_chunk[chunk] = tuple(
                    (word.start + offset, core)
                    for word in words(chunk)
                    if not word.text.islower()
                    for offset, part in self._slashed_names(word.text)
                    if self.shape.is_name(core := self.shape.core(part), True)
                )
            for offset, core in shaped:
                yield chunk_start + offset, core

    def _slashed_names(self, word: str) -> list[tuple[int, str]]:
        """The word, or the names a slash joins in it ("3DMatch/3DLoMatch"): each part
        shaped like a name and not all capitals ("TCP/IP", "I/O" are terms), with its offset
        in the word."""
        if "/" not in word.strip("/") or SLASH_NUMBER_END.search(word):
            return [(0, word)]
        parts, offset = [], 0
        for part in word.split("/"):
            parts.append((offset, part))
            offset += len(part) + 1
        if len(parts) <= 3 and all(
            not p.isupper() and self.shape.is_name(self.shape.core(p)) for _, p in parts
        ):
            return parts
        return [(0, word)]

    @staticmethod
    def _spells_a_later_acronym(text: str, start: int, word: str) -> bool:
        """A mixed-case word, written once, whose capitals are part of an acronym defined
        later in its sentence is a piece of that acronym's long form, not a name: "a TEst
        time ... network using disentAngled ... (TESLA)", "the AutoRegressive Segmentation
        framework ..., termed AR-Seg". Such long forms are too long for the abbreviation
        pairing (`abbreviations.py` reads a bounded window), so the capitals decide."""
        if sum(map(str.islower, word)) < 2 or word[:1].isdigit() or text[start - 1 : start] == "(":
            return False  # "kBME", "(traPPCA)": an acronym itself
        capitals = "".join(filter(str.isupper, word)).casefold()
        if not capitals:
            return False
        end = start + len(word)
        # The long form runs on to its acronym within one clause: up to the sentence's end,
        # and past a comma only into a naming verb (", termed AR-Seg"), not ", we propose".
        window = CLAUSE_END.split(text[end : end + ACRONYM_REACH], maxsplit=1)[0]
        for match in LATER_ACRONYM.finditer(window):
            if match.group(1) and not window[: match.start()].strip():
                return False  # "extremeText (XT)": the word is the acronym's long form
            short = match.group(1) or match.group(2)
            letters = "".join(filter(str.isalpha, short)).casefold()
            if short != word and capitals in letters:
                return text.count(word) == 1
        return False

    def _with_parameter_counts(self, doc: Doc, text: str) -> list[Span]:
        """ "Sana 0.6B", "LLaMA 13B": a capitalised word and the parameter count after it."""
        if not PARAMETER_HINT.search(text):
            return []
        spans = []
        for word, following in pairwise(words(text)):
            if (
                word.text[:1].isupper()
                and PARAMETER_COUNT.fullmatch(following.text)
                and word.text not in self.shape.generic
            ):
                span = doc.char_span(word.start, following.end, MODEL, alignment_mode="expand")
                if span is not None:
                    spans.append(span)
        return spans

    def _introduced_words(
        self, doc: Doc, text: str, known: list[Span], inside_long_forms: set[int]
    ) -> list[Span]:
        """A plain capitalised word as the object of an introducing verb, unless it is a
        known name, part of a long form, or an ordinary word the text also writes in lower
        case ("we introduce Knowledge ..." beside "knowledge")."""
        spans = []
        for match in self.introduced_word.finditer(text):
            word = match.group(1)
            before = text[max(0, match.start(1) - 80) : match.start(1)]
            if not self.introducing_before.search(before) or (
                word in self.shape.not_names
                or word in self.shape.generic
                or self.shape.is_generic(word)
                or any(span.start_char <= match.start(1) < span.end_char for span in known)
                or match.start(1) in inside_long_forms
                or re.search(rf"\b{re.escape(word.lower())}\b", text)
            ):
                continue
            span = doc.char_span(match.start(1), match.end(1), MODEL)
            if span is not None:
                spans.append(span)
        return spans

    def _titled_phrases(self, doc: Doc, text: str, inside_long_forms: set[int]) -> list[Span]:
        """Runs of two to four capitalised words inside a sentence: "we leverage Gaussian
        Splatting", "using the Flexible Deformation Model". Plural runs ("Large Language
        Models") name a class, runs ending in a task or field word ("Deep Learning") a
        field; long forms of defined acronyms are left to the abbreviation pair, and a run
        that goes on into a name ("a Lean Hybrid U-Net") to that name. Such names carry
        the id `TITLED`: the relation rules ask more of them."""
        spans = []
        for match in CAPITALISED_RUN.finditer(text):
            run: list[Word] = []
            for part in re.finditer(r"\S+", match.group()):
                word = Word(match.start() + part.start(), match.start() + part.end(), part.group())
                if self._plain_capitalised(word.text):
                    run.append(word)
                    continue
                if len(run) >= 2:
                    spans.extend(self._titled_run(doc, text, run, inside_long_forms))
                run = []
            if len(run) >= 2:
                spans.extend(self._titled_run(doc, text, run, inside_long_forms))
        return spans

    def _spells_out_a_name(self, text: str, start: int) -> bool:
        """ "SAMASK-CLTR (Spatial-Aware Mask Prompting with Convolutional Transformer
        Architecture)": a run inside the parenthesis after a name is part of its long form."""
        opening = text.rfind("(", max(0, start - 80), start)
        if opening < 0 or ")" in text[opening:start]:
            return False
        before = text[:opening].rstrip().rsplit(maxsplit=1)
        return bool(before) and self.shape.is_name(self.shape.core(before[-1].strip(TRAILING)))

    def _plain_capitalised(self, word: str) -> bool:
        """A capitalised word that is not itself shaped like a name ("Hybrid", not
        "RenoFormer"), or "3D" before one."""
        return (
            (word[:1].isupper() or word[:1].isdigit())
            and bool(TITLE_WORD.fullmatch(word))
            and not self.shape.is_name(self.shape.core(word))
        )

    def _titled_run(
        self, doc: Doc, text: str, run: list[Word], inside_long_forms: set[int]
    ) -> list[Span]:
        if run and self._name_start(text, run[0].start, run[-1].end) != run[0].start:
            run = run[1:]
        while run and run[0].text in self.shape.not_names:
            run = run[1:]
        words_in = [w.text for w in run]
        following = text[run[-1].end : run[-1].end + 40].split(maxsplit=1) if run else []
        if (
            not 2 <= len(words_in) <= 4
            or any(w.start in inside_long_forms for w in run)
            or (following and self.shape.is_name(self.shape.core(following[0].strip(TRAILING))))
            or self._spells_out_a_name(text, run[0].start)
            or (words_in[-1].endswith("s") and not words_in[-1].endswith("ss"))
            or words_in[-1].lower() in self.shape.task_heads
            or all(w in self.shape.generic for w in words_in)
        ):
            return []
        start, end = run[0].start, run[-1].end
        entity_type = self.shape.type_of(text[start:end], text[end:], text[:start])
        span = doc.char_span(start, end, entity_type, alignment_mode="expand", span_id=TITLED)
        return [] if span is None else [span]

    def _dataset_phrases(
        self,
        doc: Doc,
        text: str,
        found: list[Span],
        terms: set[str],
        inside_long_forms: set[int],
    ) -> list[Span]:
        """Names of several words, or of one plain capitalised word, that a dataset head
        noun types: "the Visual Genome dataset", "datasets (Synapse, Left Atrial)". A long
        form is left to its abbreviation pair ("Staging Dataset (DDS)")."""
        first_dataset_word = find_dataset_word(text)
        if first_dataset_word is None:
            return []
        modality_offsets = {
            offset
            for span in found
            if span.label_ == MODALITY
            for offset in range(span.start_char, span.end_char)
        }
        spans = []
        # A name list before a head ends at the head and holds no character that
        # `NOT_IN_NAME_LIST` finds: none starts before the last such character ahead of
        # the first dataset word.
        barriers = [m.end() for m in NOT_IN_NAME_LIST.finditer(text, 0, first_dataset_word)]
        before_start = barriers[-1] if barriers else 0
        for matches in (
            NAMES_BEFORE_DATASET_HEAD.finditer(text, before_start),
            NAMES_AFTER_DATASET_HEAD.finditer(text),
        ):
            for match in matches:
                listed = match.group(1)
                groups = list(re.finditer(NAME_GROUP, listed))
                for index, group in enumerate(groups):
                    start, end = match.start(1) + group.start(), match.start(1) + group.end()
                    start = self._name_start(text, start, end)
                    name = text[start:end]
                    if not name or name.casefold() in terms:  # "three MPG datasets": a task's
                        continue
                    if (
                        " " not in name
                        and ARTICLE_BEFORE.search(text, 0, start)
                        and not self.shape.is_name(self.shape.core(name))
                    ):
                        continue  # "a Projected dataset": an adjective
                    if index == len(groups) - 1 and match.re.groups > 1 and match.group(2):
                        end = match.end(2)  # "the MICCAI 2023 challenge": named with its head
                    if (
                        start in modality_offsets
                        or start in inside_long_forms
                        or all(w in self.shape.generic for w in name.split())
                        or name.split()[0] in self.shape.not_names
                    ):
                        continue
                    # "the 3DMatch/3DLoMatch datasets": two datasets
                    parts = [(0, name)] if " " in name else self._slashed_names(name)
                    if len(parts) > 1:
                        pieces = [(start + o, start + o + len(part)) for o, part in parts]
                    else:
                        pieces = [(start, end)]
                    for piece_start, piece_end in pieces:
                        span = doc.char_span(
                            piece_start, piece_end, DATASET, alignment_mode="expand"
                        )
                        if span is not None:
                            spans.append(span)
        return spans

    def _name_start(self, text: str, start: int, end: int) -> int:
        """Where a run of capitalised words starts to be a name.

        A first word that opens a sentence or an item ("1) Comprehensive datasets") is
        capitalised for that reason alone: it is dropped unless shaped like a name. An
        acronym after three or more plain words is the name of which they are the long
        form ("Medical Codemixed Question Summarization MMCQS dataset").
        """
        words_in = text[start:end].split(" ")
        if len(words_in) >= 3 and ACRONYM.fullmatch(words_in[-1]):
            return end - len(words_in[-1])
        before = text[:start].rstrip()
        if before and not before.endswith((".", "!", "?", ":", ";", ")")):
            return start
        if self.shape.is_name(self.shape.core(words_in[0])):
            return start
        return start + len(words_in[0]) + 1 if len(words_in) > 1 else end

    @staticmethod
    def _capitals_datasets(text: str) -> list[re.Match]:
        """Each mention of a name in capitals that an appositive calls a dataset
        ("DALLE STREET a large-scale dataset ... on DALLE STREET and other benchmarks")."""
        runs = {
            run.group()
            for appositive in DATASET_APPOSITIVE.finditer(text)
            if (
                run := CAPITALS_RUN.search(
                    text, max(0, appositive.start() + 1 - CAPITALS_REACH), appositive.start() + 1
                )
            )
        }
        return [
            mention
            for run in sorted(runs)
            for mention in re.finditer(rf"\b{re.escape(run)}\b", text)
        ]

    @staticmethod
    def _with_years(doc: Doc, text: str, found: list[Span]) -> list[Span]:
        """A dataset name followed by a year is that year's edition: "BraTS 2020"."""
        spans = []
        for span in found:
            if span.label_ != DATASET:
                continue
            year = YEAR_AFTER.match(text, span.end_char)
            if year is not None:
                longer = doc.char_span(span.start_char, year.end(), DATASET)
                if longer is not None:
                    spans.append(longer)
        return spans

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

    def _stands_alone(self, text: str, start: int, end: int) -> bool:
        """A vocabulary match counts only as a whole word, or with a modifier ("CLIP-based"),
        or as a name a slash joins to another ("ResNet/DenseNet")."""
        if "/" in (text[start - 1 : start], text[end : end + 1]) and any(
            (word.start + offset, word.start + offset + len(part)) == (start, end)
            for word in chunk_words(text, start)
            for offset, part in self._slashed_names(word.text)
        ):
            return True
        if all(word.start != start for word in chunk_words(text, start)):
            return False
        if any(word.end == end for word in chunk_words(text, end - 1)):
            return True
        rest = text[end:].split(maxsplit=1)[0] if text[end:].strip() else ""
        rest = rest.rstrip(TRAILING)
        return any(
            rest == suffix or rest.startswith(suffix) for suffix in self.shape.modifier_suffixes
        )

    def _defined_terms(self, doc: Doc, text: str) -> DefinedTerms:
        """Acronyms the text defines as a task or field rather than an artifact, and
        those it defines as its own artifact (even when spelt like a generic term).

        "Interactive Medical Image Segmentation (IMIS)" names a task, "vision-language
        models (VLMs)" a class of models, "structural MRI (sMRI)" a modality. An acronym
        followed by a model head noun ("approach", ", a novel framework") names an
        artifact whatever its long form, and so does a lower-case long form ending in a
        model or component noun after "we propose" or "a novel" ("a novel tool motion
        model (TMM)").
        """
        terms, artifacts = set(), set()
        pairs = doc._.kg_abbreviations or ()
        modality_spans = (
            [span for span in doc.spans[VOCAB_KEY] if span.label_ == MODALITY] if pairs else []
        )
        for pair in pairs:
            long_words = pair.long.text.split()
            last = long_words[-1].lower() if long_words else ""
            head_after = self.shape.head_after(text[pair.short.end_char : pair.short.end_char + 80])
            if head_after in self.shape.model_heads:
                artifacts.add(pair.short.text)
                continue
            if self.task_after.match(text, pair.short.end_char):
                terms.add(pair.short.text.casefold())  # "the ... (SAP) task": a task
                continue
            lower_case = self._lower_case(text, pair.long.start_char, pair.long.text)
            if head_after is not None and not lower_case:
                continue  # "... Summarization (MMQS) dataset": the dataset's own name
            modalities = [
                span
                for span in modality_spans
                if pair.long.start_char <= span.start_char < pair.long.end_char
            ]
            if modalities and (
                len(long_words) <= 3 or modalities[-1].end_char == pair.long.end_char
            ):
                terms.add(pair.short.text.casefold())  # "structural MRI (sMRI)": a modality
                continue
            acronym = pair.short.text.rstrip("s")
            if (
                last in self.owned_class_heads
                and not lower_case
                and self._owned(text, pair.long.start_char)
            ):
                artifacts.add(pair.short.text)  # "we propose a ... Aware Transformer (TAT)"
                continue
            if last in self.shape.task_heads and acronym.isupper():
                terms.add(pair.short.text.casefold())  # later "FSS benchmarks" are the task's
                terms.add(acronym.casefold())  # "... models (SDSMMs)", later "an SDSMM"
                continue
            head = HEAD_BEFORE_PREPOSITION.match(pair.long.text)
            if (
                head
                and head.group(1).lower() in self.shape.task_heads
                and last not in self.shape.model_heads
                # "we propose Continual Federated Learning with Distillation (CFeD)", "a scheme
                # we call Learning to Detect Every Thing (LDET)": a method
                and not self._owned(text, min(pair.long.start_char, pair.short.start_char))
                and not NAMING_BEFORE.search(
                    text, 0, min(pair.long.start_char, pair.short.start_char)
                )
            ):
                terms.add(pair.short.text.casefold())  # "Learning from Demonstration (LfD)"
                terms.add(acronym.casefold())
                continue
            owned = self._owned(text, pair.long.start_char)
            if lower_case and not (
                owned and (last in self.shape.model_heads or last in self.component_heads)
            ):
                terms.add(pair.short.text.casefold())  # later spelt MVLMS as often as MVLMs
                terms.add(acronym.casefold())  # "IAEs" defined, "IAE labels" later
            elif owned:
                artifacts.add(pair.short.text)
            elif (
                last.endswith("s")
                and not last.endswith(("ss", "us", "is"))
                and acronym == pair.short.text
            ):
                terms.add(pair.short.text.casefold())  # "Automatic Post-Editors (APE)": a role
        return DefinedTerms(frozenset(terms), frozenset(artifacts))

    def _owned(self, text: str, long_start: int) -> re.Match | None:
        """The introducing words before an acronym's long form ("we propose a novel"), if
        they introduce it."""
        owned = self.owned_context.search(text[max(0, long_start - 60) : long_start])
        if owned and (
            self.intro_stops.search(owned.group()) or PURPOSE_BEFORE.search(owned.group())
        ):
            # "we propose a method based on a ... algorithm (X)", "we present a method for
            # training ... models (Xs)": not X
            return None
        return owned

    @staticmethod
    def _lower_case(text: str, start: int, long_form: str) -> bool:
        """A long form in lower case, but for the capital that opens its sentence."""
        if long_form.islower():
            return True
        opens_sentence = not text[:start].strip() or text[:start].rstrip().endswith(".")
        return opens_sentence and long_form[1:].islower()


@Language.factory("kg_names", requires=["doc.spans"])
def make_name_finder(nlp: Language, name: str) -> NameFinder:
    return NameFinder(default_vocabulary())
