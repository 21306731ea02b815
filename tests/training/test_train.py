from __future__ import annotations

import json

import pytest
import torch

from policynlp.evaluation import evaluate_documents
from policynlp.modeling import PolicyModel


def _dev_documents(config):
    from training.train import read_split

    return read_split(config.data.path, "dev", config.labels.to_label_set())


def test_tiny_training_learns_far_beyond_the_untrained_model(trained_tiny, tiny_config):
    from transformers import AutoTokenizer

    out, metrics = trained_tiny
    tokenizer = AutoTokenizer.from_pretrained(out)
    untrained = PolicyModel.from_encoder(out / "encoder", tiny_config.labels.to_label_set())
    baseline = evaluate_documents(untrained, tokenizer, _dev_documents(tiny_config)).metrics
    assert metrics["entity_f1"] >= 0.6
    assert metrics["entity_f1"] >= baseline["entity_f1"] + 0.4


def test_training_writes_model_tokenizer_and_metrics(trained_tiny):
    out, _ = trained_tiny
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    for key in ("entity_f1", "entity_f1_per_label", "theme_accuracy", "kind_accuracy", "theme_macro_f1"):
        assert key in metrics
    assert set(metrics["entity_f1_per_label"]) == {"METRIC", "INSTITUTION", "VALUE", "DATE"}
    assert (out / "model.safetensors").is_file() and (out / "tokenizer.json").is_file()
    assert not list(out.glob("*.bin"))
    reloaded = PolicyModel.from_pretrained(out)
    assert reloaded.config.id2label[1] == "B-METRIC"


def test_same_seed_and_data_give_the_same_metrics(trained_tiny, tiny_config, tmp_path):
    from training.train import train

    _, first = trained_tiny
    again = train(tiny_config.model_copy(update={"output_dir": tmp_path / "again"}))
    assert again["entity_f1"] == pytest.approx(first["entity_f1"], abs=1e-9)
    assert again["theme_accuracy"] == pytest.approx(first["theme_accuracy"], abs=1e-9)


def test_training_resumes_from_the_last_checkpoint(tiny_config, tmp_path):
    from training.train import train

    short = tiny_config.model_copy(update={
        "output_dir": tmp_path / "run",
        "optimization": tiny_config.optimization.model_copy(update={"epochs": 2}),
    })
    train(short)
    checkpoints = sorted((tmp_path / "run" / "checkpoints").glob("checkpoint-*"))
    assert checkpoints
    longer = short.model_copy(update={"optimization": short.optimization.model_copy(update={"epochs": 3})})
    metrics = train(longer, resume=True)
    state = json.loads((tmp_path / "run" / "metrics.json").read_text(encoding="utf-8"))
    assert state["epochs_run"] == pytest.approx(3)
    assert "entity_f1" in metrics


def test_bf16_mixed_precision_trains_and_keeps_float32_weights(tiny_config, tmp_path):
    from safetensors import safe_open

    from training.train import train

    def run(name, bf16):
        config = tiny_config.model_copy(update={
            "output_dir": tmp_path / name,
            "optimization": tiny_config.optimization.model_copy(update={"epochs": 3, "bf16": bf16}),
        })
        return train(config)

    full = run("fp32", False)
    mixed = run("bf16", True)
    with safe_open(str(tmp_path / "bf16" / "model.safetensors"), "pt") as mixed_file, \
            safe_open(str(tmp_path / "fp32" / "model.safetensors"), "pt") as full_file:
        name = next(key for key in mixed_file.keys() if key.endswith("query.weight"))
        mixed_weight, full_weight = mixed_file.get_tensor(name), full_file.get_tensor(name)
    assert mixed_weight.dtype == full_weight.dtype == torch.float32
    # Autocast really ran: the same seed and data end in different weights.
    assert not torch.equal(mixed_weight, full_weight)
    assert mixed["entity_f1"] == pytest.approx(full["entity_f1"], abs=0.1)


def test_missing_base_model_names_the_command_that_builds_it(tiny_config, tmp_path):
    from policynlp.errors import ModelNotFoundError
    from training.train import train

    config = tiny_config.model_copy(update={"tiny_encoder": None, "base_model": "runs/no-such-base",
                                            "output_dir": tmp_path})
    with pytest.raises(ModelNotFoundError, match="policynlp base build --out runs/no-such-base"):
        train(config)


@pytest.mark.slow
def test_train_command_runs_the_tiny_config_on_the_corpus(tmp_path, monkeypatch):
    from pathlib import Path

    from typer.testing import CliRunner

    from policynlp.cli import app

    monkeypatch.chdir(Path(__file__).resolve().parents[2])  # the config's paths are relative to the repository

    result = CliRunner().invoke(app, ["train", "configs/tiny.yaml", "--output-dir", str(tmp_path / "tiny")])
    assert result.exit_code == 0, result.output
    metrics = json.loads((tmp_path / "tiny" / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["entity_f1"] > 0.05  # a tiny random model on real reports: learning, not quality
    assert set(metrics["entity_f1_per_label"]) == {"METRIC", "INSTITUTION", "VALUE", "DATE"}


def test_train_command_reports_config_errors_with_the_file(tmp_path):
    from typer.testing import CliRunner

    from policynlp.cli import app

    path = tmp_path / "broken.yaml"
    path.write_text("tiny_encoder: {}\ndata: {path: x}\noutput_dir: y\nepochs: 3\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["train", str(path)])
    assert result.exit_code == 2
    assert "broken.yaml: key 'epochs': Extra inputs are not permitted" in result.output
