"""One annotated document of the training corpus, in the shape of ANNOTATION.md §3."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from policynlp.data.validation import DOCUMENT_KEYS, Span, document_errors
from policynlp.errors import DataFormatError
from policynlp.records import Entity, Section
from policynlp.schema import DEFAULT_LABELS, LabelSet

Link = tuple[Span, Span]


@dataclass
class AnnotatedDocument:
    """A document with its gold entities, sections and indicator links.

    Spans are kept in text order. ``to_dict()`` writes the exact shape of
    ANNOTATION.md §3; ``from_dict()`` checks a decoded JSON object against it.

    Attributes:
        id: Document id, unique within a file.
        text: The text as annotated; every offset indexes into it.
        entities: Gold entities; ``text`` filled from the offsets, ``score`` 1.0.
        sections: Gold sections with ``theme`` and ``kind`` set.
        links: ``(metric span, value span)`` pairs: which VALUE reports which METRIC.
        extra: Any other top-level keys of the JSON object, kept and written back unchanged.
    """

    id: str
    text: str
    entities: list[Entity] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        clashing = sorted(key for key in self.extra if key in DOCUMENT_KEYS)
        if clashing:
            raise ValueError(f"AnnotatedDocument.extra must not hold the document keys {clashing}")

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready object of ANNOTATION.md §3.

        Keys come in a fixed order: ``id``, ``text``, ``entities``, ``sections``,
        ``links`` (only when there are links), then the ``extra`` keys sorted.
        """
        data: dict[str, Any] = {
            "id": self.id,
            "text": self.text,
            "entities": [{"start": entity.start, "end": entity.end, "label": entity.label} for entity in self.entities],
            "sections": [
                {"start": section.start, "end": section.end, "theme": section.theme, "kind": section.kind}
                for section in self.sections
            ],
        }
        if self.links:
            data["links"] = [{"metric": list(metric), "value": list(value)} for metric, value in self.links]
        for key in sorted(self.extra):
            data[key] = self.extra[key]
        return data

    @classmethod
    def from_dict(
        cls,
        data: Any,
        labels: LabelSet = DEFAULT_LABELS,
        *,
        path: str = "<string>",
        line: int | None = None,
    ) -> AnnotatedDocument:
        """Build a document from a decoded JSON object, checking it first.

        Args:
            data: The decoded object.
            labels: Entity labels, themes and kinds that are allowed.
            path: The file the object came from, for error messages.
            line: Its 1-based line number, for error messages.

        Returns:
            The document, spans in text order.

        Raises:
            DataFormatError: The first problem found; see :func:`parse_document` for all of them.
        """
        document, errors = parse_document(data, labels, path=path, line=line)
        if errors:
            raise errors[0]
        assert document is not None
        return document

    def validate(
        self,
        labels: LabelSet = DEFAULT_LABELS,
        *,
        path: str = "<string>",
        line: int | None = None,
    ) -> list[DataFormatError]:
        """Check this document as it would be written, including that entity texts match the offsets.

        Args:
            labels: Entity labels, themes and kinds that are allowed.
            path: The file the document belongs to, for error messages.
            line: Its line in that file, for error messages.

        Returns:
            Every problem found; empty when the document is valid.
        """
        data = self.to_dict()
        data["entities"] = [
            {"start": entity.start, "end": entity.end, "label": entity.label, "text": entity.text}
            for entity in self.entities
        ]
        return document_errors(data, labels, path=path, line=line, context=f"document {self.id!r}")


def parse_document(
    data: Any,
    labels: LabelSet = DEFAULT_LABELS,
    *,
    path: str = "<string>",
    line: int | None = None,
    context: str = "",
) -> tuple[AnnotatedDocument | None, list[DataFormatError]]:
    """Check a decoded JSON object and build the document when it is valid.

    Args:
        data: The decoded object.
        labels: Entity labels, themes and kinds that are allowed.
        path: The file the object came from, for error messages.
        line: Its 1-based line number, for error messages.
        context: Prefix for every error reason (e.g. ``"task 12"``).

    Returns:
        ``(document, [])`` for a valid object, ``(None, errors)`` otherwise.
    """
    errors = document_errors(data, labels, path=path, line=line, context=context)
    if errors:
        return None, errors
    return _build_document(data), []


def _build_document(data: Mapping[str, Any]) -> AnnotatedDocument:
    """Build a document from an object that passed :func:`document_errors`."""
    text: str = data["text"]
    entities = [
        Entity(start=item["start"], end=item["end"], label=item["label"], text=text[item["start"] : item["end"]])
        for item in data.get("entities", ())
    ]
    sections = [
        Section(start=item["start"], end=item["end"], theme=item["theme"], kind=item["kind"])
        for item in data.get("sections", ())
    ]
    links = [
        ((link["metric"][0], link["metric"][1]), (link["value"][0], link["value"][1])) for link in data.get("links", ())
    ]
    return AnnotatedDocument(
        id=data["id"],
        text=text,
        entities=sorted(entities, key=lambda entity: (entity.start, entity.end)),
        sections=sorted(sections, key=lambda section: (section.start, section.end)),
        links=sorted(links),
        extra={key: value for key, value in data.items() if key not in DOCUMENT_KEYS},
    )
