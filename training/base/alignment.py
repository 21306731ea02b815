"""Measure how well entity boundaries fall on token boundaries.

A token-classification model labels tokens, so an entity whose start or end
falls strictly inside a token cannot be recovered exactly, whatever the model
learns (``于2023年`` tokenised as ``于2023`` + ``年``). This module reports the
share of entities whose both boundaries coincide with token boundaries, for a
tokenizer and annotated JSON Lines files (ANNOTATION.md §3), and the sequence
length per character that the tokenizer produces.

A token's span starts at its first non-space character: the ``▁`` word marker
carries the space before a word, and a boundary between that space and the word
is not inside the word.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tokenizers import Tokenizer

LABELS = ("METRIC", "INSTITUTION", "VALUE", "DATE")


@dataclass(frozen=True)
class AnnotatedText:
    """One document of an annotated JSON Lines file, entities only."""

    id: str
    text: str
    entities: tuple[tuple[int, int, str], ...]


@dataclass
class AlignmentStats:
    """Counts from :func:`measure_alignment`.

    Attributes:
        entities: Entities seen.
        aligned: Entities whose start and end are both token boundaries.
        characters: Characters of the texts.
        tokens: Tokens of the texts, special tokens excluded.
        shared_characters: Tokens whose span overlaps the previous token's, so that
            two tokens claim one character (which label alignment cannot tag).
        misaligned: ``(document id, entity text, label, tokens covering it)`` examples.
    """

    entities: int = 0
    aligned: int = 0
    characters: int = 0
    tokens: int = 0
    shared_characters: int = 0
    misaligned: list[tuple[str, str, str, list[str]]] = field(default_factory=list)

    @property
    def aligned_share(self) -> float:
        """Share of entities with both boundaries on token boundaries."""
        return self.aligned / self.entities if self.entities else 1.0

    @property
    def tokens_per_character(self) -> float:
        """Tokens per character of text."""
        return self.tokens / self.characters if self.characters else 0.0


def read_annotated_jsonl(path: str | Path) -> list[AnnotatedText]:
    """Read the entities of an annotated JSON Lines file.

    Args:
        path: File in the format of ANNOTATION.md §3.

    Returns:
        One :class:`AnnotatedText` per non-empty line.

    Raises:
        ValueError: Naming the file, line and span, for invalid JSON, offsets
            outside the text, an unknown label or overlapping entities.
    """
    path = Path(path)
    documents = []
    for line_number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{line_number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise ValueError(f"{where}: invalid JSON ({error})") from error
        text = record["text"]
        entities = []
        for entity in record.get("entities") or []:
            start, end, label = entity["start"], entity["end"], entity["label"]
            if not 0 <= start < end <= len(text):
                raise ValueError(f"{where}: entity [{start}, {end}) lies outside the text of {len(text)} characters")
            if label not in LABELS:
                raise ValueError(f"{where}: entity [{start}, {end}) has unknown label {label!r}")
            entities.append((start, end, label))
        entities.sort()
        for (_, previous_end, _), (start, end, _) in zip(entities, entities[1:]):
            if start < previous_end:
                raise ValueError(f"{where}: entity [{start}, {end}) overlaps the entity before it")
        documents.append(AnnotatedText(str(record.get("id", line_number)), text, tuple(entities)))
    return documents


def token_spans(tokenizer: Tokenizer, text: str) -> tuple[list[tuple[int, int]], list[str]]:
    """Character spans and strings of the tokens of ``text`` (no special tokens).

    Spans are moved past leading whitespace; tokens that cover only whitespace
    are dropped.
    """
    encoding = tokenizer.encode(text, add_special_tokens=False)
    spans, tokens = [], []
    for (start, end), token in zip(encoding.offsets, encoding.tokens):
        while start < end and text[start].isspace():
            start += 1
        if start < end:
            spans.append((start, end))
            tokens.append(token)
    return spans, tokens


def measure_alignment(
    tokenizer: Tokenizer,
    documents: Iterable[AnnotatedText],
    max_examples: int = 20,
) -> AlignmentStats:
    """Count entities whose boundaries are token boundaries.

    Args:
        tokenizer: The ``tokenizers`` tokenizer to measure.
        documents: Annotated texts.
        max_examples: Misaligned entities to keep as examples.

    Returns:
        The counts, with the number of tokens (without special tokens) per character.
    """
    if tokenizer.truncation is not None or tokenizer.padding is not None:
        # A tokenizer used through transformers keeps its last truncation setting;
        # measure on an untruncated copy so long documents are seen whole.
        tokenizer = Tokenizer.from_str(tokenizer.to_str())
        tokenizer.no_truncation()
        tokenizer.no_padding()
    stats = AlignmentStats()
    for document in documents:
        encoding = tokenizer.encode(document.text, add_special_tokens=False)
        spans, tokens = token_spans(tokenizer, document.text)
        starts = {start for start, _ in spans}
        ends = {end for _, end in spans}
        stats.characters += len(document.text)
        stats.tokens += len(encoding.ids)
        stats.shared_characters += sum(start < previous_end for (_, previous_end), (start, _) in zip(spans, spans[1:]))
        for start, end, label in document.entities:
            stats.entities += 1
            if start in starts and end in ends:
                stats.aligned += 1
            elif len(stats.misaligned) < max_examples:
                covering = [token for (s, e), token in zip(spans, tokens) if s < end and e > start]
                stats.misaligned.append((document.id, document.text[start:end], label, covering))
    return stats


def tokens_per_character(tokenizer: Tokenizer, texts: Sequence[str]) -> float:
    """Tokens (special tokens excluded) per character over ``texts``, which must fit untruncated."""
    characters = sum(len(text) for text in texts)
    tokens = sum(len(tokenizer.encode(text, add_special_tokens=False).ids) for text in texts)
    return tokens / characters if characters else 0.0
