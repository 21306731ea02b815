"""Read, write and validate annotated JSON Lines files (ANNOTATION.md §3).

A file is UTF-8 (a leading byte-order mark is accepted), one JSON object per
line, lines separated by ``\\n`` (``\\r\\n`` is accepted). An empty line is
skipped; a line holding only whitespace is an error, because it usually means
a document was lost while editing. A key repeated inside one JSON object is an
error, not a silent last-one-wins, and so are ``NaN`` and ``Infinity``, which
are not JSON.
"""

from __future__ import annotations

import codecs
import json
import os
from pathlib import Path
from typing import Any, Iterable, Iterator

from policynlp.data.documents import AnnotatedDocument, parse_document
from policynlp.errors import DataFormatError
from policynlp.schema import DEFAULT_LABELS, LabelSet

PathLike = str | os.PathLike[str]


class _DuplicateKeyError(ValueError):
    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


def _reject_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKeyError(key)
        result[key] = value
    return result


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def iter_json_records(path: PathLike) -> Iterator[tuple[int, Any | DataFormatError]]:
    """Decode a JSON Lines file line by line, without stopping at a bad line.

    Args:
        path: The file.

    Yields:
        ``(line number, decoded value)`` for each non-empty line, or
        ``(line number, DataFormatError)`` for a line that is not UTF-8, holds only
        whitespace, is not valid JSON, or repeats a key inside an object.

    Raises:
        OSError: The file cannot be opened.
    """
    shown = str(path)
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            line = raw.removesuffix(b"\n").removesuffix(b"\r")
            if number == 1:
                line = line.removeprefix(codecs.BOM_UTF8)
            if line:
                yield number, _decode_line(line, shown, number)


def _decode_line(line: bytes, path: str, number: int) -> Any | DataFormatError:
    def error(reason: str) -> DataFormatError:
        return DataFormatError(path, number, reason)

    try:
        decoded = line.decode("utf-8")
    except UnicodeDecodeError as problem:
        return error(f"not valid UTF-8 at byte {problem.start}: {problem.reason}")
    if not decoded.strip():
        return error("line holds only whitespace; an empty line must be truly empty")
    try:
        return json.loads(decoded, object_pairs_hook=_reject_duplicate_keys, parse_constant=_reject_constant)
    except json.JSONDecodeError as problem:
        return error(f"invalid JSON at column {problem.colno}: {problem.msg}")
    except _DuplicateKeyError as problem:
        return error(f"invalid JSON: key {problem.key!r} appears twice in one object")
    except ValueError as problem:  # NaN or Infinity
        return error(f"invalid JSON: {problem}")


def _scan(path: PathLike, labels: LabelSet) -> Iterator[tuple[AnnotatedDocument | None, list[DataFormatError]]]:
    """Yield each line's document (or ``None``) with its errors, duplicate ids included."""
    shown = str(path)
    first_line_of_id: dict[str, int] = {}
    for number, record in iter_json_records(path):
        if isinstance(record, DataFormatError):
            yield None, [record]
            continue
        document, errors = parse_document(record, labels, path=shown, line=number)
        doc_id = record.get("id") if isinstance(record, dict) else None
        if isinstance(doc_id, str) and doc_id:
            if doc_id in first_line_of_id:
                first = first_line_of_id[doc_id]
                duplicate = DataFormatError(shown, number, f"duplicate document id {doc_id!r} (first on line {first})")
                errors, document = [*errors, duplicate], None
            else:
                first_line_of_id[doc_id] = number
        yield document, errors


def iter_documents(path: PathLike, labels: LabelSet = DEFAULT_LABELS) -> Iterator[AnnotatedDocument]:
    """Read documents one at a time, checking each line as it comes.

    Args:
        path: A JSON Lines file in the format of ANNOTATION.md §3.
        labels: Entity labels, themes and kinds that are allowed.

    Yields:
        The documents in file order.

    Raises:
        DataFormatError: At the first invalid line (file, line, span and reason).
        OSError: The file cannot be opened.
    """
    for document, errors in _scan(path, labels):
        if errors:
            raise errors[0]
        assert document is not None
        yield document


def read_documents(path: PathLike, labels: LabelSet = DEFAULT_LABELS) -> list[AnnotatedDocument]:
    """Read every document of a file; the file must be valid throughout.

    Args:
        path: A JSON Lines file in the format of ANNOTATION.md §3.
        labels: Entity labels, themes and kinds that are allowed.

    Returns:
        The documents in file order.

    Raises:
        DataFormatError: At the first invalid line (file, line, span and reason).
        OSError: The file cannot be opened.
    """
    return list(iter_documents(path, labels))


def read_with_errors(
    path: PathLike, labels: LabelSet = DEFAULT_LABELS
) -> tuple[list[AnnotatedDocument], list[DataFormatError]]:
    """Read the valid documents of a file and collect the errors of all the others.

    Args:
        path: A JSON Lines file in the format of ANNOTATION.md §3.
        labels: Entity labels, themes and kinds that are allowed.

    Returns:
        ``(valid documents, every error)``, both in file order.

    Raises:
        OSError: The file cannot be opened.
    """
    documents: list[AnnotatedDocument] = []
    all_errors: list[DataFormatError] = []
    for document, errors in _scan(path, labels):
        all_errors.extend(errors)
        if document is not None:
            documents.append(document)
    return documents, all_errors


def validate_file(path: PathLike, labels: LabelSet = DEFAULT_LABELS) -> list[DataFormatError]:
    """Check a whole file and return all of its errors, so they can be fixed in one go.

    Args:
        path: A JSON Lines file in the format of ANNOTATION.md §3.
        labels: Entity labels, themes and kinds that are allowed.

    Returns:
        Every error in file order; empty when the file is valid.

    Raises:
        OSError: The file cannot be opened.
    """
    return read_with_errors(path, labels)[1]


def dumps_document(document: AnnotatedDocument) -> str:
    """Serialise one document as a JSON line (no newline), Chinese left readable."""
    return json.dumps(document.to_dict(), ensure_ascii=False)


def write_documents(
    path: PathLike,
    documents: Iterable[AnnotatedDocument],
    *,
    labels: LabelSet = DEFAULT_LABELS,
    validate: bool = True,
) -> int:
    """Write documents as UTF-8 JSON Lines, one per line, keys in a fixed order.

    The file is written to a temporary name beside ``path`` and moved into place
    only when complete, so a failed write never leaves half a file behind.

    Args:
        path: The file to write; replaced if it exists.
        documents: The documents, written in the order given.
        labels: Entity labels, themes and kinds that are allowed when validating.
        validate: Check every document (and that ids are unique) before writing anything.

    Returns:
        The number of documents written.

    Raises:
        DataFormatError: ``validate`` is on and a document is invalid; ``line`` is
            the line it would have been written to.
        OSError: The file cannot be written.
    """
    documents = list(documents)
    shown = str(path)
    if validate:
        _check_before_writing(shown, documents, labels)
    target = Path(path)
    # A plain open (not mkstemp) so the file gets the usual permissions.
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "w", encoding="utf-8", newline="\n") as handle:
            for document in documents:
                handle.write(dumps_document(document))
                handle.write("\n")
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return len(documents)


def _check_before_writing(path: str, documents: list[AnnotatedDocument], labels: LabelSet) -> None:
    first_line_of_id: dict[str, int] = {}
    for number, document in enumerate(documents, start=1):
        errors = document.validate(labels, path=path, line=number)
        if errors:
            raise errors[0]
        if document.id in first_line_of_id:
            raise DataFormatError(
                path, number, f"duplicate document id {document.id!r} (first on line {first_line_of_id[document.id]})"
            )
        first_line_of_id[document.id] = number
