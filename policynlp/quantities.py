"""Reading VALUE spans as numbers: ``20.9万管`` -> 209000.0 管.

:func:`parse_quantity` turns one VALUE span (ANNOTATION.md §1) into a
:class:`~policynlp.records.Quantity`. It never raises on a string: what it cannot
read comes back with kind ``"unknown"`` and a ``reason``.

Rules, including the choices made where report language is ambiguous:

- Magnitude words fold into the value and leave the unit: ``368.7万人`` -> 3687000
  人, ``1.2万亿元`` -> 1.2e12 元, ``120万人次`` -> 人次, ``1.5万份/日`` -> 份/日.
  Units that merely start with 千 or 百 stay whole (``5千克`` is 5 千克).
- Percent: ``95.65%`` and ``百分之八十`` are shares (0.9565, 0.8), kind
  ``percent``, unit ``%``. Permille likewise (``3‰``, ``千分之三`` -> 0.003, unit ``‰``).
- ``个百分点`` / ``百分点`` is a change in percentage points, not a share:
  ``2.5个百分点`` -> 2.5, unit ``个百分点``, kind ``number``.
- Rates per population keep the denominator in the unit: ``66间/万人`` -> 66
  ``间/万人``; ``8.5/10万`` -> 8.5 ``/10万``. Only two bare numbers (``5/6``) make a
  fraction; ``N分之M`` is a fraction too (``三分之一``, ``万分之五``).
- Ranks: ``第254名`` -> 254 名; ``前十`` / ``前三名`` / ``十强`` -> bound ``at_most``
  (the top ten is rank 10 or better). The unit is what follows the number
  (``名``, ``强``, or ``""``).
- Ranges (``至 到 - ~ ～ —``): value is the low end, ``upper`` the high end, the
  unit is the high end's. A bare low end borrows the high end's magnitude and
  percent sign: ``6-8万元`` -> 60000..80000 元, ``10-15%`` -> 0.10..0.15 ``%``.
- ``余 多 来 几`` after a number, ``约 近 将近 接近 大约`` before it and ``左右 上下``
  after it mean approx=True with no bound.
- ``以上``, and ``超 超过 逾 突破 不少于 不低于 至少`` before a number, give
  bound ``at_least`` with approx=False: they state a floor, and the number itself
  is exact. ``以下 以内 不到 不足 不超过 低于 至多`` give ``at_most``.
- Comparison verbs before the number (``达到``, ``提升至``, ``累计``) are dropped.
  Other leading words are skipped as far as the first number (``排名第9`` -> rank
  9); a bound or approximation word right before the number still counts.
- Masked digits (``XX人``, ``xx%以上``, ``XXX万元``, ``第XX名``) give value None,
  masked=True, with unit, kind and qualifiers filled as usual.
- Grades: ``五级`` -> 5, unit ``级``; letter grades (``A+``, ``AAA级``) have value None.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from decimal import Decimal

from policynlp.numerals import (
    CHINESE_DIGITS,
    CHINESE_MAGNITUDES,
    MASK_CHARACTERS,
    NUMERAL_PATTERN,
    Numeral,
    magnitude_scale,
    normalise_width,
    parse_numeral,
    to_chinese_numeral,
)
from policynlp.records import Quantity

__all__ = ["parse_quantity", "to_chinese_numeral"]

_ONE = Decimal(1)
_PERCENT = Decimal("0.01")
_PERMILLE = Decimal("0.001")

# Words before a number: (approx, bound). Longest words are tried first.
_PREFIX_QUALIFIERS: dict[str, tuple[bool, str | None]] = {
    **dict.fromkeys(("约", "约为", "大约", "大概", "近", "将近", "接近"), (True, None)),
    **dict.fromkeys(
        ("超", "超过", "超出", "逾", "突破", "高于", "多于", "大于",
         "不少于", "不低于", "不小于", "至少", "最少"),
        (False, "at_least"),
    ),
    **dict.fromkeys(
        ("不到", "不足", "未满", "不超过", "不高于", "不多于", "不大于",
         "低于", "少于", "小于", "至多", "最多"),
        (False, "at_most"),
    ),
    # Verbs that carry no bound; they are outside VALUE spans but tolerated.
    **dict.fromkeys(
        ("达", "达到", "达至", "为", "是", "有", "共", "共计", "合计", "累计", "总计", "计",
         "仅", "仅有", "只有", "占", "占比", "分别为", "分别达", "新增", "增长", "增加",
         "提升", "提高", "下降", "降低", "减少", "提升至", "提升到", "提高至", "提高到",
         "增至", "增加至", "增加到", "增长至", "增长到", "上升至", "上升到", "升至",
         "降至", "降到", "降低至", "降低到", "下降至", "下降到", "减少至", "减少到", "减至",
         "控制在", "保持在", "稳定在", "位居", "位列", "名列", "排名"),
        (False, None),
    ),
}
_SUFFIX_QUALIFIERS: dict[str, tuple[bool, str | None]] = {
    **dict.fromkeys(("以上", "及以上", "或以上"), (False, "at_least")),
    **dict.fromkeys(("以下", "及以下", "或以下", "以内", "之内"), (False, "at_most")),
    **dict.fromkeys(("左右", "上下", "有余"), (True, None)),
    "之多": (False, None),
}
_PREFIXES_LONGEST_FIRST = sorted(_PREFIX_QUALIFIERS, key=len, reverse=True)
_SUFFIXES_LONGEST_FIRST = sorted(_SUFFIX_QUALIFIERS, key=len, reverse=True)

# Units that begin with a magnitude word but are units of their own.
_PREFIXED_UNITS = ("千克", "千米", "千瓦", "千卡", "千焦", "千帕", "千伏", "千赫", "百米")
_GRADE_UNITS = frozenset({"级", "星", "星级", "A", "A级"})

_TRAILING_PUNCTUATION = "。，,、；;：:.!！?？ \t\r\n\u3000"
_NUMERAL_CHARACTERS = CHINESE_DIGITS + CHINESE_MAGNITUDES
_NUMERAL_START = rf"(?:[0-9{MASK_CHARACTERS}{_NUMERAL_CHARACTERS}])"

_NUMBER_RE = re.compile(
    rf"(?P<sign>-(?=[0-9])|负)?(?P<numeral>{NUMERAL_PATTERN})"
    r"(?P<infix>[余多来几]?)(?P<chain>[万萬亿億]*)(?P<infix2>[余多]?)\s*(?P<rest>.*)",
    re.DOTALL,
)
_SHARE_RE = re.compile(
    rf"(?P<denominator>{NUMERAL_PATTERN})分之(?P<numerator>{NUMERAL_PATTERN})(?P<rest>.*)",
    re.DOTALL,
)
_FRACTION_DENOMINATOR_RE = re.compile(rf"/(?P<denominator>[0-9]+(?:\.[0-9]+)?|[{MASK_CHARACTERS}]+)")
_LETTER_GRADE_RE = re.compile(r"(?P<grade>[A-E]{1,5}[+\-]?)(?P<unit>级|等)?")
_LETTER_GRADE_AT_END_RE = re.compile(r"(?<![A-Za-z])[A-E]{1,5}[+\-]?(?:级|等)?$")
# Where a number may begin at the start of a (peeled) span: any numeral
# character, including a bare magnitude (百强, 万余人).
_NUMBER_AT_START_RE = re.compile(rf"[第前]?(?:-(?=[0-9])|负)?{_NUMERAL_START}")
# Where a number may begin after skipped words: bare magnitudes are left out,
# since 万 in 每万人 or 千 in 千人 is part of a word, not a number.
# 前 after 提/之/以/此 is "before" (提前5天), not "top".
_NUMBER_INSIDE_RE = re.compile(
    rf"(?:(?:第|(?<![提之以此])前)(?={_NUMERAL_START}))?[0-9{MASK_CHARACTERS}零〇一二两三四五六七八九十]"
    r"|[百千]分之|[百千]强"
)
_INDEFINITE_RE = re.compile(rf"[数几][{CHINESE_MAGNITUDES}]")
_ROUND_NUMBER_RE = re.compile(r"上(?=[百千万亿])")
_RANGE_SEPARATOR_RE = re.compile(r"\s*(?:至|到|~|-|—+|–)\s*")
# A range's low end is a short number; looking further only costs time on long junk.
_MAX_RANGE_END_LENGTH = 32


class _Unreadable(Exception):
    """Raised inside this module when a span cannot be read; the message is the reason."""


@dataclass(frozen=True)
class _Qualifiers:
    """Approximation and bound words found around a number."""

    approx: bool = False
    bound: str | None = None

    def merge(self, other: _Qualifiers) -> _Qualifiers:
        """Combine two findings; the first bound found wins."""
        return _Qualifiers(self.approx or other.approx, self.bound or other.bound)


_NO_QUALIFIERS = _Qualifiers()


@dataclass(frozen=True)
class _Reading:
    """A quantity while it is being read; values stay exact Decimals until the end.

    ``scale`` and ``factor`` record what magnitude words and a percent sign
    contributed, so that a range can lend them to a bare low end.
    """

    value: Decimal | None
    unit: str = ""
    kind: str = "number"
    approx: bool = False
    bound: str | None = None
    masked: bool = False
    upper: Decimal | None = None
    scale: Decimal = _ONE
    factor: Decimal = _ONE


def parse_quantity(span: str) -> Quantity:
    """Parse a VALUE span into a :class:`Quantity`; never raises on a string.

    Args:
        span: The VALUE text, e.g. ``20.9万管``, ``95.65%``, ``第254名``, ``6-8万元``, ``XX人``.

    Returns:
        The quantity. ``text`` is ``span`` unchanged. When nothing can be read,
        kind is ``"unknown"``, value is None and ``reason`` says why.

    Raises:
        TypeError: If ``span`` is not a string.
    """
    if not isinstance(span, str):
        raise TypeError(f"expected a string, got {type(span).__name__}")
    try:
        reading = _read_span(span)
        value, upper = _to_float(reading.value), _to_float(reading.upper)
    except _Unreadable as error:
        return Quantity(text=span, kind="unknown", reason=str(error))
    return Quantity(
        text=span,
        value=value,
        unit=reading.unit,
        kind=reading.kind,
        approx=reading.approx,
        bound=reading.bound,
        masked=reading.masked,
        upper=upper,
    )


def _to_float(value: Decimal | None) -> float | None:
    if value is None:
        return None
    result = float(value)
    if not math.isfinite(result):
        raise _Unreadable("number out of range")
    # Keep -0.0 out of the results; it only arises from 负零 and the like.
    return result + 0.0


def _read_span(span: str) -> _Reading:
    text = normalise_width(span).strip().rstrip(_TRAILING_PUNCTUATION)
    if not text:
        raise _Unreadable("empty span")
    text, after = _peel_suffixes(text)
    text, before = _peel_prefixes(text)
    text, skipped = _skip_to_number(text)
    qualifiers = before.merge(skipped).merge(after)
    reading = _read_range(text) or _read_single(text)
    return replace(
        reading,
        approx=reading.approx or qualifiers.approx,
        bound=reading.bound or qualifiers.bound,
    )


def _peel_suffixes(text: str) -> tuple[str, _Qualifiers]:
    found = _NO_QUALIFIERS
    peeled = True
    while peeled:
        peeled = False
        for word in _SUFFIXES_LONGEST_FIRST:
            if text.endswith(word) and len(text) > len(word):
                text = text[: -len(word)].rstrip()
                found = found.merge(_Qualifiers(*_SUFFIX_QUALIFIERS[word]))
                peeled = True
                break
    return text, found


def _peel_prefixes(text: str) -> tuple[str, _Qualifiers]:
    found = _NO_QUALIFIERS
    peeled = True
    while peeled:
        peeled = False
        # 上百/上千 is "on the order of a hundred/thousand".
        if _ROUND_NUMBER_RE.match(text):
            text = text[1:]
            found = found.merge(_Qualifiers(approx=True))
            continue
        for word in _PREFIXES_LONGEST_FIRST:
            if text.startswith(word) and len(text) > len(word):
                text = text[len(word):].lstrip()
                found = found.merge(_Qualifiers(*_PREFIX_QUALIFIERS[word]))
                peeled = True
                break
    return text, found


def _skip_to_number(text: str) -> tuple[str, _Qualifiers]:
    """Drop leading words the span should not have held, keeping a qualifier that ends them."""
    if _NUMBER_AT_START_RE.match(text) or _LETTER_GRADE_RE.fullmatch(text):
        return text, _NO_QUALIFIERS
    if _INDEFINITE_RE.match(text):
        raise _Unreadable(f"indefinite numeral {text[:2]!r}")
    match = _NUMBER_INSIDE_RE.search(text) or _LETTER_GRADE_AT_END_RE.search(text)
    if match is None:
        raise _Unreadable("no number found")
    head = text[: match.start()]
    for word in _PREFIXES_LONGEST_FIRST:
        if head.endswith(word):
            return text[match.start():], _Qualifiers(*_PREFIX_QUALIFIERS[word])
    return text[match.start():], _NO_QUALIFIERS


def _read_range(text: str) -> _Reading | None:
    """Read ``6至8层`` or ``6-8万元``; None when ``text`` is not a range."""
    for separator in _RANGE_SEPARATOR_RE.finditer(text):
        if separator.start() > _MAX_RANGE_END_LENGTH:
            break
        low_text, high_text = text[: separator.start()], text[separator.end():]
        if not low_text or not _NUMBER_AT_START_RE.match(high_text):
            continue
        try:
            low, high = _read_single(low_text), _read_single(high_text)
        except _Unreadable:
            continue
        if {low.kind, high.kind} <= {"number", "percent", "permille"}:
            return _join_range(low, high)
    return None


def _join_range(low: _Reading, high: _Reading) -> _Reading:
    low_value = low.value
    if low_value is not None and not low.unit:
        # A bare low end is written without the magnitude and sign it shares
        # with the high end: 6-8万元 is 6万 to 8万, 10-15% is 10% to 15%.
        if low.scale == _ONE:
            low_value *= high.scale
        low_value *= high.factor
    return _Reading(
        value=low_value,
        unit=high.unit,
        kind="range",
        approx=low.approx or high.approx,
        masked=low.masked or high.masked,
        upper=high.value,
    )


def _read_single(text: str) -> _Reading:
    """Read one quantity that is not a range: a number, share, rank, fraction or grade."""
    grade = _LETTER_GRADE_RE.fullmatch(text)
    if grade:
        return _Reading(value=None, unit=grade["unit"] or "", kind="grade")
    if text.startswith("第") and len(text) > 1:
        reading = _read_unmarked(text[1:])
        return replace(reading, kind="rank") if reading.kind == "number" else reading
    if text.startswith("前") and len(text) > 1:
        # 前十: in the top ten. 前10% keeps its kind: in the top 10 percent.
        reading = _read_unmarked(text[1:])
        kind = "rank" if reading.kind == "number" else reading.kind
        return replace(reading, kind=kind, bound="at_most")
    return _read_unmarked(text)


def _read_unmarked(text: str) -> _Reading:
    share = _SHARE_RE.fullmatch(text)
    if share:
        return _read_share(share["denominator"], share["numerator"], share["rest"].strip())
    reading = _read_number(text)
    if reading.kind != "number":
        return reading
    if reading.unit == "强":
        return replace(reading, kind="rank", bound="at_most")
    if reading.unit in _GRADE_UNITS:
        return replace(reading, kind="grade")
    fraction = _FRACTION_DENOMINATOR_RE.fullmatch(reading.unit)
    if fraction and reading.scale == _ONE and not reading.approx:
        return _read_fraction(reading, fraction["denominator"])
    return reading


def _read_number(text: str) -> _Reading:
    """Read a numeral with what follows it: ``4万余毫升``, ``95.65%``, ``66间/万人``."""
    match = _NUMBER_RE.fullmatch(text)
    if match is None:
        raise _Unreadable("no number found")
    numeral_text, rest = match["numeral"], match["rest"]
    if not (match["infix"] or match["chain"] or match["infix2"]):
        numeral_text, rest = _keep_prefixed_unit(numeral_text, rest)
    numeral = _parse_numeral(numeral_text)
    chain_scale = _magnitude_scale(match["chain"])
    kind, factor = _share_kind(rest)
    value = numeral.value
    if value is not None:
        value = value * chain_scale * factor
        if match["sign"]:
            value = -value
    return _Reading(
        value=value,
        unit=rest.strip(),
        kind=kind,
        approx=bool(match["infix"] or match["infix2"]),
        masked=numeral.masked,
        scale=numeral.scale * chain_scale,
        factor=factor,
    )


def _keep_prefixed_unit(numeral_text: str, rest: str) -> tuple[str, str]:
    """Give a magnitude word back to the unit it begins (``5千克`` is 5 千克, not 5000 克)."""
    if len(numeral_text) < 2:
        return numeral_text, rest
    candidate = numeral_text[-1] + rest
    if any(candidate.startswith(unit) for unit in _PREFIXED_UNITS):
        return numeral_text[:-1], candidate
    return numeral_text, rest


def _share_kind(rest: str) -> tuple[str, Decimal]:
    if rest.startswith("%"):
        return "percent", _PERCENT
    if rest.startswith("‰"):
        return "permille", _PERMILLE
    return "number", _ONE


def _read_share(denominator_text: str, numerator_text: str, rest: str) -> _Reading:
    """Read ``百分之八十`` (percent), ``千分之三`` (permille) or ``三分之一`` (fraction)."""
    numerator = _parse_numeral(numerator_text)
    if denominator_text in ("百", "千"):
        kind, factor, sign = (
            ("percent", _PERCENT, "%") if denominator_text == "百" else ("permille", _PERMILLE, "‰")
        )
        value = None if numerator.value is None else numerator.value * factor
        return _Reading(value=value, unit=sign + rest, kind=kind, masked=numerator.masked, factor=factor)
    denominator = _parse_numeral(denominator_text)
    return _divide(numerator, denominator, unit=rest)


def _read_fraction(numerator: _Reading, denominator_text: str) -> _Reading:
    """Read ``5/6``: two bare numbers around a slash."""
    if any(character in MASK_CHARACTERS for character in denominator_text):
        denominator = Numeral(None, _ONE, masked=True)
    else:
        denominator = _parse_numeral(denominator_text)
    return _divide(Numeral(numerator.value, _ONE, numerator.masked), denominator, unit="")


def _divide(numerator: Numeral, denominator: Numeral, unit: str) -> _Reading:
    masked = numerator.masked or denominator.masked
    if numerator.value is None or denominator.value is None:
        return _Reading(value=None, unit=unit, kind="fraction", masked=masked)
    if denominator.value == 0:
        raise _Unreadable("fraction with a zero denominator")
    return _Reading(value=numerator.value / denominator.value, unit=unit, kind="fraction", masked=masked)


def _parse_numeral(text: str) -> Numeral:
    try:
        return parse_numeral(text)
    except ValueError as error:
        raise _Unreadable(str(error)) from error


def _magnitude_scale(chain: str) -> Decimal:
    try:
        return magnitude_scale(chain)
    except ValueError as error:
        raise _Unreadable(str(error)) from error
