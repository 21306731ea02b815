"""``policynlp batch``: extract an archive into joinable Parquet tables, locally or on Ray."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

import typer

from policynlp.errors import PolicyNLPError


class Backend(str, Enum):
    local = "local"
    ray = "ray"


def register(app: typer.Typer) -> None:
    @app.command("batch")
    def batch_command(
        input_path: Path = typer.Argument(..., help="A folder of *.txt / *.jsonl / *.parquet, or one such file."),
        output_path: Path = typer.Argument(..., help="Folder for the documents, entities, indicators and errors tables."),
        backend: Backend = typer.Option(Backend.local, "--backend", help="local: a process pool; ray: Ray Data actors."),
        workers: int | None = typer.Option(None, "--workers", min=1, help="Processes or actors (default: the cores)."),
        model: Path | None = typer.Option(None, "--model", help="Model directory (default: the shipped model)."),
        address: str | None = typer.Option(None, "--address", help="Ray cluster to join (default: start a local one)."),
        shard_size: int = typer.Option(64, "--shard-size", min=1, help="Documents per shard, the unit of --resume."),
        resume: bool = typer.Option(False, "--resume", help="Skip shards an earlier run finished."),
    ) -> None:
        """Extract every document into Parquet tables that join on `id`.

        Documents that cannot be read or extracted go to the errors table with the reason; the run goes on.
        Exit codes: 0 done (errors table may hold rows); 2 bad input or no model.
        """
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        from policynlp.batch import plan_shards, run

        console = Console(stderr=True)
        try:
            total = len(plan_shards(input_path, shard_size))
        except PolicyNLPError as error:
            typer.echo(f"policynlp batch: {error}", err=True)
            raise typer.Exit(code=2)
        with Progress(TextColumn("shards"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      TextColumn("{task.fields[documents]} documents, {task.fields[errors]} errors"),
                      console=console) as bar:
            task = bar.add_task("batch", total=total, documents=0, errors=0)
            tally = {"documents": 0, "errors": 0}

            def advance(result) -> None:
                tally["documents"] += result.documents
                tally["errors"] += result.errors
                bar.update(task, advance=1, **tally)

            try:
                results = run(input_path, output_path, backend=backend.value, model=model, workers=workers,
                              shard_size=shard_size, resume=resume, address=address, progress=advance)
            except PolicyNLPError as error:
                typer.echo(f"policynlp batch: {error}", err=True)
                raise typer.Exit(code=2)
        skipped = sum(1 for result in results if result.skipped)
        console.print(f"{tally['documents']} documents extracted, {tally['errors']} errors, "
                      f"{skipped} shards skipped (already done); tables in {output_path}")
