"""Annotated data: documents, JSON Lines files, importers, corpora and statistics (ANNOTATION.md §3).

::

    from policynlp.data import read_documents, write_documents, validate_file, load_corpus

    documents = read_documents("train.jsonl")      # raises DataFormatError at the first bad line
    errors = validate_file("train.jsonl")           # every error of the file
    corpus = load_corpus("corpus/")                 # DatasetDict: train / dev / test

Importing this package does not import ``datasets``; :func:`load_corpus` does.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from policynlp.data.doccano import import_doccano
from policynlp.data.documents import AnnotatedDocument, parse_document
from policynlp.data.jsonl import iter_documents, read_documents, read_with_errors, validate_file, write_documents
from policynlp.data.label_studio import import_label_studio
from policynlp.data.overlap import SplitOverlapReport, split_overlap
from policynlp.data.splits import SPLITS, read_corpus
from policynlp.data.stats import CorpusStats, SplitStats, corpus_stats
from policynlp.data.validation import document_errors

if TYPE_CHECKING:
    from policynlp.data.corpus import CORPUS_FEATURES, load_corpus

__all__ = [
    "AnnotatedDocument",
    "CORPUS_FEATURES",
    "CorpusStats",
    "SPLITS",
    "SplitOverlapReport",
    "SplitStats",
    "corpus_stats",
    "document_errors",
    "import_doccano",
    "import_label_studio",
    "iter_documents",
    "load_corpus",
    "parse_document",
    "read_corpus",
    "read_documents",
    "read_with_errors",
    "split_overlap",
    "validate_file",
    "write_documents",
]

_IMPORTED_ON_FIRST_USE = ("CORPUS_FEATURES", "load_corpus")


def __getattr__(name: str) -> Any:
    # ``datasets`` takes most of a second to import; only corpus loading needs it.
    if name in _IMPORTED_ON_FIRST_USE:
        return getattr(importlib.import_module("policynlp.data.corpus"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
