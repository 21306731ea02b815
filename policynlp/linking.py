"""Building the indicator table: each METRIC with the VALUEs that report it, and the DATE and INSTITUTION that govern them.

Rules, in the order a reader applies them:

- A VALUE reports the nearest METRIC before it in the same sentence when only
  linking words stand between them (``达``, ``为``, ``提升至``, ``分别为72.1%和``) or
  when the METRIC has no value yet in that sentence; otherwise it is a counting
  value and reports no metric.
- A METRIC with no VALUE in its sentence is still a row (named without a value).
- The governing DATE is the nearest one before the METRIC in the same
  sentence, else in the same section, else none; the INSTITUTION likewise, but
  only within the same sentence (an institution two sentences back rarely
  scopes an indicator).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Sequence

from policynlp.records import Entity, Indicator, Section

_SENTENCE_END = re.compile(r"[。！？；;!?\n]")
# Words that may sit between an indicator name and its value.
_LINKING_GAP = re.compile(
    r"^[\s，,、（）()“”\"：:]*"
    r"(?:分别|均|已|稳定|保持|从[^，。；]{0,12}|同比|较[^，。；]{0,8})?"
    r"(?:达到|达|为|是|提升至|提高到|提高至|提升到|上升至|上升到|下降至|下降到|降至|降低至|降低到|增至|增长|"
    r"提升|提高|增加|下降|降低|居|位列|排名|排|列|占|保持在|控制在|稳定在|超过|突破|不低于|不少于|不足|约|近)?"
    r"[\s，,：:]*$"
)
_BETWEEN_VALUES = re.compile(r"^[\s、，,和与及以及（）()“”\"分别为至到-]*$")


def _sentence_bounds(text: str) -> list[int]:
    """Start offsets of sentences (the first is 0)."""
    return [0] + [match.end() for match in _SENTENCE_END.finditer(text)]


def link_indicators(text: str, entities: Sequence[Entity], sections: Sequence[Section] = ()) -> list[Indicator]:
    """Rows of the indicator table for one text.

    Args:
        text: The text the entities index into.
        entities: Entity spans in text order.
        sections: Sections in text order, to scope dates and to record which section a row sits in.

    Returns:
        One row per METRIC (with its first VALUE) plus one per further VALUE of
        the same METRIC, in text order.
    """
    ordered = sorted(entities, key=lambda entity: (entity.start, entity.end))
    starts = _sentence_bounds(text)

    def sentence_of(offset: int) -> int:
        return bisect_right(starts, offset) - 1

    section_starts = [section.start for section in sections]

    def section_of(offset: int) -> int | None:
        index = bisect_right(section_starts, offset) - 1
        if index >= 0 and sections[index].start <= offset < sections[index].end:
            return index
        return None

    values_of: dict[int, list[Entity]] = {}
    last_metric: int | None = None
    last_value_end: int | None = None
    for index, entity in enumerate(ordered):
        if entity.label == "METRIC":
            last_metric, last_value_end = index, None
            values_of.setdefault(index, [])
        elif entity.label == "VALUE" and last_metric is not None:
            metric = ordered[last_metric]
            if sentence_of(metric.start) != sentence_of(entity.start):
                last_metric = None
                continue
            if last_value_end is None:
                gap = text[metric.end:entity.start]
                if _LINKING_GAP.match(gap):
                    values_of[last_metric].append(entity)
                    last_value_end = entity.end
            elif _BETWEEN_VALUES.match(text[last_value_end:entity.start]):
                values_of[last_metric].append(entity)
                last_value_end = entity.end

    rows: list[Indicator] = []
    for index, values in sorted(values_of.items()):
        metric = ordered[index]
        date = _governing(ordered, index, "DATE", sentence_of, section_of, same_sentence_only=False)
        institution = _governing(ordered, index, "INSTITUTION", sentence_of, section_of, same_sentence_only=True)
        section = section_of(metric.start)
        for value in values or [None]:
            rows.append(Indicator(
                metric=metric,
                value=value,
                quantity=None if value is None else value.quantity,
                date=date,
                institution=institution,
                section=section,
            ))
    return rows


def _governing(ordered, index, label, sentence_of, section_of, same_sentence_only: bool) -> Entity | None:
    metric = ordered[index]
    sentence, section = sentence_of(metric.start), section_of(metric.start)
    for candidate in reversed(ordered[:index]):
        if candidate.label != label:
            continue
        if sentence_of(candidate.start) == sentence:
            return candidate
        if same_sentence_only:
            return None
        if section is not None and section_of(candidate.start) == section:
            return candidate
        return None
    return None
