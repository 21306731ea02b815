from __future__ import annotations

import json

from typer.testing import CliRunner

from policynlp.cli import app


def test_evaluate_prints_metrics_confusion_and_errors_and_writes_json(tiny_model_dir, made_up_corpus, tmp_path):
    out = tmp_path / "metrics.json"
    result = CliRunner().invoke(app, ["evaluate", "--model", str(tiny_model_dir), str(made_up_corpus / "dev.jsonl"),
                                      "--out", str(out), "--show-errors", "5"])
    assert result.exit_code == 0, result.output
    assert "entity F1 (strict, micro)" in result.output and "themes: gold (rows)" in result.output
    payload = json.loads(out.read_text(encoding="utf-8"))
    assert {"entity_f1", "entity_f1_per_label", "theme_accuracy", "kind_accuracy"} <= set(payload["metrics"])
    assert all("【" in error["context"] for error in payload["errors"])


def test_evaluate_scores_the_rules_baseline(made_up_corpus):
    result = CliRunner().invoke(app, ["evaluate", "--rules", str(made_up_corpus / "dev.jsonl"), "--show-errors", "0"])
    assert result.exit_code == 0, result.output
    assert "rules-only baseline" in result.output


def test_evaluate_needs_a_model_or_rules(made_up_corpus):
    result = CliRunner().invoke(app, ["evaluate", str(made_up_corpus / "dev.jsonl")])
    assert result.exit_code == 2
    assert "--model DIR or --rules" in result.output
