"""Time and peak memory of ``extract()`` on one report of 1k, 10k, 100k and 1M characters.

Usage::

    python -m benchmarks.scaling [--model DIR] [--runs 5] [--sizes 1000 10000 100000 1000000]

Each size runs in a fresh process (peak RSS only grows within a process): it
loads the model, extracts the report once to warm up, then ``--runs`` times,
and reports the median time and the process's peak resident set size. The
report of N characters is the held-out reports joined end to end, repeated as
needed, and cut at the last line break before N.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.common import held_out_texts, median, save


def report_of(size: int) -> str:
    texts = held_out_texts()
    joined = "\n".join(texts)
    text = (joined + "\n") * (size // len(joined) + 1)
    cut = text.rfind("\n", 0, size)
    return text[:cut if cut > 0 else size]


def one_size(size: int, model: str | None, runs: int, backend: str) -> dict:
    from policynlp.pipeline import load

    text = report_of(size)
    extractor = load(model, backend=backend)
    rss_loaded = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    extraction = extractor.extract(text)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        extractor.extract(text)
        times.append(time.perf_counter() - start)
    return {
        "characters": len(text),
        "entities": len(extraction.entities),
        "sections": len(extraction.sections),
        "median_s": round(median(times), 3),
        "runs_s": [round(value, 3) for value in times],
        "chars_per_s": round(len(text) / median(times)),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "rss_after_load_mb": round(rss_loaded / 1024, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=None)
    parser.add_argument("--backend", default="auto")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # the child process's size
    args = parser.parse_args(argv)
    model = str(args.model) if args.model else None
    if args.one:
        print(json.dumps(one_size(args.one, model, args.runs, args.backend)))
        return 0
    rows = {}
    for size in args.sizes:
        command = [sys.executable, "-m", "benchmarks.scaling", "--one", str(size), "--runs", str(args.runs),
                   "--backend", args.backend] + (["--model", model] if model else [])
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        rows[str(size)] = json.loads(done.stdout.strip().splitlines()[-1])
    sizes = sorted(rows, key=int)
    per_char = {size: rows[size]["median_s"] / rows[size]["characters"] for size in sizes}
    summary = {
        # Linear time: seconds per character stays flat from 10k up (1k pays fixed per-call costs).
        "seconds_per_char_ratio_largest_vs_10k": round(per_char[sizes[-1]] / per_char["10000"], 2) if "10000" in rows else None,
        "peak_rss_ratio_largest_vs_10k": round(rows[sizes[-1]]["peak_rss_mb"] / rows["10000"]["peak_rss_mb"], 3)
        if "10000" in rows else None,
    }
    save("scaling", {"backend": args.backend, "runs": args.runs, "sizes": rows, "summary": summary})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
