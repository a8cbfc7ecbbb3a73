"""Start-up: the commands that read an export do not load spaCy, matplotlib or numpy, which
only `kg build` (extraction, and the HTML page's charts and map layout) needs."""

from __future__ import annotations

import subprocess
import sys

import kg.cli
from kg.engine import ENGINES

LOADED_HEAVY_MODULES = (
    "import sys, runpy; sys.argv = ['kg', 'query', '--help']\n"
    "try:\n"
    "    runpy.run_module('kg', run_name='__main__')\n"
    "except SystemExit:\n"
    "    pass\n"
    "print(sorted({m.split('.')[0] for m in sys.modules} & {'spacy', 'matplotlib', 'numpy'}))\n"
)


def test_kg_query_loads_no_spacy_matplotlib_or_numpy():
    result = subprocess.run(
        [sys.executable, "-c", LOADED_HEAVY_MODULES], capture_output=True, text=True, check=True
    )
    assert "Run QUERY over the Turtle export" in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_the_cli_offers_the_engines_kg_build_runs():
    assert kg.cli.ENGINE_NAMES == ENGINES


def test_the_cli_loads_pyshacl_only_to_validate_with_it():
    loaded = "import sys, kg.cli; print('pyshacl' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", loaded], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"  # a tenth of a second every kg command spared
