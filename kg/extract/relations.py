"""spaCy component `kg_relations`: paper -> entity links, one sentence at a time.

Each rule reads the names found by `kg_names` and the cue words of
`ontology/cues.toml` in one sentence, in token order:
- introduces: "we propose/introduce/present X", "termed/dubbed X", "X, the first ...";
- buildsOn / comparesWith for models: the nearest cue before the name decides
  ("fine-tune SAM" builds on SAM, "outperforms SAM" compares with it); with no
  cue before it, a participle or role noun just after it ("SAM is fine-tuned",
  "SAM's encoder"), never an active verb whose subject the name is ("RBDM
  utilizes X": X is the base, not RBDM);
- trainedOn / evaluatesOn for datasets, the same way ("trained on X",
  "experiments on X");
- a name coordinated with a linked one ("outperforms A, B and C") takes its relation;
- usesModality for every modality named.
Results: `doc._.kg_links`, a list of `Link`, and `doc._.kg_sentences`, the sentences
(walked once: later stages look sentences up there).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.extract.abbreviations import find_long_form
from kg.extract.names import PURPOSE_BEFORE, TITLED
from kg.extract.names import SPAN_KEY as NAMES_KEY
from kg.extract.text import doc_text, sentence_text, span_text
from kg.extract.vocabulary import Vocabulary, cue_pattern, default_vocabulary, name_key
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
)

# Words between an introducing verb and a known name it introduces: "we introduce the X",
# "we propose a novel X"; "we propose a U-Net architecture" makes an instance of a known one.
DETERMINERS = re.compile(
    r"^(?:\s|,|the|our|new|novel|its|two|three|an?(?=\s+(?:novel|new)\b))*$", re.IGNORECASE
)
APPOSITIVE_NEW = re.compile(
    r"^\s*(?:,|is|was)\s+(?:a|an|the)\s+(?:\w+\s+){0,3}?(?:novel|first|new)\b", re.IGNORECASE
)
# "a novel ... X", "the new X family", "our X": the writer's own artifact. An auxiliary,
# modal or result verb between them ends the noun phrase: "our approach can maintain QoC",
# "our ORDiRS achieves a cIoU improvement". So does a preposition of a clause: "our
# findings apply beyond PageRank" (the intro stops list more; "for" opens items: "our two
# new methods: for MN-RSA, ...", names the new method), and an article that opens another
# noun phrase: "our dataset and the Feelsight dataset", "atop the competitive FEVER
# leaderboard" (after a comma it opens an appositive: "a new design, the Arched Flexure"),
# and "such as" opens examples of the class: "Novel architectures such as ResNets".
OWNED_BEFORE = re.compile(
    r"(?<!previously )(?<!recently )(?<!originally )"
    r"\b(?:novel|new|our|(?:proposed|introduced)(?!\s+(?i:the|a|an)\b))\s+"
    r"(?:(?!(?:can|could|will|would|may|might|must|should|shall|is|are|was|were|has|have|"
    r"had|does|do|did|achieves?|achieved|obtains?|obtained|yields?|reaches|shows?|improves?|"
    r"beyond|about|across|among|within|without|like|such|apply|applies|(?<![,:] )(?:the|a|an))"
    r"\b)[\w-]+[:,]?\s+){0,5}\(?$",
    re.IGNORECASE,
)
# "we propose a novel approach to this problem, ODPFL-HN": the name in apposition to a new
# method, past the words that say what it is for.
NEW_KIND_APPOSITIVE = re.compile(
    r"\b(?i:novel|new)\s+(?:[\w-]+\s+){0,3}?(?i:approach|method|framework|model|algorithm|"
    r"network|architecture|system|pipeline|technique)\b[^,;.()]{0,40},\s*$"
)
# "the OphVL dataset we constructed"
OWNED_AFTER = re.compile(r"^\s*(?:[\w-]+\s+){0,2}(?:that\s+)?we\s+(?:have\s+)?(\w+)", re.IGNORECASE)
# Words between a cue and a new (not yet known) name: a new name's relation needs its cue close.
NEW_NAME_CUE_WORDS = 4
# A model's cue must stand close to it: (words before, words after).
MODEL_CUE_WINDOW = (10, 3)
TITLED_CUE_WINDOW = (1, 0)
# A run of capitalised words that ends in one of these is named as a model ("using the
# Flexible Deformation Model"); other runs are as often a textbook method ("using Unscented
# Transform", "using Domain Randomization") and count only for the cues any name takes.
TITLED_MODEL_HEAD = re.compile(r"(?i:model|network|architecture|transformer)s?$")
MODEL_RELATIONS = (BUILDS_ON, COMPARES_WITH)
COORDINATION = re.compile(r"^[\s,]*(?:(?:and|or)\s+)?$")
# "..., a dynamic 3D Gaussian Splatting framework": an article, at most two modifiers.
KIND_BEFORE = re.compile(r",\s+(?:a|an)\s+(?:[a-z][\w-]*\s+){0,2}$")
KIND_AFTER = re.compile(
    r"(?:-based|-like)?\s+(?:framework|architecture|network|model|variant|extension)\b"
)
# "we evaluate the performance of X": the aspect studied, then the model.
ASPECT_OF = re.compile(
    r"^\s*(?:the\s+)?(?i:performance|capabilities|capability|abilities|ability|robustness|"
    r"reliability)\s+of\s+"
)
# "datasets, namely": a plural noun before "namely" lists existing things.
PLURAL_BEFORE = re.compile(r"\b[a-z]{2,}[^s\W]s,?\s+$")
# "requiring 13% of the original training data, and CoNLL 2003, requiring 27%": a comma and
# a conjunction right after a cue end its phrase; what follows is another conjunct.
CONJUNCT_AFTER = re.compile(r"\s*[,;]\s*(?:and|or|but|while|whereas)\b")
# A cue under negation says the paper does not do it.
NEGATED = re.compile(r"\b(?i:not|without|instead of|rather than)\s+(?:[\w-]+\s+){0,2}$")
# "it not only outperforms ..., but also bridges the gap": "but" adds, it sets nothing against.
NOT_ONLY_BUT_ALSO = re.compile(r"\b(?i:but\s+also)\b")
# "The second method, qSynth, synthesises ...": the items of what the authors announced as
# "two approaches", each named after its ordinal and its kind.
ORDINAL_ITEM = re.compile(
    r"\s*(?i:the|our)\s+(?i:first|second|third|fourth|last|other)\s+(?:[a-z][\w-]*\s+){0,2}"
    r"[a-z]+,\s*$"
)
# `PURPOSE_BEFORE` spans a noun, "for", a determiner and two words: never more than this.
PURPOSE_REACH = 100
TITLED_WORD_AFTER = re.compile(r"\s+[A-Z][a-z]")
TASK_TERMS = "task_and_field_acronyms"  # the generic terms' category of task names
# "we design a distributed NMPC for each UVMS": what each copy serves, not what is designed.
EACH_BEFORE = re.compile(r"\b(?i:for|to|of|on)\s+(?i:each|every)\s+(?:[\w-]+\s+){0,2}$")
# "a Graph-Simultaneous Localization and Mapping (Graph-SLAM) pipeline": a word before a task
# acronym names a variant of the task ("Visual-SLAM", "Deep-RL"), not the authors' artifact.
TASK_VARIANT = re.compile(r"[A-Z][a-z]+-(?P<task>[A-Za-z]{2,6})")
TASK_BEFORE_NAMING = re.compile(
    r"\b(?i:a|an|new|novel)\s+(?:[\w-]+\s+){0,2}(?i:task|problem|setting)\s*,?\s*$"
)
# "a grammar-guided KBQG model, named KTG": the name before the class noun modifies it; the
# naming phrase gives the artifact's name.
CLASS_THEN_NAMED = re.compile(
    r"\)?\s+(?:[a-z][\w-]*\s+)?(?i:model|framework|method|network|approach|system|"
    r"architecture|algorithm|pipeline)s?\s*,?\s*(?i:termed|dubbed|named|called|coined|namely)\b"
)
ENUMERATED_BEFORE = re.compile(r"\(\s*(?:i{1,3}|iv|v|[1-5])\s*\)\s*$")
COUNT_AFTER = re.compile(r"\s+(?:[\w-]+\s+)?(?i:two|three|four)\s")
# "the recently proposed X": an introducing verb of other people's work.
OTHERS_BEFORE = re.compile(r"\b(?i:recently|previously|originally|widely|commonly)\s+$")
# A lower-case word before a class noun, not a preposition or conjunction.
MODIFIER_WORD = r"(?!(?:and|or|by|on|in|with|for|across|at|to|of|as)\b)[a-z][\w-]*\s+"


def class_noun_after(most_modifiers: int) -> re.Pattern:
    """A class noun after a name, past at most `most_modifiers` modifiers: a plural noun
    right after the name counts ("SAM methods"); a singular one only after a modifier
    ("the BOSLAM method" is BOSLAM)."""
    return re.compile(
        rf"\s+(?:(?:{MODIFIER_WORD}){{0,{most_modifiers}}}"
        r"(?:methods|approaches|techniques|variants|paradigms|strategies)"
        rf"|(?:{MODIFIER_WORD}){{1,{most_modifiers}}}"
        r"(?:method|approach|technique|variant|paradigm|strategy))\b"
    )


# "the state-of-the-art SAM adaptation method": the name modifies a class of methods.
METHOD_CLASS_AFTER = class_noun_after(2)
# ... and as the head of a new name's own noun phrase: "a pre-miRNA identification method",
# "we develop SA approaches" ("our X outperforms previous techniques" is no such phrase).
NEW_CLASS_AFTER = class_noun_after(1)
PASSIVE_AUXILIARY = re.compile(r"\b(?i:is|are|was|were|been|being|be)\b")
ARTICLE = re.compile(r"\b(?i:a|an|the)\b")
PREPOSITION = re.compile(r"\b(?i:into|to|with|for|on|in|of|by|from|as|at)\b")
# "models (e.g., BERT", "models such as A, B and": what follows is an example of a class.
EXAMPLE_BEFORE = re.compile(
    r"[a-z]s\s*(?:\(|,)?\s*(?:e\.g\.|such as|including|like)\s*,?(?:[\s,]*(?:and|or)?\s*,)*"
    r"[\s,]*(?:and\s+|or\s+)?$"
)
# "we evaluate several state-of-the-art pathology foundation models, including A, B": the
# models listed after a class noun are what is evaluated.
CLASS_LIST = re.compile(
    r"^\s*(?:[\w-]+\s+){0,6}(?i:models|LLMs|VLMs|MLLMs|LMMs|systems|chatbots|baselines)"
    r"\s*[,(:]?\s*(?:including|such as|e\.g\.,?|namely|like)?[\s,]*(?:(?:and|or)[\s,]+)?$"
)
# "MRI-compatible", "MR-safe": a property of a device, not data of that modality.
# "locomotive endoscopic robots": a kind of robot, not data the paper uses.
DEVICE_PROPERTY = re.compile(r"[-\s](?i:compatible|compatibility|safe|conditional|robots?)\b")
# "Most salient object detection approaches use U-Net": other methods are the users.
OTHERS_USE_BEFORE = re.compile(
    r"\b(?i:approaches|methods|works|studies|techniques|systems|frameworks|pipelines|"
    r"researchers)\s+(?:[a-z]+ly\s+)?$"
)
USED_BY_AFTER = re.compile(r"\s+(?i:by)\b")
# Plural class nouns of models under study: "using four popular networks: PointNet, ...".
STUDIED_CLASS = re.compile(r"\b(?:architectures|networks|DNNs|CNNs|classifiers|models)\b")
# Words between a comparison cue and a training cue that still describe the same baseline.
BASELINE_GAP_WORDS = 4
# "training" as a modifier of data ("training data", "the training set"), not a verb.
TRAINING_NOUN = re.compile(
    r"(?<=training)\s+(?i:data|set|sets|samples|images|examples|pairs|corpus|dataset)\b"
)
PARENTHESES = re.compile(r"\([^()]*\)")
OUR = re.compile(r"\b(?i:our|ours)\b")
OUR_OPENING = re.compile(r"\s*(?i:our)\b")
ONE_DATASET_AFTER = re.compile(r"\s+(?i:dataset|benchmark|corpus)\b")
MODALITY_PARTS = re.compile(r"[-/\s]+")
PLAIN_DATA_AFTER = re.compile(
    r"\s+(?i:images|scans|videos|volumes|slides|frames|photographs|recordings|samples)\b"
)
DATA_HEAD_AFTER = re.compile(r"\s+(?i:datasets?|benchmarks?|corpus|corpora)\b")
# A cue of two or three letters written in capitals is an acronym ("VS", variable stiffness).
CAPITALISED_SHORT_CUE = re.compile(r"[A-Z]{2,3}\.?")
# A data noun and at most three words after it.
DATA_NOUN_THEN = r"\b(?i:datasets?|benchmarks?|corpus|corpora|database)\b(?:\s+[\w-]+){0,3}\s+"
# "a new dataset namely VIGORv2 built upon VIGOR": what a dataset is built on is data too.
DATASET_BUILT_ON = re.compile(DATA_NOUN_THEN + "$")
# "MedMNIST-C, a benchmark dataset based on the MedMNIST+ collection": the data a new
# dataset is made from is its source, not data the paper reports results on.
DERIVED_DATA_BEFORE = re.compile(
    DATA_NOUN_THEN
    + r"(?i:based on|built upon|built on|derived from|constructed from|created from|sampled from)"
    r"\s+(?:(?i:the|a|an)\s+)?(?:[\w-]+\s+){0,2}$"
)
# A noun, then "for" right before a name: the name is what that noun is for, not the object
# of a cue before the noun.
PURPOSE_OBJECT_BEFORE = re.compile(r"\S\s+for\s+(?:(?i:the)\s+)?$")
# "datasets collected from West China Hospital (WCH)", "data collected in Central Oxford": a
# new name the data was gathered at is a place, a site or a device, not a dataset, unless a
# data noun follows it ("obtained from the public JIGSAWS database").
SOURCE_BEFORE = re.compile(
    r"\b(?i:collected|acquired|obtained|recruited|gathered|sourced|recorded)\s+(?i:at|from|in)"
    r"\s+(?:(?i:the)\s+)?(?:(?!(?i:public|datasets?|databases?|benchmarks?)\b)[\w'’-]+\s+){0,5}"
    r"\(?$"
)
SOURCE_IS_DATA = re.compile(
    r"\)?\s+(?i:datasets?|data\s+sets?|databases?|benchmarks?|corpus|corpora|challenge)\b"
)
# An indefinite article or a count (not a year: "the 2012 CDnet dataset") opening a noun
# phrase, then at most three lower-case modifiers ("a standard", "two", "an in-house").
INDEFINITE_PHRASE_BEFORE = re.compile(
    r"(?<![\w’'])(?i:a|an|two|three|four|five|six|several|multiple|\d{1,3})\s+"
    r"(?:(?!(?:of|on|in|and|or|with|from|for|to|as|by)\s)[a-z][\w-]*\s+){0,3}$"
)
# "outperforms ImageNet pre-training", "ImageNet-pretrained models": a dataset named as what
# a model was pre-trained on is not the data results are reported on (30 such evaluatesOn
# links in the 88k corpora, nearly all wrong).
PRETRAINING_AFTER = re.compile(r"[\s-]*(?i:pre-?train(?:ing|ed|s)?)\b")
# The noun right after a name, past the parenthesis that closes its short form.
HEAD_AFTER = re.compile(r"\)?\s+([a-z]+)\b")
# Between a name and the role noun after it: "the SAM baseline", "FixMatch as the baseline"
# ("DGI against multiple baselines" is no such pair).
ROLE_GAP = re.compile(r"\s*|\s+as\s+(?:the|a|an|our)\s+(?:[\w-]+\s+)?")
# "We trained RF-Net on the open dataset HPatches", "by training our network using the
# KITTI dataset": a training verb, its object, then the data it is trained on. After an
# article or a possessive the word is a noun with no object ("insights into the training
# and achieve ... on CIFAR-10"), unless "of" gives it one ("the training of ResNet50 FPN
# on COCO").
TRAINED_OBJECT_ON = re.compile(
    r"(?:(?<!the )(?<!The )(?<!its )(?<!our )(?<!their )|(?=training\s+of\b))"
    r"\b((?i:(?:pre-?)?train(?:s|ed|ing)?|fine-?tun(?:e|es|ed|ing)))\s+(?:[\w-]+\s+){1,4}"
    r"(?i:on|using|with)\s+(?:(?i:the|our)\s+)?(?:[\w-]+\s+){0,3}$"
)
# A sentence that opens with a phrase of means: "By utilizing ..., ", "Using ..., ".
OPENING_PHRASE = re.compile(
    r"\s*(?i:by|through|using|leveraging|utilizing|utilising|employing|integrating|"
    r"incorporating|combining|building|based|built)\b"
)
# "We evaluate DGI against multiple baselines": what is evaluated against others is the
# paper's own method.
AGAINST_AFTER = re.compile(r"\s+(?i:against|versus|vs\.?)\s")
# "R-CNN based models"; "X based on Y" is another phrase.
BASED_UNHYPHENATED = re.compile(r"\s+based\b(?!\s+(?:on|upon)\b)")
# "(ii) SEE-Splat, a real-time scene-editing module using ...": a new name described as a
# part of a model is a part the paper builds, not a base.
PART_APPOSITIVE = re.compile(
    r"\s*,\s+(?i:a|an)\s+(?:[\w-]+\s+){0,4}(?:module|block|unit|layer|component|branch|"
    r"head|adapter|mechanism)\b"
)
# The two words after a name: "(aMCI) diagnosis, which", "(PAA) learning algorithms".
TASK_AFTER = re.compile(r"\)?\s+([a-z]+)\b(?:\s+([a-z]+))?")
ARTIFACT_NOUN = re.compile(
    r"(?:framework|algorithm|method|model|network|technique|approach|system|scheme|pipeline|"
    r"module|architecture|tool|toolkit)(?:s|es)?"
)
# Task heads that also name a kind of model ("pretrained Wav2Vec2.0 models").
MODEL_TASK_HEADS = ("models", "transformer", "transformers", "representation", "representations")
# "In this paper, an Expert-Guided Kinodynamic RRT algorithm (EGK-RRT) is presented": the
# subject of a passive introducing verb, in a sentence the authors speak in, is new.
PASSIVE_AFTER = re.compile(r"\)?\s+(?:is|are|was|were|has been|have been)\s+(?:\w+ly\s+)?(\w+)")
# ... when it heads the subject after the opening phrase: an article and a few words, no
# preposition between ("an approach using Gaussian processes (GPs) is presented": GPs is
# not what is presented).
NOUN_PHRASE_BEFORE = re.compile(
    r"(?:^|[,:;])\s*(?:(?i:a|an|the|our)\s+)?"
    r"(?:(?!(?i:to|of|for|with|using|by|in|on|from|based|via|and|or)\b)[\w-]+\s+){0,6}\(?\s*$"
)
# "we introduce two innovations:", "we propose three modules:": a list of new things follows.
LIST_ANNOUNCED = re.compile(
    r"\s+(?:(?:the\s+)?(?i:two|three|four|five|several)\s+)(?:[\w-]+\s+){0,2}[a-z]+s\s*:"
)
# An item of such a list: after the colon, or after "(ii)", ", and", "; and"; then up to five
# capitalised words of its long form before the name.
LIST_ITEM_BEFORE = re.compile(
    r"(?::|;|,\s*and|\(\s*(?:i{1,3}|iv|v|[1-5])\s*\))\s*(?:(?:the|a|an)\s+)?"
    r"(?:[A-Z][\w-]*\s+){0,5}\(?$"
)
APPOSITIVE_OPENER = re.compile(r"^\s*(?:,|—|–|--)\s*(?:a|an)\s", re.IGNORECASE)
COORDINATOR = re.compile(r"\b(?:and|as well as)\b", re.IGNORECASE)
# "we have recently developed X": words between the authors and their own past participle.
AUTHOR_PARTICIPLE_WORDS = 3
TO_JUST_BEFORE = re.compile(r"\b(?i:to)\s+$")
NOVEL_JUST_BEFORE = re.compile(r"\b(?i:a novel|a new|our novel|our new)\s+$")
# "CNN-predicted", "ST-paired", "2D-pixel": a name ending in a lower-case word after a hyphen
# ("VGG-net", "U-net" end in the noun they are named after).
LOWER_TAIL = re.compile(r"-(?!nets?$)[a-z]{2,}$")
# A lower-case word that is not a function word: the noun such a name modifies.
CONTENT_WORD_AFTER = re.compile(
    r"\s+(?!(?:and|or|nor|but|which|that|who|whose|where|when|while|is|are|was|were|be|been|"
    r"has|have|had|can|could|will|would|may|might|should|to|towards|for|in|on|of|with|by|as|"
    r"at|from|into|via|than|over|under|using|between|against|through|without|within|across|"
    r"after|before|per|also|not)\b)[a-z]"
)
# A word split by a hyphen at a line end of the PDF the abstract was copied from.
LINE_END_HYPHEN = re.compile(r"\b([a-z]{2,})-\s?([a-z]{2,})\b")
# "a BERT-based", "an improved BERT-style": the affixes that make a name the design of the
# noun it is joined to ("-guided", "-aware" or "-free" do not).
DESIGN_SUFFIX = re.compile(r"[-‐]\s?(?i:based|like|style|driven|powered)\b")
ARCHITECTURE_AFTER = re.compile(r"\s+(?:architecture|network|backbone|model)\b")
# A verb, an article and at most three modifiers: the opening of the verb's object.
OBJECT_OPENING = re.compile(r"\b([a-z]+)\s+(?:an?|the|our)\s+(?:[\w-]+\s+){0,3}$")
# "(i.e. X", ", such as X": what follows restates the noun before it.
LIST_OPENER = re.compile(r"\s*[(,:]?\s*(?:i\.e\.|e\.g\.|such as|namely|like)\s*,?\s*$")
# "uses Grad-CAM to select": a new name used to do something is a component.
USED_TO = re.compile(r"^\s+to\s+[a-z]")


def masked_long_forms(sentence: Span, text: str) -> str:
    """The sentence with the letters of each defined long form masked: a cue word inside
    one is part of a name ("a constrained extended Kalman filter (EKF)"), not a cue."""
    pairs = [
        pair
        for pair in sentence.doc._.kg_abbreviations or ()
        if sentence.start_char <= pair.long.start_char and pair.long.end_char <= sentence.end_char
    ]
    if not pairs:
        return text
    chars = list(text)
    for pair in pairs:
        for offset in range(pair.long.start_char, pair.long.end_char):
            if chars[offset - sentence.start_char].isalpha():
                chars[offset - sentence.start_char] = "x"
    return "".join(chars)


def spelled_from(name: Span) -> int:
    """Where a name starts, or its long form where the text defines it right before it."""
    return min(
        (
            pair.long.start_char
            for pair in name.doc._.kg_abbreviations or ()
            if pair.short.start_char == name.start_char and pair.long.end_char <= name.start_char
        ),
        default=name.start_char,
    )


@dataclass(frozen=True)
class Link:
    """One paper -> entity link found in a sentence of the doc."""

    relation: str
    name: Span
    sentence: Span
    rule: str
    confidence: float


class RelationFinder:
    def __init__(self, vocabulary: Vocabulary):
        cues = vocabulary.cues
        self.intro_verbs = cue_pattern(cues["introduces"]["verbs"])
        self.intro_stops = cue_pattern(cues["introduces"]["stops"])
        self.authors = cue_pattern(cues["introduces"]["authors"])
        self.naming = cue_pattern(cues["introduces"]["naming"])
        self.model_cues = {
            BUILDS_ON: cue_pattern(cues["builds_on"]["cues"]),
            COMPARES_WITH: cue_pattern(cues["compares_with"]["cues"]),
        }
        self.adjacent_base = cue_pattern(cues["builds_on"]["adjacent"])
        self.after_only = {c.lower() for c in cues["builds_on"]["after_only"]}
        self.known_only = {c.lower() for c in cues["builds_on"]["known_only"]}
        self.close_only = {c.lower() for c in cues["compares_with"]["close_only"]}
        self.modifier_suffixes = tuple(
            s for s in cues["names"]["modifier_suffixes"] if s.startswith("-")
        )
        self.is_generic = vocabulary.is_generic
        self.task_acronyms = {
            key for key, term in vocabulary.generic_terms.items() if term.category == TASK_TERMS
        }
        self.modality_words = vocabulary.modality_words
        self.task_heads = set(cues["names"]["task_heads"])
        self.technique_heads = set(cues["builds_on"]["technique_heads"])
        self.device_maker = cue_pattern(cues["builds_on"]["makers"])
        self.evaluation_subject = cue_pattern(cues["compares_with"]["evaluation_subject"])
        self.background = re.compile(
            r"^\s*(?:" + "|".join(re.escape(o) for o in cues["background"]["openers"]) + r")\b",
            re.IGNORECASE,
        )
        self.contrast = cue_pattern(cues["modalities"]["contrast"])
        self.dataset_cues = {
            TRAINED_ON: cue_pattern(cues["trained_on"]["cues"]),
            EVALUATES_ON: cue_pattern(cues["evaluates_on"]["cues"]),
        }
        # Each name of a sentence looks for its cues in the same text: found once per doc,
        # keyed by the pattern's id (a pattern's hash reads all its compiled code).
        self._cues_in: dict[tuple[int, str], list[re.Match]] = {}

    def __call__(self, doc: Doc) -> Doc:
        links: list[Link] = []
        self._cues_in.clear()
        # Token bounds read once: a Span's are computed on each access.
        names = [(name.start, name.end, name) for name in doc.spans[NAMES_KEY]]
        doc._.kg_sentences = sentences = list(doc.sents)
        for sentence in sentences:
            first, last = sentence.start, sentence.end
            in_sentence = [name for start, end, name in names if start >= first and end <= last]
            if in_sentence:
                links.extend(self._sentence_links(sentence, in_sentence))
        doc._.kg_links = links
        return doc

    def _sentence_links(self, sentence: Span, names: list[Span]) -> list[Link]:
        text = sentence_text(sentence)
        names = [n for n in names if not self._modifier_compound(text, n, sentence.start_char)]
        introduced = self._introduced(sentence, names)
        links = [
            Link(INTRODUCES, n, sentence, rule, conf) for n, (rule, conf) in introduced.items()
        ]
        background = bool(self.background.match(text))
        contrasted = background or any(
            not NOT_ONLY_BUT_ALSO.match(text, cue.start()) for cue in self.contrast.finditer(text)
        )
        cue_text = masked_long_forms(sentence, text)
        for name in names:
            if name.label_ == MODALITY and self._defined_otherwise(name):
                continue
            if name.label_ == MODALITY:
                rule, confidence = (
                    ("modality:background", 0.3)
                    if contrasted or self._not_its_data(text, name, sentence.start_char)
                    else ("modality:mention", 0.7)
                )
                links.append(Link(USES_MODALITY, name, sentence, rule, confidence))
            elif name in introduced:
                if name.label_ == DATASET:  # "we release X, evaluated on ..." in one sentence
                    links.extend(self._cue_links(sentence, name, self.dataset_cues, 0.6))
            elif self._qualifies_previous(
                text, name.start_char - sentence.start_char, names, sentence.start_char
            ):
                continue
            elif self.is_generic(span_text(name)) and not (
                name.label_ == DATASET
                and ONE_DATASET_AFTER.match(text, name.end_char - sentence.start_char)
            ):
                # "Using Support Vector Machine classification", "outperforms other SR
                # models", "RGB-D datasets": a kind of method or data, even where the text
                # defines it as its own term; "the NSD dataset" is one dataset
                continue
            elif name.label_ == MODEL and not name.kb_id_ and self._equipment(span_text(name)):
                continue
            elif (
                name.label_ == MODEL
                and not name.kb_id_
                and self._task_object(text, name.end_char - sentence.start_char)
            ):
                continue  # "outperforms existing methods in CEMRI synthesis"
            elif name.label_ == MODEL:
                found = (
                    self._model_links(sentence, cue_text, name, names, background)
                    or self._kind_of(sentence, name, introduced)
                    or self._design_modifier(sentence, name)
                )
                if self._in_compound(text, name.end_char - sentence.start_char):
                    # "SAM-based methods" are a class of methods, not SAM itself
                    found = [link for link in found if link.relation != COMPARES_WITH]
                links.extend(found)
            elif not background and not self._described_data(text, name, sentence.start_char):
                links.extend(self._cue_links(sentence, name, self.dataset_cues, 0.8, cue_text))
        links += self._coordinated(sentence, names, links, introduced)
        return [
            link
            for link in links
            if link.relation != EVALUATES_ON
            or not PRETRAINING_AFTER.match(text, link.name.end_char - sentence.start_char)
        ]

    def _described_data(self, text: str, name: Span, base: int) -> bool:
        """ "two LS DXA datasets", "a standard Computer Vision dataset": a new name of
        several words inside an indefinite or counted noun phrase headed by "dataset" says
        what kind of data it is, it does not name a dataset ("the Medical VQA dataset"
        might; one word, "a publicly available UrbanStreet dataset", "125 UCI datasets",
        names one or a collection). So does a name made of modalities alone ("an abdominal
        CECT-CT dataset"; "Pancreas-CT" names one), and the place or device data was
        collected at ("data collected in North Oxford") or a new dataset is made from."""
        start = name.start_char - base
        if DERIVED_DATA_BEFORE.search(text, max(0, start - 100), start):
            return True  # "a benchmark dataset based on the MedMNIST+ collection": its source
        if name.kb_id_:
            return False
        start, end = name.start_char - base, name.end_char - base
        written = span_text(name)
        if all(part in self.modality_words for part in MODALITY_PARTS.split(written)):
            return True
        if SOURCE_BEFORE.search(text, max(0, start - 80), start) and not SOURCE_IS_DATA.match(
            text, end
        ):
            return True  # "data collected in North Oxford", "from West China Hospital (WCH)"
        if not INDEFINITE_PHRASE_BEFORE.search(text, max(0, start - 60), start):
            return False
        # "on 300 EDOF images": a counted phrase headed by a noun of plain data names a kind
        return (" " in written and bool(DATA_HEAD_AFTER.match(text, end))) or bool(
            PLAIN_DATA_AFTER.match(text, end)
        )

    @staticmethod
    def _modifier_compound(text: str, name: Span, base: int) -> bool:
        """ "the CNN-predicted depth", "AU-expression correlations", "ECHO-text pairs": a new
        name whose last part is a lower-case word, before another lower-case word, is an
        adjective of that noun; "called PG-means which", "RRT-connect and" stay names."""
        if name.kb_id_ or name.label_ == MODALITY or not LOWER_TAIL.search(span_text(name)):
            return False
        return bool(CONTENT_WORD_AFTER.match(text, name.end_char - base))

    def _coordinated(
        self, sentence: Span, names: list[Span], links: list[Link], introduced: dict
    ) -> list[Link]:
        """ "outperforms SAM, MedSAM, SAM 2 and ...": a name coordinated with the one before
        it takes that one's relation when no cue of its own gave it one."""
        text, base = sentence_text(sentence), sentence.start_char
        linked = {link.name: link for link in links if link.relation != USES_MODALITY}
        added = []
        for previous, name in pairwise(names):
            link = linked.get(previous)
            if (
                link is None
                or name in linked
                or name in introduced
                or name.label_ != previous.label_
                or link.relation == INTRODUCES
                or not COORDINATION.match(text[previous.end_char - base : name.start_char - base])
                or self._joined_to_suffix(text, name.end_char - base)  # "RRT and CE-based"
            ):
                continue
            rule = f"{link.relation}:coordinated"
            linked[name] = Link(link.relation, name, sentence, rule, link.confidence)
            added.append(linked[name])
        return added

    def _cue_links(
        self,
        sentence: Span,
        name: Span,
        cues: dict[str, re.Pattern],
        confidence: float,
        cue_text: str | None = None,
    ) -> list[Link]:
        """The link the nearest cue of `cues` gives `name`, if any."""
        base, text = sentence.start_char, cue_text or sentence_text(sentence)
        trained = TRAINED_OBJECT_ON.search(text, 0, name.start_char - base)
        if trained and TRAINED_ON in cues and not self._baselines_data(text, trained.start()):
            rule = f"{TRAINED_ON}:cue:{trained.group(1).lower()}"
            links = [Link(TRAINED_ON, name, sentence, rule, confidence)]
            evaluated = cues[EVALUATES_ON].search(trained.group())
            if evaluated:  # "trained and evaluated on X"
                rule = f"{EVALUATES_ON}:cue:{evaluated.group().lower()}"
                links.append(Link(EVALUATES_ON, name, sentence, rule, confidence))
            return links
        decided = self._nearest_cue(text, name.start_char - base, name.end_char - base, cues)
        if decided is None:
            return []
        relation, cue, cue_end = decided
        if (
            relation == TRAINED_ON
            and cue_end >= 0
            and self._baselines_data(text, cue_end - len(cue))
        ):
            return []
        return [Link(relation, name, sentence, f"{relation}:cue:{cue.lower()}", confidence)]

    def _baselines_data(self, text: str, cue_start: int) -> bool:
        """ "outperforms a fine-tuned CNN trained on ImageNet": the training cue describes
        the model compared with, a few words after the comparison cue; its data is not the
        paper's."""
        for compared in self.model_cues[COMPARES_WITH].finditer(text, 0, cue_start):
            gap = text[compared.end() : cue_start]
            if len(gap.split()) <= BASELINE_GAP_WORDS and not re.search(r"[,;:()]", gap):
                return True
        return False

    def _model_links(
        self, sentence: Span, text: str, name: Span, names: list[Span], background: bool
    ) -> list[Link]:
        """Built on or compared with: the subject of "we benchmark X", else the nearest
        cue within the model window (a new name's cue only a few words before it).
        `text` is the sentence with its long forms masked."""
        base = sentence.start_char
        start, end = name.start_char - base, name.end_char - base
        subject = self._evaluation_subject(text, start, names, base)
        if subject is not None and not AGAINST_AFTER.match(text, end):
            rule = f"comparesWith:subject:{subject.lower()}"
            return [Link(COMPARES_WITH, name, sentence, rule, 0.7)]
        # A run of capitalised words is a name only as the direct object of a cue.
        window = TITLED_CUE_WINDOW if name.id_ == TITLED else MODEL_CUE_WINDOW
        decided = self._nearest_cue(
            text,
            start,
            end,
            self.model_cues,
            window,
            known=bool(name.kb_id_ or TITLED_MODEL_HEAD.search(span_text(name))),
        )
        if decided is None or (not name.kb_id_ and not self._cue_close(text, start, decided[2])):
            return []
        relation, cue, cue_end = decided
        if background and relation != COMPARES_WITH:
            return []
        if relation == BUILDS_ON and self._subject_after_opening(text, cue_end, start):
            return []
        if (
            relation == BUILDS_ON
            and not name.kb_id_
            and cue_end >= 0
            and DATASET_BUILT_ON.search(text, max(0, cue_end - len(cue) - 60), cue_end - len(cue))
        ):
            return []
        if relation == BUILDS_ON and not name.kb_id_ and self._technique(text, name, base):
            return []
        if (
            relation in (BUILDS_ON, COMPARES_WITH)
            and not name.kb_id_
            and cue_end >= 0
            and PURPOSE_OBJECT_BEFORE.search(text, cue_end, start)
        ):
            # "based on the MRI data for CAN", "baseline models for AS and EAA": what the
            # data or the baselines are for
            return []
        if relation == BUILDS_ON and self._general_example(text, start, names, base):
            return []
        if relation == BUILDS_ON and cue.lower() in self.known_only and decided[2] >= 0:
            if self._others_use(text, decided[2] - len(cue), decided[2]):
                return []
            if self._study_subjects(text, decided[2] - len(cue), end):
                return []
        links = [Link(relation, name, sentence, f"{relation}:cue:{cue.lower()}", 0.8)]
        if relation == COMPARES_WITH:  # "Compared to its base model, X": built on as well
            adjacent = self._nearest_cue(text, start, end, {BUILDS_ON: self.adjacent_base}, (3, 3))
            if adjacent is not None:
                rule = f"buildsOn:cue:{adjacent[1].lower()}"
                links.append(Link(BUILDS_ON, name, sentence, rule, 0.7))
        return links

    def _subject_after_opening(self, text: str, cue_end: int, start: int) -> bool:
        """ "By utilizing a parallel architecture, the 4BSPM exoskeleton has ...": a cue in
        an opening phrase speaks of the phrase's own object; a name after the comma that
        closes the phrase is the subject of the main clause."""
        opening = OPENING_PHRASE.match(text)
        if opening is None or cue_end < 0:
            return False
        comma = text.find(",", opening.end())
        return (
            comma >= 0
            and cue_end <= comma < start
            # "Leveraging this map, we optimize the LDM decoder": the authors are the subject
            and not self.authors.search(text, comma, start)
        )

    def _equipment(self, name: str) -> bool:
        """ "Siemens Biograph Vision Quadra", "Kinova Movo": a device named after its maker;
        "O(d.n^3)": a complexity bound. Neither is a model to build on or compare with."""
        return bool(self.device_maker.match(name)) or name.startswith("O(")

    @staticmethod
    def _others_use(text: str, cue_start: int, cue_end: int) -> bool:
        """ "Most detection approaches use U-Net", "as used by Mask R-CNN": the users are
        other methods, or the model is the user; not the paper's base."""
        return bool(
            OTHERS_USE_BEFORE.search(text, 0, cue_start) or USED_BY_AFTER.match(text, cue_end)
        )

    def _study_subjects(self, text: str, cue_start: int, end: int) -> bool:
        """ "We test our findings using the VGG, ResNet and GoogLeNet architectures", "we
        test AdvPC using four popular point cloud networks: PointNet, ...": members of a
        class of models the authors test on are what is studied, not a base."""
        verb = self.evaluation_subject.search(text, 0, cue_start)
        return bool(
            verb
            and self.authors.search(text, 0, verb.start())
            and STUDIED_CLASS.search(text, cue_start, min(len(text), end + 60))
        )

    @staticmethod
    def _not_its_data(text: str, name: Span, base: int) -> bool:
        """ "does not rely on ultrasound", "an MRI-compatible robot", "endoscopic robots": a
        modality negated, a device's property or its kind is not the paper's data."""
        start, end = name.start_char - base, name.end_char - base
        return bool(
            NEGATED.search(text, max(0, start - 30), start) or DEVICE_PROPERTY.match(text, end)
        )

    @staticmethod
    def _defined_otherwise(name: Span) -> bool:
        """ "Polyethylene Terephthalate (PET)": a modality's short form that the text defines
        by a long form naming no modality is another thing, wherever it is written."""
        pairs = [p for p in name.doc._.kg_abbreviations or () if p.short.text == span_text(name)]
        if not pairs:  # most modalities: the doc's names need not be read
            return False
        modalities = [span for span in name.doc.spans[NAMES_KEY] if span.label_ == MODALITY]
        for pair in pairs:
            if not any(
                pair.long.start_char <= other.start_char and other.end_char <= pair.long.end_char
                for other in modalities
            ):
                return True
        return False

    def _general_example(self, text: str, offset: int, names: list[Span], base: int) -> bool:
        """ "Pre-trained language models (e.g., BERT) are popular": a model given as an
        example of a class, in a sentence that does not speak of the paper's own work."""
        before = text[:offset]
        for name in names:  # earlier names of the same list stand for commas
            if name.end_char - base <= offset:
                before = before[: name.start_char - base] + "," + before[name.end_char - base :]
        if not EXAMPLE_BEFORE.search(before):
            return False
        return not (self.authors.search(text) or OUR.search(text))

    def _technique(self, text: str, name: Span, base: int) -> bool:
        """Whether a new name is a technique or data rather than a model: its last word, or
        the noun right after it or after one more word, is a technique head ("Lie Group
        Embedding", "the Tversky-Aware Contrastive (TAC) loss", "ZADC maps", "the LLAMA
        quadrupedal platform")."""
        last = re.split(r"[-\s]", name.text)[-1].lower()
        end = name.end_char - base
        after = TASK_AFTER.match(text, end)
        if last in self.technique_heads or (after and after.group(1) in self.technique_heads):
            return True
        # one more word only past a modifier, not a preposition ("X with images")
        return bool(
            after and CONTENT_WORD_AFTER.match(text, end) and after.group(2) in self.technique_heads
        )

    def _kind_of(self, sentence: Span, name: Span, introduced: dict) -> list[Link]:
        """ "We propose X, a dynamic Gaussian Splatting framework": the paper's new model
        described as a kind of a named one builds on it."""
        text, base = sentence_text(sentence), sentence.start_char
        if not introduced or not KIND_BEFORE.search(text, 0, name.start_char - base):
            return []
        if not KIND_AFTER.match(text, name.end_char - base):
            return []
        if re.split(r"[-\s]", name.text)[-1].lower() in self.task_heads or (
            name.text.lower().endswith(self.modifier_suffixes)
        ):
            return []  # "an IED-detection model", "a Bilevel Optimization-Based framework"
        return [Link(BUILDS_ON, name, sentence, "buildsOn:kind-of", 0.6)]

    def _design_modifier(self, sentence: Span, name: Span) -> list[Link]:
        """ "we propose a novel BERT-based model", "we design a Mamba-based network", "we
        propose a U-Net architecture with ...": a known model joined to, or naming, the head
        of what the authors make is what their design starts from (30 "-based" such objects
        in the 88k corpora; 22 went unlinked)."""
        text, base = sentence_text(sentence), sentence.start_char
        start, end = name.start_char - base, name.end_char - base
        if not name.kb_id_ or not (
            DESIGN_SUFFIX.match(text, end) or ARCHITECTURE_AFTER.match(text, end)
        ):
            return []
        verb = OBJECT_OPENING.search(text, max(0, start - 80), start)
        if verb is None or not self.intro_verbs.fullmatch(verb.group(1)):
            return []
        if not self.authors.search(text, 0, verb.start()):
            return []
        return [Link(BUILDS_ON, name, sentence, "buildsOn:design-modifier", 0.6)]

    def _in_compound(self, text: str, end: int) -> bool:
        """ "SAM-based", "CLIP-guided", "QNN- based" (a line-end hyphen), "the SAM
        adaptation method": the name modifies the word it is joined to, or a class of
        methods."""
        return self._joined_to_suffix(text, end) or bool(METHOD_CLASS_AFTER.match(text, end))

    def _joined_to_suffix(self, text: str, end: int) -> bool:
        """ "SAM-based", "CLIP-guided", "QNN- based" (a line-end hyphen), "R-CNN based
        models" (the hyphen left out)."""
        if text.startswith(self.modifier_suffixes, end) or BASED_UNHYPHENATED.match(text, end):
            return True
        if text[end - 1 : end] == "-" and text[end:].startswith((" ", "\n")):
            rest = "-" + text[end:].lstrip()
            return rest.startswith(self.modifier_suffixes)
        return False

    def _joined(self, text: str) -> str:
        """The text with introducing verbs split at a line end rejoined ("in-troduce",
        "pro- pose"), padded to keep every offset after the word."""
        if "-" not in text:
            return text

        def join(match: re.Match) -> str:
            word = match.group(1) + match.group(2)
            if not self.intro_verbs.fullmatch(word):
                return match.group()
            return word + " " * (len(match.group()) - len(word))

        return LINE_END_HYPHEN.sub(join, text)

    @staticmethod
    def _qualifies_previous(text: str, offset: int, names: list[Span], base: int) -> bool:
        """ "SlideBench-VQA (TCGA)": a name in parentheses right after another names its part."""
        if not text[:offset].endswith("("):
            return False
        opening = offset - 1
        before = text[:opening].rstrip()
        return any(n.end_char - base == len(before) for n in names)

    @staticmethod
    def _cue_close(text: str, offset: int, cue_end: int) -> bool:
        """A new name's cue stands a few words before it; "extends classical registration
        (i.e. ICP)" counts the words before the "i.e.", which the name restates."""
        if offset - cue_end < 0:
            return False
        gap = LIST_OPENER.sub("", text[cue_end:offset])
        return len(gap.split()) <= NEW_NAME_CUE_WORDS

    def _nearest_cue(
        self,
        text: str,
        start: int,
        end: int,
        patterns: dict[str, re.Pattern],
        window: tuple[int, int] | None = None,
        known: bool = True,
    ) -> tuple[str, str, int] | None:
        """The relation whose cue stands nearest before the name, else just after it.

        With a `window` (words before, words after), a cue counts only that close to the
        name; comparison cues before the name win ("compared to fine-tuning GPT-4o").
        After the name only a participle or a role noun counts ("SAM, fine-tuned on",
        "SAM's encoder"): in "RBDM utilizes X" RBDM is the subject, X the base. Cues
        such as "using" count for a new name only when it is used "to" do something.
        Returns the relation, the cue and where the cue ends (-1 for a cue after the name).
        """
        before: tuple[int, str, str] | None = None
        after: tuple[int, str, str] | None = None
        compared: tuple[int, str, str] | None = None
        words_before, words_after = window or (len(text), len(text))
        used_to = bool(USED_TO.match(text[end:]))
        for relation, pattern in patterns.items():
            for match in self._cue_matches(pattern, text):
                if CAPITALISED_SHORT_CUE.fullmatch(match.group()):
                    continue  # "the VS joints developed at DLR": variable stiffness, not "vs"
                cue = match.group().lower()
                if cue in self.known_only and not (known or used_to):
                    continue
                if cue in self.close_only and len(text[match.end() : start].split()) > 2:
                    continue  # "higher DSC than prior methods for PET-MRI": not PET-MRI
                if relation == BUILDS_ON and TRAINING_NOUN.match(text, match.end()):
                    continue  # "training data of SMPL-X fits": a noun, not training a model
                if NEGATED.search(text, max(0, match.start() - 30), match.start()):
                    continue  # "without pretraining on COCO", "does not depend on ..."
                if match.end() <= start and CONJUNCT_AFTER.match(text, match.end()):
                    continue
                if (
                    match.end() <= start
                    and self._words_between(text[match.end() : start]) <= words_before
                    and cue not in self.after_only
                ):
                    if before is None or match.end() > before[0]:
                        before = (match.end(), relation, match.group())
                    if relation == COMPARES_WITH:
                        compared = (match.end(), relation, match.group())
                elif (
                    match.start() >= end
                    and len(text[end : match.start()].split()) <= words_after
                    and (after is None or match.start() < after[0])
                    and (
                        relation not in MODEL_RELATIONS
                        or self._names_its_subject(cue, text[end : match.start()], relation)
                    )
                ):
                    after = (match.start(), relation, match.group())
        chosen = compared or before
        if chosen is not None:
            return chosen[1], chosen[2], chosen[0]
        return None if after is None else (after[1], after[2], -1)

    def _cue_matches(self, pattern: re.Pattern, text: str) -> list[re.Match]:
        key = (id(pattern), text)
        matches = self._cues_in.get(key)
        if matches is None:
            matches = self._cues_in[key] = list(pattern.finditer(text))
        return matches

    @staticmethod
    def _words_between(gap: str) -> int:
        """Words between a cue and a name, without asides in parentheses and the list
        opener before the name ("integrates generalist models (e.g., SAM) and specialist
        models (e.g., MedSAM)": MedSAM is nine words from the cue)."""
        return len(PARENTHESES.sub(" ", LIST_OPENER.sub("", gap)).split())

    def _names_its_subject(self, cue: str, gap: str, relation: str) -> bool:
        """Whether a cue after a name speaks of it: a participle ("SAM is fine-tuned") or
        a role noun ("SAM's encoder", "the SAM baseline", "FixMatch as the baseline"), not
        an active verb whose subject it is ("MAANS outperforms ...": MAANS is no
        baseline). A participle behind a preposition or an article modifies another noun
        ("UMLS into pretrained language models", "MCSB-ICA is an integrated method")."""
        return (
            cue in self.after_only
            or (cue in ("baseline", "baselines") and bool(ROLE_GAP.fullmatch(gap)))
            or (
                " " not in cue
                and cue.endswith("ed")
                and not PREPOSITION.search(gap)
                and not ARTICLE.search(gap)
                # "gNAC can estimate gNG efficiently and outperformed the NAC": a comparison
                # verb in the past is active unless passive ("X is outperformed by")
                and (relation != COMPARES_WITH or bool(PASSIVE_AUXILIARY.search(gap)))
            )
        )

    def _evaluation_subject(
        self, text: str, offset: int, names: list[Span], base: int
    ) -> str | None:
        """ "We benchmark/evaluate X (, Y and Z)", "we evaluated the performance of X":
        what the study examines, a comparison."""
        for verb in self.evaluation_subject.finditer(text, 0, offset):
            gap = ASPECT_OF.sub("", text[verb.end() : offset], count=1)
            for name in names:  # names listed before this one are part of the same object
                if verb.end() <= name.start_char - base and name.end_char - base <= offset:
                    gap = gap.replace(name.text, ",")
            authors = [a.end() for a in self.authors.finditer(text, 0, verb.start())]
            if (
                authors
                and (
                    len(text[authors[-1] : verb.start()].split()) <= AUTHOR_PARTICIPLE_WORDS
                    or TO_JUST_BEFORE.search(text, 0, verb.start())
                )
                and (len(gap.split()) <= 3 or COORDINATION.match(gap) or CLASS_LIST.match(gap))
                and not self.intro_stops.search(gap)
            ):
                return verb.group()
        return None

    @staticmethod
    def _listed(text: str, names: list[Span], base: int, verb: re.Match, found: dict) -> None:
        """ "we introduce two innovations: A (EPCT), which ..., and B (SPDPS)": every new name
        that opens an item of the announced list is introduced, past the clauses between."""
        for name in names:
            offset = name.start_char - base
            if (
                offset > verb.end()
                and not name.kb_id_
                and name.label_ != MODALITY
                and LIST_ITEM_BEFORE.search(text, max(0, offset - 60), offset)
            ):
                found.setdefault(name, (f"introduces:list:{verb.group().lower()}", 0.8))

    @staticmethod
    def _describes_previous(gap: str) -> bool:
        """ "we propose CRUDSQL, a large-scale CRUD operations Text-to-SQL dataset": names in
        an appositive after the new name describe it; "X, a dataset, and Y" adds Y."""
        return bool(APPOSITIVE_OPENER.match(gap)) and not COORDINATOR.search(gap)

    def _task_variant(self, name: Span) -> bool:
        """Whether an unknown name the text spells out as a word joined to the long form of
        a task or field acronym ("Graph-Simultaneous Localization and Mapping (Graph-SLAM)")
        is a kind of the task, not one artifact ("we introduce Fig-QA, a ... task" names its
        benchmark; "Twin-memory augmented Multiple Instance Learning (Twin-MIL)" says more
        than the task)."""
        variant = TASK_VARIANT.fullmatch(name.text)
        if variant is None or name.kb_id_ or name_key(variant["task"]) not in self.task_acronyms:
            return False
        word = name.text[: variant.start("task")]  # "Graph-"
        return any(
            pair.short.start_char == name.start_char
            and pair.long.text.startswith(word)
            and find_long_form(variant["task"], pair.long.text[len(word) :]) == 0
            for pair in name.doc._.kg_abbreviations or ()
        )

    def _others_participle(self, text: str, verb: re.Match) -> bool:
        """ "We present a reading of X, a method developed in the vision community": a
        participle far from the authors describes a noun, someone else's work; "we have
        developed X" has the authors right before it."""
        word = verb.group().lower()
        if not (word.endswith("ed") or word == "built"):
            return False
        authors = [a.end() for a in self.authors.finditer(text, 0, verb.start())]
        return len(text[authors[-1] : verb.start()].split()) > AUTHOR_PARTICIPLE_WORDS

    def _introduced(self, sentence: Span, names: list[Span]) -> dict[Span, tuple[str, float]]:
        text = self._joined(sentence_text(sentence))
        # "we propose an ... Network Based on Normalizing Flows (AGDiC)": a stop word inside a
        # defined long form is part of the name, not the end of the verb's object.
        stop_text = masked_long_forms(sentence, text)
        base = sentence.start_char
        # "X, a dynamic Gaussian Splatting framework": capitalised runs describe, not name,
        # unless they follow "a novel" ("utilises a novel Temporal Alignment Connector").
        found: dict[Span, tuple[str, float]] = {
            name: ("introduces:owned:novel-run", 0.6)
            for name in names
            if name.id_ == TITLED and NOVEL_JUST_BEFORE.search(text, 0, name.start_char - base)
        }
        names = [n for n in names if n.id_ != TITLED]
        for verb in self.intro_verbs.finditer(text):
            if not self.authors.search(text, 0, verb.start()) or OTHERS_BEFORE.search(
                text, max(0, verb.start() - 20), verb.start()
            ):
                continue  # "the recently proposed WGAN" is someone else's
            if self._others_participle(text, verb):
                continue
            stop = self.intro_stops.search(stop_text, verb.end())
            limit = stop.start() if stop else len(text)
            if LIST_ANNOUNCED.match(text, verb.end()):
                self._listed(text, names, base, verb, found)
            taken_end = None  # where the last name this verb introduced ends
            for name in names:
                offset = name.start_char - base
                if not verb.end() <= offset < limit or name.label_ == MODALITY:
                    continue
                if taken_end is not None and self._describes_previous(text[taken_end:offset]):
                    continue
                known = bool(name.kb_id_)
                if known and (
                    not DETERMINERS.match(text[verb.end() : offset])
                    # "we propose a novel U-Net architecture": an instance of U-Net
                    or ARCHITECTURE_AFTER.match(text, name.end_char - base)
                ):
                    continue
                spelled = max(verb.end(), spelled_from(name) - base)
                if (
                    PURPOSE_BEFORE.search(text, max(verb.end(), spelled - PURPOSE_REACH), spelled)
                    or CLASS_THEN_NAMED.match(text, name.end_char - base)
                    or EACH_BEFORE.search(text, max(verb.end(), spelled - PURPOSE_REACH), spelled)
                    or self._task_variant(name)
                ):
                    continue
                found.setdefault(name, (f"introduces:verb:{verb.group().lower()}", 0.9))
                taken_end = name.end_char - base
        for cue in self.naming.finditer(text):
            if cue.group().lower() == "namely" and PLURAL_BEFORE.search(
                text, max(0, cue.start() - 30), cue.start()
            ):
                continue  # "four datasets, namely A, B, ...": a list of existing things
            if TASK_BEFORE_NAMING.search(text, max(0, cue.start() - 30), cue.start()):
                continue  # "defines a new task named SSTOD": a task, not an artifact
            if cue.group()[0].isupper() and TITLED_WORD_AFTER.match(text, cue.end()):
                continue  # "Named Entity Recognition (NER) and ... (RC)": a name's first word
            following = [
                n for n in names if n.start_char - base >= cue.end() and n.label_ != MODALITY
            ]
            # "We name this second approach Biplanar DDNM Averaging (BiDA)": the name's long
            # form is the name, not words between the cue and it.
            gap = text[cue.end() : spelled_from(following[0]) - base] if following else ""
            if following and len(gap.split()) <= 6 and not self.intro_stops.search(gap):
                found.setdefault(following[0], (f"introduces:naming:{cue.group().lower()}", 0.9))
                # "a novel Faithful Latent Diffusion Model for VTON, termed FLDM-VTON": the
                # capitalised run before the naming phrase spells the name out
                for run in [n for n, how in found.items() if how[0].endswith(":novel-run")]:
                    if run.end_char - base <= cue.start():
                        del found[run]
        for name in names:
            if name.label_ == MODALITY:
                continue
            before = text[max(0, name.start_char - base - 60) : name.start_char - base]
            owned = OWNED_BEFORE.search(before)
            if owned and (
                self.intro_stops.search(owned.group())
                or self.model_cues[BUILDS_ON].search(owned.group())
                or any(
                    cue.group().lower() not in ("comparison", "comparisons")
                    for cue in self.model_cues[COMPARES_WITH].finditer(owned.group())
                )
                or PURPOSE_BEFORE.search(owned.group())
            ):
                owned = None  # "our approach integrates X", "our model outperforms X"
            if owned and (not name.kb_id_ or owned.group().split()[0].lower() == "new"):
                found.setdefault(
                    name, (f"introduces:owned:{owned.group().split()[0].lower()}", 0.7)
                )
            if not name.kb_id_ and NEW_KIND_APPOSITIVE.search(
                text, max(0, name.start_char - base - 80), name.start_char - base
            ):
                found.setdefault(name, ("introduces:owned:appositive", 0.7))
            if not name.kb_id_ and PART_APPOSITIVE.match(text, name.end_char - base):
                found.setdefault(name, ("introduces:part-appositive", 0.6))
            if (
                not name.kb_id_
                and ENUMERATED_BEFORE.search(
                    text, max(0, name.start_char - base - 12), name.start_char - base
                )
                and APPOSITIVE_OPENER.match(text[name.end_char - base :])
                and (
                    OUR_OPENING.match(text) or self.authors.search(text, 0, name.start_char - base)
                )
            ):  # "Our ... architecture consists of: (1) Neuro, a multimodal classifier ..."
                found.setdefault(name, ("introduces:owned:enumerated", 0.7))
            if (
                not name.kb_id_
                and ORDINAL_ITEM.match(text, 0, name.start_char - base)
                and self._announced_count(sentence)
            ):
                found.setdefault(name, ("introduces:ordinal-item", 0.7))
            after = OWNED_AFTER.match(text[name.end_char - base :])
            if after and self.intro_verbs.fullmatch(after.group(1)) and not name.kb_id_:
                found.setdefault(name, ("introduces:owned:we-made", 0.8))
        if self.authors.search(text):
            for name in names:
                if name.kb_id_ or name.label_ == MODALITY:
                    continue
                offset, end = name.start_char - base, name.end_char - base
                passive = PASSIVE_AFTER.match(text, end)
                if (
                    passive
                    and self.intro_verbs.fullmatch(passive.group(1))
                    and NOUN_PHRASE_BEFORE.search(text, 0, spelled_from(name) - base)
                    and not OTHERS_BEFORE.search(text, 0, offset)
                ):
                    found.setdefault(name, ("introduces:passive", 0.8))
        if (
            names
            and not names[0].kb_id_
            and names[0].start == sentence.start
            and names[0].label_ != MODALITY
        ) and APPOSITIVE_NEW.match(text[names[0].end_char - base :]):
            found.setdefault(names[0], ("introduces:appositive", 0.8))
        return {
            name: how
            for name, how in found.items()
            if not self._joined_to_suffix(text, name.end_char - base)
            and not NEW_CLASS_AFTER.match(text, name.end_char - base)
            and not self._task_object(text, name.end_char - base)
            and not self._generic_term(name)
        }

    def _announced_count(self, sentence: Span) -> bool:
        """Whether an earlier sentence has the authors introduce a count of things ("we
        introduce two physics-constrained approaches")."""
        earlier = doc_text(sentence.doc)[: sentence.start_char]
        return any(
            self.authors.search(earlier, max(0, verb.start() - 60), verb.start())
            and COUNT_AFTER.match(earlier, verb.end())
            for verb in self.intro_verbs.finditer(earlier)
        )

    def _task_object(self, text: str, end: int) -> bool:
        """ "a hybrid-view attention network for csPCa classification": a name before a
        task noun that ends its phrase is what the task is about, not an artifact ("PAA
        learning algorithms", "the HrSRG representation" are artifacts)."""
        after = TASK_AFTER.match(text, end)
        return bool(
            after
            and after.group(1) in self.task_heads
            and after.group(1) not in MODEL_TASK_HEADS
            and not ARTIFACT_NOUN.fullmatch(after.group(2) or "")
        )

    def _generic_term(self, name: Span) -> bool:
        """ "an unsupervised deep neural network (DNN)", "our robust VO methods": a generic
        term is no new artifact, unless the text defines it by a long form that is not
        generic itself ("a novel group Spectral Regularizer (gSR)")."""
        if not self.is_generic(name.text):
            return False
        long_forms = [
            pair.long.text
            for pair in name.doc._.kg_abbreviations or ()
            if pair.short.start_char == name.start_char
        ]
        return not any(not self.is_generic(long_form) for long_form in long_forms)


if not Doc.has_extension("kg_links"):
    Doc.set_extension("kg_links", default=None)
if not Doc.has_extension("kg_sentences"):
    Doc.set_extension("kg_sentences", default=None)


@Language.factory("kg_relations")
def make_relation_finder(nlp: Language, name: str) -> RelationFinder:
    return RelationFinder(default_vocabulary())
