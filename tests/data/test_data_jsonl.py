from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policynlp.data.documents import AnnotatedDocument
from policynlp.data.jsonl import iter_documents, read_documents, read_with_errors, validate_file, write_documents
from policynlp.errors import DataFormatError
from policynlp.records import Entity, Section
from policynlp.schema import ENTITY_LABELS, KINDS, THEMES

FIXTURES = Path(__file__).parent / "fixtures"

TEXT = "2022年，全市孕产妇死亡率为8.5/10万，市人民医院完成核酸检测20.9万管。"
DATE, METRIC, VALUE, INSTITUTION, COUNT = (0, 5), (8, 14), (15, 22), (23, 28), (34, 40)


def _valid() -> dict:
    return {
        "id": "lu-001",
        "text": TEXT,
        "entities": [
            {"start": 0, "end": 5, "label": "DATE"},
            {"start": 8, "end": 14, "label": "METRIC"},
            {"start": 15, "end": 22, "label": "VALUE"},
            {"start": 23, "end": 28, "label": "INSTITUTION"},
            {"start": 34, "end": 40, "label": "VALUE"},
        ],
        "sections": [{"start": 0, "end": 41, "theme": "epidemic_response", "kind": "summary"}],
        "links": [{"metric": [8, 14], "value": [15, 22]}],
    }


def _line(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False)


def _write_lines(tmp_path: Path, lines: list[str], name: str = "data.jsonl") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _with(**changes) -> str:
    record = _valid()
    record.update(changes)
    return _line(record)


def _with_entity(index: int, **changes) -> str:
    record = _valid()
    record["entities"][index].update(changes)
    return _line(record)


def _with_section(**changes) -> str:
    record = _valid()
    record["sections"][0].update(changes)
    return _line(record)


def _without(key: str) -> str:
    record = _valid()
    del record[key]
    return _line(record)


def _entity_without(key: str) -> str:
    record = _valid()
    del record["entities"][1][key]
    return _line(record)


def _extra_entity(start: int, end: int, label: str) -> str:
    record = _valid()
    record["entities"].append({"start": start, "end": end, "label": label})
    return _line(record)


def _extra_section(start: int, end: int) -> str:
    record = _valid()
    record["sections"].append({"start": start, "end": end, "theme": "overview", "kind": "summary"})
    return _line(record)


def _with_links(*links: dict) -> str:
    record = _valid()
    record["links"] = list(links)
    return _line(record)


# (case id, lines of the file, expected line, expected span, words the reason must hold)
ERROR_CASES = [
    ("invalid-json", ['{"id": "a", "text": "市人民医院",}'], 1, None, "invalid JSON"),
    ("not-an-object", ['["a", "市人民医院"]'], 1, None, "must be a JSON object, got array"),
    ("id-not-a-string", [_with(id=7)], 1, None, "'id' must be a string, got integer 7"),
    ("id-empty", [_with(id="")], 1, None, "'id' must not be empty"),
    ("id-missing", [_without("id")], 1, None, "missing key 'id'"),
    ("text-not-a-string", [_with(text=["市人民医院"])], 1, None, "'text' must be a string, got array"),
    ("text-missing", [_without("text")], 1, None, "missing key 'text'"),
    ("entities-not-a-list", [_with(entities={"start": 0})], 1, None, "'entities' must be an array, got object"),
    ("entities-null", [_with(entities=None)], 1, None, "'entities' must be an array, got null"),
    ("sections-not-a-list", [_with(sections="overview")], 1, None, "'sections' must be an array, got string"),
    ("links-not-a-list", [_with(links={})], 1, None, "'links' must be an array"),
    ("entity-not-an-object", [_with(entities=[[0, 5, "DATE"]])], 1, None, "entities[0] must be a JSON object"),
    ("start-is-a-float", [_with_entity(1, start=8.0)], 1, None, "entities[1].start must be an integer, got number 8.0"),
    ("end-is-a-bool", [_with_entity(1, end=True)], 1, None, "entities[1].end must be an integer, got boolean true"),
    (
        "start-is-a-string",
        [_with_entity(1, start="8")],
        1,
        None,
        'entities[1].start must be an integer, got string "8"',
    ),
    ("entity-missing-label", [_entity_without("label")], 1, None, "entities[1] is missing 'label'"),
    ("entity-missing-end", [_entity_without("end")], 1, None, "entities[1] is missing 'end'"),
    ("entity-unknown-key", [_with_entity(1, score=0.9)], 1, None, "entities[1] has unknown key 'score'"),
    ("end-out-of-range", [_with_entity(4, end=99)], 1, (34, 99), "out of range for a text of length 41"),
    ("negative-start", [_with_entity(0, start=-1)], 1, (-1, 5), "out of range"),
    ("start-equals-end", [_with_entity(1, end=8)], 1, (8, 8), "start must be less than end"),
    ("start-after-end", [_with_entity(1, start=14, end=8)], 1, (14, 8), "start must be less than end"),
    ("overlapping-entities", [_extra_entity(12, 18, "VALUE")], 1, (12, 18), "entities[5] (VALUE) overlaps entities[1]"),
    ("nested-entities", [_extra_entity(24, 27, "INSTITUTION")], 1, (24, 27), "overlaps entities[3] [23, 28)"),
    ("same-span-twice", [_extra_entity(0, 5, "DATE")], 1, (0, 5), "overlaps"),
    ("overlapping-sections", [_extra_section(30, 41)], 1, (30, 41), "sections[1] (overview) overlaps sections[0]"),
    ("unknown-entity-label", [_with_entity(3, label="ORG")], 1, INSTITUTION, "unknown entity label 'ORG'"),
    ("label-not-a-string", [_with_entity(3, label=2)], 1, INSTITUTION, "entities[3].label must be a string"),
    ("unknown-theme", [_with_section(theme="hospital")], 1, (0, 41), "unknown theme 'hospital'"),
    ("unknown-kind", [_with_section(kind="todo")], 1, (0, 41), "unknown kind 'todo'"),
    (
        "section-missing-theme",
        [_line({**_valid(), "sections": [{"start": 0, "end": 41, "kind": "plan"}]})],
        1,
        None,
        "sections[0] is missing 'theme'",
    ),
    (
        "entity-text-mismatch",
        [_with_entity(3, text="区人民医院")],
        1,
        INSTITUTION,
        "entities[3].text is '区人民医院' but text[23:28] is '市人民医院'",
    ),
    ("section-text-mismatch", [_with_section(text="一、工作总结")], 1, (0, 41), "sections[0].text is '一、工作总结'"),
    (
        "link-metric-is-a-value",
        [_with_links({"metric": [34, 40], "value": [15, 22]})],
        1,
        COUNT,
        "links[0].metric [34, 40) is labelled VALUE, not METRIC",
    ),
    (
        "link-value-is-a-metric",
        [_with_links({"metric": [8, 14], "value": [8, 14]})],
        1,
        METRIC,
        "links[0].value [8, 14) is labelled METRIC, not VALUE",
    ),
    (
        "link-value-not-an-entity",
        [_with_links({"metric": [8, 14], "value": [15, 20]})],
        1,
        (15, 20),
        "links[0].value [15, 20) is not an entity span",
    ),
    (
        "link-malformed",
        [_with_links({"metric": [8, 14, 0], "value": [15, 22]})],
        1,
        None,
        "links[0].metric must be an array [start, end] of two integers",
    ),
    ("link-missing-value", [_with_links({"metric": [8, 14]})], 1, None, "links[0] is missing 'value'"),
    (
        "link-metric-is-a-date",
        [
            _with_links(
                {"metric": [8, 14], "value": [15, 22]},
                {"metric": [8, 14], "value": [34, 40]},
                {"metric": [0, 5], "value": [15, 22]},
            )
        ],
        1,
        DATE,
        "links[2].metric [0, 5) is labelled DATE, not METRIC",
    ),
    (
        "duplicate-link",
        [_with_links({"metric": [8, 14], "value": [15, 22]}, {"metric": [8, 14], "value": [15, 22]})],
        1,
        VALUE,
        "links[1] repeats links[0]",
    ),
    ("duplicate-id", [_line(_valid()), _line(_valid())], 2, None, "duplicate document id 'lu-001' (first on line 1)"),
    ("whitespace-only-line", [_line(_valid()), "   ", _with(id="b")], 2, None, "only whitespace"),
    ("duplicate-key", ['{"id": "a", "text": "床位数", "id": "b"}'], 1, None, "key 'id' appears twice"),
    ("nan", ['{"id": "a", "text": "床位数", "score": NaN}'], 1, None, "NaN is not valid JSON"),
    ("error-on-a-later-line", [_line(_valid()), _with(id="b", text=7)], 2, None, "'text' must be a string"),
]


@pytest.mark.parametrize(
    ("lines", "line", "span", "reason"),
    [case[1:] for case in ERROR_CASES],
    ids=[case[0] for case in ERROR_CASES],
)
def test_reader_rejects_a_bad_file_naming_file_line_span_and_reason(tmp_path, lines, line, span, reason):
    path = _write_lines(tmp_path, lines)
    with pytest.raises(DataFormatError) as caught:
        read_documents(path)
    error = caught.value
    assert error.path == str(path)
    assert error.line == line
    assert error.span == span
    assert reason in error.reason
    assert str(error).startswith(f"{path}:{line}")


def test_a_value_linked_to_two_metrics_is_an_error(tmp_path):
    record = _valid()
    record["entities"].append({"start": 30, "end": 34, "label": "METRIC"})
    record["links"] = [{"metric": [8, 14], "value": [15, 22]}, {"metric": [30, 34], "value": [15, 22]}]
    path = _write_lines(tmp_path, [_line(record)])
    with pytest.raises(DataFormatError) as caught:
        read_documents(path)
    assert caught.value.span == VALUE
    assert "links[1]: VALUE [15, 22) is already linked to METRIC [8, 14) by links[0]" in caught.value.reason


def test_a_metric_may_have_several_values(tmp_path):
    record = _valid()
    record["links"] = [{"metric": [8, 14], "value": [15, 22]}, {"metric": [8, 14], "value": [34, 40]}]
    [document] = read_documents(_write_lines(tmp_path, [_line(record)]))
    assert document.links == [((8, 14), (15, 22)), ((8, 14), (34, 40))]


def test_reader_rejects_bytes_that_are_not_utf8(tmp_path):
    path = tmp_path / "gbk.jsonl"
    path.write_bytes(_line(_valid()).encode("utf-8") + b"\n" + _with(id="b").encode("gb18030") + b"\n")
    with pytest.raises(DataFormatError) as caught:
        read_documents(path)
    assert caught.value.line == 2 and "not valid UTF-8" in caught.value.reason


def test_empty_lines_are_skipped_and_line_numbers_still_count_them(tmp_path):
    path = _write_lines(tmp_path, ["", _line(_valid()), "", "", _with(id="b", entities=[{"start": 0}])])
    with pytest.raises(DataFormatError) as caught:
        read_documents(path)
    assert caught.value.line == 5


def test_crlf_line_ends_and_a_byte_order_mark_are_accepted(tmp_path):
    path = tmp_path / "windows.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join([_line(_valid()), _with(id="b")]).encode("utf-8") + b"\r\n")
    assert [document.id for document in read_documents(path)] == ["lu-001", "b"]


def test_an_empty_file_holds_no_documents(tmp_path):
    path = tmp_path / "empty.jsonl"
    path.write_text("", encoding="utf-8")
    assert read_documents(path) == []


def test_iter_documents_yields_good_lines_before_failing_on_a_bad_one(tmp_path):
    path = _write_lines(tmp_path, [_line(_valid()), "{not json"])
    documents = iter_documents(path)
    assert next(documents).id == "lu-001"
    with pytest.raises(DataFormatError):
        next(documents)


def test_validate_file_collects_every_error_of_the_file():
    path = FIXTURES / "several_errors.jsonl"
    errors = validate_file(path)
    assert [(error.line, error.span) for error in errors] == [
        (2, None),
        (3, (0, 5)),
        (4, (0, 9)),
        (4, (0, 3)),
        (5, None),
    ]
    assert "invalid JSON" in errors[0].reason
    assert "unknown entity label 'ORG'" in errors[1].reason
    assert "out of range" in errors[2].reason
    assert "unknown theme 'hospital'" in errors[3].reason
    assert "duplicate document id 'lu-2022-002'" in errors[4].reason


def test_read_with_errors_keeps_the_valid_documents():
    documents, errors = read_with_errors(FIXTURES / "several_errors.jsonl")
    assert [document.id for document in documents] == ["lu-2022-002"]
    assert len(errors) == 5


def test_validate_file_of_a_valid_file_is_empty():
    assert validate_file(FIXTURES / "valid.jsonl") == []


def test_round_trip_read_write_read_keeps_everything(tmp_path):
    documents = read_documents(FIXTURES / "valid.jsonl")
    out = tmp_path / "out.jsonl"
    assert write_documents(out, documents) == 3
    again = read_documents(out)
    assert again == documents
    assert again[0].extra == {"source": "六安市卫健委2022年工作总结", "year": 2022}


def test_writer_output_is_deterministic_readable_utf8_one_document_per_line(tmp_path):
    documents = read_documents(FIXTURES / "valid.jsonl")
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    write_documents(first, documents)
    write_documents(second, read_documents(first))
    assert first.read_bytes() == second.read_bytes()
    lines = first.read_text(encoding="utf-8").split("\n")
    assert len(lines) == 4 and lines[-1] == ""
    assert "六安市卫健委" in lines[0]  # Chinese written as is, not escaped
    record = json.loads(lines[0])
    assert list(record) == ["id", "text", "entities", "sections", "links", "source", "year"]
    assert all(list(entity) == ["start", "end", "label"] for entity in record["entities"])


def test_writer_refuses_invalid_documents_and_leaves_no_file(tmp_path):
    bad = AnnotatedDocument(id="a", text="床位数", entities=[Entity(start=0, end=9, label="METRIC", text="床位数")])
    out = tmp_path / "out.jsonl"
    with pytest.raises(DataFormatError) as caught:
        write_documents(out, [bad])
    assert caught.value.path == str(out) and caught.value.line == 1
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_writer_refuses_duplicate_ids(tmp_path):
    document = AnnotatedDocument(id="a", text="床位数")
    with pytest.raises(DataFormatError, match="duplicate document id 'a'"):
        write_documents(tmp_path / "out.jsonl", [document, document])


def _document_with_random_spans(draw) -> AnnotatedDocument:
    characters = list("市人民医院卫健委床位使用率达到%万管年月日，。0123456789") + ["🎉", "👍", "\n", " "]
    alphabet = st.sampled_from(characters)
    text = draw(st.text(alphabet=alphabet, min_size=1, max_size=60))
    cuts = sorted(draw(st.sets(st.integers(0, len(text)), max_size=8)))
    entities = []
    for start, end in zip(cuts[::2], cuts[1::2], strict=False):
        if start < end:
            label = draw(st.sampled_from(ENTITY_LABELS))
            entities.append(Entity(start=start, end=end, label=label, text=text[start:end]))
    sections = [Section(start=0, end=len(text), theme=draw(st.sampled_from(THEMES)), kind=draw(st.sampled_from(KINDS)))]
    metrics = [e.span for e in entities if e.label == "METRIC"]
    values = [e.span for e in entities if e.label == "VALUE"]
    links = sorted((metrics[0], value) for value in values) if metrics else []
    extra = draw(st.dictionaries(st.sampled_from(["source", "year", "备注"]), st.integers() | st.text(max_size=5)))
    return AnnotatedDocument(
        id=draw(st.text(min_size=1, max_size=8)),
        text=text,
        entities=entities,
        sections=sections,
        links=links,
        extra=extra,
    )


@settings(max_examples=60, deadline=None)
@given(st.composite(_document_with_random_spans)())
def test_any_valid_document_survives_a_write_read_round_trip(tmp_path_factory, document):
    path = tmp_path_factory.mktemp("round") / "doc.jsonl"
    write_documents(path, [document])
    assert read_documents(path) == [document]
