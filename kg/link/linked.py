"""What the link stage hands to the graph: resolved entities, paper -> entity edges and
paper -> paper edges."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from kg.extract.vocabulary import name_key
from kg.records import Evidence

# What a slug writes as one hyphen.
NOT_SLUG = re.compile(r"[^a-z0-9]+")
# name_key, remembered: the link stage asks for the same few spellings millions of times.
spelling_key = lru_cache(maxsize=None)(name_key)


@dataclass
class ResolvedEntity:
    node_id: str
    type: str
    label: str
    aliases: list[str]
    concept: str | None
    broader: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class EntityEdge:
    paper_id: str
    relation: str
    node_id: str
    evidence: Evidence


@dataclass(frozen=True)
class PaperEdge:
    source_paper: str
    relation: str
    target_paper: str
    via: str  # node id of the entity the target paper introduces
    evidence: Evidence


@dataclass
class Linked:
    entities: dict[str, ResolvedEntity]
    entity_edges: list[EntityEdge]
    paper_edges: list[PaperEdge]


@lru_cache(maxsize=1 << 17)  # every entity's label, most of them names `kg.link.prepare` saw
def slug(text: str) -> str:
    """Lower-case ASCII letters, digits and single hyphens: "GPT-4V(ision)" -> "gpt-4v-ision"."""
    ascii_text = (
        text
        if text.isascii()  # NFKD leaves ASCII as it is
        else unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    )
    return NOT_SLUG.sub("-", ascii_text.lower()).strip("-") or "x"
