from __future__ import annotations

import json
from pathlib import Path

import pytest

from policynlp.data.doccano import import_doccano
from policynlp.data.jsonl import read_documents, write_documents
from policynlp.data.label_studio import import_label_studio
from policynlp.data.offsets import Utf16Offsets, has_astral_characters
from policynlp.errors import DataFormatError

FIXTURES = Path(__file__).parent / "fixtures"


def _entity_texts(document) -> list[tuple[str, str]]:
    return [(entity.label, entity.text) for entity in document.entities]


# --- Label Studio ---------------------------------------------------------------------------


def test_label_studio_export_keeps_offsets_right_after_an_emoji():
    documents = import_label_studio(FIXTURES / "label_studio_export.json")
    assert [document.id for document in documents] == ["101", "old-ls-002", "103"]
    first = documents[0]
    assert first.text.startswith("🎉喜报！")
    assert _entity_texts(first) == [
        ("DATE", "2022年"),
        ("INSTITUTION", "市人民医院"),
        ("METRIC", "门诊量"),
        ("VALUE", "368.7万人次"),
        ("METRIC", "患者满意度"),
        ("VALUE", "95%"),
    ]
    assert all(first.text[e.start : e.end] == e.text for e in first.entities)


def test_label_studio_takes_the_latest_annotation_that_is_not_cancelled():
    first = import_label_studio(FIXTURES / "label_studio_export.json")[0]
    assert first.extra["label_studio"]["annotation"] == 13  # 12 is newer but cancelled, 11 is older
    assert "喜报" not in [entity.text for entity in first.entities]  # from the cancelled one and the prediction


def test_label_studio_sections_links_and_document_choices():
    first = import_label_studio(FIXTURES / "label_studio_export.json")[0]
    [section] = first.sections
    assert (section.theme, section.kind) == ("medical_services", "summary")
    assert first.text[section.start : section.end].startswith("2022年")
    spans = {entity.text: entity.span for entity in first.entities}
    # one relation drawn metric -> value, the other value -> metric: both become links
    assert first.links == [(spans["门诊量"], spans["368.7万人次"]), (spans["患者满意度"], spans["95%"])]
    assert first.extra == {
        "label_studio": {"task": 101, "annotation": 13, "choices": {"quality": ["good"]}},
        "source": "XX市卫健委",
    }


def test_label_studio_utf16_offsets_of_old_exports_are_converted():
    old = import_label_studio(FIXTURES / "label_studio_export.json")[1]
    assert "👍👍" in old.text
    assert _entity_texts(old) == [("METRIC", "日最大单管核酸检测能力"), ("VALUE", "20.9万管")]
    assert old.text[old.sections[0].start : old.sections[0].end] == old.text  # whole text, converted too
    assert old.links == [(old.entities[0].span, old.entities[1].span)]


def test_label_studio_sections_from_per_region_choices_alone():
    third = import_label_studio(FIXTURES / "label_studio_export.json")[2]
    assert third.entities == []
    assert [(s.start, s.end, s.theme, s.kind) for s in third.sections] == [(0, len(third.text), "primary_care", "plan")]


def test_label_studio_import_writes_a_valid_annotation_file(tmp_path):
    documents = import_label_studio(FIXTURES / "label_studio_export.json")
    write_documents(tmp_path / "out.jsonl", documents)
    assert read_documents(tmp_path / "out.jsonl") == documents


TEXT = "👍全区婴儿死亡率为2.1‰，市妇幼保健院完成筛查。"


def _region(rid: str, substring: str, label: str, *, start: int | None = None, text: str | None = None) -> dict:
    begin = TEXT.index(substring) if start is None else start
    value = {"start": begin, "end": begin + len(substring), "labels": [label]}
    value["text"] = substring if text is None else text
    return {"id": rid, "from_name": "label", "to_name": "text", "type": "labels", "value": value}


def _export(tmp_path: Path, results: list[dict], **task_changes) -> Path:
    task = {
        "id": 7,
        "data": {"text": TEXT},
        "annotations": [{"id": 1, "result": results, "was_cancelled": False, "updated_at": "2024-01-01T00:00:00Z"}],
    }
    task.update(task_changes)
    path = tmp_path / "export.json"
    path.write_text(json.dumps([task], ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def _import_error(path: Path, **options) -> DataFormatError:
    with pytest.raises(DataFormatError) as caught:
        import_label_studio(path, **options)
    return caught.value


def test_label_studio_offsets_matching_neither_reading_are_an_error(tmp_path):
    path = _export(tmp_path, [_region("x1", "婴儿死亡率", "METRIC", start=5)])
    error = _import_error(path)
    assert error.path == str(path) and error.span == (5, 10)
    assert "task 7: result 'x1': value.text '婴儿死亡率' matches neither text[5:10]" in error.reason


def test_label_studio_missing_text_before_an_emoji_is_ambiguous(tmp_path):
    region = _region("x1", "婴儿死亡率", "METRIC")
    del region["value"]["text"]
    error = _import_error(_export(tmp_path, [region]))
    assert "cannot be told whether the offsets count code points or UTF-16" in error.reason


def test_label_studio_missing_text_is_fine_without_astral_characters(tmp_path):
    region = {"id": "x1", "type": "labels", "value": {"start": 0, "end": 5, "labels": ["INSTITUTION"]}}
    task = {"id": 8, "data": {"text": "市人民医院"}, "annotations": [{"id": 1, "result": [region]}]}
    path = tmp_path / "export.json"
    path.write_text(json.dumps([task], ensure_ascii=False), encoding="utf-8")
    [document] = import_label_studio(path)
    assert _entity_texts(document) == [("INSTITUTION", "市人民医院")]


@pytest.mark.parametrize(
    ("results", "reason"),
    [
        ([_region("x1", "婴儿死亡率", "ORG")], "result 'x1': unknown label 'ORG'"),
        ([{**_region("x1", "婴儿死亡率", "METRIC"), "type": "textarea"}], "unsupported result type 'textarea'"),
        (
            [
                {
                    "id": "x1",
                    "type": "labels",
                    "value": {"start": 1, "end": 6, "text": "全区婴儿死", "labels": ["METRIC", "VALUE"]},
                }
            ],
            "a region needs exactly one of value.labels",
        ),
        (
            [
                _region("m", "婴儿死亡率", "METRIC"),
                _region("i", "市妇幼保健院", "INSTITUTION"),
                {"from_id": "m", "to_id": "i", "type": "relation", "direction": "right"},
            ],
            "a relation must join a METRIC and a VALUE, got METRIC and INSTITUTION",
        ),
        (
            [_region("m", "婴儿死亡率", "METRIC"), {"from_id": "m", "to_id": "gone", "type": "relation"}],
            "to_id names no region",
        ),
        (
            [
                {
                    "id": "s",
                    "from_name": "theme",
                    "type": "choices",
                    "value": {"start": 0, "end": len(TEXT), "text": TEXT, "choices": ["maternal_child_elderly"]},
                }
            ],
            "a section region needs both a theme and a kind; kind is missing",
        ),
        (
            [
                {
                    "id": "s",
                    "from_name": "theme",
                    "type": "choices",
                    "value": {"start": 0, "end": len(TEXT), "text": TEXT, "choices": ["hospital"]},
                }
            ],
            "unknown theme 'hospital'",
        ),
        (
            [_region("x1", "婴儿死亡率", "METRIC"), _region("x2", "死亡率", "METRIC")],
            "task 7: entities[1] (METRIC) overlaps entities[0]",
        ),
    ],
    ids=[
        "unknown-label",
        "unsupported-type",
        "two-labels",
        "bad-relation",
        "dangling-relation",
        "section-without-kind",
        "unknown-theme",
        "overlapping-regions",
    ],
)
def test_label_studio_errors_name_the_task_and_the_result(tmp_path, results, reason):
    error = _import_error(_export(tmp_path, results))
    assert "task 7" in error.reason
    assert reason in error.reason


def test_label_studio_tasks_without_annotation_fail_unless_skipped(tmp_path):
    cancelled = [{"id": 1, "result": [], "was_cancelled": True}]
    path = _export(tmp_path, [], annotations=cancelled)
    assert "task 7: has no annotation that is not cancelled" in _import_error(path).reason
    assert import_label_studio(path, skip_unannotated=True) == []


def test_label_studio_json_min_export_gets_a_hint(tmp_path):
    path = tmp_path / "min.json"
    path.write_text(json.dumps([{"id": 1, "text": TEXT, "label": []}], ensure_ascii=False), encoding="utf-8")
    assert "export the project as JSON (not JSON-MIN" in _import_error(path).reason


def test_label_studio_invalid_json_names_the_line(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('[\n  {"id": 1,\n  "data": }\n]', encoding="utf-8")
    error = _import_error(path)
    assert error.line == 3 and "invalid JSON" in error.reason


def test_label_studio_duplicate_document_ids_are_an_error(tmp_path):
    task = {"data": {"text": "床位数", "id": "same"}, "annotations": [{"id": 1, "result": []}]}
    path = tmp_path / "export.json"
    path.write_text(json.dumps([{**task, "id": 1}, {**task, "id": 2}]), encoding="utf-8")
    assert "task 2: document id 'same' is already used by task 1" in _import_error(path).reason


# --- doccano --------------------------------------------------------------------------------


def test_doccano_label_triples_keep_offsets_right_after_an_emoji():
    first, second = import_doccano(FIXTURES / "doccano_export.jsonl")
    assert first.id == "7" and first.text.startswith("😀")
    assert _entity_texts(first) == [("DATE", "2022年"), ("INSTITUTION", "市人民医院"), ("VALUE", "17家")]
    assert first.extra == {"Comments": []}
    assert first.sections == []


def test_doccano_entities_and_relations_become_entities_and_links():
    second = import_doccano(FIXTURES / "doccano_export.jsonl")[1]
    assert _entity_texts(second) == [("METRIC", "婴儿死亡率"), ("VALUE", "2.1‰")]
    assert second.links == [(second.entities[0].span, second.entities[1].span)]
    assert second.extra == {"Comments": [], "source": "区卫健局"}


def _doccano_file(tmp_path: Path, *records: dict | str) -> Path:
    path = tmp_path / "doccano.jsonl"
    lines = [record if isinstance(record, str) else json.dumps(record, ensure_ascii=False) for record in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


DOCCANO_TEXT = "😀全科医生数达到181名。"


@pytest.mark.parametrize(
    ("record", "span", "reason"),
    [
        (
            {"id": 1, "text": DOCCANO_TEXT, "label": [[1, 99, "METRIC"]]},
            (1, 99),
            "out of range for a text of length 13",
        ),
        ({"id": 1, "text": DOCCANO_TEXT, "label": [[1, 6, "ORG"]]}, (1, 6), "unknown entity label 'ORG'"),
        ({"id": 1, "text": DOCCANO_TEXT, "label": ["positive"]}, None, "looks like a text-classification export"),
        ({"id": 1, "text": DOCCANO_TEXT, "label": [[1, 6]]}, None, "label[0] must be a [start, end, label] triple"),
        ({"text": DOCCANO_TEXT, "label": []}, None, "missing key 'id'"),
        ({"id": 1, "label": []}, None, "missing key 'text'"),
        ({"id": 1, "text": DOCCANO_TEXT, "label": [], "entities": []}, None, "both 'label' and 'entities'"),
        (
            {
                "id": 1,
                "text": DOCCANO_TEXT,
                "entities": [
                    {"id": 1, "start_offset": 1, "end_offset": 6, "label": "METRIC"},
                    {"id": 2, "start_offset": 8, "end_offset": 12, "label": "METRIC"},
                ],
                "relations": [{"id": 1, "from_id": 1, "to_id": 2, "type": "reports"}],
            },
            None,
            "relations[0]: a relation must join a METRIC and a VALUE entity, got METRIC and METRIC",
        ),
        (
            {
                "id": 1,
                "text": DOCCANO_TEXT,
                "entities": [{"id": 1, "start_offset": 1, "end_offset": 6, "label": "METRIC"}],
                "relations": [{"id": 1, "from_id": 1, "to_id": 9, "type": "reports"}],
            },
            None,
            "relations[0]: to_id 9 names no entity",
        ),
        (
            {"id": 1, "text": DOCCANO_TEXT, "entities": [{"id": 1, "start_offset": 1, "label": "METRIC"}]},
            None,
            "entities[0] is missing 'end_offset'",
        ),
    ],
    ids=[
        "out-of-range",
        "unknown-label",
        "classification",
        "short-triple",
        "no-id",
        "no-text",
        "both-forms",
        "bad-relation",
        "dangling-relation",
        "missing-offset",
    ],
)
def test_doccano_errors_name_the_file_line_span_and_reason(tmp_path, record, span, reason):
    path = _doccano_file(tmp_path, {"id": 0, "text": "床位数", "label": [[0, 3, "METRIC"]]}, record)
    with pytest.raises(DataFormatError) as caught:
        import_doccano(path)
    assert (caught.value.path, caught.value.line, caught.value.span) == (str(path), 2, span)
    assert reason in caught.value.reason


def test_doccano_invalid_json_and_duplicate_ids_name_the_line(tmp_path):
    with pytest.raises(DataFormatError) as caught:
        import_doccano(_doccano_file(tmp_path, {"id": 1, "text": "床位数"}, "{oops"))
    assert caught.value.line == 2 and "invalid JSON" in caught.value.reason
    with pytest.raises(DataFormatError) as caught:
        import_doccano(_doccano_file(tmp_path, {"id": 1, "text": "床位数"}, {"id": 1, "text": "床位数"}))
    assert caught.value.line == 2 and "duplicate document id '1'" in caught.value.reason


# --- offsets --------------------------------------------------------------------------------


def test_utf16_offsets_map_to_code_points_and_refuse_half_a_surrogate_pair():
    text = "a🎉市人民医院"
    offsets = Utf16Offsets(text)
    assert offsets.to_code_points(3, 8) == (2, 7)
    assert text[2:7] == "市人民医院"
    assert offsets.to_code_points(2, 8) is None  # 2 is inside the emoji's surrogate pair
    assert offsets.to_code_points(3, 9) is None  # past the end
    assert has_astral_characters(text) and not has_astral_characters("市人民医院")
