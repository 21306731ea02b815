from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policynlp.numerals import (
    magnitude_scale,
    normalise_width,
    parse_arabic,
    parse_chinese,
    parse_numeral,
    to_chinese_numeral,
)


@pytest.mark.parametrize(
    ("text", "value", "scale", "masked"),
    [
        ("181", Decimal(181), 1, False),
        ("1,234", Decimal(1234), 1, False),
        ("20.9万", Decimal(209000), 10**4, False),
        ("1.2万亿", Decimal(1200000000000), 10**12, False),
        ("3百万", Decimal(3000000), 10**6, False),
        ("三千五百万", Decimal(35000000), 10**4, False),
        ("两千", Decimal(2000), 1, False),
        ("〇点五", Decimal("0.5"), 1, False),
        ("二十点九万", Decimal(209000), 10**4, False),
        ("百", Decimal(100), 1, False),
        ("12万3千", Decimal(123000), 1, False),
        ("XX", None, 1, True),
        ("XXX万", None, 10**4, True),
        ("1XX", None, 1, True),
    ],
)
def test_parse_numeral_reads_every_form(text: str, value: Decimal | None, scale: int, masked: bool) -> None:
    numeral = parse_numeral(text)
    assert numeral.value == value
    assert numeral.masked is masked
    assert numeral.scale == scale


@pytest.mark.parametrize("text", ["", "十十", "1.5万3", "壹拾一八仟", "万万万万万万万"])
def test_parse_numeral_rejects_malformed_numerals(text: str) -> None:
    with pytest.raises(ValueError):
        parse_numeral(text)


def test_cn2an_quirks_are_covered() -> None:
    # cn2an's strict mode refuses 两 and 〇; normal mode, which is used, reads them.
    assert parse_chinese("两") == 2
    assert parse_chinese("〇") == 0
    assert parse_chinese("十一") == 11
    assert parse_chinese("一万二") == 12000


def test_magnitude_scale_multiplies_chains() -> None:
    assert magnitude_scale("") == 1
    assert magnitude_scale("万亿") == 10**12
    with pytest.raises(ValueError):
        magnitude_scale("亿亿亿亿")
    with pytest.raises(ValueError):
        magnitude_scale("元")


def test_parse_arabic_rejects_bad_grouping() -> None:
    assert parse_arabic("1,234.5") == Decimal("1234.5")
    with pytest.raises(ValueError):
        parse_arabic("12,34")


def test_normalise_width_keeps_length() -> None:
    assert normalise_width("１２３％，ＸＸ～") == "123%,XX~"
    assert len(normalise_width("　ａ１")) == 3


def test_to_chinese_numeral_validates_input() -> None:
    assert to_chinese_numeral(0) == "零"
    assert to_chinese_numeral(11) == "十一"
    assert to_chinese_numeral(10**12) == "一万亿"
    with pytest.raises(TypeError):
        to_chinese_numeral(1.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        to_chinese_numeral(10**16)


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_to_chinese_numeral_round_trips_through_parse_chinese(number: int) -> None:
    text = to_chinese_numeral(number)
    if number < 0:
        assert text.startswith("负")
        assert -parse_chinese(text[1:]) == number
    else:
        assert parse_chinese(text) == number
