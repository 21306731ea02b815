"""Import a doccano JSONL export (sequence labelling, or relation extraction).

One JSON object per line, with ``id`` and ``text`` and either

- ``"label": [[start, end, "LABEL"], ...]`` (sequence-labelling projects), or
- ``"entities": [{"id", "start_offset", "end_offset", "label"}, ...]`` with optional
  ``"relations": [{"id", "from_id", "to_id", "type"}, ...]`` (projects with relations).

doccano offsets are code points, the same as Python ``str`` indices, and are
taken as they are. A relation between a METRIC and a VALUE entity becomes an
indicator link whatever its type; any other relation is an error. Other fields
of a line (``comments``, metadata) are kept as ``extra``. doccano has no
sections, so imported documents have none.
"""

from __future__ import annotations

from typing import Any, Callable

from policynlp.data.documents import AnnotatedDocument, parse_document
from policynlp.data.jsonl import PathLike, iter_json_records
from policynlp.data.validation import DOCUMENT_KEYS, METRIC_LABEL, VALUE_LABEL, describe, is_integer
from policynlp.errors import DataFormatError
from policynlp.schema import DEFAULT_LABELS, LabelSet

_IMPORTED_KEYS = ("id", "text", "label", "entities", "relations")

# Builds the error for the line being imported, from a reason and an optional span.
_ErrorFactory = Callable[..., DataFormatError]


def import_doccano(path: PathLike, *, labels: LabelSet = DEFAULT_LABELS) -> list[AnnotatedDocument]:
    """Read a doccano JSONL export into annotated documents.

    Args:
        path: The export file.
        labels: Entity labels, themes and kinds that are allowed.

    Returns:
        One document per line, in file order, each checked against ANNOTATION.md §3.
        Entity indices in error messages follow the order of ``label`` or ``entities``.

    Raises:
        DataFormatError: The first bad line, naming file, line, span and reason.
        OSError: The file cannot be read.
    """
    shown = str(path)
    documents: list[AnnotatedDocument] = []
    line_of_id: dict[str, int] = {}
    for number, record in iter_json_records(path):
        if isinstance(record, DataFormatError):
            raise record
        document = _import_line(record, shown, number, labels)
        if document.id in line_of_id:
            raise DataFormatError(
                shown, number, f"duplicate document id {document.id!r} (first on line {line_of_id[document.id]})"
            )
        line_of_id[document.id] = number
        documents.append(document)
    return documents


def _import_line(record: Any, path: str, line: int, labels: LabelSet) -> AnnotatedDocument:
    def error(reason: str, span: tuple[int, int] | None = None) -> DataFormatError:
        return DataFormatError(path, line, reason, span)

    if not isinstance(record, dict):
        raise error(f"a doccano line must be a JSON object, got {describe(record)}")
    if "label" in record and "entities" in record:
        raise error("a line holds both 'label' and 'entities'; doccano writes one or the other")
    if "entities" in record:
        entities, entity_by_id = _read_entity_objects(record["entities"], error)
        relations = _array(record, "relations", error)
        links = [_link(relation, index, entity_by_id, error) for index, relation in enumerate(relations)]
    else:
        entities, links = _read_label_triples(record.get("label", []), error), []
        if "relations" in record:
            raise error("'relations' needs entities with ids ('entities' objects), not 'label' triples")

    converted: dict[str, Any] = {"id": _document_id(record.get("id"), error), "entities": entities, "links": links}
    if "text" in record:
        converted["text"] = record["text"]
    for key, value in record.items():
        if key in _IMPORTED_KEYS:
            continue
        if key in DOCUMENT_KEYS:
            raise error(f"field {key!r} clashes with the document key of the same name; rename it before importing")
        converted[key] = value
    document, errors = parse_document(converted, labels, path=path, line=line)
    if errors:
        raise errors[0]
    assert document is not None
    return document


def _document_id(value: Any, error: _ErrorFactory) -> str:
    if isinstance(value, str) and value:
        return value
    if is_integer(value):
        return str(value)
    if value is None:
        raise error("missing key 'id'; doccano exports carry one on every line")
    raise error(f"'id' must be a string or an integer, got {describe(value)}")


def _array(record: dict[str, Any], key: str, error: _ErrorFactory) -> list[Any]:
    value = record.get(key, [])
    if not isinstance(value, list):
        raise error(f"'{key}' must be an array, got {describe(value)}")
    return value


def _read_label_triples(triples: Any, error: _ErrorFactory) -> list[dict[str, Any]]:
    if not isinstance(triples, list):
        raise error(f"'label' must be an array of [start, end, label] triples, got {describe(triples)}")
    entities = []
    for index, triple in enumerate(triples):
        if isinstance(triple, str):
            raise error(
                f"label[{index}] is the string {triple!r}; this looks like a text-classification export, "
                "which has no spans"
            )
        if not (isinstance(triple, list) and len(triple) == 3):
            raise error(f"label[{index}] must be a [start, end, label] triple, got {describe(triple)}")
        start, end, label = triple
        entities.append({"start": start, "end": end, "label": label})
    return entities


def _read_entity_objects(items: Any, error: _ErrorFactory) -> tuple[list[dict[str, Any]], dict[Any, dict[str, Any]]]:
    if not isinstance(items, list):
        raise error(f"'entities' must be an array, got {describe(items)}")
    entities: list[dict[str, Any]] = []
    entity_by_id: dict[Any, dict[str, Any]] = {}
    for index, item in enumerate(items):
        where = f"entities[{index}]"
        if not isinstance(item, dict):
            raise error(f"{where} must be a JSON object, got {describe(item)}")
        missing = [key for key in ("start_offset", "end_offset", "label") if key not in item]
        if missing:
            raise error(f"{where} is missing {', '.join(repr(key) for key in missing)}")
        entity = {"start": item["start_offset"], "end": item["end_offset"], "label": item["label"]}
        entities.append(entity)
        if isinstance(item.get("id"), (int, str)):
            if item["id"] in entity_by_id:
                raise error(f"{where}: entity id {item['id']!r} appears twice")
            entity_by_id[item["id"]] = entity
    return entities, entity_by_id


def _link(
    relation: Any, index: int, entity_by_id: dict[Any, dict[str, Any]], error: _ErrorFactory
) -> dict[str, list[int]]:
    where = f"relations[{index}]"
    if not isinstance(relation, dict):
        raise error(f"{where} must be a JSON object, got {describe(relation)}")
    ends = []
    for key in ("from_id", "to_id"):
        entity_id = relation.get(key)
        if not isinstance(entity_id, (int, str)) or entity_id not in entity_by_id:
            raise error(f"{where}: {key} {entity_id!r} names no entity of this line")
        ends.append(entity_by_id[entity_id])
    by_label = {entity["label"]: entity for entity in ends}
    if set(by_label) != {METRIC_LABEL, VALUE_LABEL}:
        found = " and ".join(str(entity["label"]) for entity in ends)
        raise error(f"{where}: a relation must join a {METRIC_LABEL} and a {VALUE_LABEL} entity, got {found}")
    metric, value = by_label[METRIC_LABEL], by_label[VALUE_LABEL]
    return {"metric": [metric["start"], metric["end"]], "value": [value["start"], value["end"]]}
