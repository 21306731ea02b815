"""Counts over annotated data: documents, characters, entities, sections and links, per split."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from policynlp.data.documents import AnnotatedDocument
from policynlp.data.jsonl import PathLike, read_documents
from policynlp.data.overlap import split_overlap
from policynlp.data.splits import read_corpus
from policynlp.schema import DEFAULT_LABELS, LabelSet

__all__ = ["CorpusStats", "SplitStats", "corpus_stats", "count_documents", "split_overlap"]

TOTAL = "total"


@dataclass
class SplitStats:
    """Counts over one set of documents.

    Every label, theme and kind of the label set appears in the count tables, with
    0 when unused, so tables of different splits line up.

    Attributes:
        documents: Number of documents.
        characters: Total length of their texts.
        entities: Entity count per label.
        themes: Section count per theme.
        kinds: Section count per kind.
        links: Number of METRIC–VALUE links.
    """

    documents: int = 0
    characters: int = 0
    entities: dict[str, int] = field(default_factory=dict)
    themes: dict[str, int] = field(default_factory=dict)
    kinds: dict[str, int] = field(default_factory=dict)
    links: int = 0

    @classmethod
    def empty(cls, labels: LabelSet = DEFAULT_LABELS) -> SplitStats:
        """Zero counts with a slot for every id of ``labels``."""
        return cls(
            entities=dict.fromkeys(labels.entity_labels, 0),
            themes=dict.fromkeys(labels.themes, 0),
            kinds=dict.fromkeys(labels.kinds, 0),
        )

    @property
    def entity_count(self) -> int:
        """All entities, whatever their label."""
        return sum(self.entities.values())

    @property
    def section_count(self) -> int:
        """All sections, whatever their theme."""
        return sum(self.themes.values())

    def add(self, document: AnnotatedDocument) -> None:
        """Count one more document."""
        self.documents += 1
        self.characters += len(document.text)
        for entity in document.entities:
            self.entities[entity.label] = self.entities.get(entity.label, 0) + 1
        for section in document.sections:
            self.themes[section.theme] = self.themes.get(section.theme, 0) + 1
            self.kinds[section.kind] = self.kinds.get(section.kind, 0) + 1
        self.links += len(document.links)

    def merge(self, other: SplitStats) -> None:
        """Add the counts of ``other`` to these."""
        self.documents += other.documents
        self.characters += other.characters
        for mine, theirs in ((self.entities, other.entities), (self.themes, other.themes), (self.kinds, other.kinds)):
            for key, count in theirs.items():
                mine[key] = mine.get(key, 0) + count
        self.links += other.links

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready counts: ``documents``, ``characters``, ``entities``, ``sections``, ``links``."""
        return {
            "documents": self.documents,
            "characters": self.characters,
            "entities": dict(self.entities),
            "sections": {"total": self.section_count, "themes": dict(self.themes), "kinds": dict(self.kinds)},
            "links": self.links,
        }


@dataclass
class CorpusStats:
    """Counts per split and over all splits.

    Attributes:
        splits: Split name to its counts, in corpus order (for a single file, one
            split named after the file).
        total: The counts over every split.
    """

    splits: dict[str, SplitStats]
    total: SplitStats

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready counts: ``{"splits": {name: counts}, "total": counts}``."""
        return {"splits": {name: stats.to_dict() for name, stats in self.splits.items()}, TOTAL: self.total.to_dict()}


def count_documents(documents: Iterable[AnnotatedDocument], labels: LabelSet = DEFAULT_LABELS) -> SplitStats:
    """Count documents, characters, entities, sections and links.

    Args:
        documents: The documents to count.
        labels: The label set whose ids get a slot even when unused.

    Returns:
        The counts.
    """
    stats = SplitStats.empty(labels)
    for document in documents:
        stats.add(document)
    return stats


def corpus_stats(path: PathLike, labels: LabelSet = DEFAULT_LABELS) -> CorpusStats:
    """Count an annotated JSON Lines file or a corpus directory, validating it on the way.

    Args:
        path: A JSON Lines file, or a directory holding ``train.jsonl``, ``dev.jsonl``
            and/or ``test.jsonl``.
        labels: Entity labels, themes and kinds that are allowed.

    Returns:
        Counts per split and in total.

    Raises:
        DataFormatError: A file is invalid (the first error).
        FileNotFoundError: A directory holds none of the split files.
        OSError: A file cannot be read.
    """
    source = Path(path)
    if source.is_dir():
        splits = read_corpus(source, labels)
    else:
        splits = {source.stem: read_documents(source, labels)}
    per_split = {name: count_documents(documents, labels) for name, documents in splits.items()}
    total = SplitStats.empty(labels)
    for stats in per_split.values():
        total.merge(stats)
    return CorpusStats(splits=per_split, total=total)
