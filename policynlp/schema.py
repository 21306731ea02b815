"""The label schema of ANNOTATION.md (schema v1): entity labels, themes and kinds.

This module is the single source of the default label sets. Everything else
imports them from here. A trained model may carry other label sets; code that
runs a model takes its labels from the loaded model, as a :class:`LabelSet`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Iterable, Mapping

SCHEMA_VERSION = 1

#: Entity labels with their Chinese names, in id order.
ENTITY_LABEL_NAMES: Mapping[str, str] = MappingProxyType(
    {
        "METRIC": "指标",
        "INSTITUTION": "机构",
        "VALUE": "数值",
        "DATE": "时间",
    }
)

#: Section themes with their Chinese names, in id order.
THEME_NAMES: Mapping[str, str] = MappingProxyType(
    {
        "overview": "总体概述",
        "epidemic_response": "疫情防控与应急",
        "medical_services": "医疗服务与医院发展",
        "primary_care": "基层卫生服务",
        "public_health": "公共卫生与疾病防控",
        "tcm": "中医药",
        "maternal_child_elderly": "妇幼与“一老一小”",
        "health_reform": "医药卫生体制改革",
        "party_conduct": "党建与行风廉政",
        "infrastructure": "项目建设与投资",
        "talent_research": "人才与科教",
        "regulation_safety": "综合监管与安全",
        "digital_health": "智慧医疗与信息化",
    }
)

#: Section kinds with their Chinese names, in id order.
KIND_NAMES: Mapping[str, str] = MappingProxyType(
    {
        "summary": "总结",
        "plan": "计划",
        "problem": "问题",
    }
)

ENTITY_LABELS: tuple[str, ...] = tuple(ENTITY_LABEL_NAMES)
THEMES: tuple[str, ...] = tuple(THEME_NAMES)
KINDS: tuple[str, ...] = tuple(KIND_NAMES)

OUTSIDE = "O"


def bio_tags(entity_labels: Iterable[str]) -> tuple[str, ...]:
    """Return the IOB2 tag set for ``entity_labels``: ``O``, then ``B-X``, ``I-X`` per label."""
    tags = [OUTSIDE]
    for label in entity_labels:
        tags.extend((f"B-{label}", f"I-{label}"))
    return tuple(tags)


@dataclass(frozen=True)
class LabelSet:
    """The label sets a model is trained with and predicts.

    Attributes:
        entity_labels: Entity label ids, e.g. ``("METRIC", "INSTITUTION", ...)``.
        themes: Section theme ids.
        kinds: Section kind ids.
        names: Optional human-readable names for any of the ids above.
    """

    entity_labels: tuple[str, ...] = ENTITY_LABELS
    themes: tuple[str, ...] = THEMES
    kinds: tuple[str, ...] = KINDS
    names: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for attribute in ("entity_labels", "themes", "kinds"):
            values = tuple(getattr(self, attribute))
            object.__setattr__(self, attribute, values)
            if not values:
                raise ValueError(f"LabelSet.{attribute} must not be empty")
            seen: set[str] = set()
            for value in values:
                if not isinstance(value, str) or not value.strip():
                    raise ValueError(f"LabelSet.{attribute} holds an empty or non-string id: {value!r}")
                if value in seen:
                    raise ValueError(f"LabelSet.{attribute} holds {value!r} twice")
                seen.add(value)
        for label in self.entity_labels:
            if label == OUTSIDE or label.startswith(("B-", "I-")):
                raise ValueError(f"entity label {label!r} clashes with the BIO tag syntax")
        object.__setattr__(self, "names", MappingProxyType(dict(self.names)))

    @classmethod
    def default(cls) -> "LabelSet":
        """The label sets of ANNOTATION.md, with their Chinese names."""
        return cls(names={**ENTITY_LABEL_NAMES, **THEME_NAMES, **KIND_NAMES})

    @property
    def bio_tags(self) -> tuple[str, ...]:
        """IOB2 tags over :attr:`entity_labels`."""
        return bio_tags(self.entity_labels)

    def name(self, label_id: str) -> str:
        """Human-readable name of ``label_id``, or the id itself when none is known."""
        return self.names.get(label_id, label_id)

    def to_dict(self) -> dict:
        return {
            "entity_labels": list(self.entity_labels),
            "themes": list(self.themes),
            "kinds": list(self.kinds),
            "names": dict(self.names),
        }

    @classmethod
    def from_dict(cls, data: Mapping) -> "LabelSet":
        return cls(
            entity_labels=tuple(data["entity_labels"]),
            themes=tuple(data["themes"]),
            kinds=tuple(data["kinds"]),
            names=dict(data.get("names", {})),
        )


DEFAULT_LABELS = LabelSet.default()
