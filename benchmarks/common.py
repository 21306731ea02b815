"""What every benchmark shares: the fixed report set, timing by interleaved medians, the machine, results."""

from __future__ import annotations

import json
import os
import platform
import socket
import statistics
import time
from datetime import date
from pathlib import Path
from typing import Callable

#: The fixed realistic set: the corpus's held-out reports (dev and test splits).
HELD_OUT = (Path("training/data/dev.jsonl"), Path("training/data/test.jsonl"))

#: Where each benchmark writes its figures (one JSON file per benchmark).
RESULTS = Path(__file__).resolve().parent / "results"


def held_out_texts(paths=HELD_OUT) -> list[str]:
    """The report texts of the held-out splits, in file order."""
    from policynlp.data.jsonl import read_documents

    return [document.text for path in paths for document in read_documents(path)]


def interleaved(candidates: dict[str, Callable[[], object]], runs: int, warmup: int = 1) -> dict[str, list[float]]:
    """Time every candidate ``runs`` times, round-robin, after ``warmup`` untimed calls each.

    Interleaving spreads the noise of a shared machine over all candidates alike,
    so their ratios hold even when absolute times drift.
    """
    for candidate in candidates.values():
        for _ in range(warmup):
            candidate()
    timings: dict[str, list[float]] = {name: [] for name in candidates}
    for _ in range(runs):
        for name, candidate in candidates.items():
            start = time.perf_counter()
            candidate()
            timings[name].append(time.perf_counter() - start)
    return timings


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def median(values: list[float]) -> float:
    return statistics.median(values)


def machine() -> dict:
    """What the figures were measured on."""
    import torch

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="ascii", errors="replace").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "date": date.today().isoformat(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "torch_threads": torch.get_num_threads(),
        "python": platform.python_version(),
        "torch": torch.__version__,
    }


def save(name: str, report: dict) -> Path:
    """Write ``report`` (with the machine) to ``benchmarks/results/<name>.json`` and print it."""
    RESULTS.mkdir(exist_ok=True)
    report = {"benchmark": name, "machine": machine(), **report}
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return path
