"""Traditional -> simplified reading keeps every character in place."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from policynlp.script import to_simplified


def test_converts_traditional_report_phrases():
    assert to_simplified("衛生健康局2021年工作總結") == "卫生健康局2021年工作总结"
    assert to_simplified("日最大單管核酸檢測能力達到20.9萬管") == "日最大单管核酸检测能力达到20.9万管"
    assert to_simplified("醫療機構") == "医疗机构"


def test_leaves_simplified_and_ascii_text_alone():
    text = "六安市卫健委2022年上半年工作总结：家庭医生签约率达到78.5%。"
    assert to_simplified(text) == text
    assert to_simplified("COVID-19 PCR 100%") == "COVID-19 PCR 100%"
    assert to_simplified("") == ""


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_length_is_kept_for_any_text(text):
    assert len(to_simplified(text)) == len(text)


def test_reading_form_replaces_lone_surrogates_in_place():
    from policynlp.script import reading_form

    assert reading_form("率\ud800達") == "率\ufffd达"
    assert reading_form("率\ud800達", simplify=False) == "率\ufffd達"
