from __future__ import annotations

import json

from policynlp.records import Entity, Extraction, Indicator, Quantity, Section
from policynlp.schema import ENTITY_LABELS, KINDS, THEMES, LabelSet


def _sample() -> Extraction:
    text = "2021年，全县孕产妇死亡率为0，市人民医院新建17家社康机构。"
    quantity = Quantity(text="0", value=0.0)
    metric = Entity(start=8, end=14, label="METRIC", text=text[8:14])
    value = Entity(start=15, end=16, label="VALUE", text=text[15:16], quantity=quantity)
    date = Entity(start=0, end=5, label="DATE", text=text[0:5])
    institution = Entity(start=17, end=22, label="INSTITUTION", text=text[17:22], score=0.93)
    section = Section(start=0, end=len(text), heading="一、工作总结", theme="overview", kind="summary",
                      scores={"theme": {"overview": 0.8}}, heading_path=("一、工作总结",))
    indicator = Indicator(metric=metric, value=value, quantity=quantity, date=date, institution=None, section=0)
    return Extraction(text=text, entities=[date, metric, value, institution], sections=[section],
                      indicators=[indicator], model="tiny")


def test_extraction_round_trips_through_dict_and_json():
    doc = _sample()
    assert Extraction.from_dict(doc.to_dict()) == doc
    assert Extraction.from_json(doc.to_json()) == doc
    assert "孕产妇死亡率" in doc.to_json()  # Chinese stays readable
    json.loads(doc.to_json())


def test_spans_index_the_source_text():
    doc = _sample()
    for entity in doc.entities:
        assert doc.text[entity.start:entity.end] == entity.text


def test_default_label_sets_follow_the_guideline():
    assert ENTITY_LABELS == ("METRIC", "INSTITUTION", "VALUE", "DATE")
    assert len(THEMES) == 13 and THEMES[0] == "overview" and THEMES[-1] == "digital_health"
    assert KINDS == ("summary", "plan", "problem")
    labels = LabelSet.default()
    assert labels.bio_tags[:3] == ("O", "B-METRIC", "I-METRIC")
    assert labels.name("tcm") == "中医药"
    assert LabelSet.from_dict(labels.to_dict()) == labels


def test_label_set_rejects_duplicates_and_bio_clashes():
    import pytest

    with pytest.raises(ValueError, match="twice"):
        LabelSet(themes=("a", "a"))
    with pytest.raises(ValueError, match="BIO"):
        LabelSet(entity_labels=("B-X",))


def test_every_record_round_trips_through_json():
    doc = _sample()
    records = [doc.entities[2].quantity, doc.entities[0], doc.sections[0], doc.indicators[0], doc]
    for record in records:
        assert type(record).from_json(record.to_json()) == record
        assert type(record).from_dict(record.to_dict()) == record
