"""Building the indicator table: each METRIC with the VALUEs that report it, and the DATE and INSTITUTION that govern them.

Rules, in the order a reader applies them:

- A VALUE reports the nearest METRIC before it in the same sentence when what
  stands between them is one clause of linking words: nothing, a verb of
  reporting or change (``达``, ``为``, ``提升至``, ``缩短至``, ``控制在``, ``位列``,
  ``获评``), or a ``由…`` starting point (``由89%提高到95%``). Otherwise it is a
  counting value and reports no metric.
- Further VALUEs continue the same METRIC when only list words (``和``, ``、``),
  a change (``由89%提高到95%``, ``，较上年提高3.1个百分点``) or a dated step
  (``6月底前达到50%、9月底前达到80%``) stand between them.
- METRICs named in a row (``孕产妇死亡率、婴儿死亡率分别为8/10万、3.1‰``) take
  their VALUEs in order when the text says ``分别``; without it the values go
  to the nearest METRIC.
- A METRIC with no VALUE is still a row (named without a value).
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
_CLAUSE_BREAK = re.compile(r"[，,。！？；;!?\n]")
# Verbs that report a value or a change in it.
_VERB = (
    r"(?:达到|达|为|是|至|到|提升|提高|上升|增长|增加|增至|升至|下降|降低|降至|减少|缩短|缩减|压缩|延长|扩大|"
    r"居|位列|位居|排名|排|列|占|获评|评为|通过|保持|稳定|控制|维持|超过|突破|不低于|不少于|不高于|不超过|"
    r"低于|高于|不足|仅|约|近|前移|后移|进位)"
)
# Between a METRIC and its first VALUE: one clause with a reporting verb, a 由 starting point, or nothing.
_OPENING_GAP = re.compile(r"^[\s：:（(“\"]*$|^[^，,。！？；;!?\n]{0,16}$")
_OPENING_HAS_VERB = re.compile(_VERB + r"|^[\s：:]*[由从]")
# Between two VALUEs of one METRIC.
_BETWEEN_VALUES = re.compile(r"^[\s、（）()“”\"]*(?:和|与|及|以及|或|至|到|—|-|~|～)?[\s、（）()“”\"]*$")
_CHANGE = re.compile(r"^[，,]?\s*(?:较|比|同比|环比)[^，,。！？；;!?\n]{0,10}" + _VERB + r"[了]?$")
_STEP = re.compile(r"^[^，,。！？；;!?\n]{0,12}$")
# Between METRICs named in a row.
_LIST_JOIN = re.compile(r"^\s*(?:[、，,]|和|与|及|以及|、以及)\s*$")


def _sentence_bounds(text: str) -> list[int]:
    """Start offsets of sentences (the first is 0)."""
    return [0] + [match.end() for match in _SENTENCE_END.finditer(text)]


def _opens(gap: str) -> bool:
    """Whether ``gap`` may stand between a METRIC and the first VALUE that reports it."""
    if not _OPENING_GAP.match(gap):
        return False
    return not gap.strip(" \t：:（(“\"") or bool(_OPENING_HAS_VERB.search(gap))


def _continues(gap: str) -> bool:
    """Whether ``gap`` may stand between two VALUEs of the same METRIC."""
    if _BETWEEN_VALUES.match(gap) or _CHANGE.match(gap):
        return True
    return bool(_STEP.match(gap) and re.search(_VERB, gap))


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
    group: list[int] = []  # METRICs named in a row, waiting for their values
    taken: list[Entity] = []  # the values the group has taken so far
    respectively = False

    def settle() -> None:
        if not group or not taken:
            return
        if respectively and len(group) > 1:
            for position, value in enumerate(taken):
                values_of[group[min(position, len(group) - 1)]].append(value)
        else:
            values_of[group[-1]].extend(taken)

    for index, entity in enumerate(ordered):
        if entity.label == "METRIC":
            values_of.setdefault(index, [])
            previous = ordered[group[-1]] if group else None
            if (previous is not None and not taken and sentence_of(previous.start) == sentence_of(entity.start)
                    and _LIST_JOIN.match(text[previous.end:entity.start])):
                group.append(index)
                continue
            settle()
            group, taken, respectively = [index], [], False
        elif entity.label == "VALUE" and group:
            metric = ordered[group[-1]]
            if sentence_of(metric.start) != sentence_of(entity.start):
                settle()
                group, taken, respectively = [], [], False
                continue
            if not taken:
                gap = text[metric.end:entity.start]
                if _opens(gap):
                    taken.append(entity)
                    respectively = "分别" in gap
            elif _continues(text[taken[-1].end:entity.start]):
                taken.append(entity)
    settle()

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
