"""Reading numerals: Arabic, Chinese, mixed (``1.2万亿``) and masked (``XX万``).

This module knows nothing about units or qualifiers; :mod:`policynlp.quantities`
builds VALUE parsing on top of it. Chinese numerals are read by cn2an; this
module adds what cn2an does not do: thousands separators, full-width text,
Arabic digits followed by magnitude words, Chinese decimals followed by a
magnitude (``二十点九万``), and masked digits.

Values are :class:`~decimal.Decimal` so that ``20.9万`` comes out as exactly
209000 rather than 209000.00000000003.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

import cn2an

CHINESE_DIGITS = "零〇一二两三四五六七八九壹贰叁肆伍陆柒捌玖廿"
CHINESE_MAGNITUDES = "十拾百佰千仟万萬亿億"
MASK_CHARACTERS = "Xx×"

# Powers of ten, so a chain like 万亿 is an exponent sum (4 + 8) and never
# builds a huge number before it is rejected.
_MAGNITUDE_EXPONENTS = {
    "十": 1, "拾": 1, "百": 2, "佰": 2, "千": 3, "仟": 3,
    "万": 4, "萬": 4, "亿": 8, "億": 8,
}
# Reports never state numbers anywhere near this; anything larger is noise.
_MAX_EXPONENT = 24
# Also bounds Decimal arithmetic, which would overflow on megabyte-long digit strings.
_MAX_DIGITS = 40
# The longest real numeral (九千九百九十九万…) has 31 characters; cn2an turns
# long digit-by-digit strings into huge integers, taking minutes on 100k characters.
_MAX_CHINESE_LENGTH = 48

_ARABIC = r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?"
_MASK = rf"[0-9]*[{MASK_CHARACTERS}][0-9{MASK_CHARACTERS}]*(?:\.[0-9{MASK_CHARACTERS}]+)?"

# Atomic: a numeral is read greedily and never given back, which both fixes
# where it ends and keeps a failing match from trying every split of a long
# digit run (exponential backtracking).
NUMERAL_PATTERN = (
    rf"(?>(?:{_MASK}|{_ARABIC}|(?<![0-9])[{CHINESE_DIGITS}]|[{CHINESE_MAGNITUDES}]"
    rf"|点(?=[{CHINESE_DIGITS}]))+)"
)
"""Regex source for one numeral token; it takes trailing magnitude words too."""

_ARABIC_RE = re.compile(rf"(?:{_ARABIC})")
_ARABIC_SCALED_RE = re.compile(rf"(?P<number>{_ARABIC})(?P<chain>[{CHINESE_MAGNITUDES}]*)")
_MASK_SCALED_RE = re.compile(rf"(?P<number>{_MASK})(?P<chain>[{CHINESE_MAGNITUDES}]*)")
_CHINESE_RE = re.compile(rf"[{CHINESE_DIGITS}{CHINESE_MAGNITUDES}点]+")
_CHINESE_DECIMAL_RE = re.compile(
    rf"(?P<number>[{CHINESE_DIGITS}{CHINESE_MAGNITUDES}]*点[{CHINESE_DIGITS}]+)"
    rf"(?P<chain>[{CHINESE_MAGNITUDES}]*)"
)
_TRAILING_BIG_MAGNITUDES_RE = re.compile(r"[万萬亿億]+$")
_ARABIC_INTEGER_RE = re.compile(r"[0-9]+")

# Full-width ASCII (U+FF01..U+FF5E) maps one-to-one onto ASCII; a few more
# look-alikes appear in scraped reports. One character in, one character out.
_WIDTH_TABLE = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_WIDTH_TABLE.update({0x3000: 0x20, 0xFE6A: ord("%"), 0x2212: ord("-"), 0x301C: ord("~")})


@dataclass(frozen=True)
class Numeral:
    """A numeral read from text.

    Attributes:
        value: The number with every magnitude word applied (``20.9万`` -> 209000);
            ``None`` when the digits are masked.
        scale: The multiplier that trailing magnitude words contributed
            (``20.9万`` -> 10000, ``三千五百万`` -> 10000, ``181`` -> 1). A range such
            as ``6-8万`` lends the high end's scale to a bare low end.
        masked: True when the digits were masked (``XX``, ``1XX``).
    """

    value: Decimal | None
    scale: Decimal
    masked: bool = False


def normalise_width(text: str) -> str:
    """Fold full-width digits, letters and punctuation to ASCII.

    The result has exactly as many characters as ``text``, so offsets still match.

    Args:
        text: Any text.

    Returns:
        ``text`` with ``１２３`` -> ``123``, ``％`` -> ``%``, ``～`` -> ``~`` and so on.
    """
    return text.translate(_WIDTH_TABLE)


def magnitude_scale(chain: str) -> Decimal:
    """Multiply out a chain of magnitude words (``万亿`` -> 10**12).

    Args:
        chain: Characters from :data:`CHINESE_MAGNITUDES`, possibly empty.

    Returns:
        The product of their powers of ten (1 for an empty chain).

    Raises:
        ValueError: If a character is not a magnitude word or the product is absurdly large.
    """
    exponent = 0
    for character in chain:
        if character not in _MAGNITUDE_EXPONENTS:
            raise ValueError(f"not a magnitude word: {character!r}")
        exponent += _MAGNITUDE_EXPONENTS[character]
    if exponent > _MAX_EXPONENT:
        raise ValueError(f"magnitude {chain!r} is out of range")
    return Decimal(10) ** exponent


def parse_arabic(text: str) -> Decimal:
    """Read an Arabic number with optional thousands separators (``1,234.5``).

    Args:
        text: ASCII digits, commas between groups of three, an optional decimal part.

    Returns:
        The number.

    Raises:
        ValueError: If ``text`` is not such a number, or has absurdly many digits.
    """
    if not _ARABIC_RE.fullmatch(text):
        raise ValueError(f"not an Arabic number: {text!r}")
    if len(text) > _MAX_DIGITS:
        raise ValueError(f"too many digits: {text[:20]!r}...")
    return Decimal(text.replace(",", ""))


def parse_chinese(text: str) -> Decimal:
    """Read a Chinese numeral: ``三千五百万``, ``两千``, ``〇点五``, ``一万二``, ``二十点九万``.

    Args:
        text: Chinese digits, magnitude words and ``点``.

    Returns:
        The number.

    Raises:
        ValueError: If cn2an cannot read it.
    """
    if not _CHINESE_RE.fullmatch(text):
        raise ValueError(f"not a Chinese numeral: {text[:20]!r}")
    if len(text) > _MAX_CHINESE_LENGTH:
        raise ValueError(f"Chinese numeral too long: {text[:20]!r}...")
    # cn2an reads decimals but not a magnitude after them (二十点九万), so the
    # magnitude is split off and applied here.
    try:
        decimal_match = _CHINESE_DECIMAL_RE.fullmatch(text)
        if decimal_match:
            return _cn2an(decimal_match["number"]) * magnitude_scale(decimal_match["chain"])
        # A bare magnitude word stands for one of it (百强, 万余人); cn2an wants the 一.
        return _cn2an("一" + text if text[0] in CHINESE_MAGNITUDES else text)
    except ValueError as error:
        raise ValueError(f"cannot read Chinese numeral {text[:20]!r}") from error


def _cn2an(text: str) -> Decimal:
    try:
        result = cn2an.cn2an(text, "normal")
    except KeyError as error:
        # cn2an signals unreadable input with ValueError, but with KeyError for
        # some malformed magnitude sequences (壹拾一八仟).
        raise ValueError(str(error)) from error
    if not isinstance(result, (int, float)):
        raise ValueError(f"cn2an returned {result!r}")
    return Decimal(str(result))


def _chinese_scale(text: str) -> Decimal:
    """The multiplier of the trailing 万/亿 words of a Chinese numeral (``三千五百万`` -> 10**4)."""
    trailing = _TRAILING_BIG_MAGNITUDES_RE.search(text)
    return magnitude_scale(trailing.group()) if trailing else Decimal(1)


def parse_numeral(text: str) -> Numeral:
    """Read one numeral token of any supported form.

    Args:
        text: A match of :data:`NUMERAL_PATTERN`, e.g. ``368.7万``, ``1,234``,
            ``三千五百万``, ``1.2万亿``, ``12万3千``, ``XX万``.

    Returns:
        The :class:`Numeral`.

    Raises:
        ValueError: If the token cannot be read (``十十``, ``1.5万3``, too large).
    """
    text = normalise_width(text)
    if not text:
        raise ValueError("empty numeral")
    if any(character in MASK_CHARACTERS for character in text):
        return _parse_masked(text)
    scaled = _ARABIC_SCALED_RE.fullmatch(text)
    if scaled:
        scale = magnitude_scale(scaled["chain"])
        return Numeral(parse_arabic(scaled["number"]) * scale, scale)
    if _CHINESE_RE.fullmatch(text):
        return Numeral(parse_chinese(text), _chinese_scale(text))
    return _parse_mixed(text)


def _parse_masked(text: str) -> Numeral:
    match = _MASK_SCALED_RE.fullmatch(text)
    if not match:
        raise ValueError(f"cannot read masked numeral {text!r}")
    return Numeral(None, magnitude_scale(match["chain"]), masked=True)


def _parse_mixed(text: str) -> Numeral:
    """Arabic integers inside a Chinese numeral (``12万3千``, ``1万2``): spell them out first."""
    if "." in text or "," in text:
        raise ValueError(f"cannot read mixed numeral {text!r}")
    try:
        spelled = _ARABIC_INTEGER_RE.sub(lambda match: cn2an.an2cn(match.group()), text)
    except ValueError as error:  # an2cn refuses integers longer than 16 digits
        raise ValueError(f"cannot read mixed numeral {text!r}") from error
    return Numeral(parse_chinese(spelled), _chinese_scale(spelled))


def to_chinese_numeral(number: int) -> str:
    """Write an integer as a Chinese numeral (``12000`` -> ``一万二千``).

    Args:
        number: An integer with at most 16 digits.

    Returns:
        The numeral in the everyday lower-case form (``零``, ``十一``, ``一万亿``).

    Raises:
        TypeError: If ``number`` is not an ``int``.
        ValueError: If it has more than 16 digits.
    """
    if isinstance(number, bool) or not isinstance(number, int):
        raise TypeError(f"expected an int, got {type(number).__name__}")
    if abs(number) >= 10**16:
        raise ValueError(f"{number} has more than 16 digits")
    return cn2an.an2cn(number, "low")
