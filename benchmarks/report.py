"""Write the results tables of ``benchmarks/README.md`` from ``benchmarks/results/*.json``.

Usage::

    python -m benchmarks.report

The tables sit between the ``<!-- results:start -->`` and ``<!-- results:end -->``
markers of the README; everything else there is written by hand. A benchmark
without a results file is left out.
"""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks.common import RESULTS

README = Path(__file__).resolve().parent / "README.md"
START, END = "<!-- results:start -->", "<!-- results:end -->"


def _load(name: str) -> dict | None:
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def _table(header: list[str], rows: list[list]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" if i == 0 else "---:" for i in range(len(header))) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return lines


def _number(value, digits: int = 0) -> str:
    return f"{value:,.{digits}f}" if isinstance(value, (int, float)) else str(value)


def throughput(result: dict) -> list[str]:
    rows = [[name, _number(row["median_s"], 2), _number(row["chars_per_s"]), _number(row["sections_per_s"], 1),
             _number(row["documents_per_s"], 2), f"**{row['speedup_vs_fastest_pipelines']:.2f}×**"]
            for name, row in result["configurations"].items()]
    return [f"### Throughput (`benchmarks.throughput`): {result['documents']} held-out reports, "
            f"{result['characters']:,} characters, {result['sections']} sections, median of {result['runs']}", "",
            *_table(["configuration", "seconds", "characters/s", "sections/s", "documents/s",
                     "× fastest pipelines"], rows)]


def efficiency(result: dict) -> list[str]:
    rows = [[backend, _number(row["encoder_gflop_per_run"], 0), _number(row["extract_median_s"], 2),
             _number(row["achieved_gflop_per_s_whole_extract"], 0), f"{row['matmul_dtype']} {_number(row['matmul_gflop_per_s'])}",
             f"**{row['share_of_matmul_whole_extract']:.0%}**", f"{row['share_of_matmul_in_forward']:.0%}",
             f"{row['share_of_fp32_matmul_whole_extract']:.0%}"]
            for backend, row in result["backends"].items()]
    return [f"### Efficiency (`benchmarks.efficiency`): encoder FLOP/s during `extract()`, median of {result['runs']}", "",
            *_table(["backend", "encoder GFLOP per run", "extract() s", "achieved GFLOP/s", "plain matmul GFLOP/s",
                     "share (whole extract)", "share (forward only)", "share of fp32 matmul"], rows)]


def scaling(result: dict) -> list[str]:
    rows = [[_number(row["characters"]), _number(row["median_s"], 3), _number(row["chars_per_s"]),
             _number(row["peak_rss_mb"], 0), _number(row["rss_after_load_mb"], 0), _number(row["entities"])]
            for _, row in sorted(result["sizes"].items(), key=lambda item: int(item[0]))]
    summary = result["summary"]
    return [f"### Scaling (`benchmarks.scaling`): one report per size, backend `{result['backend']}`, "
            f"median of {result['runs']}", "",
            *_table(["characters", "seconds", "characters/s", "peak RSS MB", "RSS after load MB", "entities"], rows), "",
            f"Seconds per character at the largest size against 10k: **{summary['seconds_per_char_ratio_largest_vs_10k']}×**; "
            f"peak RSS at the largest size against 10k: **{summary['peak_rss_ratio_largest_vs_10k']}×**."]


def runtimes(result: dict) -> list[str]:
    rows = []
    for backend, row in result["backends"].items():
        labels = row["test_f1_per_label"]
        rows.append([backend, _number(row["chars_per_s"]), f"{row['speedup_vs_torch_fp32']:.2f}×",
                     f"{row['test_entity_f1']:.4f}", f"{row['entity_f1_delta_points']:+.2f}",
                     " / ".join(f"{labels[label]:.3f}" for label in ("METRIC", "INSTITUTION", "VALUE", "DATE")),
                     f"{row['test_theme_accuracy']:.3f}", f"{row['test_kind_accuracy']:.3f}",
                     _number(row["load_s"], 2), _number(row["first_load_s"], 2)])
    return [f"### Runtimes (`benchmarks.runtimes`): speed over {result['characters']:,} held-out characters "
            f"(median of {result['runs']}), F1 on the test split", "",
            *_table(["backend", "characters/s", "speed-up", "test entity F1", "Δ points", "F1 M / I / V / D",
                     "theme", "kind", "load s", "first load s (export)"], rows)]


def server_load(result: dict) -> list[str]:
    rows = [[mode, concurrency, row["requests"], _number(row["requests_per_s"], 2), _number(row["chars_per_s"]),
             row["p50_ms"], row["p95_ms"], row["p99_ms"], row["errors"]]
            for mode, levels in result["results"].items() for concurrency, row in levels.items()]
    return [f"### Server (`benchmarks.server_load`): {result['payload']}; {result['requests_per_run']} requests "
            f"per run, {result['runs']} runs per level", "",
            *_table(["micro-batching", "concurrency", "requests", "requests/s", "characters/s", "p50 ms", "p95 ms",
                     "p99 ms", "errors"], rows)]


def startup(result: dict) -> list[str]:
    rows = [["`import policynlp`", result["import_policynlp_s"]],
            ["`import policynlp.pipeline` (torch, transformers)", result["import_pipeline_s"]],
            [f"`policynlp.load()` (shipped model, backend `{result['backend']}`)", result["load_s"]],
            ["first `extract()` after load (short report)", result["first_extract_s"]],
            ["`policynlp serve` launch to first 200 on `/readyz`", result["server_ready_s"]]]
    return ["### Start-up (`benchmarks.startup`): fresh processes, median of 5", "",
            *_table(["step", "seconds"], rows)]


SECTIONS = {"throughput": throughput, "efficiency": efficiency, "scaling": scaling, "runtimes": runtimes,
            "server_load": server_load, "startup": startup}


def render() -> str:
    blocks: list[str] = []
    machines = set()
    for name, render_section in SECTIONS.items():
        result = _load(name)
        if result is None:
            continue
        machine = result["machine"]
        machines.add(f"{machine['cpu']}, {machine['cores']} cores, {machine['torch_threads']} torch threads, "
                     f"Python {machine['python']}, torch {machine['torch']}; {machine['date']}")
        blocks += [*render_section(result), ""]
    head = [f"Measured on: {line}." for line in sorted(machines)] + [""]
    return "\n".join(head + blocks).rstrip() + "\n"


def main() -> int:
    text = README.read_text(encoding="utf-8")
    if START not in text or END not in text:
        raise SystemExit(f"{README}: the {START} / {END} markers are missing")
    before, rest = text.split(START, 1)
    _, after = rest.split(END, 1)
    README.write_text(f"{before}{START}\n{render()}{END}{after}", encoding="utf-8")
    print(f"wrote the results tables into {README}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
