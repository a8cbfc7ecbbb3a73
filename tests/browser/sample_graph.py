"""Graphs for the view's tests, built to docs/graph-schema.md from real seed abstracts."""

from __future__ import annotations

import itertools
import random
import re
from pathlib import Path

import networkx as nx

SEED = Path(__file__).parents[2] / "seeds" / "000_9d6abce8a37abc18.txt"
HOSTILE_TITLE = (
    'Segmenting </script><img src=x onerror="window.__pwned=1"> & "quoted" <b>organs</b>'
)

# (title in the seed file, node id, extra paper fields, links as
#  (relation, kind, name, aliases, words of the evidence sentence, rule, confidence)).
PAPERS = [
    (
        "Many-Shot In-Context Learning in Multimodal Foundation Models",
        "paper/arxiv:2405.09798",
        {"year": 2024, "code_urls": ["https://github.com/stanfordmlgroup/ManyICL"]},
        [
            ("evaluatesOn", "Model", "GPT-4o", (), "We benchmark GPT-4o", "benchmark-verb", 0.8),
            ("comparesWith", "Model", "Gemini 1.5 Pro", (), "higher ICL data", "compare-cue", 0.6),
            ("usesModality", "Modality", "remote sensing", (), "remote sensing", "modality", 0.7),
        ],
    ),
    (
        "CC-SAM: SAM with Cross-feature Attention and Context for Ultrasound Image Segmentation",
        "paper/title:cc-sam",
        {},
        [
            ("introduces", "Model", "CC-SAM", (), None, "title-name", 1.0),
            ("buildsOn", "Model", "SAM", ("Segment Anything Model",), "optimize SAM", "adapt", 0.8),
            ("buildsOn", "Model", "ChatGPT", (), "Leveraging ChatGPT's", "leverage", 0.7),
            ("usesModality", "Modality", "ultrasound", (), "ultrasound medical images", "mod", 0.9),
        ],
    ),
    (
        "RoentGen: Vision-Language Foundation Model for Chest X-ray Generation",
        "paper/arxiv:2211.12737",
        {"year": 2022, "url": "https://arxiv.org/abs/2211.12737", "authors": ["P. Chambon"]},
        [
            ("introduces", "Model", "RoentGen", (), "resulting model (RoentGen)", "appos", 0.9),
            ("usesModality", "Modality", "chest X-ray", ("CXR",), "chest x-rays (CXR)", "mod", 0.9),
        ],
    ),
    (
        "LLM-CXR: Instruction-Finetuned LLM for CXR Image Understanding and Generation",
        "paper/arxiv:2305.11490",
        {"year": 2023, "code_urls": ["https://github.com/hyn2028/llm-cxr"]},
        [
            ("introduces", "Model", "LLM-CXR", (), "our model, LLM-CXR", "our-model", 0.9),
            ("buildsOn", "Model", "VQ-GAN", (), "VQ-GAN combination", "inspiration", 0.6),
            ("usesModality", "Modality", "chest X-ray", ("CXR",), "chest X-rays (CXR)", "mod", 0.9),
        ],
    ),
    (
        "CheXGenBench: A Unified Benchmark For Fidelity, Privacy and Utility of Synthetic"
        " Chest Radiographs",
        "paper/arxiv:2505.10496",
        {"year": 2025, "url": "https://raman1121.github.io/CheXGenBench/"},
        [
            (
                "introduces",
                "Dataset",
                "CheXGenBench",
                (),
                "We introduce CheXGenBench",
                "intro",
                1.0,
            ),
            ("introduces", "Dataset", "SynthCheX-75K", (), "SynthCheX-75K, comprising", "rel", 0.9),
            ("evaluatesOn", "Model", "Sana 0.6B", (), "(Sana 0.6B)", "benchmark-verb", 0.5),
            ("usesModality", "Modality", "chest X-ray", ("CXR",), "chest radiograph", "mod", 0.8),
        ],
    ),
    (
        "MedImageInsight: An Open-Source Embedding Model for General Domain Medical Imaging",
        "paper/arxiv:2410.06542",
        {"year": 2024},
        [
            ("introduces", "Model", "MedImageInsight", (), "we present MedImageInsight", "i", 1.0),
            ("comparesWith", "Model", "GPT-4o", (), "where GPT-4o sets", "compare-cue", 0.7),
            ("trainedOn", "Dataset", "MIMIC-CXR", (), "only MIMIC-CXR data", "data-of", 0.5),
            ("usesModality", "Modality", "CT", (), "including X-Ray, CT", "mod", 0.8),
            (
                "usesModality",
                "Modality",
                "chest X-ray",
                ("CXR",),
                "search for chest X-ray",
                "m",
                0.8,
            ),
        ],
    ),
    (
        "ConceptCLIP: Towards Trustworthy Medical AI via Concept-Enhanced Contrastive"
        " Langauge-Image Pre-training",
        "paper/arxiv:2501.15579",
        {"year": 2025},
        [
            ("introduces", "Model", "ConceptCLIP", (), "we introduce ConceptCLIP", "intro", 1.0),
            (
                "introduces",
                "Dataset",
                "MedConcept-23M",
                (),
                "we construct MedConcept-23M",
                "c",
                0.9,
            ),
            ("trainedOn", "Dataset", "MedConcept-23M", (), "Based on MedConcept-23M", "based", 0.8),
        ],
    ),
    (
        "UniMed-CLIP: Towards a Unified Image-Text Pretraining Paradigm for Diverse Medical"
        " Imaging Modalities",
        "paper/arxiv:2412.10372",
        {"year": 2024, "code_urls": ["https://github.com/mbzuai-oryx/UniMed-CLIP"]},
        [
            ("introduces", "Model", "UniMed-CLIP", (), "we trained UniMed-CLIP", "train", 0.9),
            ("introduces", "Dataset", "UniMed", (), "we introduce UniMed", "intro", 1.0),
            ("trainedOn", "Dataset", "UniMed", (), "Using UniMed, we trained", "using", 0.8),
            ("comparesWith", "Model", "BiomedCLIP", (), "improves over BiomedCLIP", "c", 0.9),
            ("evaluatesOn", "Model", "BiomedCLIP", (), "improves over BiomedCLIP", "base", 0.4),
            ("usesModality", "Modality", "CT", (), "X-ray, CT, MRI", "mod", 0.8),
        ],
    ),
    (
        "Large-Scale Domain-Specific Pretraining for Biomedical Vision-Language Processing",
        "paper/arxiv:2303.00915",
        {"year": 2023, "url": "https://arxiv.org/abs/2303.00915"},
        [
            ("introduces", "Model", "BiomedCLIP", (), "We propose BiomedCLIP", "propose", 1.0),
            ("introduces", "Dataset", "PMC-15M", (), "Our dataset (PMC-15M)", "our-data", 0.9),
            ("buildsOn", "Model", "CLIP", (), "The standard CLIP method", "adapt", 0.5),
            ("comparesWith", "Model", "BioViL", (), "such as BioViL", "compare-cue", 0.7),
        ],
    ),
    (
        "Contrastive Learning of Medical Visual Representations from Paired Images and Text",
        "paper/title:convirt",
        {},
        [
            ("introduces", "Model", "ConVIRT", (), "We propose ConVIRT", "propose", 1.0),
            ("trainedOn", "Dataset", "ImageNet", (), "from ImageNet pretraining", "from", 0.4),
        ],
    ),
]
# Papers building on what another paper introduces (B -> A via the entity), as kg.link makes them.
PAPER_LINKS = [
    ("paper/arxiv:2412.10372", "paper/arxiv:2303.00915", "evaluatesOn", "model/biomedclip"),
]


def slug(name: str) -> str:
    """The node-id slug of docs/graph-schema.md: lower-case ASCII, digits and `-`."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def seed_abstracts() -> dict[str, str]:
    """Title -> abstract for the seed files (each title paragraph followed by its abstract)."""
    text = "\n\n".join(
        path.read_text(encoding="utf-8") for path in sorted(SEED.parent.glob("*.txt"))
    )
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    return {paragraphs[i]: paragraphs[i + 1] for i in range(len(paragraphs) - 1)}


def sentence_span(abstract: str, words: str) -> tuple[int, int]:
    """Offsets of the sentence of `abstract` containing `words`."""
    at = abstract.index(words)
    boundaries = [m.end() for m in re.finditer(r"[.!?]\s+", abstract)]
    start = max([b for b in boundaries if b <= at], default=0)
    end = min([b for b in boundaries if b > at], default=len(abstract))
    return start, len(abstract[:end].rstrip())


def seed_graph(*, hostile: bool = True) -> nx.MultiDiGraph:
    """The sample graph: ten seed papers, their entities and evidence, one hostile title."""
    abstracts = seed_abstracts()
    graph = nx.MultiDiGraph()
    entities: dict[str, dict] = {}
    for title, paper_id, extra, links in PAPERS:
        abstract = abstracts[title]
        graph.add_node(
            paper_id,
            kind="Paper",
            label=title,
            title=title,
            abstract=abstract,
            authors=extra.get("authors", []),
            sources=[f"seeds/{SEED.name}:1"],
            code_urls=extra.get("code_urls", []),
            **{k: v for k, v in extra.items() if k in ("year", "url")},
        )
        for relation, kind, name, aliases, words, rule, confidence in links:
            node_id = f"{kind.lower()}/{slug(name)}"
            entity = entities.setdefault(node_id, {"kind": kind, "label": name, "aliases": set()})
            entity["aliases"].update(aliases)
            if relation == "buildsOn":
                entity["is_base_model"] = True
            if words is None:
                sentence, start, end = title, -1, -1
            else:
                start, end = sentence_span(abstract, words)
                sentence = abstract[start:end]
            graph.add_edge(
                paper_id,
                node_id,
                key=relation,
                relation=relation,
                sentence=sentence,
                start=start,
                end=end,
                rule=rule,
                confidence=confidence,
            )
    for node_id, entity in entities.items():
        attrs = {"kind": entity["kind"], "label": entity["label"]}
        attrs["aliases"] = sorted(entity["aliases"])
        if entity["kind"] == "Model":
            attrs["is_base_model"] = entity.get("is_base_model", False)
        if entity["kind"] == "Modality":
            attrs["broader"] = ["modality/x-ray"] if node_id == "modality/chest-x-ray" else []
        graph.add_node(node_id, **attrs)
    for source, target, relation, via in PAPER_LINKS:
        data = dict(graph.edges[source, via, relation])
        graph.add_edge(source, target, key=relation, **data, via=via)
    if hostile:
        graph.nodes["paper/title:cc-sam"]["label"] = HOSTILE_TITLE
        graph.nodes["paper/title:cc-sam"]["title"] = HOSTILE_TITLE
    return graph


def synthetic_graph(papers: int, entities: int, edges_per_paper: int, seed: int = 1):
    """A random graph of the schema's shape, for size tests: papers linking to entities."""
    rng = random.Random(seed)
    graph = nx.MultiDiGraph()
    kinds = ("Model", "Dataset", "Modality")
    relations = ("introduces", "buildsOn", "evaluatesOn", "trainedOn", "comparesWith")
    entity_ids = []
    for index in range(entities):
        kind = kinds[index % 3]
        node_id = f"{kind.lower()}/entity-{index}"
        entity_ids.append(node_id)
        graph.add_node(node_id, kind=kind, label=f"{kind} {index}", aliases=[f"E{index}"])
    # A skewed choice gives a few hubs and a long tail, as real citations do; cumulative
    # weights (the same draws as plain ones) keep each choice logarithmic.
    weights = list(itertools.accumulate(1.0 / (rank + 1) for rank in range(entities)))
    for index in range(papers):
        paper_id = f"paper/title:{index:06d}"
        graph.add_node(paper_id, kind="Paper", label=f"Synthetic paper number {index}", title="")
        for target in set(rng.choices(entity_ids, cum_weights=weights, k=edges_per_paper)):
            relation = "usesModality" if target.startswith("modality/") else rng.choice(relations)
            graph.add_edge(
                paper_id,
                target,
                key=relation,
                relation=relation,
                sentence=f"Paper {index} links to {target}.",
                start=0,
                end=30,
                rule="synthetic",
                confidence=0.5,
            )
    return graph
