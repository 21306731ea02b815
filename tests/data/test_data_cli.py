from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from policynlp.cli import app
from policynlp.data.jsonl import read_documents

FIXTURES = Path(__file__).parent / "fixtures"
CORPUS = FIXTURES / "corpus"

runner = CliRunner()


def _run(*args: str | Path):
    return runner.invoke(app, ["data", *map(str, args)])


def test_validate_reports_ok_and_the_document_count_per_file():
    result = _run("validate", FIXTURES / "valid.jsonl", CORPUS / "dev.jsonl")
    assert result.exit_code == 0, result.output
    assert f"{FIXTURES / 'valid.jsonl'}: ok 3 documents" in result.output
    assert f"{CORPUS / 'dev.jsonl'}: ok 1 documents" in result.output


def test_validate_prints_every_error_with_path_line_and_span_and_exits_1():
    path = FIXTURES / "several_errors.jsonl"
    result = _run("validate", FIXTURES / "valid.jsonl", path)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert (
        f"{path}:3 span [0, 5): entities[0]: unknown entity label 'ORG' "
        "(expected one of METRIC, INSTITUTION, VALUE, DATE)" in lines
    )
    assert f"{path}:4 span [0, 9): entities[0]: offsets out of range for a text of length 3" in lines
    assert any(line.startswith(f"{path}:2: invalid JSON") for line in lines)
    assert f"{path}:5: duplicate document id 'lu-2022-002' (first on line 1)" in lines
    assert f"{path}: 5 errors" in lines
    assert f"{FIXTURES / 'valid.jsonl'}: ok 3 documents" in lines


def test_validate_of_a_missing_file_is_a_usage_error(tmp_path):
    result = _run("validate", tmp_path / "nope.jsonl")
    assert result.exit_code == 2


def test_import_label_studio_writes_a_valid_annotation_file(tmp_path):
    out = tmp_path / "imported.jsonl"
    result = _run("import", "--from", "label-studio", FIXTURES / "label_studio_export.json", out)
    assert result.exit_code == 0, result.output
    assert f"{out}: wrote 3 documents" in result.output
    documents = read_documents(out)
    assert [d.id for d in documents] == ["101", "old-ls-002", "103"]
    assert documents[1].entities[0].text == "日最大单管核酸检测能力"


def test_import_doccano_writes_a_valid_annotation_file(tmp_path):
    out = tmp_path / "imported.jsonl"
    result = _run("import", "--from", "doccano", FIXTURES / "doccano_export.jsonl", out)
    assert result.exit_code == 0, result.output
    assert [entity.text for entity in read_documents(out)[0].entities] == ["2022年", "市人民医院", "17家"]


def test_import_reports_a_bad_export_and_writes_nothing(tmp_path):
    export = tmp_path / "bad.jsonl"
    export.write_text('{"id": 1, "text": "床位数", "label": [[0, 9, "METRIC"]]}\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = _run("import", "--from", "doccano", export, out)
    assert result.exit_code == 1
    assert f"{export}:1 span [0, 9): entities[0]: offsets out of range" in result.output
    assert not out.exists()


def test_import_refuses_to_overwrite_without_the_flag(tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text("keep me\n", encoding="utf-8")
    result = _run("import", "--from", "doccano", FIXTURES / "doccano_export.jsonl", out)
    assert result.exit_code == 2 and "--overwrite" in result.output
    assert out.read_text(encoding="utf-8") == "keep me\n"
    assert _run("import", "--from", "doccano", FIXTURES / "doccano_export.jsonl", out, "--overwrite").exit_code == 0


def test_import_rejects_an_unknown_tool(tmp_path):
    result = _run("import", "--from", "brat", FIXTURES / "doccano_export.jsonl", tmp_path / "out.jsonl")
    assert result.exit_code == 2


def test_stats_prints_a_table_per_split():
    result = _run("stats", CORPUS)
    assert result.exit_code == 0, result.output
    for word in ("train", "dev", "test", "total", "documents", "METRIC", "theme tcm", "kind problem", "links"):
        assert word in result.output


def test_stats_json_has_the_counts(tmp_path):
    result = _run("stats", CORPUS, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["total"]["documents"] == 6
    assert data["splits"]["train"]["entities"]["VALUE"] == 7
    assert data["splits"]["test"]["sections"]["kinds"]["problem"] == 1


def test_stats_of_an_invalid_file_fails_with_the_error():
    result = _run("stats", FIXTURES / "several_errors.jsonl")
    assert result.exit_code == 1
    assert "several_errors.jsonl:2: invalid JSON" in result.output


def test_check_splits_passes_a_clean_corpus():
    result = _run("check-splits", CORPUS)
    assert result.exit_code == 0, result.output
    assert "0 exact, 0 near duplicates" in result.output


def test_check_splits_fails_on_a_document_in_two_splits(tmp_path):
    for split in ("train", "dev"):
        shutil.copy(CORPUS / f"{split}.jsonl", tmp_path / f"{split}.jsonl")
    leaked = (CORPUS / "train.jsonl").read_text(encoding="utf-8").splitlines()[1]
    (tmp_path / "test.jsonl").write_text(leaked.replace('"lu-2022-002"', '"te-9"') + "\n", encoding="utf-8")
    result = _run("check-splits", tmp_path)
    assert result.exit_code == 1
    assert "exact duplicate: train/lu-2022-002 = test/te-9" in result.output
    result = _run("check-splits", tmp_path, "--json")
    assert result.exit_code == 1
    assert json.loads(result.output)["exact"][0]["second"] == {"split": "test", "id": "te-9"}


def test_check_splits_of_a_directory_without_splits_fails(tmp_path):
    result = _run("check-splits", tmp_path)
    assert result.exit_code == 1 and "no split file found" in result.output
