"""Package a trained model as the shipped default: fp16 safetensors, tokenizer, config, metrics.

Usage::

    python -m training.ship runs/default models/policynlp-base-zh

Weights are stored in float16 (half the size; loading casts them back to
float32 for CPU inference). The dev and test metrics of the packaged weights,
and the rules-only baseline on the same test split, are written to
``metrics.json`` beside them, with the pipeline figures of
:mod:`training.measure` (section-start F1 of ``segment()``, indicator pair F1
end to end and for the linker alone); the model card (README.md) is written by
hand from those figures.
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import torch
from transformers import AutoTokenizer

from policynlp.data.jsonl import read_documents
from policynlp.evaluation import evaluate_documents, evaluate_rules
from policynlp.modeling import PolicyModel
from policynlp.pipeline import Extractor
from training.measure import pair_f1, section_start_f1


def _documents(path: Path, labels) -> list[dict]:
    return [document.to_dict() for document in read_documents(path, labels=labels)]


def ship(run_dir: Path, out_dir: Path, data_dir: Path) -> dict:
    """Write the fp16 package of ``run_dir`` to ``out_dir`` and return its metrics."""
    model = PolicyModel.from_pretrained(str(run_dir))
    tokenizer = AutoTokenizer.from_pretrained(str(run_dir))
    out_dir.mkdir(parents=True, exist_ok=True)
    model.to(torch.float16).save_pretrained(out_dir)
    tokenizer.save_pretrained(out_dir)
    for name in ("train_config.yaml",):
        if (run_dir / name).is_file():
            shutil.copyfile(run_dir / name, out_dir / name)

    packaged = PolicyModel.from_pretrained(str(out_dir), dtype=torch.float32)
    labels = packaged.config.labels
    metrics: dict = {}
    extractor = Extractor.from_path(out_dir)
    for split in ("dev", "test"):
        documents = _documents(data_dir / f"{split}.jsonl", labels)
        metrics[split] = evaluate_documents(packaged, tokenizer, documents).metrics
        metrics[f"{split}_rules_baseline"] = evaluate_rules(documents).metrics
        metrics[f"{split}_pipeline"] = {
            "section_start": section_start_f1(documents),
            "pairs_end_to_end": pair_f1(documents, extractor),
            "pairs_linker_on_gold_entities": pair_f1(documents),
        }
    (out_dir / "metrics.json").write_text(json.dumps(metrics, ensure_ascii=False, indent=2), encoding="utf-8")
    return metrics


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run_dir", type=Path)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--data", type=Path, default=Path("training/data"))
    args = parser.parse_args(argv)
    metrics = ship(args.run_dir, args.out_dir, args.data)
    print(json.dumps(metrics, ensure_ascii=False, indent=2))
    size = sum(path.stat().st_size for path in args.out_dir.iterdir() if path.is_file())
    print(f"package size: {size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
