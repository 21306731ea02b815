"""Corpus documents -> encoder windows with token, theme and kind labels.

Each document is cut into the same pieces as at inference (gold sections with
their heading path as context, plus the other text line by line); every piece
is windowed with stride, and labels are aligned by character offsets in
:mod:`policynlp.alignment`.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping

import torch
from datasets import Dataset, Features, Sequence, Value

from policynlp.alignment import (
    IGNORE_INDEX,
    align_labels,
    context_ids,
    make_windows,
    special_ids,
    tokenize_piece,
)
from policynlp.evaluation import gold_pieces

FEATURES = Features(
    {
        "input_ids": Sequence(Value("int32")),
        "labels": Sequence(Value("int32")),
        "theme_labels": Value("int32"),
        "kind_labels": Value("int32"),
    }
)


def document_windows(document: Mapping[str, Any], tokenizer, config) -> Iterable[dict[str, Any]]:
    """Training windows of one document.

    Args:
        document: An ANNOTATION.md document (``text``, ``entities``, ``sections``).
        tokenizer: The encoder's fast tokenizer.
        config: A :class:`~policynlp.modeling.PolicyConfig` (labels, window length, stride).

    Yields:
        Dicts with ``input_ids``, ``labels`` (IGNORE_INDEX on special and context
        tokens), ``theme_labels`` and ``kind_labels`` (IGNORE_INDEX outside sections).
    """
    text = document["text"]
    tag_to_id = {tag: index for index, tag in enumerate(config.tags)}
    theme_to_id = {theme: index for index, theme in enumerate(config.themes)}
    kind_to_id = {kind: index for index, kind in enumerate(config.kinds)}
    entities = [(e["start"], e["end"], e["label"]) for e in document.get("entities") or []]
    special = special_ids(tokenizer)
    sections, pieces = gold_pieces(document)
    for piece in pieces:
        tokens = tokenize_piece(tokenizer, text, piece.start, piece.end)
        inside = [entity for entity in entities if entity[0] < piece.end and entity[1] > piece.start]
        token_labels = align_labels(tokens.offsets, inside, tag_to_id)
        context = context_ids(tokenizer, piece.context, config.context_tokens)
        theme = kind = IGNORE_INDEX
        if piece.section is not None:
            section = sections[piece.section]
            theme = theme_to_id.get(section.theme, IGNORE_INDEX)
            kind = kind_to_id.get(section.kind, IGNORE_INDEX)
        for window in make_windows(tokens, context, special, config.window_length, config.stride):
            labels = [IGNORE_INDEX] * len(window.input_ids)
            labels[window.body_offset:window.body_offset + window.length] = token_labels[
                window.token_start:window.token_start + window.length
            ]
            yield {"input_ids": list(window.input_ids), "labels": labels, "theme_labels": theme, "kind_labels": kind}


def build_dataset(documents: Iterable[Mapping[str, Any]], tokenizer, config) -> Dataset:
    """All training windows of ``documents`` as a :class:`datasets.Dataset`."""
    rows = [window for document in documents for window in document_windows(document, tokenizer, config)]
    return Dataset.from_list(rows, features=FEATURES)


class WindowCollator:
    """Pads a batch of windows; attention mask from lengths."""

    def __init__(self, pad_id: int):
        self.pad_id = pad_id

    def __call__(self, rows: list[dict[str, Any]]) -> dict[str, torch.Tensor]:
        width = max(len(row["input_ids"]) for row in rows)
        input_ids = torch.full((len(rows), width), self.pad_id, dtype=torch.long)
        attention = torch.zeros((len(rows), width), dtype=torch.long)
        labels = torch.full((len(rows), width), IGNORE_INDEX, dtype=torch.long)
        for index, row in enumerate(rows):
            length = len(row["input_ids"])
            input_ids[index, :length] = torch.as_tensor(row["input_ids"])
            attention[index, :length] = 1
            labels[index, :length] = torch.as_tensor(row["labels"])
        return {
            "input_ids": input_ids,
            "attention_mask": attention,
            "labels": labels,
            "theme_labels": torch.as_tensor([row["theme_labels"] for row in rows], dtype=torch.long),
            "kind_labels": torch.as_tensor([row["kind_labels"] for row in rows], dtype=torch.long),
        }
