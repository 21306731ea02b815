"""Import a Label Studio JSON export (the "JSON" export, a list of tasks).

What is read, for a project whose ``<Text>`` tag shows ``$text``:

- Entities: ``labels`` results on the text whose single label is an entity label.
- Sections: a region carries a theme and a kind through per-region ``choices``
  results from controls named ``theme`` and ``kind``
  (``<Choices name="theme" toName="text" perRegion="true">``); the results of
  one region share their ``id``. The region itself may be a ``labels`` result
  with the label ``SECTION``, or only the two ``choices`` results, which carry
  the offsets themselves.
- Links: ``relation`` results between a METRIC region and a VALUE region, in
  either direction.
- ``choices`` results without offsets are choices about the whole document.
  They are not sections; they are kept under ``extra["label_studio"]["choices"]``
  by control name.
- Any other result type, a region with several labels, or an unknown label is
  an error naming the task and the result id.

Only the latest annotation of a task that is not cancelled counts (by
``updated_at``, else ``created_at``, else its place in the list); predictions
are ignored. The document id is ``data.id`` when the task data has one, else the
task id. Other fields of ``data`` are kept as ``extra``, and
``extra["label_studio"]`` records the task and annotation ids.

Offsets: current Label Studio stores code-point offsets, older versions stored
UTF-16 code units (they drift after an emoji). A span whose ``value.text`` does
not match the code-point reading but matches the UTF-16 reading is converted;
a span that matches neither is an error.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from policynlp.data.documents import AnnotatedDocument, parse_document
from policynlp.data.jsonl import PathLike
from policynlp.data.offsets import Utf16Offsets, has_astral_characters
from policynlp.data.validation import METRIC_LABEL, VALUE_LABEL, describe, is_integer
from policynlp.errors import DataFormatError
from policynlp.schema import DEFAULT_LABELS, LabelSet

#: The label of a ``labels`` region that marks a section rather than an entity.
SECTION_REGION_LABEL = "SECTION"
#: Names of the per-region ``choices`` controls that give a section its theme and kind.
THEME_CONTROL = "theme"
KIND_CONTROL = "kind"
#: The key of ``extra`` that records where in Label Studio a document came from.
EXTRA_KEY = "label_studio"

_EARLIEST = datetime.min.replace(tzinfo=timezone.utc)


@dataclass
class _Region:
    result_id: str
    start: int
    end: int
    label: str | None = None
    theme: str | None = None
    kind: str | None = None

    @property
    def is_section(self) -> bool:
        """True when the region is marked as a section or carries a theme or kind."""
        return self.label == SECTION_REGION_LABEL or self.theme is not None or self.kind is not None


class _Task:
    """One task being imported: knows how to word an error about it."""

    def __init__(self, path: str, task: dict[str, Any], position: int):
        self.path = path
        self.name = f"task {task['id']}" if "id" in task else f"task at index {position}"

    def error(self, reason: str, span: tuple[int, int] | None = None) -> DataFormatError:
        """An error about this task, to be raised by the caller."""
        return DataFormatError(self.path, None, f"{self.name}: {reason}", span)


def import_label_studio(
    path: PathLike,
    *,
    labels: LabelSet = DEFAULT_LABELS,
    text_key: str = "text",
    skip_unannotated: bool = False,
) -> list[AnnotatedDocument]:
    """Read a Label Studio JSON export into annotated documents.

    Args:
        path: The export file (a JSON array of tasks).
        labels: Entity labels, themes and kinds that are allowed.
        text_key: The field of ``data`` that holds the text.
        skip_unannotated: Leave out tasks with no annotation that is not cancelled,
            instead of raising.

    Returns:
        One document per task, in export order, each checked against ANNOTATION.md §3.

    Raises:
        DataFormatError: The export is not valid JSON or breaks the conventions above;
            the message names the task, the result id and the span.
        OSError: The file cannot be read.
    """
    shown = str(path)
    tasks = _load_tasks(path)
    documents: list[AnnotatedDocument] = []
    task_of_id: dict[str, str] = {}
    for position, raw_task in enumerate(tasks):
        if not isinstance(raw_task, dict):
            reason = f"task at index {position} must be a JSON object, got {describe(raw_task)}"
            raise DataFormatError(shown, None, reason)
        task = _Task(shown, raw_task, position)
        document = _import_task(raw_task, task, labels, text_key, skip_unannotated)
        if document is None:
            continue
        if document.id in task_of_id:
            raise task.error(f"document id {document.id!r} is already used by {task_of_id[document.id]}")
        task_of_id[document.id] = task.name
        documents.append(document)
    return documents


def _load_tasks(path: PathLike) -> list[Any]:
    shown = str(path)
    with open(path, encoding="utf-8-sig") as handle:
        try:
            tasks = json.load(handle)
        except json.JSONDecodeError as error:
            raise DataFormatError(shown, error.lineno, f"invalid JSON at column {error.colno}: {error.msg}") from error
    if not isinstance(tasks, list):
        raise DataFormatError(shown, None, f"a Label Studio JSON export is an array of tasks, got {describe(tasks)}")
    return tasks


def _import_task(
    raw_task: dict[str, Any],
    task: _Task,
    labels: LabelSet,
    text_key: str,
    skip_unannotated: bool,
) -> AnnotatedDocument | None:
    data = raw_task.get("data")
    if not isinstance(data, dict):
        raise task.error("has no 'data' object; export the project as JSON (not JSON-MIN or CSV)")
    text = data.get(text_key)
    if not isinstance(text, str):
        raise task.error(f"data.{text_key} must be a string, got {describe(text)}")
    annotation = _latest_annotation(raw_task, task)
    if annotation is None:
        if skip_unannotated:
            return None
        raise task.error(
            "has no annotation that is not cancelled "
            "(pass skip_unannotated=True, or --skip-unannotated, to leave such tasks out)"
        )
    results = annotation.get("result")
    if not isinstance(results, list):
        raise task.error(f"annotation {annotation.get('id')}: 'result' must be an array, got {describe(results)}")

    regions, relations, choices = _read_results(results, text, labels, task)
    entities, sections = _split_regions(regions, task)
    links = [_link(relation, regions, task) for relation in relations]

    source: dict[str, Any] = {"task": raw_task.get("id"), "annotation": annotation.get("id")}
    if choices:
        source["choices"] = choices
    record: dict[str, Any] = {
        "id": _document_id(raw_task, data, task),
        "text": text,
        "entities": entities,
        "sections": sections,
        "links": links,
        EXTRA_KEY: source,
    }
    for key, value in data.items():
        if key in (text_key, "id"):
            continue
        if key in record:
            raise task.error(f"data.{key} clashes with the document key {key!r}; rename it before exporting")
        record[key] = value
    document, errors = parse_document(record, labels, path=task.path, context=task.name)
    if errors:
        raise errors[0]
    return document


def _document_id(raw_task: dict[str, Any], data: dict[str, Any], task: _Task) -> str:
    for where, value in (("data.id", data.get("id")), ("id", raw_task.get("id"))):
        if isinstance(value, str) and value:
            return value
        if is_integer(value):
            return str(value)
        if value is not None:
            raise task.error(f"{where} must be a string or an integer, got {describe(value)}")
    raise task.error("has neither data.id nor a task id")


def _latest_annotation(raw_task: dict[str, Any], task: _Task) -> dict[str, Any] | None:
    key = "annotations" if "annotations" in raw_task else "completions"  # "completions": Label Studio < 1.0
    annotations = raw_task.get(key, [])
    if not isinstance(annotations, list):
        raise task.error(f"'{key}' must be an array, got {describe(annotations)}")
    candidates = []
    for position, annotation in enumerate(annotations):
        if not isinstance(annotation, dict):
            raise task.error(f"{key}[{position}] must be a JSON object, got {describe(annotation)}")
        if not annotation.get("was_cancelled", False):
            candidates.append((_annotation_time(annotation, task), position, annotation))
    if not candidates:
        return None
    return max(candidates, key=lambda candidate: candidate[:2])[2]


def _annotation_time(annotation: dict[str, Any], task: _Task) -> datetime:
    stamp = annotation.get("updated_at") or annotation.get("created_at")
    if stamp is None:
        return _EARLIEST
    try:
        if isinstance(stamp, (int, float)) and not isinstance(stamp, bool):
            return datetime.fromtimestamp(stamp, tz=timezone.utc)
        if isinstance(stamp, str):
            moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
            return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    except (ValueError, OverflowError, OSError) as error:
        raise task.error(f"annotation {annotation.get('id')}: unreadable timestamp {stamp!r}") from error
    raise task.error(f"annotation {annotation.get('id')}: unreadable timestamp {describe(stamp)}")


def _read_results(
    results: list[Any], text: str, labels: LabelSet, task: _Task
) -> tuple[dict[str, _Region], list[dict[str, Any]], dict[str, list[str]]]:
    """Sort results into regions (by result id), relations and whole-document choices."""
    regions: dict[str, _Region] = {}
    relations: list[dict[str, Any]] = []
    choices: dict[str, list[str]] = {}
    utf16 = Utf16Offsets(text)
    for position, result in enumerate(results):
        if not isinstance(result, dict):
            raise task.error(f"result at index {position} must be a JSON object, got {describe(result)}")
        name = f"result {result['id']!r}" if "id" in result else f"result at index {position}"
        kind = result.get("type")
        if kind == "relation":
            relations.append(result)
            continue
        if kind not in ("labels", "choices"):
            raise task.error(f"{name}: unsupported result type {kind!r} (supported: labels, choices, relation)")
        value = result.get("value")
        if not isinstance(value, dict):
            raise task.error(f"{name}: 'value' must be a JSON object, got {describe(value)}")
        if kind == "choices" and "start" not in value and "end" not in value:
            choices[str(result.get("from_name"))] = _string_list(value, "choices", name, task)
            continue
        if "id" not in result:
            raise task.error(f"{name}: a region result needs an 'id'")
        start, end = _resolve_offsets(value, text, utf16, name, task)
        region = regions.setdefault(str(result["id"]), _Region(str(result["id"]), start, end))
        if (region.start, region.end) != (start, end):
            raise task.error(
                f"{name}: offsets differ between results of the same region "
                f"([{region.start}, {region.end}) and [{start}, {end}))",
                (start, end),
            )
        if kind == "labels":
            region.label = _single(value, "labels", name, task, (start, end))
            if region.label not in labels.entity_labels and region.label != SECTION_REGION_LABEL:
                raise task.error(
                    f"{name}: unknown label {region.label!r} "
                    f"(expected one of {', '.join(labels.entity_labels)} or {SECTION_REGION_LABEL})",
                    (start, end),
                )
        else:
            _apply_region_choice(region, result.get("from_name"), value, labels, name, task)
    return regions, relations, choices


def _apply_region_choice(
    region: _Region, control: Any, value: dict[str, Any], labels: LabelSet, name: str, task: _Task
) -> None:
    span = (region.start, region.end)
    choice = _single(value, "choices", name, task, span)
    if control == THEME_CONTROL:
        allowed, region.theme = labels.themes, choice
    elif control == KIND_CONTROL:
        allowed, region.kind = labels.kinds, choice
    else:
        raise task.error(
            f"{name}: per-region choices from {control!r} are not supported "
            f"(only {THEME_CONTROL!r} and {KIND_CONTROL!r})",
            span,
        )
    if choice not in allowed:
        raise task.error(f"{name}: unknown {control} {choice!r} (expected one of {', '.join(allowed)})", span)


def _string_list(value: dict[str, Any], key: str, name: str, task: _Task) -> list[str]:
    items = value.get(key)
    if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
        raise task.error(f"{name}: value.{key} must be an array of strings, got {describe(items)}")
    return items


def _single(value: dict[str, Any], key: str, name: str, task: _Task, span: tuple[int, int]) -> str:
    items = _string_list(value, key, name, task)
    if len(items) != 1:
        raise task.error(f"{name}: a region needs exactly one of value.{key}, got {items}", span)
    return items[0]


def _resolve_offsets(value: dict[str, Any], text: str, utf16: Utf16Offsets, name: str, task: _Task) -> tuple[int, int]:
    """Return code-point offsets for a region, converting from UTF-16 code units when that is what they are."""
    start, end = value.get("start"), value.get("end")
    if not (is_integer(start) and is_integer(end)):
        raise task.error(
            f"{name}: value.start and value.end must be integers, got {describe(start)} and {describe(end)} "
            "(only plain Text regions are supported, not HyperText or Paragraphs)"
        )
    span_text = value.get("text")
    if span_text is None:
        if has_astral_characters(text[: max(end, 0)]):
            raise task.error(
                f"{name}: value.text is missing and the text holds emoji or other astral characters before the "
                "span, so it cannot be told whether the offsets count code points or UTF-16 code units",
                (start, end),
            )
        return start, end
    if not isinstance(span_text, str):
        raise task.error(f"{name}: value.text must be a string, got {describe(span_text)}", (start, end))
    if 0 <= start <= end <= len(text) and text[start:end] == span_text:
        return start, end
    converted = utf16.to_code_points(start, end)
    if converted is not None and text[converted[0] : converted[1]] == span_text:
        return converted
    raise task.error(
        f"{name}: value.text {span_text!r} matches neither text[{start}:{end}] = {text[start:end]!r} "
        "nor the same offsets read as UTF-16 code units",
        (start, end),
    )


def _split_regions(regions: dict[str, _Region], task: _Task) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    entities: list[dict[str, Any]] = []
    sections: list[dict[str, Any]] = []
    for region in regions.values():
        span = (region.start, region.end)
        name = f"result {region.result_id!r}"
        if not region.is_section:
            entities.append({"start": region.start, "end": region.end, "label": region.label})
            continue
        if region.label not in (None, SECTION_REGION_LABEL):
            raise task.error(f"{name}: a {region.label} region cannot carry a theme or kind", span)
        if region.theme is None or region.kind is None:
            missing = THEME_CONTROL if region.theme is None else KIND_CONTROL
            raise task.error(f"{name}: a section region needs both a theme and a kind; {missing} is missing", span)
        sections.append({"start": region.start, "end": region.end, "theme": region.theme, "kind": region.kind})
    return entities, sections


def _link(relation: dict[str, Any], regions: dict[str, _Region], task: _Task) -> dict[str, list[int]]:
    name = f"relation {relation.get('from_id')!r} -> {relation.get('to_id')!r}"
    ends = []
    for key in ("from_id", "to_id"):
        region = regions.get(str(relation.get(key)))
        if region is None:
            raise task.error(f"{name}: {key} names no region of this annotation")
        ends.append(region)
    by_label = {region.label: region for region in ends}
    if set(by_label) != {METRIC_LABEL, VALUE_LABEL}:
        found = " and ".join(str(region.label) for region in ends)
        raise task.error(f"{name}: a relation must join a {METRIC_LABEL} and a {VALUE_LABEL}, got {found}")
    metric, value = by_label[METRIC_LABEL], by_label[VALUE_LABEL]
    return {"metric": [metric.start, metric.end], "value": [value.start, value.end]}
