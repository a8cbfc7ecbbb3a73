"""One node per real thing (`kg.link.resolve`): aliases that belong, versions, families."""

from __future__ import annotations

from papers_at_hand import evidence, extraction

from kg.extract.vocabulary import default_vocabulary
from kg.link import resolve
from kg.link.resolve import belongs
from kg.records import Mention


def evaluates(paper_id: str, name: str, *aliases: str) -> object:
    mention = Mention(name, "Dataset", aliases=aliases)
    return extraction(paper_id, ("evaluatesOn", mention, evidence()))


def test_a_stray_phrase_beside_a_name_neither_shows_nor_joins():
    stray = "classification (Cifar-10, ImageNet) and detection"
    linked = resolve(
        [evaluates("p:1", "COCO", stray), evaluates("p:2", stray)], default_vocabulary()
    )
    coco = linked.entities["dataset/coco"]
    assert stray not in coco.aliases
    assert len(linked.entities) == 2


def test_an_alias_belongs_when_it_spells_the_name_or_its_long_form():
    assert belongs("Lesion Grading Network", "LGN", frozenset())
    assert belongs("LGN", "Lesion Grading Network", frozenset())
    assert belongs("Renal-Cyst-DBs", "Renal Cyst DB", frozenset())
    assert not belongs("strategy for adapting the Segment Anything", "SAM", frozenset())


def test_spellings_of_a_known_dataset_are_one_node():
    linked = resolve(
        [
            evaluates("p:1", "ILSVRC-2012"),
            evaluates("p:2", "ImageNet-1K"),
            evaluates("p:3", "ImageNet"),
        ],
        default_vocabulary(),
    )
    assert list(linked.entities) == ["dataset/imagenet"]


def test_an_unlisted_version_of_a_known_dataset_is_that_dataset():
    linked = resolve([evaluates("p:1", "Cityscapes val")], default_vocabulary())
    assert list(linked.entities) == ["dataset/cityscapes"]


def test_a_listed_version_stays_itself_under_its_family():
    linked = resolve(
        [evaluates("p:1", "VOC2007"), evaluates("p:2", "PASCAL VOC")], default_vocabulary()
    )
    assert linked.entities["dataset/pascal-voc-2007"].broader == ["dataset/pascal-voc"]


def test_names_are_shown_without_stray_quotes_and_hyphens():
    vit = Mention("ViT", "Model", aliases=('"Vision transformer', "ViT-"))
    linked = resolve([extraction("p:1", ("buildsOn", vit, evidence()))], default_vocabulary())
    assert linked.entities["model/vit"].aliases == ["Vision transformer"]
