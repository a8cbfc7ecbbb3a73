"""Paper-level assembly (`PaperAssembler`), through `extract_papers`."""

from __future__ import annotations

from kg.extract import extract_papers
from kg.records import Paper, SourceRef

VOCAB = "https://w3id.org/kg/vocab/"


def relations_of(extraction) -> set[tuple[str, str]]:
    return {(r.relation, r.target.name) for r in extraction.relations}


def relation(extraction, name: str, kind: str):
    [found] = [r for r in extraction.relations if r.relation == kind and r.target.name == name]
    return found


def test_title_name_before_a_colon_is_introduced(extract):
    extraction = extract(
        "Orbit masks are costly to draw. We report results on head scans.",
        title="OrbitSeg: Fast Masks of the Orbit",
    )
    found = relation(extraction, "OrbitSeg", "introduces")
    assert found.evidence.rule == "introduces:title-name"
    assert found.evidence.sentence == "OrbitSeg: Fast Masks of the Orbit"
    assert extraction.label == "OrbitSeg: Fast Masks of the Orbit"


def test_title_name_with_a_dataset_subtitle_is_a_dataset(extract):
    extraction = extract(
        "Kidney cysts are common. Labels were checked twice.",
        title="RenalCyst: A Benchmark Dataset for Cyst Grading",
    )
    assert relation(extraction, "RenalCyst", "introduces").target.type == "Dataset"


def test_title_without_a_name_introduces_nothing(extract):
    extraction = extract("Kidney cysts are common.", title="Grading Kidney Cysts in Children")
    assert relations_of(extraction) == set()


def test_derived_name_builds_on_its_base_when_no_sentence_says_so(extract):
    extraction = extract("We present UniRad-CLIP, a contrastive model for radiology pairs.")
    base = relation(extraction, "CLIP", "buildsOn")
    assert base.evidence.rule == "buildsOn:derived-name"
    assert base.evidence.confidence < 0.8
    assert base.target.concept == VOCAB + "model/clip"


def test_derived_name_adds_to_an_unrelated_stated_base(extract):
    extraction = extract(
        "We present UniRad-CLIP, a contrastive model. We fine-tune LLaVA for the captions."
    )
    assert ("buildsOn", "LLaVA") in relations_of(extraction)
    assert ("buildsOn", "CLIP") in relations_of(extraction)


def test_derived_name_defers_to_a_stated_base_of_the_same_family(extract):
    extraction = extract(
        "We present RadGemma, a report model. We fine-tune Gemma 3 on the reports."
    )
    assert ("buildsOn", "Gemma 3") in relations_of(extraction)
    assert ("buildsOn", "Gemma") not in relations_of(extraction)


def test_derived_name_within_a_derived_known_name_gives_both(extract):
    extraction = extract("We present Lite-MedSAM, a small segmentation model.")
    assert {("buildsOn", "MedSAM"), ("buildsOn", "SAM")} <= relations_of(extraction)


def test_narrower_modality_wins_over_the_broader(extract):
    extraction = extract("Inputs are chest X-ray images. Every X-ray was anonymised.")
    modalities = {name for kind, name in relations_of(extraction) if kind == "usesModality"}
    assert modalities == {"chest X-ray"}


def test_unrelated_modalities_are_all_kept(extract):
    extraction = extract("Inputs are chest X-ray images and CT scans.")
    modalities = {name for kind, name in relations_of(extraction) if kind == "usesModality"}
    assert modalities == {"chest X-ray", "CT"}


def test_own_dataset_is_trained_and_evaluated_on(extract):
    extraction = extract(
        "We curate RenalCystDB, a new dataset of kidney scans. "
        "We propose CystNet and train it on RenalCystDB. "
        "Experiments on RenalCystDB show large gains."
    )
    found = relations_of(extraction)
    assert {("introduces", "RenalCystDB"), ("introduces", "CystNet")} <= found
    assert ("trainedOn", "RenalCystDB") in found
    assert ("evaluatesOn", "RenalCystDB") in found
    assert relation(extraction, "RenalCystDB", "trainedOn").evidence.rule == (
        "trainedOn:own-dataset"
    )


def test_own_dataset_without_an_own_model_is_not_trained_on(extract):
    extraction = extract(
        "We curate RenalCystDB, a new dataset of kidney scans. It may help to train models."
    )
    assert ("introduces", "RenalCystDB") in relations_of(extraction)
    assert ("trainedOn", "RenalCystDB") not in relations_of(extraction)


def test_family_member_of_an_introduced_model_is_introduced(extract):
    extraction = extract("We propose VASCO, a model family. VASCO-Tiny runs on phones.")
    member = relation(extraction, "VASCO-Tiny", "introduces")
    assert member.evidence.rule == "introduces:family-member"


def test_what_the_paper_introduces_is_not_also_a_baseline(extract):
    extraction = extract("We propose CystNet. CystNet outperforms GPT-4V on grading.")
    found = relations_of(extraction)
    assert ("introduces", "CystNet") in found
    assert ("comparesWith", "CystNet") not in found
    assert ("comparesWith", "GPT-4V") in found


def test_evidence_offsets_point_at_the_sentence_in_the_abstract(extract):
    abstract = (
        "Kidney cysts are common in adults. We fine-tune SAM on ward scans. "
        "Experiments on MIMIC-CXR confirm it."
    )
    extraction = extract(abstract)
    sentence_relations = [r for r in extraction.relations if r.evidence.start >= 0]
    assert {r.relation for r in sentence_relations} >= {"buildsOn", "evaluatesOn"}
    for found in sentence_relations:
        assert abstract[found.evidence.start : found.evidence.end] == found.evidence.sentence
    assert relation(extraction, "SAM", "buildsOn").evidence.sentence == (
        "We fine-tune SAM on ward scans."
    )


def test_evidence_sentence_has_no_surrounding_whitespace(extract):
    abstract = "Kidney cysts are common in adults.  We fine-tune SAM on ward scans."
    found = relation(extract(abstract), "SAM", "buildsOn")
    assert found.evidence.sentence == "We fine-tune SAM on ward scans."
    assert abstract[found.evidence.start : found.evidence.end] == found.evidence.sentence


def test_size_suffixed_name_before_a_full_stop_ends_the_sentence(nlp):
    doc = nlp("The encoder is trained on RenalCyst-12K. Experiments show large gains.")
    assert [span.text for span in doc.spans["kg_names"]] == ["RenalCyst-12K"]
    assert [sentence.text for sentence in doc.sents] == [
        "The encoder is trained on RenalCyst-12K.",
        "Experiments show large gains.",
    ]


def test_label_without_a_title_is_what_the_paper_introduces(extract):
    assert extract("We propose CystNet for grading.").label == "CystNet"


def test_label_without_a_title_or_a_name_is_the_first_words(extract):
    extraction = extract("Kidney cysts are common in adults and rarely need any treatment.")
    assert extraction.label == "Kidney cysts are common in adults and rarely …"


def test_papers_come_out_in_input_order(nlp):
    papers = [
        Paper(id=f"test:{i}", title=None, abstract=text, sources=(SourceRef("t.txt", i),))
        for i, text in enumerate(["We propose CystNet.", "We fine-tune SAM.", "Nothing here."])
    ]
    assert [e.paper_id for e in extract_papers(papers, nlp, batch_size=2)] == [
        "test:0",
        "test:1",
        "test:2",
    ]


def test_a_study_of_a_known_model_compares_with_it(extract):
    extraction = extract(
        "We test the model on forty retinal cases and report its errors.",
        title="A Systematic Study of GPT-4o for Retinal Diagnosis",
    )
    found = relation(extraction, "GPT-4o", "comparesWith")
    assert found.evidence.rule == "comparesWith:title-subject"


def test_a_paper_with_its_own_model_does_not_compare_with_its_title_model(extract):
    extraction = extract(
        "We present RetinaNetX, a retinal model. It is evaluated on forty cases.",
        title="Exploring CLIP Features for Retinal Diagnosis",
    )
    assert ("comparesWith", "CLIP") not in relations_of(extraction)


def test_results_in_a_sentence_about_training_on_own_data_are_the_models(extract):
    extraction = extract(
        "We curate RenalCystDB, a new dataset of kidney scans. We present CystNet, a grading "
        "model. Trained on RenalCystDB, CystNet achieves strong results in our evaluation."
    )
    assert ("trainedOn", "RenalCystDB") in relations_of(extraction)
    assert ("evaluatesOn", "RenalCystDB") not in relations_of(extraction)


def test_parts_defined_by_the_paper_are_introduced_with_its_model(extract):
    extraction = extract(
        "We propose CystNet for renal cyst grading. It couples a Cyst Boundary Decoder (CBD) "
        "with the encoder."
    )
    assert relation(extraction, "CBD", "introduces").evidence.rule == "introduces:component"


def test_a_benchmark_dataset_is_not_evaluated_on_by_being_named(extract):
    extraction = extract("We introduce the RenalBench-12K benchmark dataset of kidney scans.")
    assert ("introduces", "RenalBench-12K") in relations_of(extraction)
    assert ("evaluatesOn", "RenalBench-12K") not in relations_of(extraction)


def test_a_title_slogan_of_plain_words_is_not_introduced(extract):
    extraction = extract(
        "We propose a map manager for radar localisation. It works well.",
        title="Into the Fog: Radar Place Recognition with Maps",
    )
    assert not [r for r in extraction.relations if r.relation == "introduces"]


def test_a_title_head_of_several_words_is_a_name_when_the_abstract_uses_it(extract):
    extraction = extract(
        "We present renal atlas transfer, a registration method. Renal Atlas Transfer wins.",
        title="Renal Atlas Transfer: Registering Kidneys Across Scanners",
    )
    assert ("introduces", "Renal Atlas Transfer") in relations_of(extraction)


def test_a_title_head_with_a_known_model_in_it_is_a_name(extract):
    extraction = extract(
        "We study merging of segmentation networks for kidney scans.",
        title="U-Net Surgery: Merging Kidney Segmenters",
    )
    assert ("introduces", "U-Net Surgery") in relations_of(extraction)


def test_a_title_head_of_a_modality_and_plain_words_is_a_topic(extract):
    extraction = extract(
        "We propose a diffusion model for missing sequences.",
        title="Structure-aware MRI Completion: Diffusion for Missing Sequences",
    )
    assert not [r for r in extraction.relations if r.relation == "introduces"]


def test_a_lower_case_title_name_with_a_digit_is_introduced(extract):
    extraction = extract(
        "We register two radiance fields to each other.",
        title="field2field: Registration of Radiance Fields",
    )
    assert ("introduces", "field2field") in relations_of(extraction)


def test_a_superscript_marker_does_not_split_a_name(extract):
    extraction = extract(
        "We propose R^2Net, a renal network for scans.",
        title="R2Net: Renal Reconstruction",
    )
    introduced = [r.target.name for r in extraction.relations if r.relation == "introduces"]
    assert introduced in (["R2Net"], ["R^2Net"])


def test_an_acronym_spelt_like_a_generic_term_is_a_name_when_defined_as_new(extract):
    extraction = extract("We propose a novel group Spectral Regularizer (gSR) for GANs.")
    assert ("introduces", "gSR") in relations_of(extraction)


def test_a_derived_base_keeps_the_spelling_the_name_uses(extract):
    extraction = extract("We introduce a Swin-KID model to grade kidney scans.")
    [base] = [r.target for r in extraction.relations if r.relation == "buildsOn"]
    assert base.name == "Swin Transformer"
    assert "Swin" in base.aliases


def test_a_short_form_followed_by_module_is_a_part_of_the_new_model(extract):
    extraction = extract(
        "We propose RenoNet for kidney scans. RenoNet first employs the frequency "
        "guided enhancement (FGE) module to sharpen edges."
    )
    assert ("introduces", "FGE") in relations_of(extraction)


def test_a_dataset_created_to_support_the_models_development_is_trained_on(extract):
    extraction = extract(
        "We present RenoChat, an assistant for kidney slides. To support its development, "
        "we created RenoInstruct, a dataset of 90K instructions."
    )
    assert ("trainedOn", "RenoInstruct") in relations_of(extraction)


def test_a_derived_name_holds_a_known_name_only_as_one_of_its_parts():
    from kg.extract.paper import is_name_part

    assert is_name_part("SAM", "MedSAM")
    assert is_name_part("SAM", "CC-SAM")
    assert is_name_part("CLIP", "UniMed-CLIP")
    assert is_name_part("U-Net", "LHU-Net")
    assert not is_name_part("DSO", "DSOD")
    assert not is_name_part("UNet", "SubUNets")
    assert is_name_part("BART", "PLBART")
    assert not is_name_part("RAFT", "CRAFT")  # one letter before a suffix: another word
    assert not is_name_part("SENet", "PSENet")


def test_title_head_written_in_lower_case_in_the_abstract_is_a_common_noun(extract):
    extraction = extract(
        "We consider bandit problems. For discrete Lipschitz bandits, we derive lower bounds.",
        title="Lipschitz Bandits: Regret Lower Bounds and Optimal Algorithms",
    )
    assert not [r for r in extraction.relations if r.relation == "introduces"]


def test_title_head_the_abstract_defines_in_lower_case_is_a_name(extract):
    extraction = extract(
        "We present a task-driven dynamic fusion (TDDF) method for captioning.",
        title="Task-Driven Dynamic Fusion: Less Ambiguity in Video Description",
    )
    assert ("introduces", "TDDF") in relations_of(extraction)


def test_title_head_opening_with_an_article_describes_a_name(extract):
    extraction = extract(
        "We present the system overview of the ASIMO robot and its new functions.",
        title="The intelligent ASIMO: system overview and integration",
    )
    assert not [r for r in extraction.relations if r.relation in ("introduces", "buildsOn")]


def test_a_dataset_named_so_is_a_dataset(extract):
    extraction = extract(
        "To train the parser, we further build a dataset named MAPLE of ranked pairs."
    )
    assert relation(extraction, "MAPLE", "introduces").target.type == "Dataset"


def test_a_paper_older_than_a_known_model_does_not_build_on_it_by_name(nlp):
    abstract = "We present SuPEr-SAM, a surgical perception framework for robot arms."
    older = Paper(id="t:1", title=None, abstract=abstract, sources=(), year=2021)
    newer = Paper(id="t:2", title=None, abstract=abstract, sources=(), year=2024)
    old_paper, new_paper = extract_papers([older, newer], nlp)
    assert ("buildsOn", "SAM") not in relations_of(old_paper)
    assert ("buildsOn", "SAM") in relations_of(new_paper)


def test_an_own_dataset_named_beside_an_adjective_of_training_is_not_trained_on(extract):
    extraction = extract(
        "We propose AlignDoc, a preference method for clinical dialogue, and release "
        "AskDocs-QA, a new dataset. Models aligned with AlignDoc reduce errors by 50% on "
        "AskDocs-QA compared to instruction-tuned LLMs."
    )
    assert ("trainedOn", "AskDocs-QA") not in relations_of(extraction)


def test_an_own_dataset_for_training_is_trained_on(extract):
    extraction = extract(
        "We propose AlignDoc, a preference method for clinical dialogue. We construct "
        "AskDocs-QA, a new dataset, to incorporate patient questions into training."
    )
    assert ("trainedOn", "AskDocs-QA") in relations_of(extraction)


def test_a_multi_word_new_name_holds_its_own_short_name_not_a_base(extract):
    extraction = extract(
        "We modularize the training of language models. Our approach, contextual universal "
        "embeddings (CUE), trains models on one type of context.",
        title="CUE Vectors: Modular Training of Language Models",
    )
    assert ("buildsOn", "CUE") not in relations_of(extraction)


def test_a_new_version_of_a_named_model_builds_on_it(extract):
    extraction = extract(
        "FastGrid improves mapping. We present a least-squares variant of FastGrid.",
        title="FastGrid 2.0: A Least-Squares Approach",
    )
    assert ("buildsOn", "FastGrid") in relations_of(extraction)


def test_a_new_name_that_wins_a_comparison_is_the_papers_own(extract):
    extraction = extract(
        "Planning with many agents is slow. We evaluated HexaPlan on warehouse maps. "
        "HexaPlan consistently outperforms existing planners on every map."
    )
    assert ("comparesWith", "HexaPlan") not in relations_of(extraction)


def test_a_variant_that_wins_a_comparison_is_still_a_base(extract):
    extraction = extract(
        "We pre-train GridVote on unlabeled scans. "
        "A pre-trained GridVote outperforms previous detectors on indoor benchmarks."
    )
    assert ("buildsOn", "GridVote") in relations_of(extraction)


def test_a_new_name_is_a_derived_base_only_where_written_on_its_own(extract):
    extraction = extract(
        "We present KidneyRTX, a grading model. RTX Labs built the scanner.",
        title="KidneyRTX: Grading Cysts",
    )
    assert ("buildsOn", "RTX") not in relations_of(extraction)
    extraction = extract("We present KidneyRTX, a grading model. Unlike RTX, it is fast.")
    assert ("buildsOn", "RTX") in relations_of(extraction)


def test_a_plural_short_form_is_no_derived_base(extract):
    extraction = extract(
        "MicroRNAs (miRNAs) are short. To find new pre-miRNAs, we need more features."
    )
    assert ("buildsOn", "miRNAs") not in relations_of(extraction)


def test_title_head_that_is_a_phrase_without_a_name_introduces_nothing(extract):
    extraction = extract(
        "Kidney cysts vary between sites. We propose cyst-aware priors for grading.",
        title="Learning in Cyst Space: Robust Grading of Kidney Cysts",
    )
    assert not any(r.relation == "introduces" for r in extraction.relations)


def test_title_head_design_of_a_name_introduces_the_name(extract):
    extraction = extract(
        "We present a soft grasping policy for kidney surgery. It grasps cysts gently.",
        title="Design and testing of OrbitGrip: Soft Grasping in Kidney Surgery",
    )
    found = relation(extraction, "OrbitGrip", "introduces")
    assert found.evidence.rule == "introduces:title-name"
    assert "testing of OrbitGrip" not in {r.target.name for r in extraction.relations}


def test_title_head_phrase_ending_in_a_name_introduces_the_name(extract):
    extraction = extract(
        "Kidney cysts vary between sites. We propose cyst-aware priors for grading.",
        title="Taking a CystHint: Robust Grading of Kidney Cysts",
    )
    assert {r.target.name for r in extraction.relations if r.relation == "introduces"} == {
        "CystHint"
    }


def test_title_head_phrase_opened_by_a_name_introduces_that_name(extract):
    extraction = extract(
        "We collect graded kidney scans from four hospitals.",
        title="RenalScans for CystGrading: A Corpus of Graded Kidney Scans",
    )
    assert {r.target.name for r in extraction.relations if r.relation == "introduces"} == {
        "RenalScans"
    }


def test_title_head_phrase_the_abstract_repeats_stays_the_name(extract):
    extraction = extract(
        "We present Grades as Programs, which writes grading rules as code.",
        title="Grades as Programs: Writing Cyst Grading Rules as Code",
    )
    assert ("introduces", "Grades as Programs") in relations_of(extraction)


def test_title_head_phrase_around_a_known_model_introduces_nothing(extract):
    extraction = extract(
        "Starting from scans, we fine-tune SAM for kidney cysts.",
        title="Taking a SAM: Grading Kidney Cysts",
    )
    assert ("buildsOn", "SAM") in relations_of(extraction)
    assert not any(r.relation == "introduces" for r in extraction.relations)


def test_name_joined_from_its_own_parts_builds_on_neither(extract):
    extraction = extract(
        "We propose a Various Attention Graph Network with Multi-Source Domain Adaptation "
        "(VAG-MSDA) model. VAG extracts features with attention. MSDA is used to align "
        "the feature distributions."
    )
    assert ("introduces", "VAG-MSDA") in relations_of(extraction)
    assert not {("buildsOn", "VAG"), ("buildsOn", "MSDA")} & relations_of(extraction)


def test_owned_name_ending_a_longer_new_name_is_its_base_not_new(extract):
    extraction = extract(
        "Margin losses such as ArcFace suffer from label noise. The proposed sub-center "
        "ArcFace keeps one dominant sub-class.",
        title="Sub-center ArcFace: Robust Face Recognition",
    )
    assert ("introduces", "Sub-center ArcFace") in relations_of(extraction)
    assert ("introduces", "ArcFace") not in relations_of(extraction)


def test_name_written_beside_a_robot_is_a_device(extract):
    extraction = extract(
        "We propose a pushing controller. Experiments on our UR5 platform show that it "
        "adapts within a few steps. The gaits are validated on the bipedal robot AMBER 3."
    )
    assert not relations_of(extraction)


def test_imaging_written_as_videos_is_medical_video_too(extract):
    extraction = extract(
        "We segment the left ventricle in echocardiography videos of 300 patients."
    )
    assert {("usesModality", "ultrasound"), ("usesModality", "medical video")} <= (
        relations_of(extraction)
    )


def test_imaging_rating_videos_is_not_medical_video(extract):
    extraction = extract("We predict ratings of the fMRI video rating task from MRI scans.")
    assert ("usesModality", "medical video") not in relations_of(extraction)


def test_title_describing_its_name_as_a_device_introduces_no_model(extract):
    robot = extract(
        "We present a rover for rough terrain and its gait controller.",
        title="Switchblade: An agile treaded rover",
    )
    method = extract(
        "We learn manipulation from human videos alone.",
        title="Phantom: Training Robots Without Robots Using Only Human Videos",
    )
    assert ("introduces", "Switchblade") not in relations_of(robot)
    assert ("introduces", "Phantom") in relations_of(method)


def test_appositive_model_head_types_a_name_whatever_its_ending(extract):
    extraction = extract(
        "We introduce OrbitIQA, the first comprehensive foundation model for image quality. "
        "Experiments demonstrate that OrbitIQA outperforms baselines."
    )
    assert relations_of(extraction) == {("introduces", "OrbitIQA")}
    assert relation(extraction, "OrbitIQA", "introduces").target.type == "Model"
