from __future__ import annotations

import csv
import io
import json

from typer.testing import CliRunner

from policynlp.cli import app

REPORT = "工作总结\n全年开展核酸检测筛查，2022年县人民医院新增35家社康机构，家庭医生签约率达到45.6%。\n"


def _write(tmp_path, name, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_extract_without_a_model_says_so_and_exits_2(tmp_path, monkeypatch):
    import policynlp.pipeline as pipeline

    monkeypatch.setattr(pipeline, "DEFAULT_MODEL_DIR", tmp_path / "none")
    result = CliRunner().invoke(app, ["extract", str(_write(tmp_path, "a.txt", REPORT.encode()))])
    assert result.exit_code == 2
    assert "no shipped model is installed" in result.output


def test_extract_writes_json_and_the_indicator_csv(tiny_model_dir, tmp_path):
    report = _write(tmp_path, "a.txt", REPORT.encode("gb18030"))
    table = tmp_path / "indicators.csv"
    result = CliRunner().invoke(app, ["extract", "--model", str(tiny_model_dir), "--format", "json",
                                      "--indicators-csv", str(table), str(report)])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["file"] == str(report) and payload["text"] == REPORT
    for entity in payload["entities"]:
        assert REPORT[entity["start"]:entity["end"]] == entity["text"]
    rows = list(csv.reader(io.StringIO(table.read_text(encoding="utf-8"))))
    assert rows[0][:3] == ["file", "metric", "value"]


def test_extract_over_a_folder_names_each_failed_file(tiny_model_dir, tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    _write(folder, "good.txt", REPORT.encode())
    _write(folder, "empty.txt", b"")
    _write(folder, "binary.txt", REPORT.encode("utf-16"))
    result = CliRunner().invoke(app, ["extract", "--model", str(tiny_model_dir), "--format", "jsonl", str(folder)])
    assert result.exit_code == 1
    assert "empty.txt: the file is empty" in result.stderr
    assert "binary.txt: not UTF-8 and not GB18030" in result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert [line["file"] for line in lines] == [str(folder / "good.txt")]


def test_extract_reads_standard_input(tiny_model_dir):
    result = CliRunner().invoke(app, ["extract", "--model", str(tiny_model_dir), "-f", "csv", "-"],
                                input=REPORT.encode())
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["file", "label", "text", "start", "end", "score", "number", "unit"]
    assert all(row[0] == "-" for row in rows[1:])
