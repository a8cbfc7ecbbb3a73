"""The small records that the stages hand to each other.

ingest yields `Paper`s (and reports `Problem`s), extract turns each paper into
a `PaperExtraction` of `Relation`s with their `Evidence`, link resolves the
mentions across papers, graph assembles them. No stage needs another stage's
internals: only these types.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Paper -> entity relations, by the local names the ontology and the scorer use.
INTRODUCES = "introduces"
BUILDS_ON = "buildsOn"
EVALUATES_ON = "evaluatesOn"
TRAINED_ON = "trainedOn"
COMPARES_WITH = "comparesWith"
USES_MODALITY = "usesModality"
RELATIONS = (INTRODUCES, BUILDS_ON, EVALUATES_ON, TRAINED_ON, COMPARES_WITH, USES_MODALITY)
# Paper -> paper relations: B uses (builds on, evaluates on, trains on) what A introduces.
PAPER_RELATIONS = (BUILDS_ON, EVALUATES_ON, TRAINED_ON)

# Entity types.
MODEL = "Model"
DATASET = "Dataset"
MODALITY = "Modality"
PAPER = "Paper"
ENTITY_TYPES = (MODEL, DATASET, MODALITY)


@dataclass(frozen=True, order=True)
class SourceRef:
    """Where a record was read: a file and the 1-based line its record starts on."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class Paper:
    """One paper as read from the input: identity, title and abstract, provenance."""

    # content-derived: "arxiv:2304.12306", else "doi:10.1/x", "pmid:1", "pmc:PMC1", else
    # "abstract:<hash>"
    id: str
    title: str | None
    abstract: str
    sources: tuple[SourceRef, ...]
    url: str | None = None
    year: int | None = None
    authors: tuple[str, ...] = ()
    doi: str | None = None
    arxiv_id: str | None = None
    # Every identifier of every record merged into this paper, as "scheme:value", sorted:
    # a paper met as a preprint and as a journal article keeps both DOIs.
    identifiers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Problem:
    """A record that was skipped (or would fail a --strict run), and why."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Evidence:
    """Why a link exists: the sentence, its character span in the abstract, the rule."""

    sentence: str
    start: int
    end: int
    rule: str
    confidence: float


@dataclass(frozen=True)
class Mention:
    """A named thing as one paper writes it: its name, type and the other forms used."""

    name: str
    type: str  # MODEL, DATASET or MODALITY
    aliases: tuple[str, ...] = ()
    concept: str | None = None  # IRI of the vocabulary concept it matched, if any


@dataclass(frozen=True)
class Relation:
    """One paper -> entity link found in one paper."""

    relation: str  # one of RELATIONS
    target: Mention
    evidence: Evidence


@dataclass(frozen=True)
class PaperExtraction:
    """Everything extraction found in one paper."""

    paper_id: str
    label: str  # the title, else a readable stand-in (what it introduces, else first words)
    relations: tuple[Relation, ...] = field(default_factory=tuple)
    code_urls: tuple[str, ...] = field(default_factory=tuple)
