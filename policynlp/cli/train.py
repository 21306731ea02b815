"""``policynlp train`` and ``policynlp evaluate``."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from policynlp.errors import PolicyNLPError


def register(app: typer.Typer) -> None:
    @app.command("train")
    def train_command(
        config: Path = typer.Argument(..., help="YAML training config (see configs/)."),
        resume: str | None = typer.Option(
            None, "--resume", help="Resume from a checkpoint directory, or 'last' for the latest one."
        ),
        output_dir: Path | None = typer.Option(None, "--output-dir", help="Override the config's output_dir."),
    ) -> None:
        """Train the joint entity + section model from a config."""
        import logging

        from training.config import load_config
        from training.train import train

        logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
        try:
            settings = load_config(config)
            if output_dir is not None:
                settings = settings.model_copy(update={"output_dir": output_dir})
            metrics = train(settings, resume=True if resume == "last" else resume)
        except PolicyNLPError as error:
            typer.echo(f"policynlp train: {error}", err=True)
            raise typer.Exit(code=2)
        typer.echo(json.dumps(metrics, ensure_ascii=False, indent=2, default=float))

    @app.command("evaluate")
    def evaluate_command(
        data: Path = typer.Argument(..., help="Annotated JSON Lines file (ANNOTATION.md)."),
        model: Path | None = typer.Option(None, "--model", help="Trained model directory."),
        rules: bool = typer.Option(False, "--rules", help="Score the rules-only baseline instead of a model."),
        out: Path | None = typer.Option(None, "--out", help="Write metrics, confusion and errors as JSON here."),
        show_errors: int = typer.Option(30, "--show-errors", help="How many false positives/negatives to print."),
    ) -> None:
        """Score a trained model on annotated data: entities, themes, kinds."""
        from rich.console import Console
        from rich.table import Table

        from policynlp.data.jsonl import read_documents
        from policynlp.evaluation import evaluate_documents, evaluate_rules
        from policynlp.pipeline import load
        from policynlp.schema import DEFAULT_LABELS

        if (model is None) == (not rules):
            typer.echo("policynlp evaluate: give either --model DIR or --rules", err=True)
            raise typer.Exit(code=2)
        try:
            extractor = None if rules else load(model)
            labels = DEFAULT_LABELS if extractor is None else extractor.labels
            documents = [document.to_dict() for document in read_documents(data, labels=labels)]
        except PolicyNLPError as error:
            typer.echo(f"policynlp evaluate: {error}", err=True)
            raise typer.Exit(code=2)
        if extractor is None:
            report = evaluate_rules(documents)
        else:
            report = evaluate_documents(extractor.model, extractor.tokenizer, documents)
        name = "rules-only baseline" if extractor is None else str(model)
        metrics = report.metrics
        console = Console()
        table = Table(title=f"{name} on {data} ({metrics['documents']} documents)")
        table.add_column("metric")
        table.add_column("value", justify="right")
        table.add_column("support", justify="right")
        table.add_row("entity F1 (strict, micro)", f"{metrics['entity_f1']:.4f}", str(sum(metrics["entity_support"].values())))
        table.add_row("entity precision", f"{metrics['entity_precision']:.4f}", "")
        table.add_row("entity recall", f"{metrics['entity_recall']:.4f}", "")
        for label, value in metrics["entity_f1_per_label"].items():
            table.add_row(f"  F1 {label}", f"{value:.4f}", str(metrics["entity_support"][label]))
        table.add_row("theme accuracy", f"{metrics['theme_accuracy']:.4f}", str(metrics["sections"]))
        table.add_row("theme macro-F1", f"{metrics['theme_macro_f1']:.4f}", "")
        table.add_row("kind accuracy", f"{metrics['kind_accuracy']:.4f}", str(metrics["sections"]))
        table.add_row("kind macro-F1", f"{metrics['kind_macro_f1']:.4f}", "")
        console.print(table)

        themes = list(labels.themes)
        confusion = Table(title="themes: gold (rows) x predicted (columns)")
        confusion.add_column("gold")
        for theme in themes:
            confusion.add_column(theme[:6], justify="right")
        for gold in themes:
            row = report.theme_confusion.get(gold, {})
            if row:
                confusion.add_row(gold, *[str(row.get(predicted, "")) for predicted in themes])
        console.print(confusion)
        for error in report.errors[:show_errors]:
            console.print(f"{error['type']:<14} {error['label']:<11} {error['document']}: {error['context']}",
                          markup=False)
        if out is not None:
            payload = {"model": name, "data": str(data), "metrics": metrics,
                       "theme_confusion": report.theme_confusion, "errors": report.errors}
            out.write_text(json.dumps(payload, ensure_ascii=False, indent=2, default=float), encoding="utf-8")
            console.print(f"wrote {out}")
