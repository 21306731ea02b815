"""Pipeline figures beyond the model's own metrics: segmentation and indicator links.

Usage::

    python -m training.measure [--model DIR] [--data training/data] [--splits dev test]

- section-start F1 of :func:`policynlp.segment` against the gold sections;
- indicator (metric, value) pair F1 of the indicator table against the gold
  links, end to end (the model's entities) and for the linker alone (gold entities).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any, Iterable, Mapping

from policynlp.linking import link_indicators
from policynlp.records import Entity
from policynlp.segmentation import segment


def _f1(true_positive: int, predicted: int, gold: int) -> float:
    return 1.0 if predicted == gold == 0 else 2 * true_positive / (predicted + gold)


def section_start_f1(documents: Iterable[Mapping[str, Any]]) -> dict[str, float]:
    """F1 of the section starts ``segment()`` finds against the gold section starts."""
    matched = predicted = gold = 0
    for document in documents:
        gold_starts = {section["start"] for section in document.get("sections") or []}
        found = {section.start for section in segment(document["text"])}
        matched, predicted, gold = matched + len(gold_starts & found), predicted + len(found), gold + len(gold_starts)
    return {"section_start_f1": _f1(matched, predicted, gold), "matched": matched, "predicted": predicted, "gold": gold}


def _pairs(indicators) -> set[tuple[tuple[int, int], tuple[int, int]]]:
    return {(row.metric.span, row.value.span) for row in indicators if row.metric and row.value}


def pair_f1(documents: list[Mapping[str, Any]], extractor=None) -> dict[str, float]:
    """Indicator pair F1 against gold links: with ``extractor`` end to end, else the linker on gold entities."""
    matched = predicted = gold = 0
    for document in documents:
        text = document["text"]
        gold_pairs = {(tuple(link["metric"]), tuple(link["value"])) for link in document.get("links") or []}
        if extractor is None:
            entities = [Entity(e["start"], e["end"], e["label"], text[e["start"]:e["end"]]) for e in document["entities"]]
            found = _pairs(link_indicators(text, entities))
        else:
            found = _pairs(extractor.extract(text).indicators)
        matched, predicted, gold = matched + len(gold_pairs & found), predicted + len(found), gold + len(gold_pairs)
    return {"pair_f1": _f1(matched, predicted, gold), "matched": matched, "predicted": predicted, "gold": gold}


def main(argv: list[str] | None = None) -> int:
    import policynlp

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=None, help="model directory (default: the shipped model)")
    parser.add_argument("--data", type=Path, default=Path("training/data"))
    parser.add_argument("--splits", nargs="+", default=["dev", "test"])
    args = parser.parse_args(argv)
    extractor = policynlp.load(args.model)
    result = {}
    for split in args.splits:
        documents = [json.loads(line) for line in (args.data / f"{split}.jsonl").read_text(encoding="utf-8").splitlines()]
        result[split] = {
            **section_start_f1(documents),
            "pairs_end_to_end": pair_f1(documents, extractor),
            "pairs_linker_on_gold_entities": pair_f1(documents),
        }
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
