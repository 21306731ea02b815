"""``policynlp data``: validate, import and count annotated data."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from policynlp.errors import DataFormatError

if TYPE_CHECKING:
    from rich.table import Table

    from policynlp.data.stats import CorpusStats

app = typer.Typer(help="Validate, import and count annotated data (ANNOTATION.md JSON Lines).", no_args_is_help=True)


class SourceFormat(str, Enum):
    """Annotation tools whose exports ``policynlp data import`` reads."""

    label_studio = "label-studio"
    doccano = "doccano"


def _fail(message: str, code: int = 1) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(code=code)


@app.command("validate")
def validate_command(
    files: list[Path] = typer.Argument(
        ..., exists=True, dir_okay=False, readable=True, help="Annotated JSON Lines files."
    ),
) -> None:
    """Check files against ANNOTATION.md and list every error (exit 1 if any)."""
    from policynlp.data.jsonl import read_with_errors

    failed = False
    for path in files:
        documents, errors = read_with_errors(path)
        for error in errors:
            typer.echo(str(error))
        if errors:
            failed = True
            typer.echo(f"{path}: {len(errors)} error{'s' if len(errors) != 1 else ''}")
        else:
            typer.echo(f"{path}: ok {len(documents)} documents")
    if failed:
        raise typer.Exit(code=1)


@app.command("import")
def import_command(
    source: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True, help="The tool's export file."),
    output: Path = typer.Argument(..., dir_okay=False, help="The ANNOTATION.md JSON Lines file to write."),
    source_format: SourceFormat = typer.Option(..., "--from", help="The tool that wrote SOURCE."),
    skip_unannotated: bool = typer.Option(
        False, "--skip-unannotated", help="Label Studio: leave out tasks without an annotation instead of failing."
    ),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace OUTPUT if it exists."),
) -> None:
    """Convert a Label Studio or doccano export to ANNOTATION.md JSON Lines, then validate what was written."""
    from policynlp.data.doccano import import_doccano
    from policynlp.data.jsonl import validate_file, write_documents
    from policynlp.data.label_studio import import_label_studio

    if output.exists() and not overwrite:
        raise _fail(f"{output}: already exists; pass --overwrite to replace it", code=2)
    try:
        if source_format is SourceFormat.label_studio:
            documents = import_label_studio(source, skip_unannotated=skip_unannotated)
        else:
            documents = import_doccano(source)
        written = write_documents(output, documents)
    except (DataFormatError, OSError) as error:
        raise _fail(str(error)) from error
    errors = validate_file(output)
    for error in errors:
        typer.echo(str(error))
    if errors:
        raise _fail(f"{output}: written but invalid, {len(errors)} errors")
    typer.echo(f"{output}: wrote {written} documents from {source}")


@app.command("stats")
def stats_command(
    path: Path = typer.Argument(..., exists=True, help="A JSON Lines file or a corpus directory."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """Count documents, characters, entities, sections and links per split and in total."""
    from policynlp.data.stats import corpus_stats

    try:
        stats = corpus_stats(path)
    except DataFormatError as error:
        raise _fail(f"{error}\n(run `policynlp data validate` to list every error)") from error
    except OSError as error:
        raise _fail(str(error)) from error
    if as_json:
        typer.echo(json.dumps(stats.to_dict(), ensure_ascii=False, indent=2))
        return
    from rich.console import Console

    Console().print(_stats_table(stats))


def _stats_table(stats: CorpusStats) -> Table:
    from rich.table import Table

    from policynlp.data.stats import TOTAL

    columns = {**stats.splits, TOTAL: stats.total}
    table = Table(title="Annotated data")
    table.add_column("count")
    for name in columns:
        table.add_column(name, justify="right")

    def add(label: str, values: list[int]) -> None:
        table.add_row(label, *(f"{value:,}" for value in values))

    add("documents", [s.documents for s in columns.values()])
    add("characters", [s.characters for s in columns.values()])
    add("entities", [s.entity_count for s in columns.values()])
    for label in stats.total.entities:
        add(f"  {label}", [s.entities.get(label, 0) for s in columns.values()])
    add("sections", [s.section_count for s in columns.values()])
    for theme in stats.total.themes:
        add(f"  theme {theme}", [s.themes.get(theme, 0) for s in columns.values()])
    for kind in stats.total.kinds:
        add(f"  kind {kind}", [s.kinds.get(kind, 0) for s in columns.values()])
    add("links", [s.links for s in columns.values()])
    return table


@app.command("check-splits")
def check_splits_command(
    corpus_dir: Path = typer.Argument(..., exists=True, file_okay=False, help="A corpus directory."),
    threshold: float = typer.Option(0.5, min=0.0, max=1.0, help="Containment at which two texts are near-duplicates."),
    ngram: int = typer.Option(8, min=1, help="Character n-gram length."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of text."),
) -> None:
    """Report documents shared between splits (same id, same text, or near-duplicate); exit 1 if any."""
    from policynlp.data.overlap import split_overlap

    try:
        report = split_overlap(corpus_dir, threshold=threshold, ngram=ngram)
    except (DataFormatError, OSError, ValueError) as error:
        raise _fail(str(error)) from error
    if as_json:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        for doc_id, splits in report.shared_ids.items():
            typer.echo(f"shared id {doc_id!r} in {', '.join(splits)}")
        for pair in report.exact:
            typer.echo(f"exact duplicate: {pair.first} = {pair.second}")
        for pair in report.near:
            typer.echo(
                f"near duplicate: {pair.first} ~ {pair.second} "
                f"(containment {pair.containment:.2f}, jaccard {pair.jaccard:.2f})"
            )
        rates = ", ".join(f"{split} {rate:.1%}" for split, rate in report.rates().items())
        typer.echo(
            f"{len(report.exact)} exact, {len(report.near)} near duplicates across splits "
            f"({ngram}-gram containment >= {threshold}); documents affected: {rates}"
        )
    if report.has_leakage:
        raise typer.Exit(code=1)
