"""Generic terms are no entities (`kg.link.generic`): the stop vocabulary and the corpus."""

from __future__ import annotations

from papers_at_hand import evidence, extraction

from kg.extract.vocabulary import default_vocabulary
from kg.link import resolve
from kg.link.generic import is_common_phrase
from kg.records import Mention


def test_a_stop_vocabulary_term_is_no_entity():
    linked = resolve(
        [extraction("p:1", ("buildsOn", Mention("LiDAR", "Model"), evidence()))],
        default_vocabulary(),
    )
    assert linked.entities == {}


def test_a_papers_own_spelled_out_name_is_not_taken_for_a_stop_term():
    own = Mention("gSR", "Model", aliases=("group Spectral Regularizer",))
    sentence = "We propose a group Spectral Regularizer (gSR) that prevents the collapse."
    linked = resolve(
        [extraction("p:1", ("introduces", own, evidence(sentence, "introduces:verb:propose")))],
        default_vocabulary(),
    )
    assert [e.label for e in linked.entities.values()] == ["gSR"]


def test_a_stop_term_a_paper_spells_out_as_its_own_other_name_is_its_own():
    own = Mention("MCI", "Model", aliases=("Mapping Consistency Initialization",))
    sentence = "We propose a Mapping Consistency Initialization (MCI) strategy for registration."
    claim = ("introduces", own, evidence(sentence, "introduces:verb:propose"))
    field = Mention("MCI", "Dataset", aliases=("mild cognitive impairment",))
    others = [extraction(f"p:{i}", ("evaluatesOn", field, evidence())) for i in (2, 3)]
    linked = resolve([extraction("p:1", claim), *others], default_vocabulary())
    assert [(e.label, e.type) for e in linked.entities.values()] == [("MCI", "Model")]
    # Spelled out as the field does, it is the field's term.
    field_claim = Mention("MCI", "Model", aliases=("Mild Cognitive Impairment",))
    sentence = "We introduce a Mild Cognitive Impairment (MCI) score."
    claim = ("introduces", field_claim, evidence(sentence, "introduces:verb:introduce"))
    linked = resolve([extraction("p:1", claim), *others], default_vocabulary())
    assert linked.entities == {}


def test_long_forms_written_as_running_text_are_common_phrases():
    assert is_common_phrase("extended Kalman filter")
    assert is_common_phrase("simultaneous localization and mapping")
    assert not is_common_phrase("Neural Radiance Fields")
    assert not is_common_phrase("Segment Anything Model")


def uses(paper_id: str, name: str, long_form: str | None) -> object:
    aliases = (long_form,) if long_form else ()
    return extraction(paper_id, ("buildsOn", Mention(name, "Model", aliases=aliases), evidence()))


def test_a_name_the_corpus_spells_out_as_a_common_noun_is_no_entity():
    long_forms = ["extended Kalman filter", "Extended Kalman Filter", "extended Kalman filter"]
    papers = [uses(f"p:{i}", "EKF", form) for i, form in enumerate(long_forms)]
    papers += [uses(f"p:{i}", "EKF", None) for i in range(3, 6)]
    assert resolve(papers, default_vocabulary()).entities == {}


def test_a_name_spelled_out_as_a_name_stays():
    papers = [uses(f"p:{i}", "GRN", "Graph Routing Network") for i in range(3)]
    papers += [uses(f"p:{i}", "GRN", None) for i in range(3, 6)]
    assert list(resolve(papers, default_vocabulary()).entities) == ["model/grn"]


def test_a_stop_term_spelled_out_as_the_field_does_stays_generic():
    lidar = Mention("LiDAR", "Model", aliases=("Light Detection and Ranging",))
    sentence = "We propose LiDAR (Light Detection and Ranging) odometry for rovers."
    linked = resolve(
        [extraction("p:1", ("introduces", lidar, evidence(sentence, "introduces:verb:propose")))],
        default_vocabulary(),
    )
    assert linked.entities == {}


def test_the_long_form_of_a_stop_term_is_no_entity_either():
    process = Mention("Gaussian Process", "Model", aliases=("GP",))
    linked = resolve([extraction("p:1", ("buildsOn", process, evidence()))], default_vocabulary())
    assert linked.entities == {}
