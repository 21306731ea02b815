"""The training config: one strict schema for every file in ``configs/``.

Unknown keys and wrong types are errors that name the file, the key and what
was expected. Relative paths in a config are relative to the working directory
the command runs in (the repository root for the shipped configs).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from policynlp.errors import ConfigError
from policynlp.schema import ENTITY_LABELS, KINDS, THEMES, LabelSet


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TinyEncoder(Strict):
    """A tiny random BERT whose character vocabulary is built from the training data."""

    hidden_size: int = Field(32, gt=0)
    num_layers: int = Field(2, gt=0)
    num_heads: int = Field(4, gt=0)
    intermediate_size: int = Field(64, gt=0)

    @model_validator(mode="after")
    def _heads_divide_hidden(self) -> "TinyEncoder":
        if self.hidden_size % self.num_heads:
            raise ValueError(f"hidden_size {self.hidden_size} is not a multiple of num_heads {self.num_heads}")
        return self


class LabelsConfig(Strict):
    """Label sets to train; ANNOTATION.md's by default."""

    entity_labels: list[str] = Field(default_factory=lambda: list(ENTITY_LABELS))
    themes: list[str] = Field(default_factory=lambda: list(THEMES))
    kinds: list[str] = Field(default_factory=lambda: list(KINDS))
    names: dict[str, str] = Field(default_factory=dict)

    def to_label_set(self) -> LabelSet:
        names = self.names
        if (self.entity_labels, self.themes, self.kinds) == (list(ENTITY_LABELS), list(THEMES), list(KINDS)):
            names = {**LabelSet.default().names, **names}
        return LabelSet(tuple(self.entity_labels), tuple(self.themes), tuple(self.kinds), names)


class DataConfig(Strict):
    """Where the corpus is: a directory with ``train.jsonl`` and ``dev.jsonl`` (and ``test.jsonl``)."""

    path: Path
    train_split: str = "train"
    dev_split: str = "dev"
    max_train_documents: int | None = Field(None, gt=0)
    max_dev_documents: int | None = Field(None, gt=0)


class ModelConfig(Strict):
    """Window and head settings stored in the trained model's config."""

    window_length: int = Field(256, ge=32, le=4096)
    stride: int = Field(64, ge=0)
    context_tokens: int = Field(32, ge=0)
    classifier_dropout: float = Field(0.1, ge=0.0, lt=1.0)
    section_loss_weight: float = Field(0.5, ge=0.0)
    layers: int | None = Field(None, gt=0, description="keep only the first N encoder layers")

    @model_validator(mode="after")
    def _stride_fits(self) -> "ModelConfig":
        if self.stride >= self.window_length // 2:
            raise ValueError(f"stride {self.stride} must be under half of window_length {self.window_length}")
        return self


class OptimizationConfig(Strict):
    epochs: float = Field(10, gt=0)
    batch_size: int = Field(8, gt=0)
    gradient_accumulation_steps: int = Field(1, gt=0)
    learning_rate: float = Field(1e-4, gt=0)
    head_learning_rate: float = Field(2e-3, gt=0)
    weight_decay: float = Field(0.01, ge=0)
    warmup_ratio: float = Field(0.05, ge=0, lt=1)
    max_grad_norm: float = Field(1.0, gt=0)
    threads: int | None = Field(None, gt=0, description="torch CPU threads; all cores when unset")
    bf16: bool = Field(False, description="bfloat16 autocast (mixed precision; weights stay float32)")


class EvaluationConfig(Strict):
    metric: Literal["entity_f1", "theme_accuracy", "kind_accuracy", "combined"] = "entity_f1"
    early_stopping_patience: int | None = Field(3, gt=0)
    batch_size: int = Field(16, gt=0)


class TrainConfig(Strict):
    """A training run: base encoder, labels, data, model, optimisation, seed, output."""

    base_model: str | None = Field(None, description="local directory or hub name of a BERT-family encoder")
    tiny_encoder: TinyEncoder | None = None
    labels: LabelsConfig = Field(default_factory=LabelsConfig)
    data: DataConfig
    model: ModelConfig = Field(default_factory=ModelConfig)
    optimization: OptimizationConfig = Field(default_factory=OptimizationConfig)
    evaluation: EvaluationConfig = Field(default_factory=EvaluationConfig)
    seed: int = 42
    output_dir: Path

    @model_validator(mode="after")
    def _one_encoder(self) -> "TrainConfig":
        if (self.base_model is None) == (self.tiny_encoder is None):
            raise ValueError("give exactly one of base_model (a pretrained encoder) or tiny_encoder (a random one)")
        return self


def _location(error: dict) -> str:
    return ".".join(str(part) for part in error["loc"]) or "(top level)"


def load_config(path: str | Path) -> TrainConfig:
    """Read and validate a YAML training config.

    Raises:
        ConfigError: Unreadable YAML, unknown keys, wrong types or values; the message
            names the file, each offending key and what was expected.
    """
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such config file") from None
    except yaml.YAMLError as error:
        raise ConfigError(f"{path}: not valid YAML: {error}") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping of keys at the top level, got {type(raw).__name__}")
    try:
        return TrainConfig.model_validate(raw)
    except ValidationError as error:
        problems = "; ".join(f"key '{_location(item)}': {item['msg']}" for item in error.errors())
        raise ConfigError(f"{path}: {problems}") from None
