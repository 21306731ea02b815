"""Typed result records shared by the Python API, the CLI, the server, spaCy and evaluation.

Every span carries character offsets into the exact string the caller passed
(Python ``str`` indices, end exclusive). Records are plain dataclasses with
``to_dict()`` / ``from_dict()`` round trips; :class:`Extraction` adds JSON.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Mapping

QUANTITY_KINDS = (
    "number",  # a plain count or amount: 181个, 6566.12万元
    "percent",  # 95.65% -> 0.9565
    "permille",  # 3.5‰ -> 0.0035
    "rank",  # 第254名, 前十, 十强
    "fraction",  # 5/6, 三分之一
    "range",  # 6至8层, 10-15个 (value is the low end, upper the high end)
    "grade",  # A+, 五级
    "unknown",  # could not be parsed; see Quantity.reason
)

QUANTITY_BOUNDS = ("at_least", "at_most")


class JsonRecord:
    """JSON round trips on top of a record's ``to_dict()`` / ``from_dict()``."""

    def to_json(self, **kwargs: Any) -> str:
        """Serialise to JSON; Chinese stays readable (``ensure_ascii=False``) unless overridden."""
        kwargs.setdefault("ensure_ascii", False)
        return json.dumps(self.to_dict(), **kwargs)

    @classmethod
    def from_json(cls, payload: str):
        """Read a record back from :meth:`to_json` output."""
        return cls.from_dict(json.loads(payload))


@dataclass(frozen=True)
class Quantity(JsonRecord):
    """A VALUE span read as a number.

    Attributes:
        text: The span the quantity was parsed from, unchanged.
        value: The number (a share for percent and permille: ``95.65%`` -> 0.9565);
            ``None`` when masked or unparseable.
        unit: What is counted or measured (``管``, ``万人次`` is normalised to ``人次``
            with the ``万`` folded into ``value``); ``""`` when there is none.
        kind: One of :data:`QUANTITY_KINDS`.
        approx: True for approximations (``余``, ``多``, ``近``, ``约``, ``左右``).
        bound: ``"at_least"`` (``以上``, ``超``) or ``"at_most"`` (``以下``, ``以内``), else ``None``.
        masked: True when the digits were masked in the source (``XX人``, ``xx%``).
        upper: The high end of a range; ``None`` for anything else.
        reason: Why the text could not be parsed; ``None`` when it was.
    """

    text: str
    value: float | None = None
    unit: str = ""
    kind: str = "number"
    approx: bool = False
    bound: str | None = None
    masked: bool = False
    upper: float | None = None
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "value": self.value,
            "unit": self.unit,
            "kind": self.kind,
            "approx": self.approx,
            "bound": self.bound,
            "masked": self.masked,
            "upper": self.upper,
            "reason": self.reason,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Quantity":
        return cls(
            text=data["text"],
            value=data.get("value"),
            unit=data.get("unit", ""),
            kind=data.get("kind", "number"),
            approx=bool(data.get("approx", False)),
            bound=data.get("bound"),
            masked=bool(data.get("masked", False)),
            upper=data.get("upper"),
            reason=data.get("reason"),
        )


@dataclass(frozen=True)
class Entity(JsonRecord):
    """An entity span.

    Attributes:
        start: Offset of the first character.
        end: Offset after the last character.
        label: Entity label id (``METRIC``, ``INSTITUTION``, ``VALUE``, ``DATE`` by default).
        text: ``source[start:end]``.
        score: Model confidence in [0, 1]; 1.0 for gold or rule spans.
        quantity: The parsed number of a VALUE span, else ``None``.
    """

    start: int
    end: int
    label: str
    text: str
    score: float = 1.0
    quantity: Quantity | None = None

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "label": self.label,
            "text": self.text,
            "score": self.score,
            "quantity": None if self.quantity is None else self.quantity.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Entity":
        quantity = data.get("quantity")
        return cls(
            start=int(data["start"]),
            end=int(data["end"]),
            label=data["label"],
            text=data["text"],
            score=float(data.get("score", 1.0)),
            quantity=None if quantity is None else Quantity.from_dict(quantity),
        )


@dataclass(frozen=True)
class Section(JsonRecord):
    """A section: the smallest block a reader files under one subject (ANNOTATION.md §2).

    Attributes:
        start: Offset of the first character of the section's own text.
        end: Offset after its last character.
        heading: The innermost heading the section sits under, ``""`` when none.
        theme: Theme id, ``None`` when not classified (``segment()`` output).
        kind: Kind id, ``None`` when not classified.
        scores: Probabilities by id, e.g. ``{"theme": {...}, "kind": {...}}``.
        heading_path: All headings above the section, outermost first.
    """

    start: int
    end: int
    heading: str = ""
    theme: str | None = None
    kind: str | None = None
    scores: dict[str, dict[str, float]] = field(default_factory=dict)
    heading_path: tuple[str, ...] = ()

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "heading": self.heading,
            "heading_path": list(self.heading_path),
            "theme": self.theme,
            "kind": self.kind,
            "scores": {name: dict(values) for name, values in self.scores.items()},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Section":
        return cls(
            start=int(data["start"]),
            end=int(data["end"]),
            heading=data.get("heading", ""),
            theme=data.get("theme"),
            kind=data.get("kind"),
            scores={name: dict(values) for name, values in (data.get("scores") or {}).items()},
            heading_path=tuple(data.get("heading_path", ())),
        )


def _entity_or_none(data: Mapping[str, Any] | None) -> Entity | None:
    return None if data is None else Entity.from_dict(data)


@dataclass(frozen=True)
class Indicator(JsonRecord):
    """One row of the indicator table: a METRIC with the VALUE that reports it.

    Attributes:
        metric: The METRIC span, ``None`` for a value reported without a named metric.
        value: The VALUE span, ``None`` for a metric named without a value.
        quantity: ``value.quantity`` (repeated for convenience).
        date: The DATE that governs the pair, if any.
        institution: The INSTITUTION that governs the pair, if any.
        section: Index into :attr:`Extraction.sections` of the section holding the pair.
    """

    metric: Entity | None
    value: Entity | None
    quantity: Quantity | None = None
    date: Entity | None = None
    institution: Entity | None = None
    section: int | None = None

    def to_dict(self) -> dict[str, Any]:
        def dump(entity: Entity | None) -> dict[str, Any] | None:
            return None if entity is None else entity.to_dict()

        return {
            "metric": dump(self.metric),
            "value": dump(self.value),
            "quantity": None if self.quantity is None else self.quantity.to_dict(),
            "date": dump(self.date),
            "institution": dump(self.institution),
            "section": self.section,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Indicator":
        quantity = data.get("quantity")
        return cls(
            metric=_entity_or_none(data.get("metric")),
            value=_entity_or_none(data.get("value")),
            quantity=None if quantity is None else Quantity.from_dict(quantity),
            date=_entity_or_none(data.get("date")),
            institution=_entity_or_none(data.get("institution")),
            section=data.get("section"),
        )


@dataclass
class Extraction(JsonRecord):
    """Everything extracted from one text.

    Attributes:
        text: The caller's text, unchanged; all offsets index into it.
        entities: Entity spans in text order.
        sections: Sections in text order.
        indicators: The indicator table.
        model: Name of the model that produced the result, if any.
    """

    text: str
    entities: list[Entity] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    model: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "model": self.model,
            "entities": [entity.to_dict() for entity in self.entities],
            "sections": [section.to_dict() for section in self.sections],
            "indicators": [indicator.to_dict() for indicator in self.indicators],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Extraction":
        return cls(
            text=data["text"],
            entities=[Entity.from_dict(item) for item in data.get("entities", ())],
            sections=[Section.from_dict(item) for item in data.get("sections", ())],
            indicators=[Indicator.from_dict(item) for item in data.get("indicators", ())],
            model=data.get("model"),
        )
