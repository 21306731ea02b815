"""``policynlp extract``: run the pipeline over report files, a folder of them, or standard input."""

from __future__ import annotations

import csv
import io
import json
import sys
from enum import Enum
from pathlib import Path

import typer

from policynlp.errors import PolicyNLPError


class OutputFormat(str, Enum):
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    table = "table"


INDICATOR_COLUMNS = ["file", "metric", "value", "number", "unit", "kind", "date", "institution", "theme", "start", "end"]
ENTITY_COLUMNS = ["file", "label", "text", "start", "end", "score", "number", "unit"]


def _inputs(paths: list[Path]) -> list[Path | None]:
    """Files to read, folders expanded to their ``*.txt`` files; ``-`` is standard input (None)."""
    found: list[Path | None] = []
    for path in paths:
        if str(path) == "-":
            found.append(None)
        elif path.is_dir():
            found.extend(sorted(item for item in path.rglob("*.txt") if item.is_file()))
        else:
            found.append(path)
    return found


def _indicator_rows(name: str, doc) -> list[list]:
    rows = []
    for indicator in doc.indicators:
        quantity = indicator.quantity
        anchor = indicator.metric or indicator.value
        theme = doc.sections[indicator.section].theme if indicator.section is not None else None
        rows.append([
            name,
            indicator.metric.text if indicator.metric else "",
            indicator.value.text if indicator.value else "",
            "" if quantity is None or quantity.value is None else quantity.value,
            "" if quantity is None else quantity.unit,
            "" if quantity is None else quantity.kind,
            indicator.date.text if indicator.date else "",
            indicator.institution.text if indicator.institution else "",
            theme or "",
            anchor.start,
            anchor.end,
        ])
    return rows


def register(app: typer.Typer) -> None:
    @app.command("extract")
    def extract_command(
        paths: list[Path] = typer.Argument(..., help="Report files (UTF-8 or GB18030), folders of *.txt, or - for stdin."),
        model: Path | None = typer.Option(None, "--model", help="Model directory (default: the shipped model)."),
        output_format: OutputFormat = typer.Option(OutputFormat.table, "--format", "-f", help="Output format."),
        indicators_csv: Path | None = typer.Option(None, "--indicators-csv", help="Also write the indicator table here."),
        batch_size: int = typer.Option(16, "--batch-size", min=1, help="Encoder windows per forward pass."),
        backend: str = typer.Option(
            "auto", "--backend",
            help="Encoder runtime: auto, torch, torch-bf16, torch-int8, onnx, onnx-int8 (see policynlp.runtimes).",
        ),
    ) -> None:
        """Extract entities, sections and indicators from reports.

        Exit codes: 0 all files extracted; 1 some files failed (each named with the reason); 2 no model or bad usage.
        """
        from rich.console import Console
        from rich.progress import track

        from policynlp.pipeline import load
        from policynlp.reading import decode_report, read_report

        console = Console(stderr=True)
        try:
            extractor = load(model, batch_size=batch_size, backend=backend)
        except (PolicyNLPError, ValueError, ImportError) as error:
            typer.echo(f"policynlp extract: {error}", err=True)
            raise typer.Exit(code=2)

        inputs = _inputs(paths)
        if not inputs:
            typer.echo("policynlp extract: no .txt files found in the given folders", err=True)
            raise typer.Exit(code=2)
        failures = 0
        results = []
        sequence = track(inputs, description="extracting", console=console) if len(inputs) > 1 else inputs
        for path in sequence:
            name = "-" if path is None else str(path)
            try:
                text = decode_report(sys.stdin.buffer.read(), "<stdin>") if path is None else read_report(path)
            except PolicyNLPError as error:
                typer.echo(f"policynlp extract: {error}", err=True)
                failures += 1
                continue
            results.append((name, extractor.extract(text)))

        out = sys.stdout
        if output_format is OutputFormat.json:
            payload = [{"file": name, **doc.to_dict()} for name, doc in results]
            out.write(json.dumps(payload[0] if len(payload) == 1 else payload, ensure_ascii=False, indent=2) + "\n")
        elif output_format is OutputFormat.jsonl:
            for name, doc in results:
                out.write(json.dumps({"file": name, **doc.to_dict()}, ensure_ascii=False) + "\n")
        elif output_format is OutputFormat.csv:
            writer = csv.writer(out)
            writer.writerow(ENTITY_COLUMNS)
            for name, doc in results:
                for entity in doc.entities:
                    quantity = entity.quantity
                    writer.writerow([name, entity.label, entity.text, entity.start, entity.end, entity.score,
                                     "" if quantity is None or quantity.value is None else quantity.value,
                                     "" if quantity is None else quantity.unit])
        else:
            _print_tables(results)
        if indicators_csv is not None:
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            writer.writerow(INDICATOR_COLUMNS)
            for name, doc in results:
                writer.writerows(_indicator_rows(name, doc))
            indicators_csv.write_text(buffer.getvalue(), encoding="utf-8")
        if failures:
            raise typer.Exit(code=1)


def _print_tables(results) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    for name, doc in results:
        sections = Table(title=f"{name}: {len(doc.sections)} sections, {len(doc.entities)} entities")
        for column in ("#", "theme", "kind", "start", "opening"):
            sections.add_column(column)
        for index, section in enumerate(doc.sections):
            opening = doc.text[section.start:min(section.end, section.start + 28)].replace("\n", " ")
            sections.add_row(str(index), section.theme or "", section.kind or "", str(section.start), opening)
        console.print(sections)
        indicators = Table(title=f"{name}: indicator table")
        for column in INDICATOR_COLUMNS[1:9]:
            indicators.add_column(column)
        for row in _indicator_rows(name, doc):
            indicators.add_row(*[str(cell) for cell in row[1:9]])
        console.print(indicators)
