"""extract() on anything a caller may pass: it never raises and every offset is exact.

These run the tiny model trained in a fixture; what it predicts does not
matter here, only that the pipeline around it holds for any input.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policynlp.pipeline import Extractor

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "report.txt"
REPORT_LINES = [
    "金寨县卫生健康委员会2023年工作总结",
    "一、主要工作成效",
    "（一）基层卫生服务能力持续提升。全年新建村卫生室12个，家庭医生签约率达到78.5%。",
    "（二）疫情防控有力有效。累计完成核酸检测20.9万管，全县XX个行政村实现全覆盖。",
    "二、存在问题",
    "基层人才短缺，乡镇卫生院服务能力仍然薄弱。",
]


@pytest.fixture(scope="module")
def extractor(tiny_model_dir):
    return Extractor.from_path(tiny_model_dir)


def check_offsets(text, result):
    assert result.text == text
    for entity in result.entities:
        assert 0 <= entity.start < entity.end <= len(text)
        assert text[entity.start:entity.end] == entity.text
    for section in result.sections:
        assert 0 <= section.start < section.end <= len(text)
    starts = [section.start for section in result.sections]
    assert starts == sorted(starts)
    for row in result.indicators:
        for entity in (row.metric, row.value, row.date, row.institution):
            if entity is not None:
                assert text[entity.start:entity.end] == entity.text


# Anything Python calls a str: every category (controls, private use, lone surrogates, emoji).
any_text = st.text(st.characters(codec=None, categories=None), max_size=400)
report_like = st.lists(
    st.one_of(st.sampled_from(REPORT_LINES), st.text(max_size=40)), max_size=12
).flatmap(lambda parts: st.sampled_from(["\n", "", "\r\n", " "]).map(lambda sep: sep.join(parts)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(any_text, report_like))
def test_extract_never_raises_and_offsets_index_the_input(extractor, text):
    check_offsets(text, extractor.extract(text))


@pytest.mark.parametrize("text", ["", " ", "\n", "率", "😀", "\x00", "\ud800", "\u200b\ufeff", "一、", "12", "\r\n\t"])
def test_extract_on_tiny_and_odd_strings(extractor, text):
    check_offsets(text, extractor.extract(text))


def test_extract_rejects_non_strings_with_a_clear_error(extractor):
    with pytest.raises(TypeError, match="str"):
        extractor.extract(b"bytes")  # type: ignore[arg-type]


def test_a_200000_character_report(extractor):
    base = "\n".join(REPORT_LINES) + "\n"
    text = (base * (200_000 // len(base) + 1))[:200_000]
    result = extractor.extract(text)
    check_offsets(text, result)
    # Nothing is truncated: sections reach the end of the text.
    assert result.sections[-1].end > len(text) - len(base)


def test_report_without_line_breaks_and_with_masked_numbers(extractor):
    text = "".join(REPORT_LINES).replace("12", "XX")
    result = extractor.extract(text)
    check_offsets(text, result)
    assert len(result.sections) >= 2


def test_real_example_report(extractor):
    text = EXAMPLE.read_text(encoding="utf-8")
    check_offsets(text, extractor.extract(text))


@pytest.mark.skipif(not SEEDS.is_dir(), reason="seed reports not beside the checkout")
def test_real_seed_reports(extractor):
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        check_offsets(text, extractor.extract(text))


def test_traditional_characters_are_read_as_simplified(extractor):
    import opencc

    simplified = "\n".join(REPORT_LINES)
    traditional = opencc.OpenCC("s2t").convert(simplified)
    assert traditional != simplified and len(traditional) == len(simplified)
    a, b = extractor.extract(simplified), extractor.extract(traditional)
    check_offsets(traditional, b)
    assert [(e.start, e.end, e.label) for e in a.entities] == [(e.start, e.end, e.label) for e in b.entities]
    assert [(s.start, s.end, s.theme, s.kind) for s in a.sections] == [(s.start, s.end, s.theme, s.kind) for s in b.sections]
    # Headings and quantities keep the caller's characters.
    for section in b.sections:
        for heading in section.heading_path:
            assert heading in traditional
    for entity in b.entities:
        if entity.quantity is not None:
            assert entity.quantity.text == entity.text
