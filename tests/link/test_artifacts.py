"""One name, several artifacts (`kg.link.artifacts`): introductions split what spelling joined."""

from __future__ import annotations

from papers_at_hand import evidence, extraction, introducers, paper

from kg.extract.vocabulary import default_vocabulary
from kg.link import resolve
from kg.records import Mention

HARDNET_TITLE = "Working hard to know your neighbor's margins: Local descriptor learning loss"
HARDNET_ABSTRACT = (
    "We introduce a loss for metric learning of local image descriptors, inspired by "
    "Lowe's matching criterion for SIFT. The resulting compact descriptor, named HardNet, "
    "has the same dimensionality as SIFT and shows state-of-art performance in wide "
    "baseline stereo, patch verification and instance retrieval benchmarks."
)
HARDNET_CLAIM = "The resulting compact descriptor, named HardNet, has the same dimensionality."
HARDNET2_TITLE = "HarDNet: A Low Memory Traffic Network"
HARDNET2_ABSTRACT = (
    "State-of-the-art neural network architectures such as ResNet, MobileNet, and DenseNet "
    "have achieved outstanding accuracy over low MACs and small model size counterparts. "
    "We propose a Harmonic Densely Connected Network to achieve high efficiency in terms of "
    "both low MACs and memory traffic, reducing inference time on embedded devices."
)


def introduces(name: str, sentence: str, rule: str) -> tuple:
    return ("introduces", Mention(name, "Model"), evidence(sentence, rule, 0.9))


def builds_on(name: str, *aliases: str) -> tuple:
    return ("buildsOn", Mention(name, "Model", aliases), evidence(f"We build on {name}."))


def hardnet_corpus(*users: tuple[str, int, tuple]) -> tuple[list, list]:
    extractions = [
        extraction("p:hardnet", introduces("HardNet", HARDNET_CLAIM, "introduces:naming:named")),
        extraction("p:hardnet2", introduces("HarDNet", HARDNET2_TITLE, "introduces:title-name")),
        *(extraction(paper_id, relation) for paper_id, _, relation in users),
    ]
    papers = [
        paper("p:hardnet", HARDNET_ABSTRACT, 2017, HARDNET_TITLE),
        paper("p:hardnet2", HARDNET2_ABSTRACT, 2019, HARDNET2_TITLE),
        *(paper(paper_id, "We match patches.", year) for paper_id, year, _ in users),
    ]
    return extractions, papers


def test_two_papers_introducing_one_name_for_different_things_make_two_artifacts():
    extractions, papers = hardnet_corpus(
        ("p:before", 2015, builds_on("HardNet")),
        ("p:between", 2018, builds_on("HardNet")),
        ("p:after", 2021, builds_on("HarDNet")),
    )
    linked = resolve(extractions, default_vocabulary(), papers)
    found = introducers(linked)
    assert sorted(found.values(), key=sorted) == [{"p:hardnet"}, {"p:hardnet2"}]
    first = next(node for node, owners in found.items() if owners == {"p:hardnet"})
    second = next(node for node, owners in found.items() if owners == {"p:hardnet2"})
    assert linked.entities[first].label == "HardNet"
    assert linked.entities[second].label == "HarDNet"
    # An alias is another spelling than the label (the export's SHACL shapes require it).
    assert all(linked.entities[n].label not in linked.entities[n].aliases for n in found)
    # A user builds on the latest introduction not after it; one older than both on none.
    assert {(e.source_paper, e.target_paper) for e in linked.paper_edges} == {
        ("p:between", "p:hardnet"),
        ("p:after", "p:hardnet2"),
    }
    before = next(e.node_id for e in linked.entity_edges if e.paper_id == "p:before")
    assert before not in found


def test_a_long_form_tells_a_user_apart_whatever_its_year():
    extractions, papers = hardnet_corpus(
        ("p:spelled", 2021, builds_on("HarDNet", "Harmonic Densely Connected Network")),
    )
    extractions[1] = extraction(
        "p:hardnet2",
        (
            "introduces",
            Mention("HarDNet", "Model", ("Harmonic Densely Connected Network",)),
            evidence(HARDNET2_TITLE, "introduces:title-name", 0.9),
        ),
    )
    linked = resolve(extractions, default_vocabulary(), papers)
    assert {(e.source_paper, e.target_paper) for e in linked.paper_edges} == {
        ("p:spelled", "p:hardnet2")
    }


def test_one_paper_ingested_twice_stays_one_artifact():
    extractions = [
        extraction("p:a", introduces("HardNet", HARDNET_CLAIM, "introduces:naming:named")),
        extraction("p:b", introduces("HardNet", HARDNET_CLAIM, "introduces:naming:named")),
    ]
    papers = [
        paper("p:a", HARDNET_ABSTRACT, 2017, HARDNET_TITLE),
        paper("p:b", HARDNET_ABSTRACT, 2017, HARDNET_TITLE.upper()),
    ]
    linked = resolve(extractions, default_vocabulary(), papers)
    assert introducers(linked) == {"model/hardnet": {"p:a", "p:b"}}


def test_a_name_the_field_used_before_is_no_new_artifact_of_a_plain_proposal():
    users = [(f"p:user{year}", year, builds_on("PatchNet")) for year in (2010, 2011, 2012)]
    extractions, papers = hardnet_corpus(*users)
    extractions += [
        extraction(
            "p:late",
            introduces("PatchNet", "We propose PatchNet for matching.", "introduces:verb:propose"),
        ),
        extraction(
            "p:later",
            introduces("PatchNet", "We present PatchNet in a robot.", "introduces:verb:present"),
        ),
    ]
    papers += [
        paper("p:late", "Descriptors for patch matching in stereo images.", 2016),
        paper("p:later", "A mobile robot arm grasping household objects.", 2020),
    ]
    linked = resolve(extractions, default_vocabulary(), papers)
    assert not any(owners & {"p:late", "p:later"} for owners in introducers(linked).values()), (
        "three papers used PatchNet before either proposal"
    )
