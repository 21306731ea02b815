from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policynlp.rules import classify_section, extract_entities


def _found(text: str) -> list[tuple[str, str]]:
    return [(text[span.start:span.end], span.label) for span in extract_entities(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2022年7月25日印发", ("2022年7月25日", "DATE")),
        ("截至6月30日，累计接种", ("6月30日", "DATE")),
        ("今年一季度完成", ("一季度", "DATE")),
        ("xxxx年工作总结", ("xxxx年", "DATE")),
        ("累计检测20.9万管", ("20.9万管", "VALUE")),
        ("比例达75%。", ("75%", "VALUE")),
        ("位居全省第8名", ("第8名", "VALUE")),
        ("新建17家社康机构", ("17家", "VALUE")),
        ("招聘XX人", ("XX人", "VALUE")),
        ("派出160余人", ("160余人", "VALUE")),
        ("金寨县人民医院新建病房", ("金寨县人民医院", "INSTITUTION")),
        ("全县12家乡镇卫生院", ("乡镇卫生院", "INSTITUTION")),
        ("孕产妇死亡率为8.5/10万", ("孕产妇死亡率", "METRIC")),
    ],
)
def test_rules_find_the_usual_shapes(text, expected):
    assert expected in _found(text)


def test_rules_skip_article_like_one():
    assert ("一支", "VALUE") not in _found("组建一支队伍")


@pytest.mark.parametrize(
    "text, theme, kind",
    [
        ("一是全力做好疫情防控，累计完成核酸检测120万人次。", "epidemic_response", "summary"),
        ("下一步，将加快推进中医药传承创新，力争建成中医馆10个。", "tcm", "plan"),
        ("存在问题：基层人才不足，乡村医生队伍老化，服务能力薄弱。", "primary_care", "problem"),
    ],
)
def test_rules_classify_sections_by_keywords(text, theme, kind):
    assert classify_section(text) == (theme, kind)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_rules_never_raise_and_spans_are_disjoint(text):
    spans = extract_entities(text)
    last_end = 0
    for span in spans:
        assert last_end <= span.start < span.end <= len(text)
        last_end = span.end
