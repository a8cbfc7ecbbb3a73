"""Phrasings found missed or misread on unseen corpus papers (hand-judged samples)."""

from __future__ import annotations


def relations_of(extraction) -> set[tuple[str, str]]:
    return {(r.relation, r.target.name) for r in extraction.relations}


def test_a_short_form_given_for_short_is_defined(extract):
    extraction = extract("We propose a Sparse Voxel Matching based Network (SVMNet for short).")
    assert ("introduces", "SVMNet") in relations_of(extraction)


def test_the_paper_presents_is_the_authors_speaking(extract):
    extraction = extract("The paper presents a distributed HIL tile simulator (HTSim).")
    assert ("introduces", "HTSim") in relations_of(extraction)


def test_a_passive_introduction_reads_past_the_prepositions_of_the_long_form(extract):
    extraction = extract(
        "A Guided Tree Search algorithm based on Branch Pruning (GTS-BP) is presented in the "
        "paper. Results show that GTS-BP is fast."
    )
    assert ("introduces", "GTS-BP") in relations_of(extraction)


def test_we_name_reaches_a_short_form_past_its_long_form(extract):
    extraction = extract("We name this second approach Planar Slice Voting Averaging (PSVA).")
    assert ("introduces", "PSVA") in relations_of(extraction)


def test_a_title_head_with_its_short_form_introduces_the_short_form(extract):
    extraction = extract(
        "Talking to patients is hard for robots.",
        title="Virtual Echo Assistant (VEA): Talking With Patients",
    )
    assert ("introduces", "VEA") in relations_of(extraction)


def test_an_appositive_after_a_dataset_noun_names_a_dataset(extract):
    extraction = extract(
        "We present a new dataset, Functional Roof Map (FRoM), of 50k photographs."
    )
    [found] = [r for r in extraction.relations if r.target.name == "FRoM"]
    assert found.relation == "introduces" and found.target.type == "Dataset"


def test_the_ordinal_items_of_announced_methods_are_introduced(extract):
    extraction = extract(
        "We introduce two approaches to denoise scans. Our first method, NoiseA, learns a "
        "prior. The second method, NoiseB, samples residuals. Both beat a plain baseline."
    )
    assert {("introduces", "NoiseA"), ("introduces", "NoiseB")} <= relations_of(extraction)


def test_an_ordinal_item_without_announced_methods_is_not_introduced(extract):
    extraction = extract("Two methods exist. The second method, NoiseB, samples residuals.")
    assert ("introduces", "NoiseB") not in relations_of(extraction)


def test_enumerated_parts_of_our_architecture_are_introduced(extract):
    extraction = extract(
        "We present CardioTalk, a dialogue system. Our architecture consists of: (1) Lexa, "
        "a speech encoder; and (2) VoxRank, a retrieval module for answers."
    )
    found = relations_of(extraction)
    assert ("introduces", "VoxRank") in found
    assert ("buildsOn", "VoxRank") not in found


def test_the_task_a_new_framework_is_for_is_not_introduced(extract):
    extraction = extract(
        "Learning from Demonstration (LfD) teaches robots skills. This paper introduces a "
        "novel framework for model-based LfD in kitchens."
    )
    assert ("introduces", "LfD") not in relations_of(extraction)


def test_a_name_before_a_class_noun_and_a_naming_phrase_is_not_introduced(extract):
    extraction = extract("We propose a grammar-guided KBQA model, named GramQA, for questions.")
    found = relations_of(extraction)
    assert ("introduces", "GramQA") in found
    assert ("introduces", "KBQA") not in found


def test_a_derived_name_whose_long_form_spells_plain_words_has_no_base(extract):
    extraction = extract(
        "This paper proposes a novel multimodal sparse generative flow network (MSGFlowNet) "
        "for brain connectivity."
    )
    assert ("buildsOn", "FlowNet") not in relations_of(extraction)


def test_a_derived_name_whose_long_form_spells_another_sense_has_no_base(extract):
    extraction = extract(
        "We propose a Sum Aggregation Graph Inference Network (SumAggGIN) for documents."
    )
    assert ("buildsOn", "GIN") not in relations_of(extraction)


def test_a_derived_name_whose_long_form_spells_its_base_keeps_it(extract):
    extraction = extract(
        "We propose a Geometry-aware Feature Pyramid Network (GeoFPN) for detection."
    )
    assert ("buildsOn", "FPN") in relations_of(extraction)


def test_not_only_but_also_is_no_contrast(extract):
    extraction = extract(
        "We test our loss on brain MRI registration, where it not only beats prior methods "
        "but also closes the gap."
    )
    assert ("usesModality", "MRI") in relations_of(extraction)


def test_modelnet10_is_not_modelnet40(extract):
    extraction = extract("Our network improves accuracy by 2% on ModelNet10.")
    assert ("evaluatesOn", "ModelNet10") in relations_of(extraction)


def test_a_benchmark_doing_something_based_on_other_data_is_not_trained_on(extract):
    extraction = extract(
        "We propose a new benchmark called Slide Grounding (SlideG), which aims to find "
        "regions based on expressions. We propose GroundNet, a model for SlideG.",
        title="SlideG: A Benchmark for Slide Grounding",
    )
    assert ("trainedOn", "SlideG") not in relations_of(extraction)


def test_the_singular_of_a_defined_class_of_models_is_no_base(extract):
    extraction = extract(
        "We present a two-stage method for training state-dependent sensor measurement models "
        "(SDSMMs). The second stage fine-tunes the pre-trained SDSMM on real data."
    )
    assert ("buildsOn", "SDSMM") not in relations_of(extraction)


def test_where_data_was_collected_is_not_a_dataset(extract):
    extraction = extract(
        "Experiments on the records collected from Lakeside General Hospital (LGH) show that "
        "our model is accurate. We also report results on data collected in North Harbour."
    )
    found = relations_of(extraction)
    assert ("evaluatesOn", "LGH") not in found
    assert ("evaluatesOn", "North Harbour") not in found


def test_a_named_database_data_was_obtained_from_is_a_dataset(extract):
    extraction = extract(
        "Our method was evaluated on data obtained from the public SutureSet database."
    )
    assert ("evaluatesOn", "SutureSet") in relations_of(extraction)


def test_an_mr_sequence_is_mri_not_a_dataset(extract):
    extraction = extract("Our approach achieves an AUC of 0.82 for T1C images.")
    found = relations_of(extraction)
    assert ("evaluatesOn", "T1C") not in found
    assert ("usesModality", "MRI") in found


def test_a_counted_phrase_of_images_names_a_kind_of_data(extract):
    extraction = extract("We evaluate our deblurring on 300 EDOF images.")
    assert ("evaluatesOn", "EDOF") not in relations_of(extraction)


def test_what_data_is_for_is_no_base(extract):
    extraction = extract("We evaluate OOD detection based on the MRI data for CAN.")
    assert ("buildsOn", "CAN") not in relations_of(extraction)


def test_a_new_method_named_after_learning_is_still_introduced(extract):
    extraction = extract(
        "We propose Continual Federated Learning with Distillation (CFeD) for clients. "
        "We also design a scheme we call Learning to Detect Every Object (LDEO)."
    )
    assert {("introduces", "CFeD"), ("introduces", "LDEO")} <= relations_of(extraction)


def test_a_name_after_the_plural_noun_of_a_purpose_is_the_artifact(extract):
    extraction = extract(
        "We present a discrete embedding model for latent networks DELNet that learns codes."
    )
    assert ("introduces", "DELNet") in relations_of(extraction)


def test_a_dataset_named_in_a_results_sentence_types_no_later_name(extract):
    extraction = extract(
        "Experiments on the support conversation dataset, ESConv, confirm that the proposed "
        "GLHGNet achieves the best results."
    )
    [found] = [r for r in extraction.relations if r.target.name == "GLHGNet"]
    assert found.target.type == "Model"


def test_a_derived_name_spelling_a_plural_base_in_the_singular_keeps_it(extract):
    extraction = extract(
        "We propose the depth distribution neural radiance field (DDNeRF), a sampling method."
    )
    assert ("buildsOn", "NeRF") in relations_of(extraction)


def test_what_a_new_dataset_is_built_upon_is_no_base(extract):
    extraction = extract(
        "We present a new cross-view dataset namely StreetSat2 built upon StreetSat with new maps."
    )
    assert ("buildsOn", "StreetSat") not in relations_of(extraction)


def test_vs_in_capitals_is_an_acronym_not_a_comparison(extract):
    extraction = extract("The VS joints developed at RoboLab show very low damping.")
    assert not any(r.relation == "comparesWith" for r in extraction.relations)


def test_a_trailing_plus_is_part_of_a_dataset_name(extract):
    extraction = extract(
        "Experiments on QaTa-COV19 and LungData+ show that our method is accurate."
    )
    assert ("evaluatesOn", "LungData+") in relations_of(extraction)


def test_known_names_a_slash_joins_stay_known(extract):
    extraction = extract("We compare ResNet/DenseNet backbones on our task.")
    concepts = {r.target.name: r.target.concept for r in extraction.relations}
    assert concepts["ResNet"] and concepts["DenseNet"]


def test_capital_acronyms_a_slash_joins_are_no_names(extract):
    extraction = extract("Our robot uses TCP/IP links to compare poses.")
    assert not any(r.target.name in ("TCP", "IP") for r in extraction.relations)


def test_the_source_a_new_benchmark_is_based_on_is_not_evaluated_on(extract):
    extraction = extract(
        "We release OrganMNIST-C, a benchmark dataset based on the OrganMNIST+ collection, "
        "and evaluate ten models on it."
    )
    assert ("evaluatesOn", "OrganMNIST+") not in relations_of(extraction)


def test_a_task_the_paper_names_is_not_introduced(extract):
    extraction = extract(
        "This paper defines a new task named Slot Based Dialog Tracking (SBDT) and builds a "
        "dialog dataset SlotDial for it."
    )
    assert ("introduces", "SBDT") not in relations_of(extraction)


def test_a_title_head_spelling_a_task_introduces_nothing(extract):
    extraction = extract(
        "Entity sentiment is studied.", title="Entity-Level Mood Analysis (ELMA): A Survey"
    )
    assert ("introduces", "ELMA") not in relations_of(extraction)


def test_flair_alone_is_no_modality(extract):
    extraction = extract("We feed people with a robot arm.", title="FLAIR: Feeding People Dishes")
    assert ("usesModality", "MRI") not in relations_of(extraction)


def test_what_a_new_tool_is_designed_for_is_not_introduced(extract):
    extraction = extract(
        "This paper presents a bone cutting tool designed for the da Vinci research kit (dVRK)."
    )
    assert ("introduces", "dVRK") not in relations_of(extraction)


def test_a_method_named_in_apposition_is_introduced_whatever_its_head(extract):
    extraction = extract(
        "We propose a novel deep model, namely Weakly-supervised Text Classification with "
        "Barycenter Regularization (WTC-BR). This is the core of our proposed approach SPIN "
        "(SMPL oPtimization IN the loop)."
    )
    assert {("introduces", "WTC-BR"), ("introduces", "SPIN")} <= relations_of(extraction)


def test_a_framework_for_tasks_called_x_is_introduced(extract):
    extraction = extract(
        "We present a new general framework for a variety of labeling tasks, called HashLab."
    )
    assert ("introduces", "HashLab") in relations_of(extraction)


def test_data_sourced_from_named_public_datasets_is_evaluated_on(extract):
    extraction = extract(
        "Our method has been validated on 250km of data, sourced from public datasets "
        "(RoadSetA and RoadSetB)."
    )
    assert {("evaluatesOn", "RoadSetA"), ("evaluatesOn", "RoadSetB")} <= relations_of(extraction)


def test_a_language_before_our_dataset_names_no_dataset(extract):
    extraction = extract(
        "This paper presents the first Thai corpus of nested entities. Models gain little "
        "over the baselines with our Thai dataset."
    )
    assert not any(r.target.name == "Thai" for r in extraction.relations)


def test_what_each_copy_of_a_design_serves_is_not_introduced(extract):
    extraction = extract(
        "We propose a model predictive control (MPC) scheme for robot teams. We design a "
        "distributed MPC for each UVMS in order to transport the object."
    )
    assert ("introduces", "UVMS") not in relations_of(extraction)


def test_a_spelled_out_variant_of_a_task_is_not_introduced(extract):
    extraction = extract(
        "The paper introduces a stereo Graph-Simultaneous Localization and Mapping "
        "(Graph-SLAM) pipeline for vineyards."
    )
    assert ("introduces", "Graph-SLAM") not in relations_of(extraction)


def test_a_named_benchmark_ending_in_a_task_acronym_is_introduced(extract):
    extraction = extract("We introduce Fig-QA, a nonliteral language understanding task.")
    assert ("introduces", "Fig-QA") in relations_of(extraction)


def test_a_variant_of_a_known_family_with_a_depth_is_a_model(extract):
    extraction = extract(
        "We propose FastPrune, a pruning method. FastPrune achieves less than 0.1%/0.5% "
        "degradation on PreResNet29/ResNet50 with most parameters pruned."
    )
    assert not any(r.target.name == "PreResNet29" for r in extraction.relations)


def test_words_in_capitals_an_appositive_calls_a_dataset_are_one_name(extract):
    extraction = extract(
        "We study cultural understanding by introducing DALLE STREET a large-scale dataset "
        "of street images. Models fail on DALLE STREET and other benchmarks."
    )
    relations = relations_of(extraction)
    assert ("introduces", "DALLE STREET") in relations
    assert not any(name == "STREET" for _, name in relations)


def test_a_short_form_after_or_is_the_short_form_alone(extract):
    extraction = extract(
        "We will introduce two generalizations of graphs, called mixed ancestor graphs "
        "(or MAGs) and partial ancestor graphs (or PAGs)."
    )
    assert not any(r.target.name.startswith("or ") for r in extraction.relations)


def test_a_short_form_termed_as_in_parentheses_is_the_short_form(extract):
    extraction = extract("We propose a detail-preserving Transformer (termed as DPTX).")
    assert ("introduces", "DPTX") in relations_of(extraction)


def test_named_entity_recognition_is_no_naming_phrase(extract):
    extraction = extract(
        "KnowledgeHub extracts text from papers. Named Entity Recognition (NER) and Relation "
        "Classification (RC) models can be trained on the resulting annotations."
    )
    assert ("introduces", "RC") not in relations_of(extraction)


def test_a_framework_that_says_more_than_its_task_is_introduced(extract):
    extraction = extract(
        "We propose a Twin-memory augmented Multiple Instance Learning (Twin-MIL) framework "
        "to detect lesion cells."
    )
    assert ("introduces", "Twin-MIL") in relations_of(extraction)


def test_a_recently_introduced_framework_is_no_component_of_ours(extract):
    extraction = extract(
        "The recent introduction of Disguised Face Identification (DFI) framework shows "
        "promise. We propose DisNet, a network for disguised faces."
    )
    assert ("introduces", "DFI") not in relations_of(extraction)


def test_a_modality_naming_a_kind_of_robot_is_not_its_data(extract):
    extraction = extract(
        "We developed a peristaltic crawling robot. This mechanism suits not only rescue "
        "robots but also automatic endoscopic robots."
    )
    assert not any(r.relation == "usesModality" for r in extraction.relations)


def test_a_suite_of_models_is_models(extract):
    extraction = extract(
        "We propose DynaMox, a suite of multi-token prediction language models. One of the "
        "models in our suite, DynaMox-7B-T3, matches the baseline."
    )
    types = {r.target.name: r.target.type for r in extraction.relations}
    assert types.get("DynaMox") == "Model" and types.get("DynaMox-7B-T3") == "Model"
    assert not any(r.relation == "trainedOn" for r in extraction.relations)


def test_a_test_suite_of_statements_is_a_dataset(extract):
    extraction = extract(
        "We present HateCheckX, a test suite of 3,930 short-form statements that allows us "
        "to evaluate performance on hateful language."
    )
    [found] = [r for r in extraction.relations if r.target.name == "HateCheckX"][:1]
    assert found.target.type == "Dataset"


def test_what_baselines_are_for_is_not_compared_with(extract):
    extraction = extract(
        "We explore two aspects of the concept: Action Selection (ACS) and Effect-Affinity "
        "Assessment (EAAX) where models connect actions and effects. We design various "
        "baseline models for ACS and EAAX."
    )
    assert not any(r.relation == "comparesWith" for r in extraction.relations)


def test_a_robot_results_are_shown_on_is_no_dataset(extract):
    extraction = extract(
        "We propose a walking pattern generator. We show promising results on COMANX, the "
        "new humanoid robot from our institute. The method is validated on the Kuka LWRX."
    )
    assert not any(r.relation == "evaluatesOn" for r in extraction.relations)


def test_the_last_item_of_a_list_holds_the_robot_head(extract):
    extraction = extract(
        "We demonstrate the performance of VKTX on Calvin, RLBench, ALOHAX, and real robots."
    )
    assert ("evaluatesOn", "ALOHAX") in relations_of(extraction)
