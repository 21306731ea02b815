"""Train the joint entity + section model from a YAML config.

Usage::

    policynlp train configs/tiny.yaml [--resume [CHECKPOINT]]
    python -m training.train configs/tiny.yaml
    torchrun --nproc_per_node 2 -m training.train configs/tiny.yaml   # data-parallel, unchanged

The run evaluates on dev after every epoch (strict seqeval entity F1 per label,
theme and kind accuracy and macro-F1), keeps the best checkpoint, stops early
when dev stops improving, and writes the best model, its tokenizer and
``metrics.json`` to ``output_dir``. Checkpoints go to ``output_dir/checkpoints``;
``--resume`` continues from the latest one (or the one named).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path
from typing import Any

import torch
import yaml
from transformers import AutoTokenizer, EarlyStoppingCallback, Trainer, TrainingArguments, set_seed
from transformers.trainer_utils import get_last_checkpoint

from policynlp.errors import ConfigError, ModelNotFoundError
from policynlp.evaluation import evaluate_documents
from policynlp.modeling import PolicyModel
from training.config import TrainConfig, load_config
from training.features import WindowCollator, build_dataset
from training.tiny import build_tiny_encoder

logger = logging.getLogger(__name__)

HEAD_PREFIXES = ("token_classifier.", "theme_classifier.", "kind_classifier.")


def read_split(directory: Path, split: str, labels, limit: int | None = None) -> list[dict[str, Any]]:
    """Read and validate ``directory/<split>.jsonl`` as ANNOTATION.md dicts."""
    from policynlp.data.jsonl import read_documents

    path = directory / f"{split}.jsonl"
    if not path.is_file():
        raise ConfigError(f"data.path: no {split} split at {path}")
    documents = [document.to_dict() for document in read_documents(path, labels=labels)]
    return documents[:limit] if limit else documents


class PolicyTrainer(Trainer):
    """A :class:`~transformers.Trainer` that evaluates whole documents and gives the heads their own learning rate."""

    def __init__(self, *args, eval_documents: list[dict], train_config: TrainConfig, eval_tokenizer, **kwargs):
        super().__init__(*args, **kwargs)
        self.eval_documents = eval_documents
        self.train_config = train_config
        self.eval_tokenizer = eval_tokenizer

    def create_optimizer(self, model=None):
        if self.optimizer is None:
            model = self.model if model is None else model
            optimization = self.train_config.optimization
            decay = set(self.get_decay_parameter_names(model))
            groups: dict[tuple[bool, bool], list] = {}
            for name, parameter in model.named_parameters():
                if parameter.requires_grad:
                    groups.setdefault((name.startswith(HEAD_PREFIXES), name in decay), []).append(parameter)
            self.optimizer = torch.optim.AdamW(
                [
                    {
                        "params": parameters,
                        "lr": optimization.head_learning_rate if is_head else optimization.learning_rate,
                        "weight_decay": optimization.weight_decay if decays else 0.0,
                    }
                    for (is_head, decays), parameters in sorted(groups.items())
                ],
                lr=optimization.learning_rate,
            )
        return self.optimizer

    def evaluate(self, eval_dataset=None, ignore_keys=None, metric_key_prefix: str = "eval") -> dict[str, float]:
        model = self.accelerator.unwrap_model(self.model)
        was_training = model.training
        report = evaluate_documents(model, self.eval_tokenizer, self.eval_documents,
                                    batch_size=self.train_config.evaluation.batch_size)
        model.train(was_training)
        values = report.metrics
        metrics = {
            f"{metric_key_prefix}_entity_f1": values["entity_f1"],
            f"{metric_key_prefix}_theme_accuracy": values["theme_accuracy"],
            f"{metric_key_prefix}_kind_accuracy": values["kind_accuracy"],
            f"{metric_key_prefix}_theme_macro_f1": values["theme_macro_f1"],
            f"{metric_key_prefix}_kind_macro_f1": values["kind_macro_f1"],
            f"{metric_key_prefix}_combined": (values["entity_f1"] + values["theme_accuracy"] + values["kind_accuracy"]) / 3,
        }
        for label, score in values["entity_f1_per_label"].items():
            metrics[f"{metric_key_prefix}_f1_{label}"] = score
        self.log(metrics)
        self.control = self.callback_handler.on_evaluate(self.args, self.state, self.control, metrics)
        return metrics


def _resolve_encoder(config: TrainConfig, train_documents: list[dict], build: bool = True) -> str:
    if config.tiny_encoder is not None:
        if not build:
            return str(config.output_dir / "encoder")
        tiny = config.tiny_encoder
        return str(build_tiny_encoder(
            (document["text"] for document in train_documents),
            config.output_dir / "encoder",
            hidden_size=tiny.hidden_size,
            num_layers=tiny.num_layers,
            num_heads=tiny.num_heads,
            intermediate_size=tiny.intermediate_size,
            seed=config.seed,
        ))
    base = config.base_model
    looks_local = base.startswith((".", "/", "~")) or os.sep in base and Path(base).parts[0] in {"runs", "models"}
    if looks_local and not (Path(base).expanduser() / "config.json").is_file():
        raise ModelNotFoundError(
            f"base_model {base!r} does not exist; build the offline base with "
            f"`policynlp base build --out {base}` (see training/base/README.md)"
        )
    return base


def _keep_layers(model: PolicyModel, layers: int | None) -> None:
    if layers is None:
        return
    stack = model.encoder.encoder.layer
    if layers > len(stack):
        raise ConfigError(f"model.layers: asked for {layers} layers, the encoder has {len(stack)}")
    model.encoder.encoder.layer = stack[:layers]
    model.encoder.config.num_hidden_layers = layers
    model.config.encoder_config["num_hidden_layers"] = layers


def train(config: TrainConfig, resume: str | bool | None = None) -> dict[str, Any]:
    """Run one training job; return the dev metrics of the best model.

    Args:
        config: A validated config.
        resume: ``True`` for the latest checkpoint in ``output_dir/checkpoints``, a
            checkpoint path, or ``None`` to start afresh.
    """
    if config.optimization.threads:
        torch.set_num_threads(config.optimization.threads)
    set_seed(config.seed)
    labels = config.labels.to_label_set()
    data = config.data
    train_documents = read_split(data.path, data.train_split, labels, data.max_train_documents)
    dev_documents = read_split(data.path, data.dev_split, labels, data.max_dev_documents)

    optimization = config.optimization
    checkpoints = config.output_dir / "checkpoints"
    metric = config.evaluation.metric
    arguments = TrainingArguments(
        output_dir=str(checkpoints),
        num_train_epochs=optimization.epochs,
        per_device_train_batch_size=optimization.batch_size,
        gradient_accumulation_steps=optimization.gradient_accumulation_steps,
        learning_rate=optimization.learning_rate,
        weight_decay=optimization.weight_decay,
        warmup_steps=optimization.warmup_ratio,
        max_grad_norm=optimization.max_grad_norm,
        lr_scheduler_type="linear",
        eval_strategy="epoch",
        save_strategy="epoch",
        logging_strategy="epoch",
        load_best_model_at_end=True,
        metric_for_best_model=metric,
        greater_is_better=True,
        save_total_limit=2,
        seed=config.seed,
        data_seed=config.seed,
        use_cpu=not torch.cuda.is_available(),
        bf16=optimization.bf16,
        report_to="none",
        # A progress bar only helps on a terminal; in a log file it is noise.
        disable_tqdm=not sys.stderr.isatty(),
        remove_unused_columns=False,
        dataloader_num_workers=0,
        ddp_find_unused_parameters=False,
    )
    # Under torchrun one process builds the tiny encoder; the others wait for it, then read it.
    with arguments.main_process_first(local=False, desc="building the encoder"):
        encoder = _resolve_encoder(config, train_documents, build=arguments.process_index == 0)
    model_settings = config.model
    model = PolicyModel.from_encoder(
        encoder,
        labels,
        window_length=model_settings.window_length,
        stride=model_settings.stride,
        context_tokens=model_settings.context_tokens,
        classifier_dropout=model_settings.classifier_dropout,
        section_loss_weight=model_settings.section_loss_weight,
    )
    _keep_layers(model, model_settings.layers)
    tokenizer = AutoTokenizer.from_pretrained(encoder)
    train_dataset = build_dataset(train_documents, tokenizer, model.config)
    logger.info("training on %d windows from %d documents", len(train_dataset), len(train_documents))

    logger.info("training in %d process(es)", arguments.world_size)
    callbacks = []
    if config.evaluation.early_stopping_patience:
        callbacks.append(EarlyStoppingCallback(early_stopping_patience=config.evaluation.early_stopping_patience))
    trainer = PolicyTrainer(
        model=model,
        args=arguments,
        train_dataset=train_dataset,
        # Scoring reads eval_documents; the windows only satisfy the Trainer's argument checks.
        eval_dataset=build_dataset(dev_documents[:1], tokenizer, model.config),
        data_collator=WindowCollator(tokenizer.pad_token_id or 0),
        callbacks=callbacks,
        eval_documents=dev_documents,
        train_config=config,
        eval_tokenizer=tokenizer,
    )
    if resume is True:
        resume = get_last_checkpoint(str(checkpoints)) if checkpoints.is_dir() else None
        if resume is None:
            raise ModelNotFoundError(f"--resume: no checkpoint in {checkpoints} to resume from")
    trainer.train(resume_from_checkpoint=resume or None)

    best = trainer.accelerator.unwrap_model(trainer.model)
    report = evaluate_documents(best, tokenizer, dev_documents, batch_size=config.evaluation.batch_size)
    if trainer.is_world_process_zero():
        out = config.output_dir
        best.save_pretrained(out)
        tokenizer.save_pretrained(out)
        metrics = {"split": data.dev_split, **report.metrics,
                   "best_checkpoint": trainer.state.best_model_checkpoint,
                   "epochs_run": trainer.state.epoch, "seed": config.seed}
        (out / "metrics.json").write_text(json.dumps(metrics, ensure_ascii=False, indent=2), encoding="utf-8")
        (out / "train_config.yaml").write_text(
            yaml.safe_dump(config.model_dump(mode="json"), allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
    return report.metrics


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Train the policynlp joint model from a YAML config.")
    parser.add_argument("config", type=Path)
    parser.add_argument("--resume", nargs="?", const=True, default=None,
                        help="resume from the latest checkpoint, or from the one given")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    config = load_config(args.config)
    metrics = train(config, resume=args.resume)
    print(json.dumps({key: value for key, value in metrics.items()}, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
