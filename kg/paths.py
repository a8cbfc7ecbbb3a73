"""Where the project's data lives: the ontology, vocabularies, bundled queries and seeds."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_DIR = PROJECT_ROOT / "ontology"
VOCABULARY_DIR = ONTOLOGY_DIR / "vocab"
CUES_FILE = ONTOLOGY_DIR / "cues.toml"
QUERIES_DIR = PROJECT_ROOT / "queries"
SEEDS_DIR = PROJECT_ROOT / "seeds"
