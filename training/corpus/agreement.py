"""Inter-annotator agreement between two independent labellings of the same documents.

Usage::

    python -m training.corpus.agreement training/data/raw [--second second] [--json OUT]

For every ``raw/second/<id>.txt`` the first labelling with the same id is found
among the other folders; the texts must be identical. Reported:

- strict span F1 per entity label and micro over all labels (either labelling
  may be taken as reference: F1 is symmetric);
- section-start F1 (same start offset);
- theme and kind agreement (share of characters inside sections of both
  labellings that got the same theme / kind), and Cohen's kappa on themes over
  sections whose spans match exactly;
- the disagreements, listed for reading.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from training.corpus.markup import RawDocument, parse_file


def _f1(matched: int, first: int, second: int) -> float:
    return 1.0 if first == second == 0 else 2 * matched / (first + second)


def _character_labels(document: RawDocument, field: str) -> list[str | None]:
    labels: list[str | None] = [None] * len(document.text)
    for section in document.sections:
        for index in range(section["start"], section["end"]):
            labels[index] = section[field]
    return labels


def _kappa(pairs: list[tuple[str, str]]) -> float:
    if not pairs:
        return float("nan")
    observed = sum(a == b for a, b in pairs) / len(pairs)
    first = Counter(a for a, _ in pairs)
    second = Counter(b for _, b in pairs)
    expected = sum(first[label] * second[label] for label in first) / len(pairs) ** 2
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)


def compare(pairs: list[tuple[RawDocument, RawDocument]]) -> dict:
    """Agreement figures and disagreement listings over (first, second) labellings."""
    per_label: dict[str, Counter] = {}
    starts = Counter()
    theme_chars = kind_chars = both_chars = 0
    theme_pairs: list[tuple[str, str]] = []
    disagreements: list[str] = []
    for first, second in pairs:
        if first.text != second.text:
            raise ValueError(f"{first.id}: the two labellings are of different texts")
        spans_first = {(e["start"], e["end"], e["label"]) for e in first.entities}
        spans_second = {(e["start"], e["end"], e["label"]) for e in second.entities}
        for label in {span[2] for span in spans_first | spans_second}:
            a = {span for span in spans_first if span[2] == label}
            b = {span for span in spans_second if span[2] == label}
            counts = per_label.setdefault(label, Counter())
            counts.update(matched=len(a & b), first=len(a), second=len(b))
        for start, end, label in sorted(spans_first ^ spans_second):
            who = "first only " if (start, end, label) in spans_first else "second only"
            disagreements.append(f"{first.id} {who} {label:<11} {first.text[start:end]!r}")
        starts_first = {section["start"] for section in first.sections}
        starts_second = {section["start"] for section in second.sections}
        starts.update(matched=len(starts_first & starts_second), first=len(starts_first), second=len(starts_second))
        themes_a, themes_b = _character_labels(first, "theme"), _character_labels(second, "theme")
        kinds_a, kinds_b = _character_labels(first, "kind"), _character_labels(second, "kind")
        for index in range(len(first.text)):
            if themes_a[index] is not None and themes_b[index] is not None:
                both_chars += 1
                theme_chars += themes_a[index] == themes_b[index]
                kind_chars += kinds_a[index] == kinds_b[index]
        second_sections = {(s["start"], s["end"]): s for s in second.sections}
        for section in first.sections:
            other = second_sections.get((section["start"], section["end"]))
            if other is None:
                continue
            theme_pairs.append((section["theme"], other["theme"]))
            if (section["theme"], section["kind"]) != (other["theme"], other["kind"]):
                excerpt = first.text[section["start"]:section["start"] + 30]
                disagreements.append(
                    f"{first.id} section {section['theme']}/{section['kind']} vs "
                    f"{other['theme']}/{other['kind']}: {excerpt!r}"
                )
    total = Counter()
    for counts in per_label.values():
        total.update(counts)
    return {
        "documents": len(pairs),
        "entity_f1": _f1(total["matched"], total["first"], total["second"]),
        "entity_f1_per_label": {
            label: _f1(c["matched"], c["first"], c["second"]) for label, c in sorted(per_label.items())
        },
        "entities": {"first": total["first"], "second": total["second"], "matched": total["matched"]},
        "section_start_f1": _f1(starts["matched"], starts["first"], starts["second"]),
        "theme_agreement": theme_chars / both_chars if both_chars else float("nan"),
        "kind_agreement": kind_chars / both_chars if both_chars else float("nan"),
        "theme_kappa_matched_sections": _kappa(theme_pairs),
        "matched_sections": len(theme_pairs),
        "disagreements": disagreements,
    }


def find_pairs(raw_dir: Path, second_dir: str = "second") -> list[tuple[RawDocument, RawDocument]]:
    firsts = {}
    for path in sorted(raw_dir.glob("*/*.txt")):
        if path.parent.name != second_dir:
            document = parse_file(path)
            firsts[document.id] = document
    pairs = []
    for path in sorted((raw_dir / second_dir).glob("*.txt")):
        second = parse_file(path)
        if second.id not in firsts:
            raise ValueError(f"{path}: no first labelling with id {second.id!r}")
        pairs.append((firsts[second.id], second))
    return pairs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("raw", type=Path)
    parser.add_argument("--second", default="second")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--show", action="store_true", help="print every disagreement")
    args = parser.parse_args(argv)
    result = compare(find_pairs(args.raw, args.second))
    print(f"documents: {result['documents']}")
    print(f"entity strict F1 (micro): {result['entity_f1']:.4f}  {result['entities']}")
    for label, value in result["entity_f1_per_label"].items():
        print(f"  {label:<12} {value:.4f}")
    print(f"section-start F1: {result['section_start_f1']:.4f}")
    print(f"theme agreement (characters): {result['theme_agreement']:.4f}")
    print(f"kind agreement (characters): {result['kind_agreement']:.4f}")
    print(f"theme kappa on {result['matched_sections']} matched sections: {result['theme_kappa_matched_sections']:.4f}")
    if args.show:
        print("\n".join(result["disagreements"]))
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
