"""A small knowledge graph built from seed abstracts, by docs/graph-schema.md, for the RDF tests."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import networkx as nx
import pytest

SEED = Path(__file__).parents[1] / "seeds" / "000_9d6abce8a37abc18.txt"

CC_TITLE = "CC-SAM: SAM with Cross-feature Attention and Context for Ultrasound Image Segmentation"
ESP_TITLE = "ESP-MedSAM: Efficient Self-Prompting SAM for Universal Image Segmentation"
MIX_TITLE = "MedSAMix: A Training-Free Model Merging Approach for Medical Image Segmentation"
PAX_TITLE = "Detailed Annotations of Chest X-Rays via CT Projection for Report Understanding"
MCP_TITLE = (
    "MCP-MedSAM: A Powerful Lightweight Medical Segment Anything Model Trained with a "
    "Single GPU in Just One Day"
)
# A paper id and title with every character that needs care in Turtle.
HOSTILE_ID = 'paper/doi:10.1000/a"b>c\\d e{f}%41#g?é'
HOSTILE_TITLE = 'Ünïcödé “SAM” <b>\\n"quoted"\ttab\nnewline\r\x00\x07\x7f 𝔐 segment ✓'
VOCAB = "https://w3id.org/kg/vocab/"


def abstract_after(title: str) -> str:
    """The paragraph after `title` in the seed file: that paper's abstract."""
    paragraphs = [p.strip() for p in SEED.read_text(encoding="utf-8").split("\n\n")]
    return paragraphs[paragraphs.index(title) + 1]


def link(abstract: str, words: str, rule: str, confidence: float) -> dict:
    """Edge attributes for the sentence of `abstract` that contains `words`."""
    at = abstract.index(words)
    start = abstract.rfind(". ", 0, at) + 2 if ". " in abstract[:at] else 0
    end = abstract.index(". ", at) + 1 if ". " in abstract[at:] else len(abstract)
    return {
        "sentence": abstract[start:end],
        "start": start,
        "end": end,
        "rule": rule,
        "confidence": confidence,
    }


def title_link(title: str, rule: str = "title-colon") -> dict:
    return {"sentence": title, "start": -1, "end": -1, "rule": rule, "confidence": 0.95}


def paper(title: str, abstract: str, line: int, **extra) -> dict:
    return {
        "kind": "Paper",
        "label": extra.pop("label", title),
        "title": title,
        "abstract": abstract,
        "authors": [],
        "sources": [f"seeds/000_9d6abce8a37abc18.txt:{line}"],
        "code_urls": [],
        **extra,
    }


def entity(kind: str, label: str, aliases=(), concept=None, **extra) -> dict:
    data = {"kind": kind, "label": label, "aliases": sorted(aliases), **extra}
    if concept:
        data["concept"] = VOCAB + concept
    return data


def sample_graph() -> nx.MultiDiGraph:
    """Six papers (five seed abstracts, one hostile), their entities, paper -> paper edges."""
    esp, mix, pax = abstract_after(ESP_TITLE), abstract_after(MIX_TITLE), abstract_after(PAX_TITLE)
    mcp, cc = abstract_after(MCP_TITLE), abstract_after(CC_TITLE)
    hostile_abstract = 'We build on ESP-MedSAM "as is" \\ and evaluate on PAXRay.\nDone.'
    graph = nx.MultiDiGraph()
    graph.add_node("paper/title:cc", **paper(CC_TITLE, cc, 17))
    graph.add_node("paper/title:esp", **paper(ESP_TITLE, esp, 313, year=2024))
    graph.add_node(
        "paper/title:mix",
        **paper(MIX_TITLE, mix, 325, year=2025, authors=["Yanwu Yang", "Guinan Su"]),
    )
    graph.add_node(
        "paper/title:pax",
        **paper(
            PAX_TITLE,
            pax,
            21,
            code_urls=["https://constantinseibold.github.io/paxray/"],
            url="https://arxiv.org/abs/2210.16779",
            arxiv_id="2210.16779",
        ),
    )
    graph.add_node("paper/abstract:mcp", **paper("", mcp, 155, label="MCP-MedSAM"))
    graph.add_node(
        HOSTILE_ID,
        **paper(
            HOSTILE_TITLE,
            hostile_abstract,
            999,
            doi='10.1000/a"b>c\\d e{f}%41#g?é',
            code_urls=["github.com/x y/{z}|`^"],
        ),
    )
    graph.add_node(
        "model/sam",
        **entity("Model", "SAM", ["Segment Anything Model"], "model/sam", is_base_model=True),
    )
    graph.add_node("model/cc-sam", **entity("Model", "CC-SAM", is_base_model=False))
    graph.add_node("model/medsam", **entity("Model", "MedSAM", is_base_model=True))
    graph.add_node("model/esp-medsam", **entity("Model", "ESP-MedSAM", is_base_model=True))
    graph.add_node("model/medsamix", **entity("Model", "MedSAMix", is_base_model=False))
    graph.add_node("model/mcp-medsam", **entity("Model", "MCP-MedSAM", is_base_model=False))
    graph.add_node(
        "dataset/paxray",
        **entity(
            "Dataset",
            "PAXRay",
            ["Projected dataset for the segmentation of Anatomical structures in X-Ray data"],
        ),
    )
    graph.add_node("dataset/openi", **entity("Dataset", "OpenI"))
    graph.add_node(
        "modality/chest-x-ray",
        **entity(
            "Modality",
            "chest X-ray",
            ["CXR"],
            "modality/chest-x-ray",
            broader=["modality/x-ray"],
        ),
    )
    graph.add_node(
        "modality/x-ray", **entity("Modality", "X-ray", (), "modality/x-ray", broader=[])
    )
    graph.add_node(
        "modality/ultrasound",
        **entity("Modality", "ultrasound", (), "modality/ultrasound", broader=[]),
    )
    graph.add_node("modality/ct", **entity("Modality", "CT", (), "modality/ct", broader=[]))

    def edge(source: str, relation: str, target: str, attrs: dict, via: str | None = None):
        data = {"relation": relation, **attrs}
        if via:
            data["via"] = via
        graph.add_edge(source, target, key=relation, **data)

    edge("paper/title:cc", "introduces", "model/cc-sam", title_link(CC_TITLE))
    fine_tune = link(cc, "to fine-tune SAM for ultrasound", "fine-tune-x", 0.9)
    edge("paper/title:cc", "buildsOn", "model/sam", fine_tune)
    edge("paper/title:cc", "usesModality", "modality/ultrasound", fine_tune)
    edge("paper/title:esp", "introduces", "model/esp-medsam", title_link(ESP_TITLE))
    edge(
        "paper/title:esp", "buildsOn", "model/sam", link(esp, "named ESP-MedSAM", "propose-x", 0.8)
    )
    edge("paper/title:esp", "comparesWith", "model/sam", link(esp, "SAM-Base", "compared-to", 0.6))
    edge("paper/title:mix", "introduces", "model/medsamix", title_link(MIX_TITLE))
    edge("paper/title:mix", "buildsOn", "model/sam", link(mix, "generalist models", "merges", 0.7))
    edge("paper/title:mix", "buildsOn", "model/medsam", link(mix, "(e.g., MedSAM)", "merges", 0.7))
    edge(
        "paper/title:pax", "introduces", "dataset/paxray", link(pax, "in our PAXRay", "our-x", 0.9)
    )
    edge("paper/title:pax", "evaluatesOn", "dataset/openi", link(pax, "OpenI", "results-on", 0.85))
    for modality, words in (("modality/chest-x-ray", "X-Ray data"), ("modality/ct", "computed")):
        edge("paper/title:pax", "usesModality", modality, link(pax, words, "vocab", 1.0))
    edge(
        "paper/abstract:mcp",
        "introduces",
        "model/mcp-medsam",
        link(mcp, "we propose MCP-MedSAM", "propose-x", 0.9),
    )
    edge(
        "paper/abstract:mcp",
        "buildsOn",
        "model/sam",
        link(mcp, "medical SAM model", "x-model", 0.5),
    )
    hostile_build = link(hostile_abstract, "ESP-MedSAM", "built-on", 1.0)
    hostile_eval = link(hostile_abstract, "PAXRay", "evaluate-on", 0.000001)
    edge(HOSTILE_ID, "buildsOn", "model/esp-medsam", hostile_build)
    edge(HOSTILE_ID, "evaluatesOn", "dataset/paxray", hostile_eval)
    edge(HOSTILE_ID, "buildsOn", "paper/title:esp", hostile_build, via="model/esp-medsam")
    edge(HOSTILE_ID, "evaluatesOn", "paper/title:pax", hostile_eval, via="dataset/paxray")
    return graph


def require_tool(name: str) -> str:
    """The path of an external tool; skip without it, unless CI is set (CI installs it)."""
    found = shutil.which(name)
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is required when CI is set")
        pytest.skip(f"{name} is not installed")
    return found
