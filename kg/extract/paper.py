"""From the links found in a paper's title and abstract to its `PaperExtraction`.

Here the paper is seen whole: one entity per thing it names (long and short forms
merged), the title's leading name as what it introduces, derived names ("CC-SAM"
builds on SAM) where no sentence says what the paper builds on, the narrower
modality winning over the broader one, and a readable label.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import lru_cache

from spacy.tokens import Doc, Span

from kg.extract.abbreviations import find_long_form
from kg.extract.names import APPOSITIVE_MODEL, BENCH_ENDINGS, TITLED, NameShape
from kg.extract.names import SPAN_KEY as NAMES_KEY
from kg.extract.relations import Link, spelled_from
from kg.extract.text import doc_text, sentence_text, span_text
from kg.extract.urls import find_urls
from kg.extract.vocabulary import Vocabulary, cue_pattern
from kg.extract.vocabulary import name_key as spelling_key
from kg.records import (
    BUILDS_ON,
    COMPARES_WITH,
    DATASET,
    EVALUATES_ON,
    INTRODUCES,
    MODALITY,
    MODEL,
    TRAINED_ON,
    USES_MODALITY,
    Evidence,
    Mention,
    Paper,
    PaperExtraction,
    Relation,
)

TITLE_NAME_SEPARATORS = re.compile(r":|\s[-–—]{1,2}\s")
TITLE_DATASET_WORDS = re.compile(
    r"\b(?:dataset|benchmark|database|corpus|data\s?set)s?\b", re.IGNORECASE
)
LABEL_WORDS = 8
# "a new dataset named RefPath", "a benchmark called Pathology Visual Grounding (PathVG)",
# "a new dataset, Functional Map of the World (fMoW)": what the naming phrase or the
# appositive names is a dataset (an appositive only right after the comma: "the dataset,
# ESConv, confirm that the proposed GLHG" names no dataset GLHG).
DATASET_NOUN = r"\b(?i:datasets?|benchmarks?|corpus|corpora|database|collection|suite|testbed)"
NAMED_DATASET = re.compile(
    DATASET_NOUN
    + r"\s+(?i:called|named|termed|dubbed|coined|denoted as|referred to as|namely)"
    + r"\s+(?:\S+\s+){0,6}\(?$"
)
# A group noun alone is no dataset's: "one of the models in our suite, DynaMo-7.3B-T3".
APPOSITIVE_DATASET = re.compile(r"\b(?i:datasets?|benchmarks?|corpus|corpora|database)\s*,\s*$")
TITLE_ARTICLES = {"The", "A", "An"}
# "The recent introduction of Disguised Face Identification (DFI) framework": others' work.
OTHERS_WORK_BEFORE = re.compile(
    r"\b(?i:recent|previous|prior|earlier|existing|conventional)\s+(?:[a-z-]+\s+){0,2}$"
)
OTHERS_REACH = 40
DEFINED_HEAD = re.compile(r"([^()]+?)\s*\(([^()\s]{2,10})\)")
# A title head the abstract writes in lower case is still a name when it defines a short
# form for it ("task-driven dynamic fusion (TDDF)") or quotes it ("we propose "deep 360 pilot"").
NAMED_USE = re.compile(r"\s*\(")
QUOTE_BEFORE = re.compile(r"[\"“‘'`]$")
# "(FGE) module": the noun after a defined short form.
COMPONENT_AFTER = re.compile(r"\)?\s+([a-z]+)\b")
# "nerf2nerf", "word2vec": a lower-case title name with a digit inside.
LETTERS_AROUND_DIGIT = re.compile(r"[a-z]\d+[a-z]")
MODEL_RELATIONS = (BUILDS_ON, COMPARES_WITH)
DATASET_RELATIONS = (EVALUATES_ON, TRAINED_ON)
DATASET_NAME_PARTS = re.compile(r"[\s_/-]+")
BENCHMARK_TITLE = re.compile(r":.*\bbenchmarks?\b", re.IGNORECASE)
# "Pretraining on MedTrinity-25M": said of the dataset itself, no model of the paper's needed.
TRAINED_ON_NAME = re.compile(
    r"\b(?:pre-?)?train(?:ed|ing)?\s+(?:on|with)\s+(?:the\s+)?$", re.IGNORECASE
)
# A training word used as a verb: its object's preposition after it, or an auxiliary,
# "to" or the authors before it; or as the purpose of the data ("for training").
VERB_AFTER = re.compile(r"\s+(?i:on|upon|with|using|from)\b")
VERB_BEFORE = re.compile(
    r"\b(?i:we|to|is|are|was|were|be|been|being|and|for|into)\s+(?:[a-z]+ly\s+)?$"
)
# "a benchmark called PathVG, which aims to detect regions based on expressions": a cue that
# ends in a preposition speaks of the dataset only when the dataset is its object.
PREPOSITION_CUE_END = (" on", " upon")
OBJECT_WORDS = 4
PLURAL_ACRONYM = re.compile(r"[A-Z]s$")  # "CNNs", "miRNAs": a class of things
# "echocardiography videos", "ultrasound video clips", "(...) echocardiography video
# (A4C-CDV)": imaging recorded as video; "the fMRI video rating task" rates videos.
VIDEO_AFTER = re.compile(
    r"\s+(?i:videos|video\s+(?:clips|sequences|frames|data)|video(?=\s*[.,;:()])|clips"
    r"|cine loops?)\b"
)
VERSION = re.compile(r"[vV]?\d+(?:\.\d+)*")
TO_BEFORE = re.compile(r"\b(?i:to)\s+$")  # "to train", but "compared to instruction-tuned"
# The subject of a winning verb opens its clause: "we show that DyLAN outperforms";
# "a pre-trained VoteNet outperforms", "SEN PN outperforms the regular PN" name a variant.
WINNER_BEFORE = re.compile(
    r"(?:^|[.;:,]|\b(?i:that|and|with|while|whereas|the|our|thus|hence))\s*$"
)
THIS_DATASET = re.compile(
    r"\b(?:this|our|the proposed)\s+(?:[\w-]+\s+){0,2}(?:dataset|corpus|data)\b", re.IGNORECASE
)


@lru_cache(maxsize=1 << 16)  # every name is keyed many times per paper, and recurs across papers
def name_key(name: str) -> str:
    """The vocabulary's spelling key, also blind to a superscript marker ("T^2GS", "T2GS")."""
    return spelling_key(name.replace("^", ""))


def is_name_part(form: str, name: str) -> bool:
    """Whether `form` stands in `name` as one of its parts: at the name's ends, at a hyphen
    or a digit, or at a change from lower to upper case ("Med|SAM", "CC-|SAM", "SAM|2",
    "LH|U-Net"). "DSOD" holds no DSO, "SubUNets" no UNet, "Holo-Dex" no HOLO."""
    start = name.find(form)
    while start >= 0:
        end = start + len(form)
        before = name[start - 1] if start else ""
        after = name[end] if end < len(name) else ""
        starts = (
            not before
            or not before.isalnum()
            or (before.islower() and form[0].isupper())
            # a suffix after two letters or more: "LHU-Net", "PLBART"; "CRAFT" holds no RAFT,
            # "PSENet" no SENet
            or (end == len(name) and len(form) >= 3 and start >= 2)
        )
        ends = (
            not after
            or not after.isalnum()
            or after.isdigit()
            or (after.isupper() and name[end + 1 : end + 2].islower())
        )
        if starts and ends:
            return True
        start = name.find(form, start + 1)
    return False


def written_alone(form: str, text: str) -> bool:
    r"""Whether `text` writes `form` as a word of its own, not before a capitalised word:
    `re.search(rf"(?<![\w-]){re.escape(form)}(?![\w-]|\s+[A-Z])", text)`, without
    compiling a regex for each form (forms vary from paper to paper: `re`'s cache of
    compiled patterns seldom holds them)."""
    start = text.find(form)
    while start >= 0:
        end = start + len(form)
        after = end
        while after < len(text) and text[after].isspace():
            after += 1
        if (
            not (start and is_word_character(text[start - 1]))
            and not (end < len(text) and is_word_character(text[end]))
            and not (end < after < len(text) and "A" <= text[after] <= "Z")
        ):
            return True
        start = text.find(form, start + 1)
    return False


def is_word_character(character: str) -> bool:
    r"""A character of the regex class `[\w-]`."""
    return character.isalnum() or character in "_-"


def sentence_of(span: Span) -> Span:
    """The sentence holding `span`, from the list `kg_relations` keeps (`Span.sent` walks
    the whole doc on every call)."""
    sentences = span.doc._.kg_sentences
    return sentences[bisect_right(sentences, span.start, key=lambda s: s.start) - 1]


def title_evidence(title_doc: Doc, rule: str, confidence: float) -> Evidence:
    """Evidence quoting the title: offsets -1..-1 say the sentence is not in the abstract."""
    return Evidence(doc_text(title_doc), -1, -1, rule, confidence)


def sentence_evidence(sentence: Span, rule: str, confidence: float) -> Evidence:
    """Evidence quoting a sentence without the whitespace around it, offsets to match."""
    text = sentence_text(sentence)
    start = sentence.start_char + len(text) - len(text.lstrip())
    stripped = text.strip()
    return Evidence(stripped, start, start + len(stripped), rule, confidence)


@dataclass
class Entity:
    """One thing the paper names, gathered over all its mentions."""

    type_votes: Counter = field(default_factory=Counter)
    forms: Counter = field(default_factory=Counter)
    concept: str | None = None
    label: str | None = None  # the vocabulary's preferred label, when known

    @property
    def type(self) -> str:
        votes = self.type_votes
        if votes[MODALITY]:
            return MODALITY
        # a tie between the two goes to Dataset: its cues are the more specific
        return DATASET if votes[DATASET] and votes[DATASET] >= votes[MODEL] else MODEL

    @property
    def name(self) -> str:
        if self.label is not None:
            return self.label
        # The shortest form used is the canonical name (SAM, not Segment Anything Model).
        return min(self.forms, key=lambda f: (len(f), -self.forms[f], f))

    def mention(self) -> Mention:
        name = self.name
        key = name_key(name)
        aliases = tuple(sorted({f for f in self.forms if name_key(f) != key}))
        return Mention(name=name, type=self.type, aliases=aliases, concept=self.concept)


class PaperAssembler:
    def __init__(self, vocabulary: Vocabulary):
        self.vocabulary = vocabulary
        self.shape = NameShape(vocabulary)
        self.component_heads = set(vocabulary.cues["names"]["component_heads"])
        labels = {c.label: c.iri for c in vocabulary.of_type(MODALITY)}
        video_imaging = vocabulary.cues["modalities"]["video_imaging"]
        self.video_imaging = {labels[name] for name in video_imaging}
        self.medical_video = labels["medical video"]
        devices = "|".join(re.escape(w) for w in vocabulary.cues["names"]["device_heads"])
        self.device_after = re.compile(rf"\)?\s+(?:{devices})\b", re.IGNORECASE)
        # "the humanoid robot HOAP-3"; "the dual-arm CDS-CMS controller" is no arm
        self.device_before = re.compile(rf"(?<![-\w])(?:{devices})\s+$", re.IGNORECASE)
        # "SpiderBot: A cable suspended mobile robot": a title whose subtitle is headed by
        # a device noun, past an article and a few modifiers (no verb in "-ing", no
        # preposition: "Training Robots Without Robots", "Control of a Quadrotor" are
        # methods); "platform" heads software as often ("A Platform for Annotating ...").
        hardware = "|".join(
            re.escape(w)
            for w in vocabulary.cues["names"]["device_heads"]
            if w not in ("platform", "platforms", "hardware")
        )
        self.device_title = re.compile(
            r"^[^:]{2,60}:\s*(?:(?:a|an|the)\s+)?(?!\w+ing\s)"
            r"(?:(?!(?:of|for|with|to|using|in|on|by|from|without|and|via|towards)\s)[\w-]+\s+){0,4}"
            rf"(?:{hardware})(?:\s+(?:for|with|to|that|which|inspired|using|towards|in|on|of"
            r"|based|capable|designed)\b|\s*[,.;(]|\s*$)",
            re.IGNORECASE,
        )
        own = vocabulary.cues["own_datasets"]
        self.own_data_training = cue_pattern(own["training"])
        self.own_data_use = cue_pattern(own["use"])
        self.own_data_evaluation = cue_pattern(own["evaluation"])
        self.not_evaluation = cue_pattern(own["not_evaluation"])
        self.release = cue_pattern(own["release"])
        self.study_title = cue_pattern(vocabulary.cues["titles"]["study"])
        self.title_phrase_words = set(vocabulary.cues["titles"]["phrase_words"])
        self.title_name_after = set(vocabulary.cues["titles"]["name_after"])
        self.title_name_before = set(vocabulary.cues["titles"]["name_before"])
        # The name right before a winning verb, past one adverb ("X consistently outperforms").
        self.winning = re.compile(
            r"\)?\s+(?:[a-z]+ly\s+)?(?:"
            + cue_pattern(vocabulary.cues["compares_with"]["winning"]).pattern
            + ")",
            re.IGNORECASE,
        )
        self.model_labels = sorted(
            {
                (form, c.iri)
                for c in vocabulary.of_type(MODEL)
                for form in (c.label, *c.aliases)
                if len(form) >= 3 and any(ch.isupper() for ch in form)
            }
        )

    def assemble(self, paper: Paper, title_doc: Doc | None, abstract_doc: Doc) -> PaperExtraction:
        entities: dict[str, Entity] = {}
        keys: dict[str, str] = {}  # name_key of a form -> entity key
        self._gather(abstract_doc, entities, keys)
        if title_doc is not None:
            self._gather(title_doc, entities, keys)
        found: dict[tuple[str, str], tuple[float, Evidence]] = {}

        def add(relation: str, key: str, evidence: Evidence) -> None:
            current = found.get((relation, key))
            if current is None or evidence.confidence > current[0]:
                found[(relation, key)] = (evidence.confidence, evidence)

        for link in abstract_doc._.kg_links:
            add(link.relation, keys[name_key(link.name.text)], self._evidence(link))
            if link.relation == INTRODUCES and (
                NAMED_DATASET.search(
                    doc_text(abstract_doc), link.sentence.start_char, link.name.start_char
                )
                or APPOSITIVE_DATASET.search(
                    doc_text(abstract_doc), link.sentence.start_char, spelled_from(link.name)
                )
            ):
                entities[keys[name_key(link.name.text)]].type_votes[DATASET] += 2
            elif (
                link.relation == INTRODUCES
                and APPOSITIVE_MODEL.match(doc_text(abstract_doc), link.name.end_char)
                and not link.name.text.lower().endswith(BENCH_ENDINGS)
            ):  # "we introduce MedIQA, the first comprehensive foundation model"
                entities[keys[name_key(link.name.text)]].type_votes[MODEL] += 2
        title_names = []
        if title_doc is not None:
            title_names = self._title_names(title_doc, doc_text(abstract_doc), entities, keys)
            for key in title_names:
                add(INTRODUCES, key, title_evidence(title_doc, "introduces:title-name", 0.9))
            for link in title_doc._.kg_links:
                if link.relation == USES_MODALITY:
                    add(
                        USES_MODALITY,
                        keys[name_key(link.name.text)],
                        title_evidence(title_doc, "modality:title", 0.8),
                    )
        self._add_components(abstract_doc, found, entities, keys)
        if title_doc is not None:
            self._title_subjects(title_doc, found, entities, keys)
        self._add_family_members(found, entities)
        self._drop_owned_parts(found, entities)
        devices = self._devices(abstract_doc, keys)
        if title_doc is not None and self.device_title.match(doc_text(title_doc)):
            # "Switchblade: An agile treaded rover"
            devices.update(key for key in title_names if not entities[key].concept)
        for key in devices:
            for relation in (INTRODUCES, *MODEL_RELATIONS, *DATASET_RELATIONS):
                found.pop((relation, key), None)
        self._drop_self_links(found)
        self._drop_winners(found, abstract_doc, keys)
        self._drop_mistyped(found, entities)
        self._own_datasets_use(found, entities, abstract_doc, keys, title_doc)
        texts = doc_text(abstract_doc) + "\n" + (doc_text(title_doc) if title_doc else "")
        self._add_derived_bases(found, entities, paper.year, texts, devices)
        self._dataset_modalities(found, entities)
        self._video_modalities(found, entities, abstract_doc, title_doc)
        self._narrowest_modalities(found, entities)
        relations = [
            Relation(relation, entities[key].mention(), evidence)
            for (relation, key), (_, evidence) in sorted(found.items())
        ]
        introduced = [r.target.name for r in relations if r.relation == INTRODUCES]
        return PaperExtraction(
            paper_id=paper.id,
            label=paper.title or self._label(introduced, paper.abstract),
            relations=tuple(relations),
            code_urls=tuple(find_urls(paper.abstract)),
        )

    def _gather(self, doc: Doc, entities: dict[str, Entity], keys: dict[str, str]) -> None:
        """One entity per concept or spelling; abbreviation pairs join two spellings."""
        for span in doc.spans[NAMES_KEY]:
            text = span_text(span)
            key = span.kb_id_ or keys.get(name_key(text)) or name_key(text)
            entity = entities.setdefault(key, Entity())
            entity.type_votes[span.label_] += 1
            if span.kb_id_:
                concept = self.vocabulary.concepts[span.kb_id_]
                entity.concept, entity.label = concept.iri, concept.label
                # Hidden labels (plurals, "reports") are matched, never shown as names.
                shown = {name_key(f): f for f in (concept.label, *concept.aliases)}
                entity.forms[shown.get(name_key(text), concept.label)] += 1
            else:
                entity.forms[text] += 1
            keys.setdefault(name_key(text), key)
        for pair in doc._.kg_abbreviations or ():
            short_key = keys.get(name_key(pair.short.text))
            if short_key is None:
                continue
            long_key = keys.get(name_key(pair.long.text))
            if long_key is None:
                entities[short_key].forms[pair.long.text] += 0
                keys[name_key(pair.long.text)] = short_key
            elif long_key != short_key and not entities[long_key].concept:
                merged = entities.pop(long_key)
                entities[short_key].forms.update(merged.forms)
                entities[short_key].type_votes.update(merged.type_votes)
                for form_key, target in list(keys.items()):
                    if target == long_key:
                        keys[form_key] = short_key

    def _title_names(
        self, title_doc: Doc, abstract: str, entities: dict[str, Entity], keys: dict[str, str]
    ) -> list[str]:
        """Names before a title's colon ("MedSAMix: A ..."), or a title that is one name.

        A title head of several words is a name only when shaped like one ("U-Net
        Transplant") or used as one in the abstract; "More Knowledge, Less Bias" and
        "Off the Radar" are slogans.
        """
        text = doc_text(title_doc)
        split = TITLE_NAME_SEPARATORS.search(text)
        head, subtitle = (text[: split.start()], text[split.end() :]) if split else (text, "")
        # "Intelligent Virtual Sonographer (IVS): ...": the head spells out its short form.
        defined = DEFINED_HEAD.fullmatch(head.strip())
        if (
            defined
            and find_long_form(defined.group(2), defined.group(1)) == 0
            # "Entity-Level Sentiment Analysis (ELSA): ..." names a task
            and defined.group(1).split()[-1].lower() not in self.shape.task_heads
        ):
            head = defined.group(2)
        parts = [p.strip() for p in re.split(r"\s(?:&|and)\s|,", head) if p.strip()]
        if not parts or any(len(p.split()) > 3 for p in parts):
            return []
        if not split and not (
            len(parts) == 1 and " " not in parts[0] and self.shape.is_name(parts[0])
        ):
            return []
        found = []
        for part in parts:
            # One title name may be a plain capitalised word ("Merlin: ..."); in a list
            # ("Align, Reason and Learn: ...") each must be shaped like a name.
            plain_word_allowed = (
                len(parts) == 1
                and " " not in part
                and (part[:1].isupper() or bool(LETTERS_AROUND_DIGIT.search(part)))
            )
            if not (self.shape.is_name(part) or plain_word_allowed) or part in self.shape.generic:
                continue
            if (
                " " in part
                and self.title_phrase_words.intersection(part.split())
                and part not in abstract
            ):
                part = self._name_in_phrase(part)
                if not part:
                    continue  # "Learning in RKHM: ...", "Design by Robot: ...": no name
            if " " in part and (
                part.split(" ", 1)[0] in TITLE_ARTICLES
                or not self._names_in_title(title_doc, part, abstract)
            ):
                continue  # "The intelligent ASIMO: ..." describes ASIMO
            key = keys.get(name_key(part)) or name_key(part)
            entity = entities.setdefault(key, Entity())
            entity.forms[part] += 1
            keys.setdefault(name_key(part), key)
            by_shape = self.shape.type_of(part)
            if by_shape == DATASET or (
                len(parts) == 1 and TITLE_DATASET_WORDS.search(" ".join(subtitle.split()[:8]))
            ):
                entity.type_votes[DATASET] += 2
            else:
                entity.type_votes[MODEL] += 1
            found.append(key)
        return found

    def _name_in_phrase(self, phrase: str) -> str:
        """The new name in a title head that is a phrase the abstract never repeats, or
        "": the name it opens ("ILDC for CJPE", "CogniVal in Action"), else the name it
        ends with ("Design of STARQ", "Taking a HINT", "Planning with SiMBA")."""
        words = phrase.split()
        if words[1] in self.title_name_before and self._new_name(words[0]):
            return words[0]
        if words[-2] in self.title_name_after and self._new_name(words[-1]):
            return words[-1]
        return ""

    def _new_name(self, word: str) -> bool:
        """Shaped like a name and not a known one: a title phrase around a known model
        ("Touching a NeRF", "Life after BERT") is about it, and introduces nothing."""
        word = self.shape.core(word)
        return self.shape.is_name(word) and spelling_key(word) not in self.vocabulary.concept_keys

    def _names_in_title(self, title_doc: Doc, part: str, abstract: str) -> bool:
        """Whether a title head of several words is a name: the abstract uses it, or one
        of its words is shaped like a name or is a known model (not a modality)."""
        if part in abstract or any(
            NAMED_USE.match(abstract, found.end())
            or QUOTE_BEFORE.search(abstract, 0, found.start())
            for found in re.finditer(re.escape(part), abstract, re.IGNORECASE)
        ):
            return True  # "Lipschitz bandits" in the text is a common noun
        start = doc_text(title_doc).find(part)
        known = [
            span
            for span in title_doc.spans[NAMES_KEY]
            if start <= span.start_char < start + len(part) and span.id_ != TITLED
        ]
        if any(span.label_ != MODALITY for span in known):
            return True
        covered = {offset for span in known for offset in range(span.start_char, span.end_char)}
        position = start
        for word in part.split(" "):
            offset = doc_text(title_doc).find(word, position)
            position = offset + len(word)
            if offset not in covered and self.shape.is_name(self.shape.core(word)):
                return True
        return False

    def _add_components(
        self, doc: Doc, found: dict, entities: dict[str, Entity], keys: dict[str, str]
    ) -> None:
        """Parts of the paper's model that the abstract defines ("Query-Decoupled Modality
        Decoder (QDMD)", "the frequency guided enhancement (FGE) module") are introduced
        with it, unless the paper compares with them."""
        if not any(
            relation == INTRODUCES and entities[key].type == MODEL for relation, key in found
        ):
            return
        for pair in doc._.kg_abbreviations or ():
            key = keys.get(name_key(pair.short.text))
            long_words = pair.long.text.lower().split()
            if (
                key is None
                or entities[key].concept
                or entities[key].type != MODEL
                or (COMPARES_WITH, key) in found
                or not long_words
                or not (
                    long_words[-1] in self.component_heads
                    or self._noun_after(doc, pair.short.end_char) in self.component_heads
                )
                or OTHERS_WORK_BEFORE.search(
                    doc_text(doc), max(0, pair.long.start_char - OTHERS_REACH), pair.long.start_char
                )
            ):
                continue
            evidence = sentence_evidence(sentence_of(pair.short), "introduces:component", 0.6)
            found.setdefault((INTRODUCES, key), (0.6, evidence))

    @staticmethod
    def _noun_after(doc: Doc, offset: int) -> str:
        """The lower-case word right after a short form ("(FGE) module"), if any."""
        following = COMPONENT_AFTER.match(doc_text(doc), offset)
        return following.group(1) if following else ""

    def _title_subjects(
        self, title_doc: Doc, found: dict, entities: dict[str, Entity], keys: dict[str, str]
    ) -> None:
        """ "A Comprehensive Study of GPT-4V's ...": a paper that introduces no model of its
        own and whose title studies a known model compares with it (it is the subject)."""
        introduces_model = any(
            relation == INTRODUCES and entities[key].type == MODEL for relation, key in found
        )
        if introduces_model or not self.study_title.search(doc_text(title_doc)):
            return
        for span in title_doc.spans[NAMES_KEY]:
            if span.label_ == MODEL and span.kb_id_:
                evidence = title_evidence(title_doc, "comparesWith:title-subject", 0.6)
                found.setdefault((COMPARES_WITH, keys[name_key(span.text)]), (0.6, evidence))

    @staticmethod
    def _add_family_members(found: dict, entities: dict[str, Entity]) -> None:
        """Models named after one the paper introduces ("MEAL" -> "MEAL-BD") are its own too."""
        introduced = {
            key: found[(INTRODUCES, key)][1]
            for relation, key in list(found)
            if relation == INTRODUCES
        }
        names = {key: entities[key].mention() for key in introduced}
        for key, entity in entities.items():
            if key in introduced or entity.concept:
                continue
            mention = entity.mention()
            for family_key, family in names.items():
                if mention.type == MODEL and mention.name.startswith(family.name + "-"):
                    evidence = introduced[family_key]
                    found[(INTRODUCES, key)] = (
                        0.7,
                        Evidence(
                            evidence.sentence,
                            evidence.start,
                            evidence.end,
                            "introduces:family-member",
                            0.7,
                        ),
                    )
                    break

    @staticmethod
    def _drop_owned_parts(found: dict, entities: dict[str, Entity]) -> None:
        """ "The proposed sub-center ArcFace": an owning word before a name that ends a
        longer name of several words the paper introduces ("Sub-center ArcFace") owns the
        longer one; the name it ends is what the new one modifies, not new itself ("the
        proposed MFI module" of KPN-MFI is new: a joined name holds its own parts)."""
        introduced = [key for relation, key in found if relation == INTRODUCES]
        names = {key: entities[key].name for key in introduced}
        for key in introduced:
            if not found[(INTRODUCES, key)][1].rule.startswith("introduces:owned:"):
                continue
            name = names[key]
            if any(other != key and longer.endswith(f" {name}") for other, longer in names.items()):
                del found[(INTRODUCES, key)]

    def _devices(self, doc: Doc, keys: dict[str, str]) -> set[str]:
        """ "our UR5 platform", "the bipedal robot AMBER 3": new names the abstract writes
        next to a noun of hardware anywhere are devices, whatever a sentence says of them."""
        text = doc_text(doc)
        return {
            keys[name_key(span.text)]
            for span in doc.spans[NAMES_KEY]
            if not span.kb_id_
            and span.label_ != MODALITY
            and (
                self.device_after.match(text, span.end_char)
                or self.device_before.search(text, max(0, span.start_char - 30), span.start_char)
            )
        }

    @staticmethod
    def _evidence(link: Link) -> Evidence:
        return sentence_evidence(link.sentence, link.rule, link.confidence)

    @staticmethod
    def _drop_self_links(found: dict) -> None:
        """What the paper introduces is its own: not a base, a baseline or training data."""
        introduced = {key for relation, key in found if relation == INTRODUCES}
        for relation, key in list(found):
            if key in introduced and relation in (BUILDS_ON, COMPARES_WITH):
                del found[(relation, key)]

    def _drop_winners(self, found: dict, doc: Doc, keys: dict[str, str]) -> None:
        """ "DyLAN outperforms strong baselines", "DISCLOSE outperforms existing methods": a
        name no vocabulary knows that opens the subject of a winning verb is the paper's own
        method, even where no sentence says it is new: not a base or a baseline."""
        text = doc_text(doc)
        for span in doc.spans[NAMES_KEY]:
            if span.kb_id_ or span.label_ != MODEL:
                continue
            if self.winning.match(text, span.end_char) and WINNER_BEFORE.search(
                text, max(0, span.start_char - 20), span.start_char
            ):
                key = keys[name_key(span.text)]
                for relation in MODEL_RELATIONS:
                    found.pop((relation, key), None)

    @staticmethod
    def _drop_mistyped(found: dict, entities: dict[str, Entity]) -> None:
        """A sentence may type a name one way and the paper another: the paper's vote wins."""
        for relation, key in list(found):
            entity_type = entities[key].type
            if (relation in MODEL_RELATIONS and entity_type != MODEL) or (
                relation in DATASET_RELATIONS and entity_type != DATASET
            ):
                del found[(relation, key)]

    def _own_datasets_use(
        self,
        found: dict,
        entities: dict[str, Entity],
        doc: Doc,
        keys: dict[str, str],
        title_doc: Doc | None,
    ) -> None:
        """A dataset the paper introduces is trained on when a sentence naming it speaks of
        training and the paper has a model of its own; evaluated on when one speaks of
        results, or when the title presents it as a benchmark ("X: A Unified Benchmark")."""
        introduced = {key for relation, key in found if relation == INTRODUCES}
        has_model = any(entities[key].type == MODEL for key in introduced)
        own_datasets = sorted(key for key in introduced if entities[key].type == DATASET)
        text = doc_text(doc)
        for key in own_datasets:
            for relation in DATASET_RELATIONS:
                found.pop((relation, key), None)
            sentences = [
                sentence_of(span)
                for span in doc.spans[NAMES_KEY]
                if keys.get(name_key(span.text)) == key
            ]
            if len(own_datasets) == 1:  # "this dataset" can only be that one
                sentences += [s for s in doc._.kg_sentences if THIS_DATASET.search(s.text)]
            for span in doc.spans[NAMES_KEY]:
                if keys.get(name_key(span.text)) == key and TRAINED_ON_NAME.search(
                    text[max(0, span.start_char - 40) : span.start_char]
                ):
                    sentence = sentence_of(span)
                    evidence = sentence_evidence(sentence, "trainedOn:own-dataset", 0.7)
                    found.setdefault((TRAINED_ON, key), (0.7, evidence))
            title = doc_text(title_doc) if title_doc is not None else ""
            if BENCHMARK_TITLE.search(title) and name_key(entities[key].name) in name_key(
                title.split(":")[0]
            ):
                evidence = title_evidence(title_doc, "evaluatesOn:benchmark-title", 0.6)
                found.setdefault((EVALUATES_ON, key), (0.6, evidence))
            for sentence in sentences:
                if self.release.search(sentence.text):
                    continue
                evaluated = self.own_data_evaluation.search(
                    self.not_evaluation.sub(" ", sentence.text)
                )
                trained = any(
                    self._verbal(sentence.text, cue)
                    and self._names_object(sentence.text, cue, entities[key])
                    for cue in self.own_data_training.finditer(sentence.text)
                ) or (self.own_data_use.search(sentence.text) and not evaluated)
                if trained:  # results in a sentence about training are the model's
                    if has_model:
                        evidence = sentence_evidence(sentence, "trainedOn:own-dataset", 0.6)
                        found.setdefault((TRAINED_ON, key), (0.6, evidence))
                elif evaluated:
                    evidence = sentence_evidence(sentence, "evaluatesOn:own-dataset", 0.6)
                    found.setdefault((EVALUATES_ON, key), (0.6, evidence))

    @staticmethod
    def _names_object(text: str, cue: re.Match, entity: Entity) -> bool:
        """Whether a training cue reaches the dataset: any cue but one that ends in a
        preposition, which needs the dataset (or "our/this ... data") as its object."""
        if not cue.group().lower().endswith(PREPOSITION_CUE_END):
            return True
        words = " ".join(text[cue.end() :].split()[:OBJECT_WORDS])
        return any(form in words for form in entity.forms) or bool(THIS_DATASET.search(words))

    @staticmethod
    def _verbal(text: str, cue: re.Match) -> bool:
        """Whether a training word is said of the data: a verb ("we train", "to train",
        "is fine-tuned", "trained on") or the purpose the data serves ("for training",
        "into training"), not a noun or an adjective of another noun ("the training data
        is annotated", "instruction-tuned LLMs")."""
        return (
            " " in cue.group()  # "building upon", "its training"
            or bool(VERB_AFTER.match(text, cue.end()))
            or bool(VERB_BEFORE.search(text, 0, cue.start()))
            and not (cue.group().endswith(("ed", "ing")) and TO_BEFORE.search(text, 0, cue.start()))
        )

    def _add_derived_bases(
        self,
        found: dict,
        entities: dict[str, Entity],
        year: int | None,
        texts: str,
        devices: set[str],
    ) -> None:
        """A new model named after a known one (CC-SAM, UniMed-CLIP) builds on it.

        Name resemblance is weaker evidence than a sentence: it adds nothing where a
        sentence already names a base of the same family (MedGemma and "Gemma 3"), nor
        from a paper older than the known model (SuPEr-SAM, 2021, is not built on SAM).
        A known model inside a known model counts too when both are in the name and
        the vocabulary says one derives from the other (MCP-MedSAM: MedSAM, SAM).
        A name the vocabulary does not know is a base only where the title or abstract
        writes it on its own, in the singular, not before another capitalised word:
        "ScarlETH" holds no "ETH" of "ETH Zurich", "RCareWorld" no "RCare" of the title
        "RCare World", "pre-miRNAs" no model "miRNAs". A device is no base ("Human2LocoMan"
        and "the LocoMan robot").
        """
        introduced = {key for relation, key in found if relation == INTRODUCES}
        stated = {key for relation, key in found if relation == BUILDS_ON}
        stated_family = (
            set().union(*(self._family(entities[key].concept) for key in stated))
            if stated
            else set()
        )
        mentioned_models = {
            form: key
            for key, entity in entities.items()
            if key not in introduced and key not in devices and entity.type == MODEL
            for form in entity.forms
            if len(form) >= 3
            and " " not in form
            and self.shape.is_name(form)
            and not PLURAL_ACRONYM.search(form)
            and written_alone(form, texts)
        }
        candidates = self.model_labels + sorted(mentioned_models.items())
        for key in sorted(introduced):
            entity = entities[key]
            if entity.type != MODEL:
                continue
            name = entity.name
            # A name joined from names the abstract gives its own parts ("VAG-MSDA": "VAG
            # extracts features ...", "MSDA is used to align ...") holds those parts, not
            # bases ("R-MVSNet" still builds on MVSNet: R is no name of the text).
            parts = name.split("-")
            joined = len(parts) >= 2 and all(part in mentioned_models for part in parts)
            # A new name of several words holds its own short name ("CUE Vectors": CUE), not
            # a base; a known model stays one ("Medical SAM Adapter": SAM), and so does a
            # name its new version follows ("FastSLAM 2.0": FastSLAM).
            inside = {
                (form, target)
                for form, target in candidates
                if form in name
                and name_key(form) != name_key(name)
                and is_name_part(form, name)
                and (
                    target in self.vocabulary.concepts
                    or (
                        not joined
                        and (
                            " " not in name or VERSION.fullmatch(name.replace(form, "", 1).strip())
                        )
                    )
                )
            }
            widest = {f for f in inside if not any(f[0] != g[0] and f[0] in g[0] for g in inside)}
            ancestors = {f for f in inside for w in widest if f[1] in self._family(w[1]) and f != w}
            for form, target in sorted(widest | ancestors):
                if (
                    target in stated
                    or target in stated_family
                    or any(entities[k].name in name for k in stated)
                    or self._issued_after(target, year)
                    or self._spelled_otherwise(form, target, entity, entities)
                ):
                    continue
                if target not in entities:  # a vocabulary concept the text names only inside X
                    concept = self.vocabulary.concepts[target]
                    entities[target] = Entity(
                        Counter({MODEL: 1}), Counter({concept.label: 1}), concept.iri, concept.label
                    )
                # "Swin-FOD": the base is written "Swin" here, whatever its label.
                entities[target].forms[form] += 0
                # The evidence is where the paper introduces the derived name.
                introduced_by = found[(INTRODUCES, key)][1]
                evidence = replace(introduced_by, rule="buildsOn:derived-name", confidence=0.5)
                found.setdefault((BUILDS_ON, target), (0.5, evidence))

    def _spelled_otherwise(
        self, form: str, target: str, entity: Entity, entities: dict[str, Entity]
    ) -> bool:
        """Whether the long form the text gives a new name spells the known name inside it
        as something else: "multimodal sparse generative flow network (MSGFlowNet)" holds
        no FlowNet, "Ultra-Lightweight Subspace Attention Module (ULSAM)" no Segment
        Anything Model, "Graph Inference Network (SumAggGIN)" no Graph Isomorphism Network;
        "Anatomy-Conserving vision transformer (AC-ViT)" holds ViT, "Switchable Online
        Knowledge Distillation (SwitOKD)" the "Online Knowledge Distillation (OKD)" the text
        defines. The known name's long forms decide (the vocabulary's and the text's);
        without one, a known name that ends the new one and spells only lower-case words
        of its long form is those words."""
        name = entity.name
        long_forms = [
            f for f in entity.forms if " " in f and find_long_form(name, f) == 0 and form not in f
        ]
        if not long_forms:
            return False
        concept = self.vocabulary.concepts.get(target)
        spellings = {f for f in (concept.label, *concept.aliases) if " " in f} if concept else set()
        if target in entities:
            spellings.update(f for f in entities[target].forms if " " in f)
        written = [name_key(f) for f in long_forms]
        if spellings:  # "depth distribution neural radiance field": Neural Radiance Fields
            return not any(name_key(s).rstrip("s") in w for s in spellings for w in written)
        if not name.endswith(form):
            return False
        for long_form in long_forms:
            start = find_long_form(form, long_form)
            if start is not None and long_form[start:].islower():
                return True
        return False

    def _issued_after(self, iri: str, year: int | None) -> bool:
        """Whether the vocabulary dates the concept after the paper's year."""
        concept = self.vocabulary.concepts.get(iri)
        issued = concept.issued if concept is not None else None
        return year is not None and issued is not None and issued > year

    def _family(self, iri: str | None) -> set[str]:
        """A concept with everything above it in the vocabulary's broader chain."""
        family: set[str] = set()
        while iri and iri in self.vocabulary.concepts and iri not in family:
            family.add(iri)
            broader = self.vocabulary.concepts[iri].broader
            iri = broader[0] if broader else None
        return family

    def _video_modalities(
        self, found: dict, entities: dict[str, Entity], doc: Doc, title_doc: Doc | None
    ) -> None:
        """ "blind sweep fetal ultrasound videos": the paper's imaging, written as videos, is
        medical video as well."""
        for source in (doc, title_doc) if title_doc is not None else (doc,):
            text = doc_text(source)
            for span in source.spans[NAMES_KEY]:
                current = found.get((USES_MODALITY, span.kb_id_))
                if (
                    span.kb_id_ not in self.video_imaging
                    or current is None
                    or current[1].rule == "modality:background"
                    or not VIDEO_AFTER.match(text, span.end_char)
                ):
                    continue
                iri = self.medical_video
                if iri not in entities:
                    label = self.vocabulary.concepts[iri].label
                    entities[iri] = Entity(Counter({MODALITY: 1}), Counter({label: 1}), iri, label)
                evidence = (
                    sentence_evidence(sentence_of(span), "modality:video", 0.6)
                    if source is doc
                    else title_evidence(source, "modality:video", 0.6)
                )
                found.setdefault((USES_MODALITY, iri), (0.6, evidence))

    def _dataset_modalities(self, found: dict, entities: dict[str, Entity]) -> None:
        """A paper evaluated or trained on a dataset works on the dataset's modality: the one
        the vocabulary records for it or for the dataset an edition belongs to (BraTS: MRI,
        BraTS2023 too; MIMIC-CXR: chest X-ray), else the one its name spells (Pancreas-CT)."""
        words = self.vocabulary.modality_words
        for (relation, key), (_, evidence) in sorted(found.items()):
            if relation not in DATASET_RELATIONS:
                continue
            name = entities[key].name
            concept = entities[key].concept or self.vocabulary.dataset_of_version(name)
            modalities = (
                self.vocabulary.modalities_of(concept)
                if concept
                else sorted({words[p] for p in DATASET_NAME_PARTS.split(name) if p in words})
            )
            for iri in modalities:
                if iri not in entities:
                    label = self.vocabulary.concepts[iri].label
                    entities[iri] = Entity(Counter({MODALITY: 1}), Counter({label: 1}), iri, label)
                current = found.get((USES_MODALITY, iri))
                if current is None or current[1].rule == "modality:background":
                    by_dataset = replace(evidence, rule="modality:dataset", confidence=0.5)
                    found[(USES_MODALITY, iri)] = (0.5, by_dataset)

    def _narrowest_modalities(self, found: dict, entities: dict[str, Entity]) -> None:
        """Chest X-ray implies X-ray: keep only the narrower concept. A modality named
        only in background or contrast sentences is not the paper's own."""
        for relation, key in list(found):
            if (
                relation == USES_MODALITY
                and found[(relation, key)][1].rule == "modality:background"
            ):
                del found[(relation, key)]
        present = {entities[key].concept for relation, key in found if relation == USES_MODALITY}
        broader = {b for iri in present if iri for b in self.vocabulary.concepts[iri].broader}
        for relation, key in list(found):
            if relation == USES_MODALITY and entities[key].concept in broader:
                del found[(relation, key)]

    @staticmethod
    def _label(introduced: list[str], abstract: str) -> str:
        if introduced:
            return ", ".join(introduced)
        words = abstract.split()
        return " ".join(words[:LABEL_WORDS]) + (" …" if len(words) > LABEL_WORDS else "")
