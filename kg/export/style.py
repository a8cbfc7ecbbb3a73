"""How nodes and edges look, shared by the HTML view and the GraphML export."""

from __future__ import annotations

from typing import Any

# Display type -> (vis shape, colour). A base model is a Model some paper builds on.
NODE_STYLES: dict[str, tuple[str, str]] = {
    "Paper": ("dot", "#4e79a7"),
    "Model": ("diamond", "#f28e2b"),
    "BaseModel": ("star", "#e15759"),
    "Dataset": ("square", "#59a14f"),
    "Modality": ("triangle", "#b07aa1"),
}
RELATION_COLORS: dict[str, str] = {
    "introduces": "#e15759",
    "buildsOn": "#f28e2b",
    "evaluatesOn": "#59a14f",
    "trainedOn": "#76b7b2",
    "comparesWith": "#9c755f",
    "usesModality": "#b07aa1",
}
# Community colours of the entity map (Tableau 10 without the kind colours' grey).
COMMUNITY_COLORS: tuple[str, ...] = (
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#86bcb6",
)
SMALL_COMMUNITY_COLOR = "#bab0ac"


def display_type(data: dict[str, Any]) -> str:
    """The legend type of a node: its kind, or BaseModel for a model others build on."""
    if data.get("kind") == "Model" and data.get("is_base_model"):
        return "BaseModel"
    return data.get("kind", "Paper")


def rgb(color: str) -> tuple[int, int, int]:
    """`#rrggbb` as three 0..255 integers."""
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)
