"""Who introduced X (`kg.link.introductions`): own evidence, checked against the corpus."""

from __future__ import annotations

from papers_at_hand import evidence, extraction, introducers, paper

from kg.extract.vocabulary import default_vocabulary
from kg.link import resolve
from kg.link.introductions import STRONG, TITLE_HEAD_NAME, claim_strength
from kg.records import Mention

TITLE = "introduces:title-name"


def test_the_title_head_is_the_strongest_own_claim():
    title = "NeRF: Representing Scenes as Neural Radiance Fields for View Synthesis"
    assert claim_strength(TITLE, title, frozenset({"NeRF"}), ()) == TITLE_HEAD_NAME
    # One of a list before the colon is a weaker claim than the whole head.
    listed = "BERT and PALs: Projected Attention Layers for Efficient Adaptation"
    assert claim_strength(TITLE, listed, frozenset({"BERT"}), ()) < STRONG


def test_a_proposal_is_strong_when_the_sentence_says_what_the_name_is():
    rule = "introduces:verb:propose"
    defined = "We propose ConVIRT, an alternative unsupervised strategy to learn representations."
    assert claim_strength(rule, defined, frozenset({"ConVIRT"}), ()) == STRONG
    spelled = "We propose a Lesion Grading Network (LGN) for renal cysts."
    assert claim_strength(rule, spelled, frozenset({"LGN"}), ("Lesion Grading Network",)) == STRONG
    plain = "To solve this problem, we propose a stochastic ADMM algorithm."
    assert claim_strength(rule, plain, frozenset({"ADMM"}), ()) < STRONG


def test_namely_before_one_new_name_names_it_before_a_list_it_lists():
    rule = "introduces:naming:namely"
    one = 'We present a new chest X-ray database, namely "ChestX-ray8", which comprises images.'
    assert claim_strength(rule, one, frozenset({"ChestX-ray8"}), ()) == STRONG
    listing = "Two existing software packages, namely ROS and ZeroMQ, are compared."
    assert claim_strength(rule, listing, frozenset({"ROS"}), ()) < STRONG
    several = "Excellent results on four datasets, namely PASCAL VOC 2007, Flowers and Birds."
    assert claim_strength(rule, several, frozenset({"PASCAL VOC 2007"}), ()) < STRONG


def test_a_name_used_for_a_kind_of_thing_or_what_it_is_about_is_a_weak_claim():
    rule = "introduces:verb:propose"
    kind = "This paper proposes a LfD approach for implicit coordinated navigation."
    assert claim_strength(rule, kind, frozenset({"LfD"}), ()) == 0
    about = (
        "Specifically, we introduce an estimator for KL-Divergence based on the likelihood ratio."
    )
    assert claim_strength(rule, about, frozenset({"KL-Divergence"}), ()) == 0
    used = "We test the feasibility of our approach in publicly available NGSIM datasets."
    assert claim_strength("introduces:owned:our", used, frozenset({"NGSIM"}), ()) == 0
    # Spelled out, or after "with a novel", the name is the paper's own.
    spelled = (
        "We propose a deep adversarial metric learning (DAML) framework to generate negatives."
    )
    assert (
        claim_strength(rule, spelled, frozenset({"DAML"}), ("deep adversarial metric learning",))
        == STRONG
    )
    own = "It performs style transfer with a novel Thumbnail Instance Normalization (TIN)."
    assert (
        claim_strength(
            "introduces:owned:novel", own, frozenset({"TIN"}), ("Thumbnail Instance Normalization",)
        )
        > 0
    )


def test_a_weak_claim_on_a_name_other_papers_use_does_not_stand():
    years = {"p:robot": 2013, "p:u1": 2016, "p:u2": 2018}
    kind = "This paper proposes a LfD approach for implicit coordinated navigation."
    extractions = [
        extraction("p:robot", claim("p:robot", "LfD", kind, "introduces:verb:proposes")),
        extraction("p:u1", use("LfD")),
        extraction("p:u2", use("LfD")),
    ]
    papers = [paper(p, "An abstract.", year) for p, year in years.items()]
    linked = resolve(extractions, default_vocabulary(), papers)
    assert introducers(linked) == {}
    assert linked.paper_edges == []


def test_namely_must_name_the_claimed_thing():
    rule = "introduces:naming:namely"
    sentence = "This paper shows how to use a subclass of LTL, namely co-safe LTL, in PRM planners."
    assert claim_strength(rule, sentence, frozenset({"LTL"}), ()) < 0
    spelled = "We design a simple scheme, namely Asymmetric Adversarial Domain Adaptation (AADA)."
    long_form = ("Asymmetric Adversarial Domain Adaptation",)
    assert claim_strength(rule, spelled, frozenset({"AADA"}), long_form) == STRONG


def test_the_recently_proposed_x_is_no_claim():
    sentence = "We show that the recently proposed Wasserstein GAN (WGAN) is locally stable."
    rule = "introduces:verb:proposed"
    assert claim_strength(rule, sentence, frozenset({"WGAN"}), ("Wasserstein GAN",)) < 0
    # The cue speaks of what follows it, not of the paper's own name earlier in the sentence.
    own = "We propose ViS4mer, a video model using the recently introduced S4 layer."
    assert claim_strength(rule, own, frozenset({"ViS4mer"}), ()) > 0


def claim(paper_id: str, name: str, sentence: str, rule: str = TITLE) -> tuple:
    return ("introduces", Mention(name, "Model"), evidence(sentence, rule, 0.9))


def use(name: str, relation: str = "buildsOn") -> tuple:
    return (relation, Mention(name, "Model"), evidence("We build on it."))


def test_a_name_many_papers_claim_keeps_the_earliest_strongest_claim():
    years = {"p:a": 2015, "p:b": 2019, "p:c": 2021, "p:u1": 2016, "p:u2": 2017}
    extractions = [
        extraction("p:a", claim("p:a", "GridNet", "GridNet: Dense Prediction on Grids")),
        extraction("p:b", claim("p:b", "GridNet", "GridNet: Planning on Occupancy Maps")),
        extraction(
            "p:c", claim("p:c", "GridNet", "We propose GridNet.", "introduces:verb:propose")
        ),
        extraction("p:u1", use("GridNet")),
        extraction("p:u2", use("GridNet")),
    ]
    papers = [paper(p, "An abstract.", year) for p, year in years.items()]
    linked = resolve(extractions, default_vocabulary(), papers)
    assert introducers(linked) == {"model/gridnet": {"p:a"}}
    # The demoted claims leave no edge behind; the users are linked to the introducer only.
    assert {(e.source_paper, e.target_paper) for e in linked.paper_edges} == {
        ("p:u1", "p:a"),
        ("p:u2", "p:a"),
    }


def test_the_vocabulary_source_paper_introduces_its_artifact_and_nobody_else_does():
    sam_paper = extraction("arxiv:2304.02643", use("SAM", "comparesWith"))
    robot = extraction(
        "p:robot", claim("p:robot", "SAM", "SAM: A Smoothing and Mapping Library for Robots")
    )
    papers = [paper("arxiv:2304.02643", "We release SAM.", 2023), paper("p:robot", "x", 2014)]
    linked = resolve([sam_paper, robot], default_vocabulary(), papers)
    assert introducers(linked)["model/sam"] == {"arxiv:2304.02643"}


def test_a_claim_far_from_the_sources_year_is_a_homonym():
    snake = extraction("p:snake", claim("p:snake", "Mamba", "Mamba - A waterproof snake robot"))
    user = extraction("p:user", use("Mamba"))
    papers = [paper("p:snake", "x", 2014), paper("p:user", "x", 2024)]
    linked = resolve([snake, user], default_vocabulary(), papers)
    assert "model/mamba" not in introducers(linked)
    assert linked.paper_edges == []


def test_a_dataset_called_like_a_known_model_is_no_claim_on_the_model():
    dataset = Mention("CLIP", "Dataset")
    sentence = "This dataset, which we call CLIP, is annotated by physicians."
    claim_edge = ("introduces", dataset, evidence(sentence, "introduces:naming:which we call", 0.9))
    linked = resolve(
        [extraction("p:1", claim_edge), extraction("p:2", use("CLIP"))],
        default_vocabulary(),
        [paper("p:1", "x", 2021), paper("p:2", "x", 2022)],
    )
    assert "model/clip" not in introducers(linked)


def test_own_artifacts_are_never_bases():
    own = extraction(
        "p:1",
        claim("p:1", "CystNet", "CystNet: Grading Renal Cysts"),
        use("CystNet"),
        use("CystNet", "comparesWith"),
    )
    linked = resolve([own], default_vocabulary())
    assert [(e.relation, e.node_id) for e in linked.entity_edges] == [
        ("introduces", "model/cystnet")
    ]


def test_a_member_of_a_strongly_introduced_family_builds_on_it_an_acronym_prefix_does_not():
    extractions = [
        extraction("p:1", claim("p:1", "GMAI-VL", "GMAI-VL: A Large Vision-Language Model")),
        extraction("p:2", claim("p:2", "GMAI-VL-R1", "GMAI-VL-R1: Reinforcement for Reasoning")),
        extraction("p:3", claim("p:3", "PD", "PD: Planning by Dreaming")),
        extraction("p:4", claim("p:4", "PD-RiskNet", "PD-RiskNet: Risk from Point Clouds")),
    ]
    bases = {
        (e.paper_id, e.node_id)
        for e in resolve(extractions, default_vocabulary()).entity_edges
        if e.relation == "buildsOn"
    }
    assert bases == {("p:2", "model/gmai-vl")}


def test_a_model_many_papers_name_is_not_introduced_by_calling_it_ours():
    sentence = "A novel multi-axis Shape Memory Alloy (SMA) array actuator drives the hand."
    owned = ("introduces", Mention("SMA", "Model"), evidence(sentence, "introduces:owned:novel"))
    users = [extraction(f"p:user{n}", use("SMA")) for n in range(4)]
    papers = [paper("p:hand", "x", 2005)] + [paper(f"p:user{n}", "x", 2010 + n) for n in range(4)]
    linked = resolve([extraction("p:hand", owned), *users], default_vocabulary(), papers)
    assert introducers(linked) == {}
    # Proposed, not merely called ours, it is introduced whoever uses it later.
    proposed = "We propose SMA, an actuator array for robot hands."
    claim_edge = (
        "introduces",
        Mention("SMA", "Model"),
        evidence(proposed, "introduces:verb:propose"),
    )
    linked = resolve([extraction("p:hand", claim_edge), *users], default_vocabulary(), papers)
    assert introducers(linked) == {"model/sma": {"p:hand"}}


def read_off(name: str, longer: str) -> tuple:
    """A base extraction read off a longer new name ("CRAFT" holds RAFT)."""
    return ("buildsOn", Mention(name, "Model"), evidence(longer, "buildsOn:derived-name"))


def test_bases_read_off_longer_names_do_not_contradict_an_introduction():
    title = "RAFT: Recurrent All-Pairs Field Transforms for Optical Flow"
    craft = [extraction(f"p:craft{n}", read_off("RAFT", f"CRAFT {n}: a cascade")) for n in range(3)]
    raft = extraction("p:raft", claim("p:raft", "RAFT", title))
    papers = [paper("p:raft", "x", 2020)] + [paper(f"p:craft{n}", "x", 2016) for n in range(3)]
    linked = resolve([raft, *craft], default_vocabulary(), papers)
    assert introducers(linked) == {"model/raft": {"p:raft"}}


def test_a_base_read_off_a_name_older_than_the_vocabulary_artifact_is_dropped():
    older = extraction("p:mrsam", read_off("SAM", "MRSAM: multi-robot search and mapping"))
    newer = extraction("p:medsam", read_off("SAM", "MedSAM: segment anything in medicine"))
    papers = [paper("p:mrsam", "x", 2006), paper("p:medsam", "x", 2024)]
    linked = resolve([older, newer], default_vocabulary(), papers)
    assert [(e.paper_id, e.node_id) for e in linked.entity_edges] == [("p:medsam", "model/sam")]


def test_a_family_must_be_named_by_its_paper_not_only_proposed():
    def introduced(paper_id: str, name: str, sentence: str) -> object:
        return extraction(paper_id, claim(paper_id, name, sentence, "introduces:verb:present"))

    extractions = [
        introduced("p:altro", "ALTRO", "We present ALTRO, a fast solver for trajectories."),
        introduced("p:bayes", "Bayes", "We develop variational Bayes, a new streaming approach."),
        extraction("p:altro-c", claim("p:altro-c", "ALTRO-C", "ALTRO-C: A Fast Conic Solver")),
        extraction("p:vae", claim("p:vae", "Bayes-Factor-VAE", "Bayes-Factor-VAE: Deep Models")),
    ]
    papers = [
        paper("p:altro", "x", 2019, "ALTRO: A Fast Solver for Constrained Trajectory Optimization"),
        paper("p:bayes", "x", 2015, "The Population Posterior and Bayesian Modeling on Streams"),
        paper("p:altro-c", "x", 2021, "ALTRO-C: A Fast Conic Solver"),
        paper("p:vae", "x", 2019, "Bayes-Factor-VAE: Deep Models"),
    ]
    linked = resolve(extractions, default_vocabulary(), papers)
    assert {(e.source_paper, e.target_paper) for e in linked.paper_edges} == {
        ("p:altro-c", "p:altro")
    }
