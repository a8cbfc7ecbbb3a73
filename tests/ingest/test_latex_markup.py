"""LaTeX text-style markup in abstracts (kept by arXiv and OpenReview) is dropped at
ingest, so the names it wraps reach extraction; formulas are left as written."""

import json

import pytest

import kg
from kg.ingest.record import clean_abstract, clean_title, unstyle_latex


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (r"named (\textbf{S2DMVSC}). \emph{COIL-20}", "named (S2DMVSC). COIL-20"),
        (r"a \textit {robust} and \texttt{fast} \textsc{Ragd}", "a robust and fast Ragd"),
        (r"\textbf{\emph{nested}} styles", "nested styles"),
        (r"{\em cycle-consistency} and {\bf GCC}", "cycle-consistency and GCC"),
        (r"\underline{Fed}erated \mbox{learning}", "Federated learning"),
        (r"We propose $\texttt{Skill-RRT}$, an extension", "We propose Skill-RRT, an extension"),
        (r"$SPIN$ ($S$kill $P$lanning to $IN$ference)", "SPIN (Skill Planning to INference)"),
        (r"$F$ine-$G$rained, $k$-means and CIFAR $10$", "Fine-Grained, k-means and CIFAR 10"),
    ],
)
def test_styled_words_lose_their_markup(text: str, expected: str) -> None:
    assert unstyle_latex(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        r"a rate of $\mathcal{O}(\epsilon^{-1.5})$ with $L_2$ and $x^2$",
        r"called G$^2$M$^2$ (General Gaussian Mixture Model)",
        r"as in \cite{DBLP:journals/corr/OllivierC15} with $\mathbf{W}$",
        "it costs $5 and $10 a month",
        "no markup at all",
    ],
)
def test_formulas_citations_and_prices_are_left_as_written(text: str) -> None:
    assert unstyle_latex(text) == text


def test_abstracts_and_titles_are_unstyled_when_cleaned() -> None:
    assert clean_abstract(r"Abstract: We present \emph{IceBerg}.") == "We present IceBerg."
    assert clean_title(r"$h$-DBSCAN:  a \textit{fast} DBSCAN") == "h-DBSCAN: a fast DBSCAN"


def test_a_name_inside_markup_is_extracted(tmp_path) -> None:
    record = {
        "id": "latex-1",
        "title": "Deep multi-view subspace clustering",
        "abstract": r"We propose a novel method named self-supervised deep multi-view subspace "
        r"clustering (\textbf{S2DMVSC}). \textbf{S2DMVSC} has two main merits. We evaluate "
        r"it on the \emph{COIL-20} dataset and compare with \textit{DSC-Net}.",
        "year": 2022,
    }
    source = tmp_path / "papers.jsonl"
    source.write_text(json.dumps(record) + "\n", encoding="utf-8")
    graph = kg.build([source], jobs=1).graph
    links = {
        (data["relation"], graph.nodes[target]["label"])
        for _, target, data in graph.edges(data=True)
    }
    assert {
        ("introduces", "S2DMVSC"),
        ("evaluatesOn", "COIL-20"),
        ("comparesWith", "DSC-Net"),
    } <= links
