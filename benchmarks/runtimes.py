"""Speed and test F1 of the shipped model under each runtime: PyTorch fp32 / bf16 / int8, ONNX Runtime fp32 / int8.

Usage::

    python -m benchmarks.runtimes [--model DIR] [--runs 5]

Speed is ``Extractor.pipe`` over the held-out reports (dev + test, 104,727
characters), the runtimes interleaved run by run, median of ``--runs``. F1 is
``evaluate_documents`` on the test split (gold sections, as in the model card)
with the same runtime. Load time is ``policynlp.load(..., backend=...)`` with
the ONNX graph already exported (the first export is timed separately).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from benchmarks.common import held_out_texts, interleaved, median, save
from policynlp.data.jsonl import read_documents
from policynlp.evaluation import evaluate_documents
from policynlp.pipeline import DEFAULT_MODEL_DIR, load

BACKENDS = ("torch", "torch-bf16", "torch-int8", "onnx", "onnx-int8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL_DIR)
    parser.add_argument("--test", type=Path, default=Path("training/data/test.jsonl"))
    parser.add_argument("--backends", nargs="+", default=list(BACKENDS))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)

    texts = held_out_texts()
    characters = sum(len(text) for text in texts)
    gold = [document.to_dict() for document in read_documents(args.test)]
    results: dict[str, dict] = {}
    extractors = {}
    with tempfile.TemporaryDirectory() as cache:
        os.environ["POLICYNLP_CACHE_DIR"] = cache  # a cold cache: the first load exports
        for backend in args.backends:
            start = time.perf_counter()
            load(args.model, backend=backend)
            first = time.perf_counter() - start
            start = time.perf_counter()
            extractors[backend] = load(args.model, backend=backend)
            results[backend] = {"first_load_s": round(first, 2), "load_s": round(time.perf_counter() - start, 2)}
        for backend, extractor in extractors.items():
            metrics = evaluate_documents(extractor.model, extractor.tokenizer, gold, backend=backend).metrics
            results[backend].update({
                "test_entity_f1": round(metrics["entity_f1"], 4),
                "test_f1_per_label": {label: round(value, 4) for label, value in metrics["entity_f1_per_label"].items()},
                "test_theme_accuracy": round(metrics["theme_accuracy"], 4),
                "test_kind_accuracy": round(metrics["kind_accuracy"], 4),
            })
        timings = interleaved({backend: (lambda e=extractor: list(e.pipe(texts)))
                               for backend, extractor in extractors.items()}, runs=args.runs)
    reference = median(timings["torch"]) if "torch" in timings else None
    for backend, values in timings.items():
        seconds = median(values)
        results[backend].update({
            "median_s": round(seconds, 2),
            "runs_s": [round(value, 2) for value in values],
            "chars_per_s": round(characters / seconds),
            "speedup_vs_torch_fp32": round(reference / seconds, 2) if reference else None,
        })
        if "torch" in results:
            results[backend]["entity_f1_delta_points"] = round(
                100 * (results[backend]["test_entity_f1"] - results["torch"]["test_entity_f1"]), 2)
    save("runtimes", {"documents": len(texts), "characters": characters, "runs": args.runs, "backends": results})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
