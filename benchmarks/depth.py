"""Extraction speed of the shipped recipe at 12, 6 and 4 encoder layers.

Usage::

    python -m benchmarks.depth --base runs/base --data training/data/test.jsonl [--runs 3]

Speed does not depend on the weights' values, so each depth is built from the
offline base (heads untrained) and timed with ``Extractor.pipe`` over the same
reports, depths interleaved run by run; the median of ``--runs`` is reported.
Dev F1 per depth comes from training (see the model card).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import torch
from transformers import AutoTokenizer

from policynlp.data.jsonl import read_documents
from policynlp.modeling import PolicyModel
from policynlp.pipeline import Extractor


def build(base: Path, layers: int) -> Extractor:
    model = PolicyModel.from_encoder(base, window_length=192, stride=48, context_tokens=32)
    model.encoder.encoder.layer = model.encoder.encoder.layer[:layers]
    model.encoder.config.num_hidden_layers = layers
    return Extractor(model, AutoTokenizer.from_pretrained(str(base)), name=f"{layers}-layer")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=Path, default=Path("runs/base"))
    parser.add_argument("--data", type=Path, default=Path("training/data/test.jsonl"))
    parser.add_argument("--layers", type=int, nargs="+", default=[12, 6, 4])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    texts = [document.text for document in read_documents(args.data)]
    characters = sum(len(text) for text in texts)
    extractors = {layers: build(args.base, layers) for layers in args.layers}
    for extractor in extractors.values():
        list(extractor.pipe(texts[:2]))  # warm up
    timings: dict[int, list[float]] = {layers: [] for layers in args.layers}
    for _ in range(args.runs):
        for layers, extractor in extractors.items():
            start = time.perf_counter()
            list(extractor.pipe(texts))
            timings[layers].append(time.perf_counter() - start)
    report = {
        "documents": len(texts), "characters": characters, "threads": torch.get_num_threads(), "runs": args.runs,
        "depths": {str(layers): {"median_s": round(statistics.median(values), 2),
                                 "chars_per_s": round(characters / statistics.median(values)),
                                 "parameters_m": round(sum(p.numel() for p in extractors[layers].model.parameters()) / 1e6, 1)}
                   for layers, values in timings.items()},
    }
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
