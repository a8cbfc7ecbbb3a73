"""Vocabulary matching (`kg_vocabulary`) and the vocabulary files themselves."""

from __future__ import annotations

import shutil
from pathlib import Path

from kg.extract.vocabulary import read_vocabulary
from kg.paths import CUES_FILE, VOCABULARY_DIR

VOCAB = "https://w3id.org/kg/vocab/"


def vocab_matches(doc) -> list[tuple[str, str]]:
    return [(span.text, span.kb_id_.removeprefix(VOCAB)) for span in doc.spans["kg_vocab"]]


def test_capitalised_one_word_label_matches_only_in_its_case(nlp):
    doc = nlp("A sam of cells was imaged, and then SAM segmented them.")
    assert vocab_matches(doc) == [("SAM", "model/sam")]


def test_lower_case_word_alone_is_not_the_model(nlp):
    doc = nlp("The clip and the sam were stored together.")
    assert vocab_matches(doc) == []


def test_multi_word_label_matches_in_any_case(nlp):
    doc = nlp("We rely on the segment anything model for masks.")
    assert vocab_matches(doc) == [("segment anything model", "model/sam")]


def test_modality_synonyms_resolve_to_their_concept(nlp):
    doc = nlp("Readers compared CXR films with Computed Tomography volumes and MR imaging.")
    assert vocab_matches(doc) == [
        ("CXR", "modality/chest-x-ray"),
        ("Computed Tomography", "modality/ct"),
        ("MR imaging", "modality/mri"),
    ]


def test_longest_match_wins(nlp):
    doc = nlp("Every chest X-ray was read twice.")
    assert vocab_matches(doc) == [("chest X-ray", "modality/chest-x-ray")]


def copy_vocabulary(tmp_path: Path) -> tuple[Path, Path]:
    vocab_dir = tmp_path / "vocab"
    shutil.copytree(VOCABULARY_DIR, vocab_dir)
    cues = tmp_path / "cues.toml"
    shutil.copyfile(CUES_FILE, cues)
    return vocab_dir, cues


def test_fingerprint_is_stable_for_the_same_files(tmp_path):
    vocab_dir, cues = copy_vocabulary(tmp_path)
    assert (
        read_vocabulary(vocab_dir, cues).fingerprint == read_vocabulary(vocab_dir, cues).fingerprint
    )


def test_fingerprint_changes_when_a_vocabulary_file_changes(tmp_path):
    vocab_dir, cues = copy_vocabulary(tmp_path)
    before = read_vocabulary(vocab_dir, cues)
    models = vocab_dir / "models.ttl"
    models.write_text(
        models.read_text(encoding="utf-8")
        + '\nm:zorbnet a skos:Concept ; skos:inScheme kgv:models ; skos:prefLabel "ZorbNet" .\n',
        encoding="utf-8",
    )
    after = read_vocabulary(vocab_dir, cues)
    assert after.fingerprint != before.fingerprint
    assert VOCAB + "model/zorbnet" in after.concepts
    assert VOCAB + "model/zorbnet" not in before.concepts


def test_fingerprint_changes_when_the_cue_file_changes(tmp_path):
    vocab_dir, cues = copy_vocabulary(tmp_path)
    before = read_vocabulary(vocab_dir, cues).fingerprint
    cues.write_text(cues.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert read_vocabulary(vocab_dir, cues).fingerprint != before


def test_concept_types_follow_their_scheme():
    vocabulary = read_vocabulary()
    assert vocabulary.concepts[VOCAB + "model/sam"].type == "Model"
    assert vocabulary.concepts[VOCAB + "dataset/mimic-cxr"].type == "Dataset"
    assert vocabulary.concepts[VOCAB + "modality/chest-x-ray"].broader == (
        VOCAB + "modality/x-ray",
    )
