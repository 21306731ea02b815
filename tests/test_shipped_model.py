"""The shipped default model, as a user meets it: policynlp.extract() straight after install."""

from __future__ import annotations

import pytest

import policynlp
from policynlp.pipeline import DEFAULT_MODEL_DIR

REPORT = (
    "金寨县卫生健康委员会2023年工作总结\n"
    "一、主要工作成效\n"
    "（一）基层卫生服务能力持续提升。全年新建村卫生室12个，县人民医院牵头组建紧密型县域医共体，"
    "家庭医生签约率达到78.5%，孕产妇死亡率为0。\n"
    "（二）疫情防控有力有效。累计完成核酸检测20.9万管，未发生本地聚集性疫情。\n"
    "二、存在问题\n"
    "基层人才短缺，乡镇卫生院服务能力仍然薄弱。\n"
)

pytestmark = pytest.mark.skipif(not (DEFAULT_MODEL_DIR / "config.json").is_file(), reason="no shipped model")


@pytest.fixture(scope="module")
def doc():
    return policynlp.extract(REPORT)


def test_shipped_model_finds_the_obvious_entities(doc):
    found = {(entity.text, entity.label) for entity in doc.entities}
    assert ("2023年", "DATE") in found
    assert ("20.9万管", "VALUE") in found
    assert ("78.5%", "VALUE") in found
    assert ("县人民医院", "INSTITUTION") in found
    assert ("家庭医生签约率", "METRIC") in found
    for entity in doc.entities:
        assert REPORT[entity.start:entity.end] == entity.text


def test_shipped_model_parses_values_and_links_indicators(doc):
    value = next(entity for entity in doc.entities if entity.text == "20.9万管")
    assert value.quantity.value == 209000 and value.quantity.unit == "管"
    rows = {(row.metric.text, row.value.text) for row in doc.indicators if row.metric and row.value}
    assert ("家庭医生签约率", "78.5%") in rows


def test_shipped_model_classifies_sections(doc):
    assert len(doc.sections) == 3
    assert doc.sections[1].theme == "epidemic_response"
    assert doc.sections[2].kind == "problem"
    assert all(section.theme in policynlp.THEMES and section.kind in policynlp.KINDS for section in doc.sections)
