"""``policynlp extract``: run the pipeline over report files."""

from __future__ import annotations

from pathlib import Path

import typer

from policynlp.errors import ModelNotFoundError


def register(app: typer.Typer) -> None:
    @app.command("extract")
    def extract_command(
        files: list[Path] = typer.Argument(..., help="Report files (UTF-8 or GB18030)."),
        model: Path | None = typer.Option(None, "--model", help="Model directory (default: the shipped model)."),
    ) -> None:
        """Extract entities, sections and indicators from report files."""
        from policynlp.pipeline import load

        try:
            load(model)
        except ModelNotFoundError as error:
            typer.echo(f"policynlp extract: {error}", err=True)
            raise typer.Exit(code=2)
