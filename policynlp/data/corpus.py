"""Load an annotated corpus directory (``train.jsonl``, ``dev.jsonl``, ``test.jsonl``) as a ``DatasetDict``."""

from __future__ import annotations

from typing import Any

import datasets

from policynlp.data.documents import AnnotatedDocument
from policynlp.data.jsonl import PathLike
from policynlp.data.splits import SPLITS, read_corpus, split_files
from policynlp.schema import DEFAULT_LABELS, LabelSet

__all__ = [
    "CORPUS_FEATURES",
    "SPLITS",
    "document_row",
    "documents_to_dataset",
    "load_corpus",
    "read_corpus",
    "split_files",
]

_OFFSET = datasets.Value("int32")

#: Column types of every split; explicit so that empty lists still get the right type.
CORPUS_FEATURES = datasets.Features(
    {
        "id": datasets.Value("string"),
        "text": datasets.Value("string"),
        "entities": datasets.List({"start": _OFFSET, "end": _OFFSET, "label": datasets.Value("string")}),
        "sections": datasets.List(
            {
                "start": _OFFSET,
                "end": _OFFSET,
                "theme": datasets.Value("string"),
                "kind": datasets.Value("string"),
            }
        ),
        "links": datasets.List({"metric": datasets.List(_OFFSET, length=2), "value": datasets.List(_OFFSET, length=2)}),
    }
)


def document_row(document: AnnotatedDocument) -> dict[str, Any]:
    """The row of :data:`CORPUS_FEATURES` for one document (``extra`` is not carried over)."""
    return {
        "id": document.id,
        "text": document.text,
        "entities": [{"start": e.start, "end": e.end, "label": e.label} for e in document.entities],
        "sections": [{"start": s.start, "end": s.end, "theme": s.theme, "kind": s.kind} for s in document.sections],
        "links": [{"metric": list(metric), "value": list(value)} for metric, value in document.links],
    }


def documents_to_dataset(documents: list[AnnotatedDocument], split: str | None = None) -> datasets.Dataset:
    """Turn documents into a ``Dataset`` with :data:`CORPUS_FEATURES`.

    Args:
        documents: The documents, in row order.
        split: Name recorded as the dataset's split, if any.

    Returns:
        The dataset (in memory; nothing is cached on disk).
    """
    rows = [document_row(document) for document in documents]
    columns = {name: [row[name] for row in rows] for name in CORPUS_FEATURES}
    named_split = None if split is None else datasets.NamedSplit(split)
    return datasets.Dataset.from_dict(columns, features=CORPUS_FEATURES, split=named_split)


def load_corpus(path: PathLike, labels: LabelSet = DEFAULT_LABELS) -> datasets.DatasetDict:
    """Load an annotated corpus directory, validating every split file.

    Args:
        path: A directory holding any of ``train.jsonl``, ``dev.jsonl``, ``test.jsonl``.
        labels: Entity labels, themes and kinds that are allowed.

    Returns:
        A ``DatasetDict`` keyed by the splits present, each with :data:`CORPUS_FEATURES`
        (labels, themes and kinds as strings).

    Raises:
        NotADirectoryError: ``path`` is not a directory.
        FileNotFoundError: None of the split files is there.
        DataFormatError: A split file is invalid (the first error, with file and line).
    """
    splits = read_corpus(path, labels)
    return datasets.DatasetDict({split: documents_to_dataset(documents, split) for split, documents in splits.items()})
