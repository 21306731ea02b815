"""The split files of a corpus directory: ``train.jsonl``, ``dev.jsonl``, ``test.jsonl``."""

from __future__ import annotations

from pathlib import Path

from policynlp.data.documents import AnnotatedDocument
from policynlp.data.jsonl import PathLike, read_documents
from policynlp.schema import DEFAULT_LABELS, LabelSet

#: Split names, in the order they are loaded; each is read from ``<name>.jsonl``.
SPLITS = ("train", "dev", "test")


def split_files(directory: PathLike) -> dict[str, Path]:
    """Find the split files of a corpus directory.

    Args:
        directory: A directory holding any of ``train.jsonl``, ``dev.jsonl``, ``test.jsonl``.

    Returns:
        Split name to file, in :data:`SPLITS` order, for the files present. Other
        files in the directory are not looked at.

    Raises:
        NotADirectoryError: ``directory`` is not a directory.
        FileNotFoundError: None of the split files is there.
    """
    root = Path(directory)
    if not root.is_dir():
        raise NotADirectoryError(f"{root}: not a corpus directory")
    files = {split: root / f"{split}.jsonl" for split in SPLITS if (root / f"{split}.jsonl").is_file()}
    if not files:
        expected = ", ".join(f"{split}.jsonl" for split in SPLITS)
        raise FileNotFoundError(f"{root}: no split file found (expected any of {expected})")
    return files


def read_corpus(directory: PathLike, labels: LabelSet = DEFAULT_LABELS) -> dict[str, list[AnnotatedDocument]]:
    """Read and validate every split of a corpus directory.

    Args:
        directory: A directory holding any of ``train.jsonl``, ``dev.jsonl``, ``test.jsonl``.
        labels: Entity labels, themes and kinds that are allowed.

    Returns:
        Split name to documents, in :data:`SPLITS` order.

    Raises:
        NotADirectoryError: ``directory`` is not a directory.
        FileNotFoundError: None of the split files is there.
        DataFormatError: A split file is invalid (the first error, with file and line).
    """
    return {split: read_documents(path, labels) for split, path in split_files(directory).items()}
