"""Schwartz-Hearst abbreviation pairs (`kg_abbreviations`) and their merge into one mention."""

from __future__ import annotations

from kg.extract.abbreviations import find_long_form, is_short_form


def pairs(doc) -> list[tuple[str, str]]:
    return [(a.long.text, a.short.text) for a in doc._.kg_abbreviations]


def test_long_form_then_short_form(nlp):
    doc = nlp("Scans were graded with the Orbital Fat Index (OFI) by two readers.")
    assert pairs(doc) == [("Orbital Fat Index", "OFI")]


def test_long_form_starts_at_the_word_of_the_first_letter(nlp):
    doc = nlp("They measured a very large Heart Shadow Ratio (HSR) in children.")
    assert pairs(doc) == [("Heart Shadow Ratio", "HSR")]


def test_short_form_then_long_form(nlp):
    doc = nlp("Each case had a KVS (kidney volume score) above four.")
    assert pairs(doc) == [("kidney volume score", "KVS")]


def test_parenthesis_without_a_matching_long_form_is_no_pair(nlp):
    doc = nlp("The cohort was small (QZX) and imbalanced.")
    assert pairs(doc) == []


def test_long_form_does_not_cross_a_sentence(nlp):
    doc = nlp("Results were good. Trials used it (RWG).")
    assert pairs(doc) == []


def test_short_form_filter():
    assert is_short_form("OFI")
    assert is_short_form("Med-X 2")
    assert not is_short_form("a")
    assert not is_short_form("far too long a phrase")
    assert not is_short_form("(x)")


def test_find_long_form_matches_characters_right_to_left():
    assert find_long_form("HSR", "a large Heart Shadow Ratio") == len("a large ")
    assert find_long_form("HSR", "a large Shadow Ratio") is None


def test_pair_becomes_one_mention_with_the_long_form_as_alias(extract):
    extraction = extract(
        "We propose the Lesion Grading Network (LGN), a model for skin photographs. "
        "LGN grades each lesion in one pass."
    )
    introduced = [r.target for r in extraction.relations if r.relation == "introduces"]
    assert len(introduced) == 1
    assert introduced[0].name == "LGN"
    assert introduced[0].aliases == ("Lesion Grading Network",)
    assert introduced[0].type == "Model"


def test_known_concept_pair_keeps_the_vocabulary_label(extract):
    extraction = extract(
        "We fine-tune the Segment Anything Model (SAM) on ultrasound. SAM adapts quickly."
    )
    built_on = [r.target for r in extraction.relations if r.relation == "buildsOn"]
    assert [(m.name, m.concept) for m in built_on] == [
        ("SAM", "https://w3id.org/kg/vocab/model/sam")
    ]


def test_long_and_short_form_inside_one_parenthesis(nlp):
    doc = nlp("Its use in the clinic (general renal AI, GRAI) remains limited.")
    assert pairs(doc) == [("general renal AI", "GRAI")]


def test_name_shaped_short_form_then_its_long_form(nlp):
    doc = nlp("We propose RenoViM (Renal Organ Vision Mamba), a hybrid network.")
    assert pairs(doc) == [("Renal Organ Vision Mamba", "RenoViM")]


def test_short_form_glued_to_the_word_before_it(nlp):
    doc = nlp("We design a kidney graph distillation framework(KGDF) for scans.")
    assert pairs(doc) == [("kidney graph distillation framework", "KGDF")]
