"""The `kg` command: a thin click layer over the library (`kg.build`, `kg.export`, ...).

Exit codes: 0 built (or answered); 1 built, but records were skipped under --strict
(or an export does not validate), or no paper was read (nothing written); 2 usage error,
unreadable input, or exports that cannot be written (disk full, permissions, a path in
the way); 130 interrupted (Ctrl-C). On 1, 2 and 130 the previous exports are as they were.
"""

from __future__ import annotations

import atexit
import os
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import click
from tqdm import tqdm

import kg
from kg.export import drawer as charts_drawer
from kg.export.atomic import atomic_write
from kg.export.store import StoreError
from kg.ingest import FORMATS, InputError
from kg.paths import SEEDS_DIR
from kg.query import ENGINES as QUERY_ENGINES
from kg.query import FORMATS as QUERY_FORMATS
from kg.query import QueryError, format_result, list_named_queries, run_query
from kg.records import ENTITY_TYPES, PAPER, RELATIONS
from kg.serve import DEFAULT_HOST, DEFAULT_PORT, ServeError
from kg.serve import serve as serve_endpoint
from kg.stats import (
    StatsError,
    export_graphml,
    format_json,
    format_table,
    graph_stats,
    read_graphml,
)
from kg.validate import ENGINES as VALIDATE_ENGINES
from kg.validate import ValidationError, validate

# kg.engine.ENGINES (tests/test_startup.py checks): that module loads spaCy, which only
# `kg build` needs, so it is imported there.
ENGINE_NAMES = ("local", "dask")
EXIT_SKIPPED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
DEFAULT_OUT = Path("exports")
DEFAULT_GRAPH = DEFAULT_OUT / "graph.ttl"
DEFAULT_CACHE = Path(".kg-cache")


def _fail(message: str, debug: bool) -> None:
    if debug:
        traceback.print_exc()
    click.echo(f"kg: error: {message}", err=True)
    sys.exit(EXIT_USAGE)


# Whether `main` was called for this process's own arguments (see OneLineErrors.main).
_command_is_the_process = False


class OneLineErrors(click.Group):
    """A failure no handler foresaw is still one `kg: error:` line (exit 2), never a
    traceback for the user; --debug re-raises it."""

    def main(self, args: Sequence[str] | None = None, *rest: Any, **options: Any) -> Any:
        global _command_is_the_process
        # The arguments of this process (`kg ...` from a shell, `python -m kg`), not a
        # caller's (CliRunner, a script): the command may end the process (`_end_process`).
        _command_is_the_process = args is None and options.get("standalone_mode", True)
        arguments = list(sys.argv[1:] if args is None else args)
        try:
            return super().main(arguments, *rest, **options)
        except Exception as error:  # SystemExit and KeyboardInterrupt are no Exception
            if "--debug" in arguments:
                raise
            click.echo(
                f"kg: error: unexpected {type(error).__name__}: {error} (--debug shows where)",
                err=True,
            )
            sys.exit(EXIT_USAGE)


debug_option = click.option("--debug", is_flag=True, help="Show a traceback for errors.")


def _graph_in_folder(path: Path) -> Path:
    """An export folder stands for its graph.ttl (`kg validate exports/`)."""
    return path / "graph.ttl" if path.is_dir() else path


def export_options(verb: str) -> Callable[[Callable], Callable]:
    """--graph (repeatable) and --store: where `kg query` and `kg serve` find the export."""

    def decorate(command: Callable) -> Callable:
        command = click.option(
            "--store",
            "store_dir",
            type=click.Path(file_okay=False, path_type=Path),
            help=f"{verb.capitalize()} this Oxigraph store (kg build --store) "
            "instead of a graph file.",
        )(command)
        return click.option(
            "--graph",
            "graph_files",
            type=click.Path(path_type=Path),
            multiple=True,
            callback=lambda ctx, param, paths: tuple(_graph_in_folder(p) for p in paths),
            help=f"A Turtle export (or its folder) to {verb}; repeat to {verb} several together.  "
            f"[default: {DEFAULT_GRAPH}]",
        )(command)

    return decorate


@click.group(cls=OneLineErrors, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kg")
def main() -> None:
    """Build a knowledge graph of models, datasets and modalities from paper abstracts,
    and query it with SPARQL."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),  # checked by kg.check_export_folder, one error line
    default=DEFAULT_OUT,
    show_default=True,
    help="Folder for graph.ttl (with ontology.ttl), graph.graphml and graph.html.",
)
@click.option(
    "--format",
    "input_format",
    type=click.Choice(FORMATS),
    help="Read every input file as this format instead of detecting it.",
)
@click.option(
    "--spacy-model",
    metavar="NAME",
    help="An installed trained spaCy pipeline to use instead of spacy.blank('en').",
)
@click.option(
    "--html-max-nodes",
    type=click.IntRange(min=1),
    default=5000,
    show_default=True,
    help="Draw at most this many nodes (the most connected) in graph.html.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    metavar="N",
    help="Extract in N processes (Dask: N local workers); above 1, also write the exports"
    " at once.  [default: the cores]",
)
@click.option(
    "--cache",
    "cache_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_CACHE,
    show_default=True,
    help="Keep the parsed input, each paper's extraction and each node's exported text here:"
    " a re-build parses, extracts and writes only what is new.",
)
@click.option("--no-cache", is_flag=True, help="Neither read nor write the cache.")
@click.option(
    "--engine",
    type=click.Choice(ENGINE_NAMES),
    default="local",
    show_default=True,
    help="Where extraction runs: local processes, or a Dask cluster.",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="With --engine dask: the scheduler to use, e.g. tcp://scheduler-host:8786 "
    "(default: start a LocalCluster of --jobs workers).",
)
@click.option(
    "--store",
    "with_store",
    is_flag=True,
    help="Also load graph.ttl into an Oxigraph store, OUT/store/, for kg query and kg serve.",
)
@click.option(
    "--strict", is_flag=True, help="Fail (exit 1) if any record was skipped; write nothing."
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bars and no summary.")
@debug_option
def build(
    paths: tuple[Path, ...],
    out_dir: Path,
    input_format: str | None,
    spacy_model: str | None,
    html_max_nodes: int,
    jobs: int | None,
    cache_dir: Path,
    no_cache: bool,
    engine: str,
    scheduler: str | None,
    with_store: bool,
    strict: bool,
    quiet: bool,
    debug: bool,
) -> None:
    """Build the knowledge graph of PATHS (files or folders; default: the bundled seeds).

    Formats are detected from each file's name and content: PubMed XML, MEDLINE
    (.nbib), RIS, Web of Science, BibTeX, CSV/TSV, JSON (Lines, also .gz) from OpenAlex,
    Semantic Scholar, Crossref, Europe PMC, Hugging Face papers or CSL-JSON, arXiv Atom,
    the daily-papers page, abstract lists and plain text. `-` reads standard input.
    """
    started = time.perf_counter()
    if scheduler and engine != "dask":
        _fail("--scheduler needs --engine dask", debug)
    # The bundled seeds, named relative to here so exports do not record where kg is installed.
    inputs = list(paths) or [Path(os.path.relpath(SEEDS_DIR))]
    exporters = [*kg.EXPORTERS, kg.STORE_EXPORTER] if with_store else kg.EXPORTERS
    try:  # before the build: a folder that cannot take the exports fails in a second
        kg.check_export_folder(out_dir, kg.export_entries(exporters))
    except kg.ExportError as error:
        _fail(str(error), debug)
    if kg.exports_in_parallel(jobs):
        # Forked while this process is small; it loads when linking starts.
        charts_drawer.start(None if no_cache else cache_dir)
    with ExitStack() as resources, _interruptible(out_dir, debug):
        cache = None if no_cache else kg.ExtractionCache.for_pipeline(cache_dir, spacy_model)
        if cache is not None:
            resources.callback(cache.close)
        try:
            knowledge_graph = kg.build(
                inputs,
                format=input_format,
                spacy_model=spacy_model,
                jobs=jobs,
                engine=engine,
                scheduler=scheduler,
                cache=cache,
                progress=_progress_bars(resources, quiet),
            )
        except (InputError, kg.EngineError) as error:
            _fail(str(error), debug)
        except OSError as error:  # a trained pipeline not installed, a folder we cannot read
            _fail(str(error), debug)
    for warning in cache.warnings if cache else ():
        click.echo(f"kg: warning: {warning}", err=True)
    for problem in knowledge_graph.problems:
        click.echo(f"kg: skipped {problem}", err=True)
    if not knowledge_graph.count_nodes().get(PAPER):
        read_from = ", ".join(map(str, inputs))
        click.echo(f"kg: error: no paper read from {read_from}; nothing written", err=True)
        sys.exit(EXIT_SKIPPED)
    if strict and knowledge_graph.problems:
        click.echo(
            f"kg: {len(knowledge_graph.problems)} record(s) skipped; nothing written (--strict)",
            err=True,
        )
        sys.exit(EXIT_SKIPPED)
    drawer = charts_drawer.running()
    if drawer is not None and not no_cache:
        drawer.keep_ontology(cache_dir)  # merged while the build read: a cold cache gets it
    with _interruptible(out_dir, debug):
        try:
            paths_written = kg.export(
                knowledge_graph,
                out_dir,
                html_max_nodes=html_max_nodes,
                exporters=exporters,
                jobs=jobs,
                cache=None if no_cache else cache_dir,
            )
        except (kg.ExportError, StoreError) as error:
            _fail(str(error), debug)
    charts_drawer.stop()
    for warning in paths_written.warnings:
        click.echo(f"kg: warning: {warning}", err=True)
    if not quiet:
        click.echo(_summary(knowledge_graph, time.perf_counter() - started, cache))
        click.echo(f"wrote {paths_written.turtle}, {paths_written.graphml}, {paths_written.html}")
        if with_store:
            click.echo(f"wrote {out_dir / kg.STORE_EXPORTER.entries[0]}")
    _end_process()


def _end_process() -> None:
    """End the process now, when it runs only this command: without freeing the build's
    millions of objects one by one and the interpreter's teardown (a third of a second of
    CPU at 88k papers). What the build wrote is closed and on disk by now (exports
    committed, caches closed, the drawer stopped); the exit handlers run and the standard
    streams are flushed first. Not while a thread that is no daemon runs (the interpreter
    would wait for it), nor when called from Python (`main(args)`, tests), nor under a
    profiler or tracer (`python -m cProfile -o ...` writes its file after `main` returns)."""
    others = [t for t in threading.enumerate() if t is not threading.main_thread()]
    if (
        not _command_is_the_process
        or any(not thread.daemon for thread in others)
        or sys.getprofile() is not None
        or sys.gettrace() is not None
    ):
        return
    atexit._run_exitfuncs()  # each once: it clears them
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # a closed pipe: the interpreter's exit reports it, as it always did
        return
    os._exit(0)


@contextmanager
def _interruptible(out_dir: Path, debug: bool) -> Iterator[None]:
    """Ctrl-C, or SIGTERM (timeout, systemd, kill): a short message and exit 130 instead of
    a traceback (--debug shows it); the staging folder is removed on the way out."""
    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _interrupt) if in_main_thread else None
    try:
        yield
    except KeyboardInterrupt:
        if debug:
            raise
        click.echo(f"kg: interrupted; the exports in {out_dir} are as they were", err=True)
        sys.exit(EXIT_INTERRUPTED)
    finally:
        if in_main_thread:
            signal.signal(signal.SIGTERM, previous)


def _progress_bars(bars: ExitStack, quiet: bool) -> kg.Progress:
    """A tqdm bar per stage on stderr; none when quiet or when stderr is not a terminal."""
    disabled = quiet or not sys.stderr.isatty()

    def start(stage: str, total: int | None) -> Callable[[int], None]:
        bar = bars.enter_context(
            tqdm(
                total=total,
                desc=stage,
                unit="paper",
                disable=disabled,
                leave=False,
                file=sys.stderr,
            )
        )
        return bar.update

    return start


ENTITY_PLURALS = {"Model": "models", "Dataset": "datasets", "Modality": "modalities"}


def _summary(
    knowledge_graph: kg.KnowledgeGraph, seconds: float, cache: kg.ExtractionCache | None
) -> str:
    """One line that accounts for every record read and every node and edge written."""
    nodes = knowledge_graph.count_nodes()
    edges = knowledge_graph.count_edges()  # their total: networkx's number_of_edges takes 0.27 s
    entities = ", ".join(f"{nodes.get(t, 0)} {ENTITY_PLURALS[t]}" for t in ENTITY_TYPES)
    relations = ", ".join(f"{edges.get(r, 0)} {r}" for r in RELATIONS)
    accounted = ", ".join(
        f"{count} {what}"
        for count, what in (
            (knowledge_graph.records_merged, "merged"),
            (len(knowledge_graph.problems), "skipped"),
        )
        if count
    )
    return (
        f"{nodes.get(PAPER, 0)} papers from {knowledge_graph.records_read} records"
        f"{f' ({accounted})' if accounted else ''}; {entities}; "
        f"{edges.total()} edges: {relations} (paper-to-paper included); "
        f"{f'{cache.hits} of {cache.hits + cache.misses} papers from the cache; ' if cache else ''}"
        f"{seconds:.1f} s"
    )


@main.command()
@click.argument("query", required=False)
@export_options("query")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(QUERY_FORMATS),
    default="table",
    show_default=True,
    help="How to write the answer: SPARQL 1.1 results as csv, tsv, json or xml; "
    "CONSTRUCT/DESCRIBE graphs as turtle (also for table) or ntriples.",
)
@click.option(
    "--output",
    "-o",
    "output_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the answer to this file instead of standard output.",
)
@click.option(
    "--param",
    "-p",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="A value for a query parameter (a one-row VALUES block), e.g. --param model=SAM.",
)
@click.option(
    "--engine",
    type=click.Choice(QUERY_ENGINES),
    default="oxigraph",
    show_default=True,
    help="SPARQL engine (rdflib: pure Python, slower).",
)
@click.option(
    "--list", "list_queries", is_flag=True, help="List the bundled named queries and exit."
)
@debug_option
def query(
    query: str | None,
    graph_files: tuple[Path, ...],
    store_dir: Path | None,
    output_format: str,
    output_file: Path | None,
    params: tuple[str, ...],
    engine: str,
    list_queries: bool,
    debug: bool,
) -> None:
    """Run QUERY over the Turtle export: SPARQL text, a .rq file, or a bundled query's name.

    The export's store (kg build --store) is used when it holds exactly that export.

    \b
    Examples:
      kg query lineage --param model=SAM
      kg query 'SELECT ?paper WHERE { ?paper kg:buildsOn ?m . ?m rdfs:label "SAM" }'
      kg query my-query.rq --format csv -o answer.csv
      kg query 'CONSTRUCT WHERE { ?p kg:buildsOn ?m }' --format ntriples
    """
    if list_queries:
        for named in list_named_queries():
            parameters = " ".join(f"--param {p.name}=..." for p in named.parameters)
            click.echo(
                f"{named.name:<28} {named.description}"
                + (f"  [{parameters}]" if parameters else "")
            )
        return
    if not query:
        _fail("give a QUERY (SPARQL text, a .rq file or a bundled name), or --list", debug)
    if query == "-":  # the query from standard input: kg query - < my-query.rq
        query = sys.stdin.read()
    if store_dir and graph_files:
        _fail("give --graph files or --store, not both", debug)
    bound = {}
    for item in params:
        name, sep, value = item.partition("=")
        if not sep or not name:
            _fail(f"--param takes NAME=VALUE, not {item!r}", debug)
        bound[name] = value
    graphs = list(graph_files) or ([] if store_dir else [DEFAULT_GRAPH])
    try:
        result = run_query(query, graphs, params=bound, engine=engine, store=store_dir)
        answer = format_result(result, output_format)
    except QueryError as error:
        _fail(str(error), debug)
    if output_file is None:
        click.echo(answer, nl=False)
        return
    try:
        with atomic_write(output_file) as handle:
            handle.write(answer)
    except OSError as error:
        _fail(f"cannot write {output_file}: {error}", debug)


@main.command()
@export_options("serve")
@click.option("--host", default=DEFAULT_HOST, show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=DEFAULT_PORT, show_default=True)
@debug_option
def serve(
    graph_files: tuple[Path, ...], store_dir: Path | None, host: str, port: int, debug: bool
) -> None:
    """A read-only SPARQL 1.1 endpoint over the export, on http://HOST:PORT/query.

    Oxigraph's own server answers: results as SPARQL JSON, XML, CSV or TSV and graphs as
    Turtle or N-Triples, by the request's Accept header. Ctrl-C (or SIGTERM) stops it.

    \b
    Example:
      kg serve --port 7878 &
      curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * { ?s ?p ?o } LIMIT 3' \\
           http://127.0.0.1:7878/query
    """
    if store_dir and graph_files:
        _fail("give --graph files or --store, not both", debug)
    graphs = list(graph_files) or ([] if store_dir else [DEFAULT_GRAPH])
    # SIGTERM stops the endpoint the way Ctrl-C does: server stopped, temporary store removed.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        serve_endpoint(
            graphs, store=store_dir, host=host, port=port, notice=lambda m: click.echo(m, err=True)
        )
    except ServeError as error:
        _fail(str(error), debug)
    except KeyboardInterrupt:
        click.echo("kg: endpoint stopped", err=True)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


@main.command(name="validate")
@click.argument(
    "export_file",
    required=False,
    default=DEFAULT_GRAPH,
    type=click.Path(path_type=Path),
    callback=lambda ctx, param, path: _graph_in_folder(path),
)
@click.option(
    "--shapes",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="SHACL shapes to validate against (default: ontology/shapes.ttl).",
)
@click.option(
    "--engine",
    type=click.Choice(VALIDATE_ENGINES),
    default="oxigraph",
    show_default=True,
    help="oxigraph: the shapes as SPARQL queries, one thread per core; "
    "pyshacl: the reference implementation, on rdflib.",
)
@debug_option
def validate_command(export_file: Path, shapes: Path | None, engine: str, debug: bool) -> None:
    """Check a Turtle export (default exports/graph.ttl; a folder stands for its graph.ttl)
    against the SHACL shapes."""
    try:
        report = validate(export_file, shapes, engine=engine)
    except ValidationError as error:
        _fail(str(error), debug)
    click.echo(report.text)
    if not report.conforms:
        sys.exit(EXIT_SKIPPED)


@main.command(name="stats")
@click.argument(
    "export_path",
    required=False,
    default=DEFAULT_OUT,
    type=click.Path(path_type=Path),
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Plain text sections, or one JSON object.",
)
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=20,
    show_default=True,
    help="How many entries each ranked list shows.",
)
@debug_option
def stats_command(export_path: Path, output_format: str, top: int, debug: bool) -> None:
    """Figures to judge a built graph: counts by type and relation, top entities per
    relation, entities introduced by several papers, paper -> paper edges against year
    order, acronyms with several senses, modalities.

    EXPORT_PATH is an export folder (default exports/), or its graph.graphml or
    graph.ttl; the GraphML file of that export is read.
    """
    try:
        graph = read_graphml(export_graphml(export_path))
    except StatsError as error:
        _fail(str(error), debug)
    result = graph_stats(graph, top=top)
    click.echo(format_json(result) if output_format == "json" else format_table(result), nl=False)
