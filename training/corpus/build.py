"""Build the corpus splits from the raw marked-up files.

Usage::

    python -m training.corpus.build [--raw training/data/raw] [--out training/data]

Every ``raw/<annotator>/<id>.txt`` becomes one document. Documents are split
by document, never by section: real reports (``#source: seed``) go to dev and
test only, written reports are assigned by a stable hash of their id (80/10/10),
and a ``#split:`` header line overrides both. Files under ``raw/second/`` are the
independent second labelling used for agreement, never training data.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

from training.corpus.markup import RawDocument, parse_file

SPLITS = ("train", "dev", "test")
SECOND_ANNOTATION_DIR = "second"


def assign_split(document: RawDocument) -> str:
    """The split of ``document``: its ``#split`` header, else seeds to dev/test, else a stable hash."""
    explicit = document.meta.get("split")
    if explicit:
        if explicit not in SPLITS:
            raise ValueError(f"{document.id}: unknown split {explicit!r}; expected one of {SPLITS}")
        return explicit
    bucket = int(hashlib.sha256(document.id.encode("utf-8")).hexdigest(), 16) % 10
    if document.meta.get("source") == "seed":
        return "dev" if bucket < 5 else "test"
    if bucket == 0:
        return "dev"
    if bucket == 1:
        return "test"
    return "train"


def collect(raw_dir: Path) -> dict[str, list[RawDocument]]:
    """Parse every raw file outside the second-labelling folder, grouped by split."""
    splits: dict[str, list[RawDocument]] = {split: [] for split in SPLITS}
    seen: dict[str, Path] = {}
    for path in sorted(raw_dir.glob("*/*.txt")):
        if path.parent.name == SECOND_ANNOTATION_DIR:
            continue
        document = parse_file(path)
        if document.id in seen:
            raise ValueError(f"{path}: id {document.id!r} already used by {seen[document.id]}")
        seen[document.id] = path
        document.meta["annotator"] = path.parent.name
        splits[assign_split(document)].append(document)
    return splits


def write_splits(splits: dict[str, list[RawDocument]], out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    for split, documents in splits.items():
        with (out_dir / f"{split}.jsonl").open("w", encoding="utf-8") as handle:
            for document in sorted(documents, key=lambda item: item.id):
                handle.write(json.dumps(document.to_dict(), ensure_ascii=False) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw", type=Path, default=Path("training/data/raw"))
    parser.add_argument("--out", type=Path, default=Path("training/data"))
    args = parser.parse_args(argv)
    splits = collect(args.raw)
    write_splits(splits, args.out)
    for split, documents in splits.items():
        characters = sum(len(document.text) for document in documents)
        print(f"{split}: {len(documents)} documents, {characters} characters")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
