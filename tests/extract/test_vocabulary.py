"""Vocabulary matching (`kg_vocabulary`) and the vocabulary files themselves."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS

from kg.extract.vocabulary import (
    GENERIC_TERMS_FILE,
    default_vocabulary,
    name_key,
    read_generic_terms,
    read_vocabulary,
)
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


def test_pixel_models_of_different_papers_are_different_concepts(nlp):
    doc = nlp("We compare PixelRNN, PixelCNN and PixelCNN++ on the same images.")
    assert vocab_matches(doc) == [
        ("PixelRNN", "model/pixelrnn"),
        ("PixelCNN", "model/pixelcnn"),
        ("PixelCNN++", "model/pixelcnn-plus-plus"),
    ]


def test_longest_match_wins(nlp):
    doc = nlp("Every chest X-ray was read twice.")
    assert vocab_matches(doc) == [("chest X-ray", "modality/chest-x-ray")]


def test_dataset_versions_and_spellings_resolve_to_their_concepts(nlp):
    doc = nlp(
        "We pre-train on ILSVRC-2012 and report results on VOC2007, PASCAL VOC 2012, "
        "Cityscapes and NYUv2."
    )
    assert vocab_matches(doc) == [
        ("ILSVRC-2012", "dataset/imagenet"),
        ("VOC2007", "dataset/pascal-voc-2007"),
        ("PASCAL VOC 2012", "dataset/pascal-voc-2012"),
        ("Cityscapes", "dataset/cityscapes"),
        ("NYUv2", "dataset/nyu-depth-v2"),
    ]


def test_ordinary_words_are_not_datasets(nlp):
    doc = nlp("Researchers at Caltech used glue to fix the spider to a natural questions board.")
    assert vocab_matches(doc) == []


def test_a_match_case_concept_matches_only_as_written(nlp):
    doc = nlp("We answer natural questions from users; on Natural Questions we gain 3 points.")
    assert vocab_matches(doc) == [("Natural Questions", "dataset/natural-questions")]


def vocabulary_graph() -> Graph:
    graph = Graph()
    for path in sorted(VOCABULARY_DIR.glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


def test_every_model_and_dataset_names_its_source():
    graph = vocabulary_graph()
    unsourced = [
        concept.iri
        for concept in default_vocabulary().concepts.values()
        if concept.type != "Modality" and graph.value(URIRef(concept.iri), DCTERMS.source) is None
    ]
    assert unsourced == []


def test_every_model_and_dataset_has_the_year_it_appeared():
    for concept in default_vocabulary().concepts.values():
        if concept.type != "Modality":
            assert concept.issued and 1950 < concept.issued <= 2026, concept.iri
    assert default_vocabulary().concepts[VOCAB + "model/ransac"].issued == 1981


def test_broader_concepts_exist_and_have_the_same_type():
    concepts = default_vocabulary().concepts
    for concept in concepts.values():
        for broader in concept.broader:
            assert concepts[broader].type == concept.type, (concept.iri, broader)


def test_no_surface_form_names_two_concepts():
    owners: dict[str, set[str]] = {}
    for concept in default_vocabulary().concepts.values():
        for form in concept.surface_forms:
            owners.setdefault(name_key(form), set()).add(concept.iri)
    assert {form: iris for form, iris in owners.items() if len(iris) > 1} == {}


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
    vocabulary = default_vocabulary()
    assert vocabulary.concepts[VOCAB + "model/sam"].type == "Model"
    assert vocabulary.concepts[VOCAB + "dataset/mimic-cxr"].type == "Dataset"
    assert vocabulary.concepts[VOCAB + "modality/chest-x-ray"].broader == (
        VOCAB + "modality/x-ray",
    )


@pytest.mark.parametrize(
    "name",
    [
        "RGB",
        "RGB-D",
        "LiDAR",
        "IMU",
        "dB",
        "GHz",
        "FPS",
        "PSNR",
        "mAP",
        "Dice",
        "AUROC",
        "CNNs",
        "DNN",
        "SLAM",
        "NLP",
        "Adam",
        "SGD",
        "MCI",
        "GCS",
        "EEG",
        "ReID",
        "re-id",
        "Transformers",
        "USD",
        "REL",
        "VQ",
        "variational Bayesian",
    ],
)
def test_generic_terms_of_every_category_are_generic(name):
    assert default_vocabulary().is_generic(name)


@pytest.mark.parametrize(
    "name",
    ["SAM", "CLIP", "KITTI", "ImageNet", "LSTM", "Swin Transformer", "ResNet-50", "CT", "MRI"],
)
def test_named_artifacts_and_modalities_are_not_generic(name):
    assert not default_vocabulary().is_generic(name)


def test_no_generic_term_is_a_name_of_a_vocabulary_concept():
    vocabulary = default_vocabulary()
    clashes = [
        (form, concept.iri)
        for concept in vocabulary.concepts.values()
        for form in concept.surface_forms
        if vocabulary.is_generic(form)
    ]
    assert clashes == []
    assert not vocabulary.generic_terms.keys() & vocabulary.concept_keys


def test_a_number_with_its_unit_is_generic():
    vocabulary = default_vocabulary()
    assert vocabulary.is_generic("30Hz") and vocabulary.is_generic("100 ms")
    assert not vocabulary.is_generic("3D") and not vocabulary.is_generic("360Hz-Net")


def test_a_known_name_is_no_plural_of_a_generic_term():
    vocabulary = default_vocabulary()
    assert vocabulary.is_generic("PAC") and vocabulary.is_generic("SVMs")
    assert not vocabulary.is_generic("PACS")


def test_every_generic_term_names_its_source():
    for term in default_vocabulary().generic_terms.values():
        assert term.source and term.category


def test_a_group_without_source_is_refused(tmp_path):
    path = tmp_path / GENERIC_TERMS_FILE
    path.write_text('[units]\n[[units.groups]]\nterms = ["dB"]\n', encoding="utf-8")
    with pytest.raises(ValueError, match="units.*needs a source"):
        read_generic_terms(path)


def test_a_term_listed_twice_in_any_spelling_is_refused(tmp_path):
    path = tmp_path / GENERIC_TERMS_FILE
    path.write_text(
        '[units]\n[[units.groups]]\nsource = "SI"\nterms = ["ms"]\n'
        '[diseases]\n[[diseases.groups]]\nsource = "MeSH"\nterms = ["MS"]\n',
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="'MS' in \\[diseases\\] repeats 'ms'"):
        read_generic_terms(path)


def test_fingerprint_changes_when_the_generic_terms_change(tmp_path):
    vocab_dir, cues = copy_vocabulary(tmp_path)
    before = read_vocabulary(vocab_dir, cues)
    generic = vocab_dir / GENERIC_TERMS_FILE
    generic.write_text(
        generic.read_text(encoding="utf-8").replace('"SLAM", ', ""), encoding="utf-8"
    )
    after = read_vocabulary(vocab_dir, cues)
    assert after.fingerprint != before.fingerprint
    assert before.is_generic("SLAM") and not after.is_generic("SLAM")


def modalities_of(extraction) -> dict[str, str]:
    return {
        r.target.name: r.evidence.rule for r in extraction.relations if r.relation == "usesModality"
    }


def test_slash_and_hyphen_compounds_name_both_modalities(extract):
    extraction = extract("We register PET/CT volumes to CT/MRI atlases and fuse PET-MRI pairs.")
    assert set(modalities_of(extraction)) == {"PET", "CT", "MRI"}


def test_reports_as_a_verb_is_no_radiology_report(extract):
    verb = extract("This paper reports a segmentation network for CT scans.")
    noun = extract("We generate radiology reports from chest X-rays.")
    assert set(modalities_of(verb)) == {"CT"}
    assert set(modalities_of(noun)) == {"radiology report", "chest X-ray"}


def test_general_3d_shapes_are_no_medical_shapes(extract):
    general = extract("We generate 3D shapes of chairs and cars with a diffusion model.")
    medical = extract("We generate anatomical shapes of the liver with a diffusion model.")
    assert modalities_of(general) == {}
    assert set(modalities_of(medical)) == {"3D medical shapes"}


def test_modality_synonyms_and_morphology(nlp):
    doc = nlp(
        "We study echocardiogram clips, gastroscopic frames, magnetic-resonance imaging, "
        "Doppler OCT, cytology smears and pathology image tiles."
    )
    assert [iri for _, iri in vocab_matches(doc)] == [
        "modality/ultrasound",
        "modality/endoscopy",
        "modality/mri",
        "modality/oct",
        "modality/histopathology",
        "modality/histopathology",
    ]


def test_a_dataset_says_what_modality_its_users_work_on(extract):
    extraction = extract(
        "We evaluate our segmentation network on BraTS 2021 and report Dice scores."
    )
    assert modalities_of(extraction) == {"MRI": "modality:dataset"}


def test_dataset_versions_inherit_their_family_modality():
    vocabulary = default_vocabulary()
    assert vocabulary.modalities_of(VOCAB + "dataset/brats-2021") == (VOCAB + "modality/mri",)
    assert vocabulary.modalities_of(VOCAB + "dataset/coco") == ()


def test_a_dataset_name_that_spells_a_modality_gives_it(extract):
    extraction = extract("We evaluate the segmentation network on the Pancreas-CT dataset.")
    assert modalities_of(extraction) == {"CT": "modality:dataset"}


def test_noun_uses_of_reports_are_radiology_reports(nlp):
    doc = nlp("The model aligns images and reports, and this study reports textual reports.")
    assert vocab_matches(doc) == [
        ("images and reports", "modality/radiology-report"),
        ("textual reports", "modality/radiology-report"),
    ]


def test_an_unknown_edition_of_a_known_dataset_names_it():
    vocabulary = default_vocabulary()
    assert vocabulary.dataset_of_version("BraTS2023") == VOCAB + "dataset/brats"
    assert vocabulary.dataset_of_version("KiTS2023 challenge") == VOCAB + "dataset/kits"
    assert vocabulary.dataset_of_version("Pancreas-CT") is None


def test_a_false_friend_hides_the_label_inside_it(nlp):
    doc = nlp(
        "We detect hate speech with part-of-speech tags, and grip a PET film; speech is audio."
    )
    assert vocab_matches(doc) == [("speech", "modality/speech")]


def test_hyphen_compound_of_modalities_is_no_name(extract):
    extraction = extract("Experiments on a PET-CT dataset of four cancer types show clear gains.")
    assert {(r.relation, r.target.name) for r in extraction.relations} == {
        ("usesModality", "PET"),
        ("usesModality", "CT"),
    }
