from __future__ import annotations

import math
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import policynlp
from policynlp.quantities import parse_quantity, to_chinese_numeral
from policynlp.records import QUANTITY_BOUNDS, QUANTITY_KINDS, Quantity


@dataclass(frozen=True)
class Expected:
    """What a span should parse to; fields left at their defaults are pinned too."""

    value: float | None
    unit: str = ""
    kind: str = "number"
    approx: bool = False
    bound: str | None = None
    masked: bool = False
    upper: float | None = None


CASES: list[tuple[str, Expected]] = [
    # Counts with measure words, as reports write them.
    ("2077名", Expected(2077, "名")),
    ("181个", Expected(181, "个")),
    ("2.9人", Expected(2.9, "人")),
    ("三批", Expected(3, "批")),
    ("10轮次", Expected(10, "轮次")),
    ("35支", Expected(35, "支")),
    ("17家", Expected(17, "家")),
    ("29100间", Expected(29100, "间")),
    ("5190例", Expected(5190, "例")),
    ("455个", Expected(455, "个")),
    ("497人", Expected(497, "人")),
    ("304847剂次", Expected(304847, "剂次")),
    ("145件", Expected(145, "件")),
    ("96条", Expected(96, "条")),
    ("9次", Expected(9, "次")),
    ("52天", Expected(52, "天")),
    ("13个", Expected(13, "个")),
    ("0", Expected(0)),
    ("4997", Expected(4997)),
    ("0.5倍", Expected(0.5, "倍")),
    # Magnitude words fold into the value.
    ("20.9万管", Expected(209000, "管")),
    ("1.4万管", Expected(14000, "管")),
    ("368.7万人", Expected(3687000, "人")),
    ("6566.12万元", Expected(65661200, "元")),
    ("1830.2万人次", Expected(18302000, "人次")),
    ("120万人次", Expected(1200000, "人次")),
    ("160.17亿元", Expected(16017000000, "元")),
    ("1.2万亿元", Expected(1.2e12, "元")),
    ("3百万", Expected(3000000)),
    ("1.5千万元", Expected(15000000, "元")),
    ("1.5万份/日", Expected(15000, "份/日")),
    ("5千克", Expected(5, "千克")),
    # Number formats.
    ("1,234", Expected(1234)),
    ("1，234", Expected(1234)),
    ("1,234,567元", Expected(1234567, "元")),
    ("１２３", Expected(123)),
    ("１２.５％", Expected(0.125, "%", "percent")),
    ("-3.2%", Expected(-0.032, "%", "percent")),
    # Chinese numerals, including the forms cn2an needs help with.
    ("三千五百万元", Expected(35000000, "元")),
    ("一万二", Expected(12000)),
    ("十一", Expected(11)),
    ("二十五", Expected(25)),
    ("两千", Expected(2000)),
    ("两千余人", Expected(2000, "人", approx=True)),
    ("〇点五", Expected(0.5)),
    ("零点五", Expected(0.5)),
    ("零", Expected(0)),
    ("一千零一", Expected(1001)),
    ("一亿二千万", Expected(120000000)),
    ("二十点九万", Expected(209000)),
    ("一点二万亿", Expected(1.2e12)),
    ("12万3千", Expected(123000)),
    ("1万2", Expected(12000)),
    ("负五", Expected(-5)),
    # Percentages and permille are shares.
    ("95.65%", Expected(0.9565, "%", "percent")),
    ("100%", Expected(1.0, "%", "percent")),
    ("84%", Expected(0.84, "%", "percent")),
    ("4.03%", Expected(0.0403, "%", "percent")),
    ("109.5%", Expected(1.095, "%", "percent")),
    ("95.65％", Expected(0.9565, "%", "percent")),
    ("百分之八十", Expected(0.8, "%", "percent")),
    ("百分之百", Expected(1.0, "%", "percent")),
    ("百分之九十五点六五", Expected(0.9565, "%", "percent")),
    ("95.65个百分点", Expected(95.65, "个百分点")),
    ("2个百分点", Expected(2, "个百分点")),
    ("3.5‰", Expected(0.0035, "‰", "permille")),
    ("千分之三", Expected(0.003, "‰", "permille")),
    # Rates per population keep the denominator in the unit.
    ("66间/万人", Expected(66, "间/万人")),
    ("100间/万人", Expected(100, "间/万人")),
    ("6.5张/千人", Expected(6.5, "张/千人")),
    ("2.9人/千人口", Expected(2.9, "人/千人口")),
    ("50元/人", Expected(50, "元/人")),
    ("8.5/10万", Expected(8.5, "/10万")),
    # Other units.
    ("120平方米", Expected(120, "平方米")),
    ("30㎡", Expected(30, "㎡")),
    ("5公里", Expected(5, "公里")),
    ("160.17亿", Expected(16017000000)),
    # Ranks.
    ("第254名", Expected(254, "名", "rank")),
    ("第8名", Expected(8, "名", "rank")),
    ("第9", Expected(9, "", "rank")),
    ("第一", Expected(1, "", "rank")),
    ("前十", Expected(10, "", "rank", bound="at_most")),
    ("前三名", Expected(3, "名", "rank", bound="at_most")),
    ("十强", Expected(10, "强", "rank", bound="at_most")),
    ("百强", Expected(100, "强", "rank", bound="at_most")),
    ("前10%", Expected(0.1, "%", "percent", bound="at_most")),
    # Fractions.
    ("5/6", Expected(5 / 6, "", "fraction")),
    ("三分之一", Expected(1 / 3, "", "fraction")),
    ("三分之二", Expected(2 / 3, "", "fraction")),
    ("万分之五", Expected(0.0005, "", "fraction")),
    # Ranges.
    ("6至8层", Expected(6, "层", "range", upper=8)),
    ("10-15个", Expected(10, "个", "range", upper=15)),
    ("10～15个", Expected(10, "个", "range", upper=15)),
    ("10~15个", Expected(10, "个", "range", upper=15)),
    ("3到5年", Expected(3, "年", "range", upper=5)),
    ("三至五年", Expected(3, "年", "range", upper=5)),
    ("6-8万元", Expected(60000, "元", "range", upper=80000)),
    ("6万至8万元", Expected(60000, "元", "range", upper=80000)),
    ("3-5千元", Expected(3000, "元", "range", upper=5000)),
    ("10%-15%", Expected(0.10, "%", "range", upper=0.15)),
    ("10-15%", Expected(0.10, "%", "range", upper=0.15)),
    ("6 - 8 个", Expected(6, "个", "range", upper=8)),
    # Approximations.
    ("160余人", Expected(160, "人", approx=True)),
    ("4万余毫升", Expected(40000, "毫升", approx=True)),
    ("94万余人次", Expected(940000, "人次", approx=True)),
    ("3万余", Expected(30000, "", approx=True)),
    ("300多家", Expected(300, "家", approx=True)),
    ("一千多万元", Expected(10000000, "元", approx=True)),
    ("300余万元", Expected(3000000, "元", approx=True)),
    ("二十多家", Expected(20, "家", approx=True)),
    ("十几个", Expected(10, "个", approx=True)),
    ("近百家", Expected(100, "家", approx=True)),
    ("约3万人", Expected(30000, "人", approx=True)),
    ("6.5张左右", Expected(6.5, "张", approx=True)),
    ("5万上下", Expected(50000, "", approx=True)),
    ("上百家", Expected(100, "家", approx=True)),
    # Bounds.
    ("90%以上", Expected(0.9, "%", "percent", bound="at_least")),
    ("8.7%以下", Expected(0.087, "%", "percent", bound="at_most")),
    ("3天以内", Expected(3, "天", bound="at_most")),
    ("不到10%", Expected(0.1, "%", "percent", bound="at_most")),
    ("超10万人", Expected(100000, "人", bound="at_least")),
    ("逾千人", Expected(1000, "人", bound="at_least")),
    ("三分之一以上", Expected(1 / 3, "", "fraction", bound="at_least")),
    # Masked values.
    ("XX人", Expected(None, "人", masked=True)),
    ("xx%", Expected(None, "%", "percent", masked=True)),
    ("XX%", Expected(None, "%", "percent", masked=True)),
    ("xx%以上", Expected(None, "%", "percent", bound="at_least", masked=True)),
    ("XXX万元", Expected(None, "元", masked=True)),
    ("XXX余万元", Expected(None, "元", approx=True, masked=True)),
    ("X个", Expected(None, "个", masked=True)),
    ("XX万人", Expected(None, "人", masked=True)),
    ("XX余场次", Expected(None, "场次", approx=True, masked=True)),
    ("第XX名", Expected(None, "名", "rank", masked=True)),
    ("XX.X%", Expected(None, "%", "percent", masked=True)),
    ("百分之XX", Expected(None, "%", "percent", masked=True)),
    # Grades and levels.
    ("A+", Expected(None, "", "grade")),
    ("A级", Expected(None, "级", "grade")),
    ("五级", Expected(5, "级", "grade")),
    ("三级", Expected(3, "级", "grade")),
    ("5A级", Expected(5, "A级", "grade")),
    # Leading verbs and stray words are tolerated.
    ("达到95%", Expected(0.95, "%", "percent")),
    ("达84%", Expected(0.84, "%", "percent")),
    ("降至8.7%以下", Expected(0.087, "%", "percent", bound="at_most")),
    ("不少于3家", Expected(3, "家", bound="at_least")),
    ("排名第9", Expected(9, "", "rank")),
    ("全国前十", Expected(10, "", "rank", bound="at_most")),
    ("全市超10万人", Expected(100000, "人", bound="at_least")),
    ("等级达到A+", Expected(None, "", "grade")),
    ("提前5天", Expected(5, "天")),
    ("  181个 ", Expected(181, "个")),
    ("181个。", Expected(181, "个")),
]


@pytest.mark.parametrize(("span", "expected"), CASES, ids=[span for span, _ in CASES])
def test_parse_quantity_reads_report_phrasing(span: str, expected: Expected) -> None:
    quantity = parse_quantity(span)
    assert quantity.reason is None
    assert quantity.text == span
    if expected.value is None:
        assert quantity.value is None
    else:
        assert quantity.value == pytest.approx(expected.value, rel=1e-12)
    assert quantity.unit == expected.unit
    assert quantity.kind == expected.kind
    assert quantity.approx is expected.approx
    assert quantity.bound == expected.bound
    assert quantity.masked is expected.masked
    if expected.upper is None:
        assert quantity.upper is None
    else:
        assert quantity.upper == pytest.approx(expected.upper, rel=1e-12)


def test_parse_quantity_folds_magnitudes_without_binary_noise() -> None:
    # 20.9 * 10000 in floats is 209000.00000000003; the record must be exact.
    assert parse_quantity("20.9万管").value == 209000.0
    assert parse_quantity("368.7万人").value == 3687000.0


UNREADABLE = [
    ("", "empty"),
    ("   ", "empty"),
    ("你好", "no number"),
    ("张/千人", "no number"),
    ("前列", "no number"),
    ("数十家", "indefinite"),
    ("十十", "十十"),
    ("5/0", "zero denominator"),
    ("1" * 60, "digits"),
    ("1亿亿亿亿", "out of range"),
    ("一亿亿亿亿", "cannot read"),
]


@pytest.mark.parametrize(("span", "reason"), UNREADABLE, ids=[span or "<empty>" for span, _ in UNREADABLE])
def test_parse_quantity_returns_unknown_with_a_reason(span: str, reason: str) -> None:
    quantity = parse_quantity(span)
    assert quantity.kind == "unknown"
    assert quantity.value is None
    assert quantity.upper is None
    assert quantity.text == span
    assert quantity.reason is not None and reason in quantity.reason


def test_parse_quantity_rejects_non_strings() -> None:
    with pytest.raises(TypeError):
        parse_quantity(None)  # type: ignore[arg-type]


def test_parse_quantity_is_the_package_export() -> None:
    assert policynlp.parse_quantity is parse_quantity
    assert isinstance(policynlp.parse_quantity("181个"), Quantity)


def _check_invariants(span: str, quantity: Quantity) -> None:
    assert isinstance(quantity, Quantity)
    assert quantity.text == span
    assert quantity.kind in QUANTITY_KINDS
    assert quantity.bound is None or quantity.bound in QUANTITY_BOUNDS
    for number in (quantity.value, quantity.upper):
        assert number is None or (isinstance(number, float) and math.isfinite(number))
    assert (quantity.kind == "unknown") == (quantity.reason is not None)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**12))
def test_chinese_numerals_round_trip(number: int) -> None:
    quantity = parse_quantity(to_chinese_numeral(number))
    assert quantity.kind == "number"
    assert quantity.value == float(number)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**12), st.sampled_from(["", "人", "个", "元", "人次"]))
def test_arabic_numerals_with_separators_round_trip(number: int, unit: str) -> None:
    quantity = parse_quantity(f"{number:,}{unit}")
    assert quantity.value == float(number)
    assert quantity.unit == unit


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_parse_quantity_never_raises_on_any_text(span: str) -> None:
    _check_invariants(span, parse_quantity(span))


_REPORT_ALPHABET = (
    "0123456789.,，%％‰/-~～至到—第前余多约近超以上下内左右强分之点"
    "零〇一二两三四五六七八九十百千万亿XxA+级个人元次名 "
)


@settings(max_examples=1500, deadline=None)
@given(st.text(alphabet=_REPORT_ALPHABET, max_size=24))
def test_parse_quantity_never_raises_on_number_like_text(span: str) -> None:
    _check_invariants(span, parse_quantity(span))
