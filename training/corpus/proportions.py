"""Compare the written reports' proportions with the real ones: density per label, linked values.

Usage::

    python -m training.corpus.proportions [training/data]

Written text drifts toward indicator-dense prose; this measures how far the
written part of the corpus sits from the real reports (``source: seed``).
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

LABELS = ("METRIC", "INSTITUTION", "VALUE", "DATE")


def proportions(documents: list[dict]) -> dict:
    characters = sum(len(document["text"]) for document in documents)
    labels = Counter(entity["label"] for document in documents for entity in document["entities"])
    linked = sum(len({tuple(link["value"]) for link in document.get("links", [])}) for document in documents)
    values = labels["VALUE"]
    return {
        "documents": len(documents),
        "characters": characters,
        "per_1000_characters": {label: round(1000 * labels[label] / characters, 2) for label in LABELS},
        "entities_per_1000_characters": round(1000 * sum(labels.values()) / characters, 2),
        "linked_value_share": round(linked / values, 3) if values else 0.0,
        "values_per_metric": round(values / labels["METRIC"], 2) if labels["METRIC"] else None,
    }


def main(argv: list[str] | None = None) -> int:
    directory = Path((argv or sys.argv[1:] or ["training/data"])[0])
    groups: dict[str, list[dict]] = {"real (seeds)": [], "written": []}
    for path in sorted(directory.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            document = json.loads(line)
            source = document.get("meta", {}).get("source")
            groups["real (seeds)" if source == "seed" else "written"].append(document)
    print(json.dumps({name: proportions(docs) for name, docs in groups.items() if docs}, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
