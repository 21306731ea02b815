"""The indicator table built from entity spans (no model involved)."""

from __future__ import annotations

import re

import pytest

from policynlp.linking import link_indicators
from policynlp.records import Entity


def spans(marked: str) -> tuple[str, list[Entity]]:
    """``[M:孕产妇死亡率]为[V:8.5/10万]`` -> the bare text and its entities."""
    labels = {"M": "METRIC", "V": "VALUE", "D": "DATE", "I": "INSTITUTION"}
    text, entities, position = "", [], 0
    for match in re.finditer(r"\[([MVDI]):([^\]]+)\]", marked):
        text += marked[position:match.start()]
        start = len(text)
        text += match.group(2)
        entities.append(Entity(start, len(text), labels[match.group(1)], match.group(2)))
        position = match.end()
    return text + marked[position:], entities


def pairs(marked: str) -> list[tuple[str, str | None]]:
    text, entities = spans(marked)
    return [(row.metric.text, row.value.text if row.value else None) for row in link_indicators(text, entities)]


@pytest.mark.parametrize("marked, expected", [
    ("[M:家庭医生签约率]达到[V:78.5%]。", [("家庭医生签约率", "78.5%")]),
    ("[M:孕产妇死亡率]为[V:0]。", [("孕产妇死亡率", "0")]),
    ("[M:平均住院日]缩短至[V:7.6天]。", [("平均住院日", "7.6天")]),
    ("[M:综合考核]中位列[V:第一档]。", [("综合考核", "第一档")]),
    ("[M:病历甲级率]由[V:89%]提高到[V:95%]。", [("病历甲级率", "89%"), ("病历甲级率", "95%")]),
    ("[M:居民健康素养水平]达到[V:21.6%]，较上年提高[V:3.1个百分点]。",
     [("居民健康素养水平", "21.6%"), ("居民健康素养水平", "3.1个百分点")]),
    ("[M:资金支出进度][D:6月底]前达到[V:50%]、[D:9月底]前达到[V:80%]。",
     [("资金支出进度", "50%"), ("资金支出进度", "80%")]),
    ("[M:高血压、糖尿病患者规范管理率]分别为[V:72.1%]和[V:70.4%]。",
     [("高血压、糖尿病患者规范管理率", "72.1%"), ("高血压、糖尿病患者规范管理率", "70.4%")]),
    ("[M:孕产妇死亡率]、[M:婴儿死亡率]分别为[V:8.2/10万]、[V:3.1‰]。",
     [("孕产妇死亡率", "8.2/10万"), ("婴儿死亡率", "3.1‰")]),
    ("[M:门诊患者满意度]和[M:住院患者满意度]分别达到[V:93.6%]和[V:95.1%]。",
     [("门诊患者满意度", "93.6%"), ("住院患者满意度", "95.1%")]),
])
def test_values_reporting_a_metric_are_linked(marked, expected):
    assert pairs(marked) == expected


@pytest.mark.parametrize("marked, expected", [
    # A counting value after a comma reports no metric.
    ("[M:补助标准]提高到[V:89元]，为[V:4.2万名]群众提供服务。", [("补助标准", "89元")]),
    ("[M:核酸检测能力]提升至[V:5.2万管]，[V:3家]医院建成实验室。", [("核酸检测能力", "5.2万管")]),
    # Another sentence is another matter.
    ("[M:签约率]稳步提高。全年新建[V:12个]村卫生室。", [("签约率", None)]),
    # A value far from the metric, across a clause, is not linked.
    ("[M:签约率]持续提升，全县新建村卫生室[V:12个]。", [("签约率", None)]),
    # Named without a value: still a row.
    ("提升[M:居民健康档案建档率]。", [("居民健康档案建档率", None)]),
])
def test_other_values_are_left_alone(marked, expected):
    assert pairs(marked) == expected


def test_governing_date_and_institution():
    text, entities = spans("[D:2023年]，[I:县人民医院][M:病床使用率]达到[V:92%]。")
    [row] = link_indicators(text, entities)
    assert row.date.text == "2023年" and row.institution.text == "县人民医院"
    text, entities = spans("[I:县人民医院]开展工作。[M:病床使用率]达到[V:92%]。")
    [row] = link_indicators(text, entities)
    assert row.institution is None
