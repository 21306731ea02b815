"""Documents per second of ``policynlp batch``: local at 1 and 2 workers, Ray, and a 10x input.

Usage::

    python -m benchmarks.batch_scaling [--data training/data/test.jsonl] [--model DIR] [--copies 1 10]

The input is the corpus test split written as one JSONL file (``--copies N``
repeats every document N times under new ids). Each configuration runs into a
fresh output folder; the shipped model is used unless ``--model`` says otherwise.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path

from policynlp.batch import run


def write_input(source: Path, copies: int, folder: Path) -> tuple[Path, int, int]:
    documents = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    path = folder / f"input-x{copies}.jsonl"
    characters = 0
    with path.open("w", encoding="utf-8") as handle:
        for copy in range(copies):
            for document in documents:
                handle.write(json.dumps({"id": f"{document['id']}#{copy}", "text": document["text"]}, ensure_ascii=False) + "\n")
                characters += len(document["text"])
    return path, len(documents) * copies, characters


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("training/data/test.jsonl"))
    parser.add_argument("--model", type=Path, default=None)
    parser.add_argument("--copies", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--shard-size", type=int, default=16)
    parser.add_argument("--backends", nargs="+", default=["local:1", "local:2", "ray:2"])
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        for copies in args.copies:
            path, documents, characters = write_input(args.data, copies, scratch)
            for spec in args.backends:
                backend, workers = spec.split(":")
                out = scratch / f"out-{copies}-{backend}-{workers}"
                start = time.perf_counter()
                run(path, out, backend=backend, model=args.model, workers=int(workers), shard_size=args.shard_size)
                seconds = time.perf_counter() - start
                shutil.rmtree(out)
                rows.append({"copies": copies, "documents": documents, "characters": characters, "backend": backend,
                             "workers": int(workers), "seconds": round(seconds, 1),
                             "documents_per_s": round(documents / seconds, 2),
                             "characters_per_s": round(characters / seconds)})
                print(json.dumps(rows[-1]), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
