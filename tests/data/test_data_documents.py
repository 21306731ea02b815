from __future__ import annotations

import pytest

from policynlp.data.documents import AnnotatedDocument, parse_document
from policynlp.errors import DataFormatError
from policynlp.records import Entity, Section
from policynlp.schema import LabelSet

TEXT = "2022年，全市孕产妇死亡率为8.5/10万，市人民医院完成核酸检测20.9万管。"


def _record() -> dict:
    return {
        "id": "lu-001",
        "text": TEXT,
        "entities": [
            {"start": 23, "end": 28, "label": "INSTITUTION"},
            {"start": 0, "end": 5, "label": "DATE"},
            {"start": 8, "end": 14, "label": "METRIC"},
            {"start": 15, "end": 22, "label": "VALUE"},
        ],
        "sections": [{"start": 0, "end": 41, "theme": "epidemic_response", "kind": "summary"}],
        "links": [{"metric": [8, 14], "value": [15, 22]}],
        "year": 2022,
        "source": {"site": "XX市卫健委", "page": 3},
    }


def test_from_dict_fills_entity_text_and_keeps_spans_in_text_order():
    document = AnnotatedDocument.from_dict(_record())
    assert [entity.span for entity in document.entities] == [(0, 5), (8, 14), (15, 22), (23, 28)]
    assert document.entities[1] == Entity(start=8, end=14, label="METRIC", text="孕产妇死亡率", score=1.0)
    assert all(TEXT[e.start : e.end] == e.text for e in document.entities)
    assert document.sections == [Section(start=0, end=41, theme="epidemic_response", kind="summary")]
    assert document.links == [((8, 14), (15, 22))]
    assert document.extra == {"year": 2022, "source": {"site": "XX市卫健委", "page": 3}}


def test_to_dict_has_the_guideline_shape_with_a_fixed_key_order():
    data = AnnotatedDocument.from_dict(_record()).to_dict()
    assert list(data) == ["id", "text", "entities", "sections", "links", "source", "year"]
    assert data["entities"][0] == {"start": 0, "end": 5, "label": "DATE"}
    assert data["sections"] == [{"start": 0, "end": 41, "theme": "epidemic_response", "kind": "summary"}]
    assert data["links"] == [{"metric": [8, 14], "value": [15, 22]}]


def test_to_dict_leaves_out_links_only_when_there_are_none():
    document = AnnotatedDocument(id="a", text="床位数")
    assert document.to_dict() == {"id": "a", "text": "床位数", "entities": [], "sections": []}


def test_dict_round_trip_is_lossless():
    document = AnnotatedDocument.from_dict(_record())
    assert AnnotatedDocument.from_dict(document.to_dict()) == document


def test_entities_and_sections_may_be_absent():
    document = AnnotatedDocument.from_dict({"id": "a", "text": "市人民医院"})
    assert document.entities == [] and document.sections == [] and document.links == []


def test_from_dict_raises_the_first_error_with_its_span():
    record = _record()
    record["entities"][0]["label"] = "ORG"
    with pytest.raises(DataFormatError) as caught:
        AnnotatedDocument.from_dict(record, path="x.jsonl", line=4)
    assert (caught.value.path, caught.value.line, caught.value.span) == ("x.jsonl", 4, (23, 28))
    assert "unknown entity label 'ORG'" in caught.value.reason


def test_parse_document_returns_every_error_of_a_document():
    record = _record()
    record["entities"][0]["label"] = "ORG"
    record["sections"][0]["kind"] = "todo"
    document, errors = parse_document(record)
    assert document is None
    assert [error.span for error in errors] == [(23, 28), (0, 41)]


def test_labels_are_checked_against_the_label_set_given():
    custom = LabelSet(entity_labels=("METRIC", "VALUE"), themes=("overview",), kinds=("summary",))
    _, errors = parse_document(_record(), custom)
    reasons = " ".join(error.reason for error in errors)
    assert "unknown entity label 'INSTITUTION'" in reasons
    assert "unknown theme 'epidemic_response'" in reasons


def test_extra_cannot_shadow_a_document_key():
    with pytest.raises(ValueError, match="entities"):
        AnnotatedDocument(id="a", text="b", extra={"entities": []})


def test_validate_catches_entity_text_that_does_not_match_the_offsets():
    document = AnnotatedDocument(
        id="a", text="市人民医院", entities=[Entity(start=0, end=5, label="INSTITUTION", text="区人民医院")]
    )
    errors = document.validate(path="out.jsonl", line=1)
    assert len(errors) == 1
    assert "'区人民医院' but text[0:5] is '市人民医院'" in errors[0].reason
    assert "document 'a'" in errors[0].reason
