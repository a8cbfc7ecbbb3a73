"""Sentence rules of `kg_relations`, one rule per test, on sentences written for the test."""

from __future__ import annotations


def links(doc) -> set[tuple[str, str]]:
    return {(link.relation, link.name.text) for link in doc._.kg_links}


def rules(doc) -> dict[str, str]:
    return {link.name.text: link.rule for link in doc._.kg_links}


def test_we_propose_introduces_the_new_name(nlp):
    doc = nlp("We propose KidneyFormer for renal cyst grading.")
    assert links(doc) == {("introduces", "KidneyFormer")}
    assert rules(doc)["KidneyFormer"] == "introduces:verb:propose"


def test_propose_without_the_authors_as_subject_introduces_nothing(nlp):
    doc = nlp("Earlier studies propose KidneyFormer for renal cyst grading.")
    assert ("introduces", "KidneyFormer") not in links(doc)


def test_termed_introduces_the_following_name(nlp):
    doc = nlp("This yields a compact segmenter, termed OrbitSeg, for head scans.")
    assert ("introduces", "OrbitSeg") in links(doc)
    assert rules(doc)["OrbitSeg"] == "introduces:naming:termed"


def test_known_model_after_propose_with_a_preposition_is_not_introduced(nlp):
    doc = nlp("We propose to adapt SAM for polyp masks.")
    assert ("introduces", "SAM") not in links(doc)
    assert ("buildsOn", "SAM") in links(doc)


def test_fine_tune_builds_on(nlp):
    doc = nlp("We fine-tune SAM on our ward scans.")
    assert links(doc) == {("buildsOn", "SAM")}
    assert rules(doc)["SAM"] == "buildsOn:cue:fine-tune"


def test_cue_after_the_name_builds_on(nlp):
    doc = nlp("Here SAM is fine-tuned with few labels.")
    assert links(doc) == {("buildsOn", "SAM")}


def test_outperforms_compares_with(nlp):
    doc = nlp("Our reader outperforms GPT-4V on every organ.")
    assert links(doc) == {("comparesWith", "GPT-4V")}
    assert rules(doc)["GPT-4V"] == "comparesWith:cue:outperforms"


def test_performance_comparable_to_a_model_compares_with_it(nlp):
    doc = nlp("Our reader reaches an F1 of 24.2%, which is comparable to the Med-Gemini model.")
    assert links(doc) == {("comparesWith", "Med-Gemini")}
    assert rules(doc)["Med-Gemini"] == "comparesWith:cue:comparable to"


def test_comparison_cue_wins_over_a_nearer_build_cue(nlp):
    doc = nlp("It is compared with fine-tuning GPT-4V on the same cases.")
    assert links(doc) == {("comparesWith", "GPT-4V")}


def test_benchmarking_known_models_compares_with_each(nlp):
    doc = nlp("We benchmark GPT-4o and Gemini 1.5 Pro on board-exam questions.")
    assert links(doc) == {("comparesWith", "GPT-4o"), ("comparesWith", "Gemini 1.5 Pro")}
    assert set(rules(doc).values()) == {"comparesWith:subject:benchmark"}


def test_experiments_on_a_dataset_evaluates_on_it(nlp):
    doc = nlp("Extensive experiments on MIMIC-CXR confirm the gains.")
    assert links(doc) == {("evaluatesOn", "MIMIC-CXR")}


def test_pre_trained_on_a_dataset_trains_on_it(nlp):
    doc = nlp("The image encoder is pre-trained on CheXpert before use.")
    assert links(doc) == {("trainedOn", "CheXpert")}
    assert rules(doc)["CheXpert"] == "trainedOn:cue:pre-trained on"


def test_dataset_named_without_a_cue_has_no_link(nlp):
    doc = nlp("CheXpert was released by a hospital in California.")
    assert links(doc) == set()


def test_every_modality_named_is_used(nlp):
    doc = nlp("Inputs pair computed tomography with CXR films.")
    assert links(doc) == {("usesModality", "computed tomography"), ("usesModality", "CXR")}


def test_links_stay_in_their_sentence(nlp):
    doc = nlp("We fine-tune nothing here. SAM was released in 2023.")
    assert links(doc) == set()


def test_new_name_far_from_a_build_cue_is_not_built_on(nlp):
    doc = nlp("We fine-tune the heads of a small frozen encoder while OrbitNet stays fixed.")
    assert ("buildsOn", "OrbitNet") not in links(doc)


def test_proposed_before_a_new_name_introduces_it(nlp):
    doc = nlp("The cysts are graded by the proposed Cyst Grading Module (CGM) in two steps.")
    assert ("introduces", "CGM") in links(doc)


def test_previously_proposed_is_not_the_papers_own(nlp):
    doc = nlp("The cysts were graded by the previously proposed CystNet in two steps.")
    assert ("introduces", "CystNet") not in links(doc)


def test_a_name_in_parentheses_after_a_dataset_names_its_part(nlp):
    doc = nlp("It achieved an accuracy of 81% on KidneyBench-VQA (RenalDB) in our experiments.")
    assert ("evaluatesOn", "KidneyBench-VQA") in links(doc)
    assert ("evaluatesOn", "RenalDB") not in links(doc)


def test_an_acronym_closing_before_a_hyphen_is_its_own_word(nlp):
    doc = nlp("We employ compositional generalization (CG)-the ability to recombine parts.")
    assert [span.text for span in doc.spans["kg_names"]] == []


def test_a_model_before_an_active_builds_on_verb_is_its_subject_not_a_base(nlp):
    doc = nlp("RenoNet utilizes a hypergraph to model the kidney.")
    assert ("buildsOn", "RenoNet") not in links(doc)


def test_the_object_of_employs_is_the_base_and_its_subject_is_not(nlp):
    doc = nlp("Our RenoNet employs SAM to propose kidney masks.")
    assert ("buildsOn", "SAM") in links(doc)
    assert ("buildsOn", "RenoNet") not in links(doc)


def test_a_participle_after_a_model_still_builds_on_it(nlp):
    doc = nlp("SAM, fine-tuned on our ward scans, segments the kidney.")
    assert ("buildsOn", "SAM") in links(doc)


def test_using_a_known_model_builds_on_it(nlp):
    doc = nlp("The proxies are composited using a U-Net into one image.")
    assert ("buildsOn", "U-Net") in links(doc)


def test_using_a_new_name_builds_on_it_only_when_used_to_do_something(nlp):
    used_to = nlp("The selector uses Grad-CAM to select the relevant patches.")
    assert ("buildsOn", "Grad-CAM") in links(used_to)
    mentioned = nlp("Results were computed using KDR descriptors of each frame.")
    assert ("buildsOn", "KDR") not in links(mentioned)


def test_a_new_name_restating_the_noun_before_it_keeps_that_cue(nlp):
    doc = nlp("It extends classical rigid point registration (i.e. KCP) to neural fields.")
    assert ("buildsOn", "KCP") in links(doc)


def test_a_model_inside_a_compound_is_not_compared_with(nlp):
    doc = nlp("RenoNet outperforms task-specific models and other SAM-based approaches.")
    assert ("comparesWith", "SAM") not in links(doc)


def test_most_notably_does_not_open_a_background_sentence(nlp):
    doc = nlp("Most notably, we achieve an accuracy of 88.7% on the RenalQA test set.")
    assert ("evaluatesOn", "RenalQA") in links(doc)


def test_a_capitalised_run_builds_on_only_as_the_direct_object_of_a_cue(nlp):
    direct = nlp("Our renderer leverages Voxel Splatting for each scene.")
    assert ("buildsOn", "Voxel Splatting") in links(direct)
    distant = nlp("We leverage depth cues, as Voxel Splatting fails on tissue.")
    assert ("buildsOn", "Voxel Splatting") not in links(distant)


def test_a_capitalised_run_after_we_propose_is_not_introduced(nlp):
    doc = nlp("We propose RenoNet, a dynamic Voxel Splatting framework.")
    assert ("introduces", "Voxel Splatting") not in links(doc)


def test_features_extracted_by_a_model_build_on_it(nlp):
    doc = nlp("It fuses features extracted by the foundation model, RetiFound, with masks.")
    assert ("buildsOn", "RetiFound") in links(doc)


def test_new_methods_after_a_colon_are_introduced(nlp):
    doc = nlp("We demonstrate our two new methods: for MN-KRA, we show large gains.")
    assert ("introduces", "MN-KRA") in links(doc)


def test_an_introducing_verb_split_at_a_line_end_still_introduces(nlp):
    doc = nlp("In this paper we in-troduce RenoNet for kidney scans.")
    assert ("introduces", "RenoNet") in links(doc)


def test_higher_than_compares_with_the_model_after_it(nlp):
    doc = nlp("RenoNet reaches a higher Dice than MedSAM on every organ.")
    assert ("comparesWith", "MedSAM") in links(doc)


def test_a_name_coordinated_after_a_linked_one_takes_its_relation(nlp):
    doc = nlp(
        "Our RenoNet outperforms the strong segmentation baselines of recent work, "
        "notably MedSAM, KidneyFormer and OrbitSeg."
    )
    assert {("comparesWith", "MedSAM"), ("comparesWith", "KidneyFormer")} <= links(doc)
    assert rules(doc)["OrbitSeg"] == "comparesWith:coordinated"


def test_a_plain_capitalised_word_proposed_by_the_authors_is_introduced(nlp):
    doc = nlp("This study proposes a modular prompting paradigm Renpro to guide it.")
    assert ("introduces", "Renpro") in links(doc)


def test_a_plain_word_also_written_in_lower_case_is_not_a_name(nlp):
    doc = nlp("We introduce Knowledge to the model, as knowledge helps.")
    assert links(doc) == set()


def test_a_capitalised_run_after_a_novel_is_introduced(nlp):
    doc = nlp("RenoNet utilises a novel Temporal Kidney Connector to align visits.")
    assert ("introduces", "Temporal Kidney Connector") in links(doc)


def test_a_new_model_described_as_a_kind_of_a_named_one_builds_on_it(nlp):
    doc = nlp("We developed RenoGS, a dynamic Voxel Splatting framework for kidneys.")
    assert ("buildsOn", "Voxel Splatting") in links(doc)
    assert rules(doc)["Voxel Splatting"] == "buildsOn:kind-of"


def test_evaluating_the_performance_of_named_models_compares_with_them(nlp):
    doc = nlp(
        "In this study, we evaluated the performance of the Gemini, GPT-4, and 4 other models."
    )
    assert {("comparesWith", "Gemini"), ("comparesWith", "GPT-4")} <= links(doc)


def test_investigating_the_potential_of_a_model_is_not_comparing_with_it(nlp):
    doc = nlp("In this work, we investigate the potential of SAM for kidney masks.")
    assert ("comparesWith", "SAM") not in links(doc)


def test_hyphenated_capitalised_words_proposed_by_the_authors_are_introduced(nlp):
    doc = nlp("We propose Look-Twice, a detector that re-reads each kidney scan.")
    assert ("introduces", "Look-Twice") in links(doc)


def test_than_speaks_only_of_the_model_right_after_it(nlp):
    doc = nlp("RenoNet reaches higher Dice than prior methods for KidneyFormer inputs.")
    assert ("comparesWith", "KidneyFormer") not in links(doc)


def test_over_compares_only_after_an_improvement_word(nlp):
    computed = nlp("Our descriptor is computed over SIFT keypoints of each frame.")
    assert ("comparesWith", "SIFT") not in links(computed)
    improved = nlp("RenoNet gives a 6x speedup over HexaPlane on every scan.")
    assert ("comparesWith", "HexaPlane") in links(improved)


def test_a_model_that_outperforms_others_is_not_a_baseline(nlp):
    doc = nlp("MAANS substantially outperforms the planning baselines in all maps.")
    assert ("comparesWith", "MAANS") not in links(doc)


def test_a_negated_cue_gives_no_link(nlp):
    doc = nlp("Our detector works without pretraining on KidneyBank-20K at all.")
    assert ("trainedOn", "KidneyBank-20K") not in links(doc)


def test_the_recently_proposed_model_is_not_introduced(nlp):
    doc = nlp("We show that the recently proposed WassNet is biased.")
    assert ("introduces", "WassNet") not in links(doc)


def test_presenting_results_on_datasets_introduces_nothing(nlp):
    doc = nlp("We present results for the KidneyDB and RenalNORB datasets.")
    assert not {link for link in links(doc) if link[0] == "introduces"}


def test_studying_a_problem_is_not_comparing_with_it(nlp):
    doc = nlp("We study the collaborative PAC-Kidney problem in depth.")
    assert links(doc) == set()


def test_namely_after_a_plural_lists_existing_things(nlp):
    doc = nlp("We get strong results on four datasets, namely KidneyVOC 2007, RenalNet and TSU.")
    assert not {link for link in links(doc) if link[0] == "introduces"}


def test_namely_after_a_singular_names_the_new_model(nlp):
    doc = nlp("We propose a new framework, namely RenoNet, for kidney scans.")
    assert ("introduces", "RenoNet") in links(doc)


def test_a_cue_word_inside_a_defined_long_form_is_no_cue(nlp):
    doc = nlp("A constrained extended Kalman filter (EKF) framework is used to fuse the poses.")
    assert ("buildsOn", "EKF") not in links(doc)


def test_a_cue_word_outside_the_long_form_still_counts(nlp):
    doc = nlp("We extend the Segment Anything Model (SAM) to ultrasound sweeps.")
    assert ("buildsOn", "Segment Anything Model") in links(doc)


def test_a_participle_far_from_the_authors_describes_others_work(nlp):
    doc = nlp(
        "We present a new view of hashing, a popular method developed in the vision "
        "community for search in a reproducing kernel Hilbert space (RKHS)."
    )
    assert ("introduces", "RKHS") not in links(doc)


def test_the_authors_own_participle_introduces(nlp):
    doc = nlp("To this end we have developed LesionTrack, a tracker for follow-up scans.")
    assert ("introduces", "LesionTrack") in links(doc)


def test_a_name_after_between_is_related_not_introduced(nlp):
    doc = nlp("In this paper, we establish the exact relationship between WiC and WSD tasks.")
    assert ("introduces", "WiC") not in links(doc)


def test_our_does_not_reach_over_a_verb(nlp):
    doc = nlp("The results show that our approach can maintain QoC at a quarter of the bitrate.")
    assert ("introduces", "QoC") not in links(doc)


def test_our_before_a_name_still_owns_it(nlp):
    doc = nlp("Our lightweight SegNeXt-Lite runs on a phone.")
    assert ("introduces", "SegNeXt-Lite") in links(doc)


def test_names_in_an_appositive_describe_the_new_name(nlp):
    doc = nlp("We propose CRUDSQL, a large-scale single-table CRUD operations Text-to-SQL dataset.")
    assert ("introduces", "CRUDSQL") in links(doc)
    assert ("introduces", "Text-to-SQL") not in links(doc)


def test_a_coordinated_second_name_after_an_appositive_is_introduced(nlp):
    doc = nlp("We propose OrganQA, a benchmark, and OrganBot, a chat model.")
    assert {("introduces", "OrganQA"), ("introduces", "OrganBot")} <= links(doc)


def test_a_task_compound_is_no_kind_of_model(nlp, extract):
    paper = extract(
        "We introduce ProtoEEG-kNN, an interpretable IED-detection model that follows "
        "case-based reasoning."
    )
    assert not [r for r in paper.relations if r.relation == "buildsOn"]


def test_a_new_loss_incorporated_is_the_papers_technique_not_a_base(nlp):
    doc = nlp("We incorporate the Tversky-Aware Contrastive (TAC) loss to balance classes.")
    assert not {link for link in links(doc) if link[0] == "buildsOn"}


def test_a_new_name_ending_in_a_technique_noun_is_no_base(nlp):
    doc = nlp("The reasoning framework is based on Lie Group Embedding of neurons.")
    assert ("buildsOn", "Lie Group Embedding") not in links(doc)


def test_a_new_name_before_a_data_noun_is_no_base(nlp):
    doc = nlp("The network leverages ADC and ZADC maps as a three-channel input.")
    assert ("buildsOn", "ZADC") not in links(doc)


def test_a_new_model_name_still_builds_on(nlp):
    doc = nlp("We construct a fetal body model based on the SkelNet body model.")
    assert ("buildsOn", "SkelNet") in links(doc)


def test_a_participle_behind_a_preposition_modifies_another_noun(nlp):
    doc = nlp("Injecting domain knowledge (e.g., MedOnto) into pretrained language models helps.")
    assert ("buildsOn", "MedOnto") not in links(doc)


def test_a_name_modifying_a_class_of_methods_is_not_compared(nlp):
    doc = nlp("Our model surpasses the state-of-the-art SAM adaptation method by 15 points.")
    assert ("comparesWith", "SAM") not in links(doc)


def test_a_name_before_its_own_method_noun_is_compared(nlp):
    doc = nlp("It is competitive with the conventional SlamNet method.")
    assert ("comparesWith", "SlamNet") in links(doc)


def test_a_name_split_from_based_at_a_line_end_is_a_compound(nlp):
    doc = nlp("Benchmarks against five QNN- based baselines show gains.")
    assert not {link for link in links(doc) if link[0] == "comparesWith"}


def test_baseline_far_before_a_name_does_not_compare(nlp):
    doc = nlp(
        "We also propose a baseline method, SqlParser, which employs a two-phase approach "
        "based on BERT for SQL generation."
    )
    assert ("comparesWith", "BERT") not in links(doc)
    assert ("buildsOn", "BERT") in links(doc)


def test_baselines_right_before_a_name_compare(nlp):
    doc = nlp("Our reader beats strong baselines such as MedSAM on every organ.")
    assert ("comparesWith", "MedSAM") in links(doc)


def test_an_em_dash_ends_the_new_name(nlp):
    doc = nlp("To address this, we introduce RefineNet—a scalable framework for data curation.")
    assert ("introduces", "RefineNet") in links(doc)


def test_latex_quotes_are_not_part_of_the_name(nlp):
    doc = nlp("To address these issues, we propose ``ScalpVision'', an AI-driven system.")
    assert ("introduces", "ScalpVision") in links(doc)


def test_a_comma_before_a_word_ends_the_name(nlp):
    doc = nlp("We propose a new loss under the GPW,which is implemented in two steps.")
    assert not {name for _, name in links(doc) if "," in name}


def test_the_subject_of_a_passive_introducing_verb_is_new(nlp):
    doc = nlp("In this paper, an Expert-Guided Kinodynamic RRT algorithm (EGK-RRT) is presented.")
    assert ("introduces", "EGK-RRT") in links(doc)
    assert rules(doc)["EGK-RRT"] == "introduces:passive"


def test_a_name_inside_the_passive_subject_is_not_what_is_presented(nlp):
    doc = nlp(
        "In this paper, a novel approach to model odometry errors using the GaussNet "
        "(GN) is presented."
    )
    assert ("introduces", "GN") not in links(doc)


def test_a_model_given_as_an_example_of_a_class_is_no_base(nlp):
    doc = nlp("Large pre-trained sequence models like BART and T5 do well on many tasks.")
    assert not {link for link in links(doc) if link[0] == "buildsOn"}


def test_an_example_in_a_sentence_about_the_papers_work_is_a_base(nlp):
    doc = nlp("We fine-tune pre-trained language models such as BERT on ward notes.")
    assert ("buildsOn", "BERT") in links(doc)


def test_asides_in_parentheses_do_not_count_towards_the_cue_window(nlp):
    doc = nlp(
        "We propose MixSeg, a method that integrates the strengths of both generalist "
        "models (e.g., SAM) and specialist models (e.g., MedSAM) for segmentation."
    )
    assert ("buildsOn", "MedSAM") in links(doc)


def test_models_listed_after_the_evaluated_class_are_compared(nlp):
    doc = nlp(
        "We evaluate several state-of-the-art pathology foundation models, including "
        "CONCH, UNI, and Virchow, on six tasks."
    )
    assert {("comparesWith", "CONCH"), ("comparesWith", "Virchow")} <= links(doc)


def test_a_negated_modality_is_background(nlp):
    doc = nlp("Our tracker does not rely on ultrasound and runs on camera frames.")
    assert {link.rule for link in doc._.kg_links if link.relation == "usesModality"} == {
        "modality:background"
    }


def test_a_device_property_is_no_modality_of_the_data(nlp):
    doc = nlp("MRI compatibility is a requirement for our soft robot arm.")
    assert {link.rule for link in doc._.kg_links if link.relation == "usesModality"} == {
        "modality:background"
    }


def test_a_complexity_class_is_no_name(nlp):
    doc = nlp("We present a new coordination algorithm for the PSPACE-hard problem of pushing.")
    assert not {name for _, name in links(doc) if "PSPACE" in name}


def test_an_en_dash_ends_a_dataset_name(nlp):
    doc = nlp(
        "We evaluate TenVO on three brain MRI datasets–ADNI, PPMI, and BraTS2021–by "
        "fine-tuning a DDPM pretrained on brain scans."
    )
    assert not {name for _, name in links(doc) if "–" in name}


def test_the_hard_split_of_a_benchmark_is_data_not_a_baseline(nlp):
    doc = nlp("Our method outperforms prior debiasing strategies on SNLI-hard.")
    assert ("comparesWith", "SNLI-hard") not in links(doc)
    assert ("evaluatesOn", "SNLI-hard") in links(doc)


def test_a_name_ending_in_a_modifier_suffix_is_no_kind_of_base(extract):
    paper = extract(
        "In this paper, we propose BOBCAT, a Bilevel Optimization-Based framework for "
        "adaptive testing."
    )
    assert not [r for r in paper.relations if r.relation == "buildsOn"]


def test_a_capitalised_kind_of_method_is_no_base(nlp):
    doc = nlp("Using Support Vector Machine classification on the components, we decode intent.")
    assert not {link for link in links(doc) if link[0] == "buildsOn"}


def test_a_capitalised_filter_family_is_no_base(nlp):
    doc = nlp("The poses are fused using an Extended Kalman Filter on the robot.")
    assert not {link for link in links(doc) if link[0] == "buildsOn"}


def test_a_new_name_before_a_hardware_noun_is_no_base(nlp):
    doc = nlp("We capture human bodies using Microsoft Kinect sensors in the lab.")
    assert not {link for link in links(doc) if link[0] == "buildsOn"}


def test_a_citation_placeholder_is_no_name(nlp):
    doc = nlp("Our method is an implementation of deep prompt tuning (CITATION) for NLU.")
    assert not {name for _, name in links(doc) if name == "CITATION"}


def test_a_generic_term_defined_by_the_text_is_no_baseline(nlp):
    doc = nlp(
        "We investigate whether deep learning based super-resolution (SR) models applied to "
        "clinical CT images help. The ResShift model outperforms the other SR models."
    )
    assert not {link for link in links(doc) if link[0] == "comparesWith"}


def test_a_data_type_before_plural_datasets_is_no_dataset(nlp):
    doc = nlp("Extensive evaluation on public RGB-D datasets shows clear gains.")
    assert not {link for link in links(doc) if link[0] == "evaluatesOn"}


def test_our_does_not_reach_over_a_comparison(nlp):
    doc = nlp("Our model outperforms the other VesselNet variants on all organs.")
    assert ("introduces", "VesselNet") not in links(doc)


def test_a_capitalised_architecture_class_is_no_base(nlp):
    doc = nlp("The authors utilize a Recurrent Neural Network to organise the dynamics.")
    assert not {link for link in links(doc) if link[0] == "buildsOn"}


def test_our_does_not_reach_over_a_result_verb(nlp):
    doc = nlp("Our approach improves performance for SocialQA, HellaSwag and CommonQA.")
    assert not {link for link in links(doc) if link[0] == "introduces"}


def test_a_modality_acronym_defined_as_something_else_is_no_modality(nlp):
    doc = nlp(
        "We predict drug-target interaction (DTI) from sequences. DTI prediction matters "
        "for drug discovery."
    )
    assert not {link for link in links(doc) if link[0] == "usesModality"}


def test_a_modality_acronym_defined_as_the_modality_stays(nlp):
    doc = nlp("We segment lesions in diffusion tensor imaging (DTI) of the brain.")
    assert {link for link in links(doc) if link[0] == "usesModality"}


def test_an_endoscope_as_an_instrument_is_no_endoscopy_data(nlp):
    doc = nlp("The design is as flexible as a typical commercial endoscope.")
    assert not {link for link in links(doc) if link[0] == "usesModality"}


def test_a_name_in_apposition_to_a_new_method_is_introduced(nlp):
    doc = nlp("We propose a novel approach to this problem, LatePFL, which trains a hypernetwork.")
    assert ("introduces", "LatePFL") in links(doc)


def test_a_known_model_in_apposition_to_a_new_method_is_not_introduced(nlp):
    doc = nlp("We propose a novel approach built on a foundation model, SAM, for polyps.")
    assert ("introduces", "SAM") not in links(doc)


def test_every_item_of_an_announced_list_is_introduced(nlp):
    doc = nlp(
        "We introduce two innovations: Error-Propagating Composite Training (EPCT), which "
        "propagates errors, and Semantic-Prioritized Dual-Phase Sampling (SPDPS), which "
        "prioritizes hard samples."
    )
    assert {("introduces", "EPCT"), ("introduces", "SPDPS")} <= links(doc)


def test_an_en_dash_between_capitals_and_digits_stays_in_the_name(nlp):
    doc = nlp("We evaluate text generated from the distilled and finetuned GPT–2 models.")
    assert ("buildsOn", "GPT–2") in links(doc)


def test_our_reaches_over_comparison_as_a_noun(nlp):
    doc = nlp("It serves as our framework to develop a novel semantic comparison, SPARQS, too.")
    assert ("introduces", "SPARQS") in links(doc)


def test_a_device_named_after_its_maker_is_no_base(nlp):
    doc = nlp("Volumes were acquired using Philips Ingenia Elition PET/CT scanners.")
    assert ("buildsOn", "Philips Ingenia Elition") not in links(doc)
    assert ("usesModality", "PET") in links(doc)


def test_software_a_paper_runs_on_is_no_baseline(nlp):
    doc = nlp("The tracking controller is checked against the PIDC using MATLAB simulation.")
    assert links(doc) == {("comparesWith", "PIDC")}


def test_a_complexity_bound_is_not_compared_with(nlp):
    doc = nlp("Our bound of O(k.n^2) is substantially better than the O(d.n^3) of earlier work.")
    assert not {link for link in links(doc) if link[0] == "comparesWith"}


def test_models_other_approaches_use_are_no_base(nlp):
    doc = nlp("Most lesion detection approaches use U-Net as their basic structure.")
    assert ("buildsOn", "U-Net") not in links(doc)


def test_a_model_that_uses_something_is_not_its_user_base(nlp):
    doc = nlp("We follow the two-stage strategy as used by Mask R-CNN for instance masks.")
    assert ("buildsOn", "Mask R-CNN") not in links(doc)


def test_models_the_authors_test_their_finding_on_are_no_base(nlp):
    doc = nlp("We test our findings on ImageNet using the VGG, ResNet and GoogLeNet architectures.")
    assert not {link for link in links(doc) if link[0] == "buildsOn"}
    doc = nlp("We use ResNet to encode each frame.")
    assert ("buildsOn", "ResNet") in links(doc)


def test_what_a_trained_model_generalizes_to_is_evaluated_on_not_trained_on(nlp):
    doc = nlp("Networks trained on our synthetic scenes still generalize well to KITTI.")
    assert ("evaluatesOn", "KITTI") in links(doc)
    assert ("trainedOn", "KITTI") not in links(doc)


def test_training_a_published_architecture_builds_on_it(nlp):
    doc = nlp("Given a video, we train two NeRF models for the person and the scene.")
    assert ("buildsOn", "NeRF") in links(doc)
    doc = nlp("We curate training data of SMPL-X fits on web photos.")
    assert ("buildsOn", "SMPL-X") not in links(doc)


def test_the_training_data_of_a_baseline_is_not_trained_on(nlp):
    doc = nlp("Our detector outperforms a fine-tuned CNN trained on ImageNet by four points.")
    assert ("trainedOn", "ImageNet") not in links(doc)
    doc = nlp("Our detector is trained on ImageNet and outperforms a fine-tuned CNN.")
    assert ("trainedOn", "ImageNet") in links(doc)


def test_a_new_module_or_controller_is_no_base(nlp):
    doc = nlp("GlandNet integrates a Crypt Merger module that joins nearby instances.")
    assert ("buildsOn", "Crypt Merger") not in links(doc)
    doc = nlp(
        "The design uses a Linear Quadratic Integral (LQI) controller integrated with a filter."
    )
    assert ("buildsOn", "LQI") not in links(doc)


def test_a_capitalised_run_used_as_a_method_is_no_base(nlp):
    doc = nlp("We model the soft gripper using Finite Element Method for the whole arm.")
    assert ("buildsOn", "Finite Element Method") not in links(doc)


def test_a_capitalised_run_named_as_a_model_is_a_base_when_used(nlp):
    doc = nlp("We represent dynamic scenes using the Flexible Deformation Model for the liver.")
    assert ("buildsOn", "Flexible Deformation Model") in links(doc)


def test_a_name_ending_in_a_lower_case_word_before_a_noun_is_an_adjective(nlp):
    doc = nlp("We leverage the CNN-predicted depth to refine the pose of the arm.")
    assert not links(doc)
    doc = nlp("Our reader surpasses the baseline RGB-trained detector on night scenes.")
    assert not links(doc)


def test_a_name_ending_in_a_lower_case_word_before_a_function_word_stays_a_name(nlp):
    doc = nlp("We present a novel algorithm called PG-means which learns the clusters.")
    assert ("introduces", "PG-means") in links(doc)


def test_benchmark_as_a_noun_far_from_the_authors_studies_no_model(nlp):
    doc = nlp("We use an existing bias benchmark for the former BBQ and create a new one.")
    assert ("comparesWith", "BBQ") not in links(doc)


def test_the_authors_using_a_benchmark_to_evaluate_models_compare_with_them(nlp):
    doc = nlp("In this study, we use the new suite to evaluate GPT-4V and Gemini on chest films.")
    assert {("comparesWith", "GPT-4V"), ("comparesWith", "Gemini")} <= links(doc)


def test_a_stop_word_inside_a_defined_long_form_does_not_end_the_object(nlp):
    doc = nlp("We propose a Tensor-Product based Memory-Augmented Neural Network (TP-MANN).")
    assert ("introduces", "TP-MANN") in links(doc)


def test_our_before_a_clause_with_a_preposition_does_not_own_the_name(nlp):
    doc = nlp("Our findings apply beyond PageRank to any quadratic objective.")
    assert ("introduces", "PageRank") not in links(doc)


def test_a_participle_after_an_article_modifies_the_next_noun_not_the_name(nlp):
    doc = nlp("RenoSep is an integrated method of sound source separation.")
    assert ("buildsOn", "RenoSep") not in links(doc)


def test_a_name_before_based_is_not_introduced(nlp):
    doc = nlp("We propose a kinematically constrained RRT-based planner for tight parking.")
    assert ("introduces", "RRT") not in links(doc)


def test_a_generic_term_defined_by_a_generic_long_form_is_not_introduced(nlp):
    doc = nlp("In this work, we present an unsupervised deep neural network (DNN) for stereo.")
    assert ("introduces", "DNN") not in links(doc)


def test_proposed_before_an_article_is_a_verb_of_others(nlp):
    doc = nlp("To speed it up, researchers proposed the follow-the-leader (FTPL) framework.")
    assert ("introduces", "FTPL") not in links(doc)


def test_our_name_before_a_verb_and_a_class_noun_is_still_introduced(nlp):
    doc = nlp("Results show that our μHCRFs outperform previous techniques on activity data.")
    assert ("introduces", "μHCRFs") in links(doc)
    doc = nlp("In this paper, we develop SA approaches to PLS and bound their cost.")
    assert ("introduces", "SA") not in links(doc)


def test_a_name_ending_in_net_stays_a_name_before_a_noun(nlp):
    doc = nlp("We propose a siamese network based on VGG-net architecture for loop closure.")
    assert ("buildsOn", "VGG-net") in links(doc)


def test_a_mathematical_object_is_no_base(nlp):
    doc = nlp("The subgraph is found by integrating the Non-parameter Graph Scan statistics.")
    assert not links(doc)


def test_a_name_before_a_task_noun_is_what_the_task_is_about(nlp):
    doc = nlp("We propose a novel attention network for csPCa classification in ultrasound.")
    assert ("introduces", "csPCa") not in links(doc)
    doc = nlp("We present Passive-Aggressive Active (PAA) learning algorithms for streams.")
    assert ("introduces", "PAA") in links(doc)


def test_a_name_before_based_without_its_hyphen_modifies_the_next_word(nlp):
    doc = nlp("Our model is much smaller compared to R-CNN based models on scanned pages.")
    assert ("comparesWith", "R-CNN") not in links(doc)
    doc = nlp("We build KidneyNet based on SAM for renal scans.")
    assert ("buildsOn", "SAM") in links(doc)


def test_a_coordinated_name_joined_to_based_takes_no_relation(nlp):
    doc = nlp("Our planner performs well compared to RRT and CE-based planners on maps.")
    assert ("comparesWith", "RRT") in links(doc)
    assert ("comparesWith", "CE") not in links(doc)


def test_a_model_evaluated_against_baselines_is_the_papers_own(nlp):
    doc = nlp("We evaluate DGI against multiple baselines and demonstrate gains.")
    assert ("comparesWith", "DGI") not in links(doc)


def test_a_model_taken_as_the_baseline_is_compared_with(nlp):
    doc = nlp("By choosing the representative FixMatch as the baseline, our method gains.")
    assert ("comparesWith", "FixMatch") in links(doc)


def test_a_new_name_before_a_task_noun_takes_no_model_relation(nlp):
    doc = nlp("Results show that D3M outperforms existing methods in CEMRI synthesis.")
    assert ("comparesWith", "CEMRI") not in links(doc)
    doc = nlp("Tuning our models outperforms fine-tuning pretrained Wav2Vec2.0 models, and more.")
    assert ("comparesWith", "Wav2Vec2.0") in links(doc)


def test_an_active_comparison_verb_after_a_name_makes_no_baseline(nlp):
    doc = nlp("The proposed gNAC can estimate gNG efficiently and outperformed the NAC algorithm.")
    assert ("comparesWith", "gNG") not in links(doc)
    doc = nlp("In the trials, RenoNet was outperformed by the new reader on every organ.")
    assert ("comparesWith", "RenoNet") in links(doc)


def test_our_does_not_reach_into_another_noun_phrase(nlp):
    doc = nlp("We validate our framework on our dataset and the Feelsight dataset.")
    assert ("introduces", "Feelsight") not in links(doc)
    doc = nlp("We present a new design, the FlexArm, for soft grasping.")
    assert ("introduces", "FlexArm") in links(doc)


def test_a_name_after_an_opening_phrase_of_means_is_the_subject(nlp):
    doc = nlp("Built upon Robot Web Tools, RenoPanel works in any browser.")
    assert ("buildsOn", "RenoPanel") not in links(doc)
    doc = nlp("By fine-tuning SAM on ward scans, we reach a Dice of 0.9.")
    assert ("buildsOn", "SAM") in links(doc)


def test_a_training_verb_with_its_object_before_on_trains_on_the_data(nlp):
    doc = nlp("We trained RF-Net on the open dataset HPatches, and compared it on benchmarks.")
    assert ("trainedOn", "HPatches") in links(doc)
    assert ("evaluatesOn", "HPatches") not in links(doc)
    doc = nlp("Our method is trained and evaluated on the RenoScan dataset.")
    assert {("trainedOn", "RenoScan"), ("evaluatesOn", "RenoScan")} <= links(doc)


def test_a_known_model_after_propose_and_an_indefinite_article_is_an_instance(nlp):
    doc = nlp("Exploiting these concepts, we propose a U-Net architecture that fuses flows.")
    assert ("introduces", "U-Net") not in links(doc)


def test_a_name_in_a_main_clause_the_authors_speak_in_keeps_the_opening_cue(nlp):
    doc = nlp("Leveraging this map, we optimize the SAM decoder for watermarks.")
    assert ("buildsOn", "SAM") in links(doc)


def test_a_known_model_after_a_novel_is_still_introduced(nlp):
    doc = nlp("We propose a novel U-Net for kidney scans.")
    assert ("introduces", "U-Net") in links(doc)


def test_a_new_name_described_as_a_module_is_a_part_the_paper_builds(nlp):
    doc = nlp("It has (ii) SEE-Splat, a real-time scene-editing module using 3D masks.")
    assert ("introduces", "SEE-Splat") in links(doc)
    assert ("buildsOn", "SEE-Splat") not in links(doc)


def test_a_new_name_before_an_adjective_and_a_device_noun_is_equipment(nlp):
    doc = nlp("We propose a hardness estimate based on the GelSight tactile sensor for fruit.")
    assert ("buildsOn", "GelSight") not in links(doc)
    doc = nlp("We extend RenoNet with images of kidneys from the ward.")
    assert ("buildsOn", "RenoNet") in links(doc)


def test_dataset_named_as_pre_training_is_not_evaluated_on(nlp):
    doc = nlp("Our grader outperforms supervised CystNet-1M pre-training on ward scans.")
    assert ("evaluatesOn", "CystNet-1M") not in links(doc)


def test_dataset_pretrained_modifier_is_not_evaluated_on(nlp):
    doc = nlp("Experiments show gains over CystNet-1M-pretrained backbones on KidneyScans-2K.")
    assert ("evaluatesOn", "CystNet-1M") not in links(doc)
    assert ("evaluatesOn", "KidneyScans-2K") in links(doc)


def test_training_as_a_noun_has_no_data_object(nlp):
    doc = nlp("We give insights into the training and reach the best accuracy on CIFAR-10.")
    assert links(doc) == {("evaluatesOn", "CIFAR-10")}


def test_a_cue_before_a_comma_and_conjunction_does_not_reach_the_next_conjunct(nlp):
    doc = nlp(
        "We achieve strong results on OntoNotes, requiring 13% of the training data, "
        "and CoNLL-2003, requiring 27%."
    )
    assert ("trainedOn", "CoNLL-2003") not in links(doc)
    assert ("evaluatesOn", "CoNLL-2003") in links(doc)


def test_novel_examples_of_a_class_are_not_introduced(nlp):
    doc = nlp("Novel architectures such as ResNets have addressed this issue.")
    assert ("introduces", "ResNets") not in links(doc)


def test_a_kind_of_data_written_like_a_name_is_no_dataset(nlp):
    doc = nlp("We compare our results on two LS DXA datasets with baseline methods.")
    assert not any(relation == "evaluatesOn" for relation, _ in links(doc))


def test_one_named_dataset_after_an_indefinite_article_is_still_one(nlp):
    doc = nlp("Experiments on a publicly available UrbanStreet dataset show clear gains.")
    assert ("evaluatesOn", "UrbanStreet") in links(doc)


def test_capitalised_run_spelling_out_a_named_model_is_not_introduced(nlp):
    doc = nlp("We propose a novel Faithful Latent Diffusion Model for try-on, termed FLDM-VTON.")
    assert ("introduces", "FLDM-VTON") in links(doc)
    assert not any("Faithful" in name for _, name in links(doc))


def test_known_model_joined_to_what_the_authors_make_is_built_on(nlp):
    doc = nlp("In this paper, we propose a novel BERT-based ranker for search queries.")
    assert links(doc) == {("buildsOn", "BERT")}
    assert rules(doc)["BERT"] == "buildsOn:design-modifier"


def test_known_model_joined_to_others_work_is_not_built_on(nlp):
    doc = nlp("Many BERT-based rankers struggle with clinical notes.")
    assert ("buildsOn", "BERT") not in links(doc)


def test_the_training_of_a_model_on_data_is_trained_on(nlp):
    doc = nlp("We finish the training of our detector on COCO within 12 minutes.")
    assert ("trainedOn", "COCO") in links(doc)


def test_a_name_made_of_modalities_alone_is_no_dataset(nlp):
    doc = nlp("Experiments on the abdominal CECT-CT dataset show the superiority of our method.")
    assert not any(relation == "evaluatesOn" for relation, _ in links(doc))


def test_known_model_naming_the_architecture_the_authors_make_is_built_on(nlp):
    doc = nlp("We propose a novel U-Net architecture with dense skip connections.")
    assert links(doc) == {("buildsOn", "U-Net")}
