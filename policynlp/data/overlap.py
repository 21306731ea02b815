"""Leakage between the splits of a corpus: shared ids, identical texts and near-duplicates.

Near-duplicates are found by comparing the sets of character n-grams (default
8) of every pair of documents from different splits, whitespace removed. The
score is containment, ``|A ∩ B| / min(|A|, |B|)``: it catches a document that
was copied into a longer one (an excerpt, a re-post with a different header),
which Jaccard similarity ``|A ∩ B| / |A ∪ B|`` misses; both are reported. Scores
are exact: an inverted index from n-gram to document finds every pair that
shares anything, without comparing every pair of documents.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from policynlp.data.jsonl import PathLike
from policynlp.data.splits import read_corpus
from policynlp.schema import DEFAULT_LABELS, LabelSet

DEFAULT_NGRAM = 8
DEFAULT_THRESHOLD = 0.5

_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class DocumentRef:
    """A document of a corpus: its split and its id."""

    split: str
    id: str

    def __str__(self) -> str:
        return f"{self.split}/{self.id}"


@dataclass(frozen=True)
class OverlapPair:
    """Two documents of different splits whose texts overlap.

    Attributes:
        first: The document of the earlier split (train before dev before test).
        second: The document of the later split.
        containment: Shared n-grams over the n-grams of the smaller document.
        jaccard: Shared n-grams over all n-grams of both documents.
        exact: True when the texts are identical.
    """

    first: DocumentRef
    second: DocumentRef
    containment: float
    jaccard: float
    exact: bool = False

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form; scores rounded to four places."""
        return {
            "first": {"split": self.first.split, "id": self.first.id},
            "second": {"split": self.second.split, "id": self.second.id},
            "containment": round(self.containment, 4),
            "jaccard": round(self.jaccard, 4),
            "exact": self.exact,
        }


@dataclass
class SplitOverlapReport:
    """What :func:`split_overlap` found.

    Attributes:
        documents: Number of documents per split.
        exact: Pairs with identical texts.
        near: Pairs at or above the threshold that are not identical.
        shared_ids: Ids used in more than one split, with those splits.
        ngram: The n-gram length used.
        threshold: The containment at or above which a pair counts as a near-duplicate.
    """

    documents: dict[str, int]
    exact: list[OverlapPair] = field(default_factory=list)
    near: list[OverlapPair] = field(default_factory=list)
    shared_ids: dict[str, list[str]] = field(default_factory=dict)
    ngram: int = DEFAULT_NGRAM
    threshold: float = DEFAULT_THRESHOLD

    @property
    def has_leakage(self) -> bool:
        """True when any document is shared between splits, by id, by text or nearly."""
        return bool(self.exact or self.near or self.shared_ids)

    def affected(self) -> dict[str, int]:
        """Per split, how many of its documents have an exact or near duplicate in another split."""
        marked: dict[str, set[str]] = {split: set() for split in self.documents}
        for pair in (*self.exact, *self.near):
            marked[pair.first.split].add(pair.first.id)
            marked[pair.second.split].add(pair.second.id)
        return {split: len(ids) for split, ids in marked.items()}

    def rates(self) -> dict[str, float]:
        """Per split, the share of its documents that have an exact or near duplicate in another split."""
        return {
            split: (count / self.documents[split] if self.documents[split] else 0.0)
            for split, count in self.affected().items()
        }

    @property
    def rate(self) -> float:
        """Share of all documents that have an exact or near duplicate in another split."""
        total = sum(self.documents.values())
        return sum(self.affected().values()) / total if total else 0.0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form, with the affected counts and rates per split."""
        return {
            "ngram": self.ngram,
            "threshold": self.threshold,
            "documents": dict(self.documents),
            "affected": self.affected(),
            "rates": {split: round(rate, 4) for split, rate in self.rates().items()},
            "rate": round(self.rate, 4),
            "exact": [pair.to_dict() for pair in self.exact],
            "near": [pair.to_dict() for pair in self.near],
            "shared_ids": {doc_id: list(splits) for doc_id, splits in self.shared_ids.items()},
        }


def character_ngrams(text: str, n: int = DEFAULT_NGRAM) -> frozenset[str]:
    """The set of character n-grams of ``text`` with whitespace removed.

    A text shorter than ``n`` gives itself as its only n-gram, so short documents
    can still be compared; an empty text gives the empty set.

    Args:
        text: The text.
        n: The n-gram length.

    Returns:
        The distinct n-grams.
    """
    squeezed = _WHITESPACE.sub("", text)
    if len(squeezed) <= n:
        return frozenset((squeezed,)) if squeezed else frozenset()
    return frozenset(squeezed[index : index + n] for index in range(len(squeezed) - n + 1))


def overlap_scores(first: frozenset[str], second: frozenset[str]) -> tuple[float, float]:
    """Return ``(containment, jaccard)`` of two n-gram sets; both 0 when either is empty."""
    if not first or not second:
        return 0.0, 0.0
    shared = len(first & second)
    return shared / min(len(first), len(second)), shared / (len(first) + len(second) - shared)


def split_overlap(
    corpus_dir: PathLike,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    ngram: int = DEFAULT_NGRAM,
    labels: LabelSet = DEFAULT_LABELS,
) -> SplitOverlapReport:
    """Find documents shared between the splits of a corpus directory.

    Args:
        corpus_dir: A directory holding any of ``train.jsonl``, ``dev.jsonl``, ``test.jsonl``.
        threshold: Containment at or above which two documents are near-duplicates.
        ngram: Character n-gram length.
        labels: Entity labels, themes and kinds that are allowed when reading.

    Returns:
        The report; pairs are ordered by split pair, then by file order.

    Raises:
        ValueError: ``threshold`` is outside (0, 1] or ``ngram`` is below 1.
        DataFormatError: A split file is invalid.
        FileNotFoundError: The directory holds none of the split files.
    """
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"threshold must be in (0, 1], got {threshold}")
    if ngram < 1:
        raise ValueError(f"ngram must be at least 1, got {ngram}")
    splits = read_corpus(corpus_dir, labels)
    report = SplitOverlapReport(
        documents={split: len(documents) for split, documents in splits.items()}, ngram=ngram, threshold=threshold
    )

    splits_of_id: dict[str, list[str]] = {}
    for split, documents in splits.items():
        for document in documents:
            splits_of_id.setdefault(document.id, []).append(split)
    report.shared_ids = {doc_id: names for doc_id, names in splits_of_id.items() if len(names) > 1}

    for first_split, second_split in combinations(splits, 2):
        first = [_Indexed(DocumentRef(first_split, doc.id), doc.text, ngram) for doc in splits[first_split]]
        second = [_Indexed(DocumentRef(second_split, doc.id), doc.text, ngram) for doc in splits[second_split]]
        report.exact.extend(_identical_texts(first, second))
        report.near.extend(_near_duplicates(first, second, threshold))
    return report


class _Indexed:
    """A document reduced to what the comparison needs: its reference, text and n-gram keys."""

    def __init__(self, ref: DocumentRef, text: str, ngram: int):
        self.ref = ref
        self.text = text
        # Hashes instead of the n-gram strings: a fraction of the memory, and a collision
        # (odds around 1e-7 for a large corpus) only adds one shared n-gram.
        self.keys = frozenset(map(hash, character_ngrams(text, ngram)))


def _identical_texts(first: list[_Indexed], second: list[_Indexed]) -> list[OverlapPair]:
    positions_of_text: dict[str, list[int]] = {}
    for position, document in enumerate(first):
        positions_of_text.setdefault(document.text, []).append(position)
    pairs = [
        (position, later_position)
        for later_position, document in enumerate(second)
        for position in positions_of_text.get(document.text, ())
    ]
    return [OverlapPair(first[a].ref, second[b].ref, 1.0, 1.0, exact=True) for a, b in sorted(pairs)]


def _near_duplicates(first: list[_Indexed], second: list[_Indexed], threshold: float) -> list[OverlapPair]:
    """Pairs at or above ``threshold`` containment, texts not identical; exact, through an inverted index.

    Only pairs that share at least one n-gram are ever looked at, so the work grows
    with the n-grams two splits have in common rather than with every pair.
    """
    keys_of_second: set[int] = set()
    for later in second:
        keys_of_second.update(later.keys)
    postings: dict[int, list[int]] = {}
    for position, document in enumerate(first):
        for key in document.keys & keys_of_second:  # n-grams the other split lacks can match nothing
            postings.setdefault(key, []).append(position)
    found: list[tuple[int, int, OverlapPair]] = []
    for later_position, later in enumerate(second):
        shared: Counter[int] = Counter()
        for key in later.keys:
            if key in postings:
                shared.update(postings[key])
        for position, count in shared.items():
            earlier = first[position]
            if earlier.text == later.text:
                continue
            containment = count / min(len(earlier.keys), len(later.keys))
            if containment >= threshold:
                jaccard = count / (len(earlier.keys) + len(later.keys) - count)
                found.append((position, later_position, OverlapPair(earlier.ref, later.ref, containment, jaccard)))
    return [pair for _, _, pair in sorted(found, key=lambda item: item[:2])]
