"""Extraction quality on the development set, as `shared/tools/score.py` measures it.

The bar of the extraction issue: micro F1 >= 0.85 over the six relations, every
relation's F1 >= 0.70, paper-to-paper F1 >= 0.80. This guards against regressions;
the gold file is only read by the scorer, never by kg.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"  # beside the checkout, as in CI
SCORER = SHARED / "tools" / "score.py"
GOLD = SHARED / "gold" / "seeds.gold.jsonl"


@pytest.fixture(scope="module")
def scores(seeds_export: Path) -> dict:
    if not SCORER.exists():
        pytest.skip(f"the scorer is not beside the checkout: {SCORER}")
    run = subprocess.run(
        [sys.executable, str(SCORER), str(seeds_export), str(GOLD), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(run.stdout)


def test_every_seed_paper_is_found(scores: dict) -> None:
    assert scores["papers_found"] == scores["papers_in_gold"] == 89


def test_micro_f1_meets_the_bar(scores: dict) -> None:
    assert scores["micro"]["f1"] >= 0.85


@pytest.mark.parametrize(
    "relation",
    ["introduces", "buildsOn", "evaluatesOn", "trainedOn", "comparesWith", "usesModality"],
)
def test_each_relation_meets_the_bar(scores: dict, relation: str) -> None:
    assert scores["relations"][relation]["f1"] >= 0.70


def test_paper_to_paper_meets_the_bar(scores: dict) -> None:
    assert scores["paper_to_paper"]["f1"] >= 0.80
