"""Checks one annotated document, as decoded from JSON, against ANNOTATION.md §3.

The checks collect every problem of a document instead of stopping at the
first, so that :func:`~policynlp.data.jsonl.validate_file` can list all the
errors of a file at once. Each error is a :class:`~policynlp.errors.DataFormatError`
that names the file, the line, the offending span and what is wrong.

Beyond ANNOTATION.md §3, these rules hold:

- ``id`` is a non-empty string; ``text`` is a string (it may be empty).
- ``entities``, ``sections`` and ``links`` may be absent; when present they are
  arrays (``null`` is an error).
- Offsets are JSON integers: ``3.0`` and ``true`` are errors.
- A span object holds only its own keys plus an optional ``text``, which must
  equal ``text[start:end]``; any other key is an error, since it would be lost.
- Two spans of the same list with the same offsets overlap.
- A link repeated verbatim is an error, like a VALUE linked to two METRICs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

from policynlp.errors import DataFormatError
from policynlp.schema import DEFAULT_LABELS, LabelSet

#: Keys of a document object that the format defines; any other key is kept as ``extra``.
DOCUMENT_KEYS = ("id", "text", "entities", "sections", "links")
#: The two entity labels that an indicator link connects (ANNOTATION.md §3).
METRIC_LABEL = "METRIC"
VALUE_LABEL = "VALUE"

_ENTITY_KEYS = ("start", "end", "label")
_SECTION_KEYS = ("start", "end", "theme", "kind")
_LINK_KEYS = ("metric", "value")
# A span object may repeat its text; it is checked against the offsets, then dropped.
_SPAN_TEXT_KEY = "text"

Span = tuple[int, int]
# Checks the label fields of one span object and returns the label to show in messages.
_LabelCheck = Callable[[Mapping[str, Any], str, "Span | None", "ErrorReport"], Any]


def json_type(value: Any) -> str:
    """Name the JSON type of a decoded value, as a user reading the file would call it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def describe(value: Any, limit: int = 40) -> str:
    """Describe a decoded value for an error message: its JSON type and a short rendering."""
    try:
        rendered = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        rendered = repr(value)
    if len(rendered) > limit:
        rendered = rendered[: limit - 1] + "…"
    return f"{json_type(value)} {rendered}"


def is_integer(value: Any) -> bool:
    """True for a JSON integer; booleans and floats such as ``3.0`` are not integers."""
    return type(value) is int


@dataclass
class ErrorReport:
    """Collects :class:`DataFormatError` objects that share a file, a line and a context.

    Attributes:
        path: The file the data came from, or ``"<string>"``.
        line: 1-based line number, or ``None`` when the data is not tied to a line.
        context: Prefix for every reason, e.g. ``"task 12"``; empty for none.
        errors: The errors collected so far, in the order found.
    """

    path: str
    line: int | None = None
    context: str = ""
    errors: list[DataFormatError] = field(default_factory=list)

    def add(self, reason: str, span: Span | None = None) -> None:
        """Record one error."""
        if self.context:
            reason = f"{self.context}: {reason}"
        self.errors.append(DataFormatError(self.path, self.line, reason, span))


@dataclass(frozen=True)
class _CheckedSpan:
    """A span whose offsets passed the checks, remembered for overlap and link checks."""

    index: int
    start: int
    end: int
    label: Any

    @property
    def span(self) -> Span:
        return (self.start, self.end)


def document_errors(
    data: Any,
    labels: LabelSet = DEFAULT_LABELS,
    *,
    path: str = "<string>",
    line: int | None = None,
    context: str = "",
) -> list[DataFormatError]:
    """Check a decoded document against ANNOTATION.md §3 and return every problem found.

    Args:
        data: The value decoded from one JSON line.
        labels: Entity labels, themes and kinds that are allowed.
        path: The file the document came from, used in the errors.
        line: Its 1-based line number, used in the errors.
        context: Prefix for every reason (e.g. ``"task 12"`` for an import).

    Returns:
        The errors in the order found; empty when the document is valid.
    """
    report = ErrorReport(str(path), line, context)
    if not isinstance(data, dict):
        report.add(f"a document must be a JSON object, got {json_type(data)}")
        return report.errors

    _check_string_field(data, "id", report, allow_empty=False)
    _check_string_field(data, "text", report, allow_empty=True)
    text = data["text"] if isinstance(data.get("text"), str) else None

    entities = _check_spans(data, "entities", text, report, _ENTITY_KEYS, _entity_label_check(labels))
    sections = _check_spans(data, "sections", text, report, _SECTION_KEYS, _section_label_check(labels))
    _check_no_overlap(entities, "entities", report)
    _check_no_overlap(sections, "sections", report)
    _check_links(data, entities, report)
    return report.errors


def _check_string_field(data: Mapping[str, Any], key: str, report: ErrorReport, *, allow_empty: bool) -> None:
    if key not in data:
        report.add(f"missing key '{key}'")
    elif not isinstance(data[key], str):
        report.add(f"'{key}' must be a string, got {describe(data[key])}")
    elif not allow_empty and not data[key]:
        report.add(f"'{key}' must not be empty")


def _list_field(data: Mapping[str, Any], key: str, report: ErrorReport) -> list[Any]:
    """The list under ``key``; absent means empty, anything but an array is an error."""
    if key not in data:
        return []
    value = data[key]
    if not isinstance(value, list):
        report.add(f"'{key}' must be an array, got {describe(value)}")
        return []
    return value


def _entity_label_check(labels: LabelSet) -> _LabelCheck:
    def check(item: Mapping[str, Any], where: str, span: Span | None, report: ErrorReport) -> Any:
        return _check_choice(item, "label", labels.entity_labels, "entity label", where, span, report)

    return check


def _section_label_check(labels: LabelSet) -> _LabelCheck:
    def check(item: Mapping[str, Any], where: str, span: Span | None, report: ErrorReport) -> Any:
        theme = _check_choice(item, "theme", labels.themes, "theme", where, span, report)
        _check_choice(item, "kind", labels.kinds, "kind", where, span, report)
        return theme

    return check


def _check_choice(
    item: Mapping[str, Any],
    key: str,
    allowed: Sequence[str],
    what: str,
    where: str,
    span: Span | None,
    report: ErrorReport,
) -> Any:
    if key not in item:
        return None  # reported as a missing key already
    value = item[key]
    if not isinstance(value, str):
        report.add(f"{where}.{key} must be a string, got {describe(value)}", span)
    elif value not in allowed:
        report.add(f"{where}: unknown {what} {value!r} (expected one of {', '.join(allowed)})", span)
    return value


def _check_spans(
    data: Mapping[str, Any],
    key: str,
    text: str | None,
    report: ErrorReport,
    required_keys: Sequence[str],
    check_labels: _LabelCheck,
) -> list[_CheckedSpan]:
    """Check every span object of ``data[key]``; return those whose offsets are sound."""
    checked: list[_CheckedSpan] = []
    allowed_keys = (*required_keys, _SPAN_TEXT_KEY)
    for index, item in enumerate(_list_field(data, key, report)):
        where = f"{key}[{index}]"
        if not isinstance(item, dict):
            report.add(f"{where} must be a JSON object, got {describe(item)}")
            continue
        for missing in (name for name in required_keys if name not in item):
            report.add(f"{where} is missing '{missing}'")
        for unknown in (name for name in item if name not in allowed_keys):
            report.add(f"{where} has unknown key {unknown!r} (allowed: {', '.join(allowed_keys)})")
        span = _check_offsets(item, where, text, report)
        label = check_labels(item, where, span, report)
        if span is not None:
            checked.append(_CheckedSpan(index, span[0], span[1], label))
    return checked


def _check_offsets(item: Mapping[str, Any], where: str, text: str | None, report: ErrorReport) -> Span | None:
    """Check ``start``/``end`` (and a repeated ``text``) of one span object."""
    sound = True
    for key in ("start", "end"):
        if key in item and not is_integer(item[key]):
            report.add(f"{where}.{key} must be an integer, got {describe(item[key])}")
            sound = False
    if not sound or "start" not in item or "end" not in item:
        return None
    span = (item["start"], item["end"])
    return _check_span_bounds(span, where, text, report, item.get(_SPAN_TEXT_KEY, None), _SPAN_TEXT_KEY in item)


def _check_span_bounds(
    span: Span,
    where: str,
    text: str | None,
    report: ErrorReport,
    span_text: Any = None,
    has_span_text: bool = False,
) -> Span | None:
    start, end = span
    if start >= end:
        report.add(f"{where}: start must be less than end", span)
        return None
    if start < 0 or (text is not None and end > len(text)):
        length = "unknown" if text is None else len(text)
        report.add(f"{where}: offsets out of range for a text of length {length}", span)
        return None
    if has_span_text and text is not None:
        if not isinstance(span_text, str):
            report.add(f"{where}.text must be a string, got {describe(span_text)}", span)
        elif span_text != text[start:end]:
            report.add(f"{where}.text is {span_text!r} but text[{start}:{end}] is {text[start:end]!r}", span)
    return span


def _check_no_overlap(spans: list[_CheckedSpan], key: str, report: ErrorReport) -> None:
    """Report every span that starts before an earlier span of the same list ends."""
    reach: _CheckedSpan | None = None  # the span seen so far that ends last
    for current in sorted(spans, key=lambda item: (item.start, item.end, item.index)):
        if reach is not None and current.start < reach.end:
            report.add(
                f"{key}[{current.index}] ({current.label}) overlaps {key}[{reach.index}] "
                f"[{reach.start}, {reach.end}) ({reach.label})",
                current.span,
            )
        if reach is None or current.end > reach.end:
            reach = current


def _check_links(data: Mapping[str, Any], entities: list[_CheckedSpan], report: ErrorReport) -> None:
    entity_by_span = {entity.span: entity for entity in entities}
    owner_of_value: dict[Span, tuple[int, Span]] = {}
    for index, link in enumerate(_list_field(data, "links", report)):
        where = f"links[{index}]"
        if not isinstance(link, dict):
            report.add(f"{where} must be a JSON object, got {describe(link)}")
            continue
        for missing in (name for name in _LINK_KEYS if name not in link):
            report.add(f"{where} is missing '{missing}'")
        for unknown in (name for name in link if name not in _LINK_KEYS):
            report.add(f"{where} has unknown key {unknown!r} (allowed: {', '.join(_LINK_KEYS)})")
        metric = _check_link_end(link, "metric", METRIC_LABEL, where, entity_by_span, report)
        value = _check_link_end(link, "value", VALUE_LABEL, where, entity_by_span, report)
        if metric is None or value is None:
            continue
        if value in owner_of_value:
            first_index, first_metric = owner_of_value[value]
            if first_metric == metric:
                report.add(f"{where} repeats links[{first_index}]", value)
            else:
                report.add(
                    f"{where}: {VALUE_LABEL} [{value[0]}, {value[1]}) is already linked to {METRIC_LABEL} "
                    f"[{first_metric[0]}, {first_metric[1]}) by links[{first_index}]; "
                    f"a {VALUE_LABEL} reports at most one {METRIC_LABEL}",
                    value,
                )
        else:
            owner_of_value[value] = (index, metric)


def _check_link_end(
    link: Mapping[str, Any],
    key: str,
    expected_label: str,
    where: str,
    entity_by_span: Mapping[Span, _CheckedSpan],
    report: ErrorReport,
) -> Span | None:
    """Check one end of a link: a ``[start, end]`` pair naming an entity with ``expected_label``."""
    if key not in link:
        return None
    raw = link[key]
    if not (isinstance(raw, list) and len(raw) == 2 and all(is_integer(offset) for offset in raw)):
        report.add(f"{where}.{key} must be an array [start, end] of two integers, got {describe(raw)}")
        return None
    span = (raw[0], raw[1])
    entity = entity_by_span.get(span)
    if entity is None:
        report.add(f"{where}.{key} [{span[0]}, {span[1]}) is not an entity span of the document", span)
        return None
    if entity.label != expected_label:
        report.add(f"{where}.{key} [{span[0]}, {span[1]}) is labelled {entity.label}, not {expected_label}", span)
        return None
    return span
