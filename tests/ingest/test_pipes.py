"""Pipes: `kg build -` reads records from standard input, `kg query -` reads the query."""

from pathlib import Path

from click.testing import CliRunner

from kg.cli import main

NBIB = Path("tests/fixtures/ingest/formats/pubmed.nbib")


def test_build_reads_stdin_and_query_reads_stdin(tmp_path, in_repo):
    runner = CliRunner()
    out = tmp_path / "out"
    built = runner.invoke(
        main,
        ["build", "-", "--out", str(out), "--no-cache", "--jobs", "1", "--quiet"],
        input=NBIB.read_bytes(),
    )
    assert built.exit_code == 0, built.output
    turtle = (out / "graph.ttl").read_text(encoding="utf-8")
    assert 'dcterms:source "<stdin>:2"' in turtle  # MEDLINE told by content alone
    assert "<https://pubmed.ncbi.nlm.nih.gov/38000001>" in turtle
    answered = runner.invoke(
        main,
        ["query", "-", "--graph", str(out / "graph.ttl"), "--format", "csv"],
        input="SELECT (COUNT(?paper) AS ?papers) WHERE { ?paper a kg:Paper }\n",
    )
    assert answered.exit_code == 0, answered.output
    assert answered.output.split() == ["papers", "2"]


def test_stdin_with_a_forced_format_that_does_not_fit_reads_no_paper(tmp_path, in_repo):
    result = CliRunner().invoke(
        main,
        ["build", "-", "--format", "bibtex", "--out", str(tmp_path / "out"), "--no-cache"],
        input=NBIB.read_bytes(),
    )
    assert result.exit_code != 0
    assert "<stdin>: does not look like bibtex" in result.output
