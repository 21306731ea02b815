"""Encoder FLOP/s achieved during ``extract()``, as a share of what torch reaches on a plain matmul.

Usage::

    python -m benchmarks.efficiency [--model DIR] [--runs 5]

Every forward pass of ``extract()`` over the held-out reports is recorded
(batch size and padded length), and its encoder FLOPs counted: per layer and
token ``2 * (4h^2 + 2hI)`` for the projections and the feed-forward block, plus
``4 * L * h`` for attention scores and their weighted sum (multiply-adds count
as two FLOPs; embeddings, norms and softmax are left out, which understates
the work). The achieved rate divides those FLOPs by the whole ``extract()``
wall time (cleaning, segmentation, tokenising, decoding, linking included) and,
separately, by the time inside the forward passes.

The reference is torch's own matmul in the same process, between the runs, in
the same dtype as the encoder runs: the best of a square 2048 product and a
product shaped like the encoder's feed-forward layer (3,072 tokens x h x I).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import torch

from benchmarks.common import held_out_texts, median, save
from policynlp.pipeline import DEFAULT_MODEL_DIR, load


def encoder_flops(shapes: list[tuple[int, int]], hidden: int, intermediate: int, layers: int) -> int:
    """FLOPs of the encoder layers over batches of ``(batch, length)``."""
    total = 0
    for batch, length in shapes:
        tokens = batch * length
        total += layers * (2 * tokens * (4 * hidden * hidden + 2 * hidden * intermediate) + 4 * tokens * length * hidden)
    return total


def matmul_flops_per_s(dtype: torch.dtype, hidden: int, intermediate: int, repeats: int = 10) -> float:
    """The best FLOP/s torch reaches on a plain matmul of ``dtype`` (square 2048, and the feed-forward shape)."""
    best = 0.0
    for m, k, n in ((2048, 2048, 2048), (3072, hidden, intermediate)):
        a, b = torch.randn(m, k).to(dtype), torch.randn(k, n).to(dtype)
        torch.mm(a, b)
        start = time.perf_counter()
        for _ in range(repeats):
            torch.mm(a, b)
        best = max(best, 2 * m * k * n * repeats / (time.perf_counter() - start))
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL_DIR)
    parser.add_argument("--backends", nargs="+", default=["auto", "torch"])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    texts = held_out_texts()
    report: dict = {"documents": len(texts), "characters": sum(map(len, texts)), "runs": args.runs, "backends": {}}
    for backend in args.backends:
        extractor = load(args.model, backend=backend)
        config = extractor.model.encoder.config
        hidden, intermediate, layers = config.hidden_size, config.intermediate_size, config.num_hidden_layers
        dtype = torch.bfloat16 if extractor.backend == "torch-bf16" else torch.float32
        runtime = extractor.predictor.runtime
        shapes: list[tuple[int, int]] = []
        inside = [0.0]

        def recorded(input_ids, attention_mask, runtime=runtime, shapes=shapes, inside=inside):
            start = time.perf_counter()
            outputs = runtime(input_ids, attention_mask)
            inside[0] += time.perf_counter() - start
            shapes.append(tuple(input_ids.shape))
            return outputs

        extractor.predictor.runtime = recorded
        list(extractor.pipe(texts))  # warm up, recording the passes of one run
        one_run = list(shapes)
        flops = encoder_flops(one_run, hidden, intermediate, layers)
        walls, encoders, peaks, peaks_fp32 = [], [], [], []
        for _ in range(args.runs):
            peaks.append(matmul_flops_per_s(dtype, hidden, intermediate))
            peaks_fp32.append(matmul_flops_per_s(torch.float32, hidden, intermediate))
            inside[0] = 0.0
            start = time.perf_counter()
            list(extractor.pipe(texts))
            walls.append(time.perf_counter() - start)
            encoders.append(inside[0])
        achieved = flops / median(walls)
        achieved_encoder = flops / median(encoders)
        report["backends"][extractor.backend] = {
            "forward_passes": len(one_run),
            "padded_tokens_per_run": sum(b * n for b, n in one_run),
            "encoder_gflop_per_run": round(flops / 1e9, 1),
            "extract_median_s": round(median(walls), 2),
            "forward_median_s": round(median(encoders), 2),
            "achieved_gflop_per_s_whole_extract": round(achieved / 1e9, 1),
            "achieved_gflop_per_s_in_forward": round(achieved_encoder / 1e9, 1),
            "matmul_dtype": str(dtype).removeprefix("torch."),
            "matmul_gflop_per_s": round(median(peaks) / 1e9, 1),
            "matmul_fp32_gflop_per_s": round(median(peaks_fp32) / 1e9, 1),
            "share_of_matmul_whole_extract": round(achieved / median(peaks), 3),
            "share_of_matmul_in_forward": round(achieved_encoder / median(peaks), 3),
            "share_of_fp32_matmul_whole_extract": round(achieved / median(peaks_fp32), 3),
        }
    save("efficiency", report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
