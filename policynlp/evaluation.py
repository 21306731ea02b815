"""Scoring a model against annotated documents: entities (seqeval, strict IOB2), themes, kinds.

Gold sections are given to the model (so the scores measure the model, not the
segmenter); their heading paths come from :func:`policynlp.segment`, as at
inference. Entity spans are compared strictly: same start, end and label.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from seqeval.metrics import classification_report
from seqeval.scheme import IOB2

from policynlp.alignment import character_tags
from policynlp.inference import Piece, Predictor, plan_pieces
from policynlp.runtimes import make_runtime
from policynlp.records import Section
from policynlp.schema import LabelSet
from policynlp.segmentation import segment


def heading_paths(text: str, sections: Sequence[Mapping[str, Any]]) -> list[tuple[str, ...]]:
    """The heading path of each gold section, taken from the segmenter's view of ``text``."""
    segmented = segment(text)
    paths = []
    for section in sections:
        path: tuple[str, ...] = ()
        for candidate in segmented:
            if candidate.start <= section["start"] < max(candidate.end, candidate.start + 1):
                path = candidate.heading_path
                break
            if candidate.start > section["start"]:
                break
            path = candidate.heading_path
        paths.append(path)
    return paths


def gold_pieces(document: Mapping[str, Any]) -> tuple[list[Section], list[Piece]]:
    """Sections (with heading paths) and pieces covering a gold document."""
    text = document["text"]
    gold = sorted(document.get("sections") or [], key=lambda section: section["start"])
    paths = heading_paths(text, gold)
    sections = [
        Section(start=s["start"], end=s["end"], heading=path[-1] if path else "", theme=s.get("theme"),
                kind=s.get("kind"), heading_path=path)
        for s, path in zip(gold, paths)
    ]
    return sections, plan_pieces(text, sections)


@dataclass
class EvaluationReport:
    """Scores and the material to read behind them."""

    metrics: dict[str, Any]
    theme_confusion: dict[str, dict[str, int]] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)


def _macro_f1(pairs: list[tuple[str, str]], labels: Sequence[str]) -> float:
    scores = []
    for label in labels:
        true_positive = sum(1 for gold, predicted in pairs if gold == label and predicted == label)
        gold_count = sum(1 for gold, _ in pairs if gold == label)
        predicted_count = sum(1 for _, predicted in pairs if predicted == label)
        if gold_count == 0 and predicted_count == 0:
            continue
        scores.append(2 * true_positive / (gold_count + predicted_count))
    return sum(scores) / len(scores) if scores else 0.0


def evaluate_documents(model, tokenizer, documents: Sequence[Mapping[str, Any]], batch_size: int = 16,
                       context_chars: int = 12, decoding: str = "viterbi",
                       backend: str = "torch") -> EvaluationReport:
    """Score ``model`` on gold ``documents`` (ANNOTATION.md dicts).

    ``decoding`` is passed to :class:`~policynlp.inference.Predictor`;
    ``backend`` names the runtime of the forward pass (:mod:`policynlp.runtimes`).

    Returns:
        See :func:`score_predictions`.
    """
    config = model.config
    predictor = Predictor(model, tokenizer, batch_size=batch_size, decoding=decoding,
                          runtime=make_runtime(model, backend))
    texts = [document["text"] for document in documents]
    planned = [gold_pieces(document) for document in documents]
    predictions = predictor.predict(texts, [pieces for _, pieces in planned])
    entities, sections = [], []
    for (gold_sections, pieces), piece_predictions in zip(planned, predictions):
        entities.append({(s, e, label) for prediction in piece_predictions for s, e, label, _ in prediction.spans})
        labelled: list[tuple[str, str] | None] = [None] * len(gold_sections)
        for piece, prediction in zip(pieces, piece_predictions):
            if piece.section is not None:
                theme = config.themes[max(range(len(prediction.theme)), key=prediction.theme.__getitem__)]
                kind = config.kinds[max(range(len(prediction.kind)), key=prediction.kind.__getitem__)]
                labelled[piece.section] = (theme, kind)
        sections.append(labelled)
    return score_predictions(documents, entities, sections, config.labels, context_chars)


def score_predictions(
    documents: Sequence[Mapping[str, Any]],
    entities: Sequence[set[tuple[int, int, str]]],
    sections: Sequence[Sequence[tuple[str, str] | None]],
    labels: LabelSet,
    context_chars: int = 12,
) -> EvaluationReport:
    """Score predictions from any extractor (a model, rules) against gold documents.

    Args:
        documents: Gold ANNOTATION.md dicts.
        entities: For each document, the predicted ``(start, end, label)`` spans.
        sections: For each document, the predicted ``(theme, kind)`` of each gold
            section in text order (``None`` where nothing was predicted).
        labels: The label sets scored.
        context_chars: Characters of context shown around each error.

    Returns:
        Metrics with ``entity_f1`` (strict micro), ``entity_precision``, ``entity_recall``,
        ``entity_f1_per_label``, ``theme_accuracy``, ``theme_macro_f1``, ``kind_accuracy``,
        ``kind_macro_f1``; the theme confusion table; false positives and negatives with context.
    """
    true_tags, predicted_tags, errors = [], [], []
    theme_pairs: list[tuple[str, str]] = []
    kind_pairs: list[tuple[str, str]] = []
    confusion: dict[str, Counter] = {}
    for document, predicted, labelled in zip(documents, entities, sections):
        text = document["text"]
        gold = {(e["start"], e["end"], e["label"]) for e in document.get("entities") or []}
        true_tags.append(character_tags(len(text), sorted(gold)))
        predicted_tags.append(character_tags(len(text), sorted(predicted)))
        for start, end, label in sorted(gold ^ set(predicted)):
            errors.append({
                "document": document.get("id"),
                "type": "false_negative" if (start, end, label) in gold else "false_positive",
                "label": label,
                "start": start,
                "end": end,
                "text": text[start:end],
                "context": text[max(0, start - context_chars):start] + "【" + text[start:end] + "】"
                + text[end:end + context_chars],
            })
        gold_sections = sorted(document.get("sections") or [], key=lambda section: section["start"])
        for section, prediction in zip(gold_sections, labelled):
            predicted_theme, predicted_kind = prediction if prediction is not None else ("", "")
            if section.get("theme") is not None:
                theme_pairs.append((section["theme"], predicted_theme))
                confusion.setdefault(section["theme"], Counter())[predicted_theme] += 1
            if section.get("kind") is not None:
                kind_pairs.append((section["kind"], predicted_kind))

    report = classification_report(true_tags, predicted_tags, mode="strict", scheme=IOB2, output_dict=True,
                                   zero_division=0)
    per_label = {label: float(report[label]["f1-score"]) for label in labels.entity_labels if label in report}
    micro = report.get("micro avg", {"precision": 0.0, "recall": 0.0, "f1-score": 0.0})
    metrics = {
        "documents": len(documents),
        "entity_f1": float(micro["f1-score"]),
        "entity_precision": float(micro["precision"]),
        "entity_recall": float(micro["recall"]),
        "entity_f1_per_label": per_label,
        "entity_support": {label: int(report[label]["support"]) for label in per_label},
        "sections": len(theme_pairs),
        "theme_accuracy": sum(g == p for g, p in theme_pairs) / len(theme_pairs) if theme_pairs else 0.0,
        "theme_macro_f1": _macro_f1(theme_pairs, labels.themes),
        "kind_accuracy": sum(g == p for g, p in kind_pairs) / len(kind_pairs) if kind_pairs else 0.0,
        "kind_macro_f1": _macro_f1(kind_pairs, labels.kinds),
    }
    table = {gold: dict(counts) for gold, counts in sorted(confusion.items())}
    return EvaluationReport(metrics=metrics, theme_confusion=table, errors=errors)


def evaluate_rules(documents: Sequence[Mapping[str, Any]], context_chars: int = 12) -> EvaluationReport:
    """Score the rules-only baseline (:mod:`policynlp.rules`) the same way as a model."""
    from policynlp.rules import classify_section, extract_entities
    from policynlp.schema import DEFAULT_LABELS

    entities = [{(span.start, span.end, span.label) for span in extract_entities(document["text"])}
                for document in documents]
    sections = [
        [classify_section(document["text"][section["start"]:section["end"]])
         for section in sorted(document.get("sections") or [], key=lambda section: section["start"])]
        for document in documents
    ]
    return score_predictions(documents, entities, sections, DEFAULT_LABELS, context_chars)
