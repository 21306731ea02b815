"""``policynlp batch``: three joinable Parquet tables and an errors table, local and Ray backends."""

from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from policynlp.batch import BatchInputError, plan_shards, read_table, run

REPORTS = [
    "金寨县卫生健康委员会2023年工作总结\n一、主要工作成效\n（一）基层卫生服务能力持续提升。全年新建村卫生室12个，家庭医生签约率达到78.5%。\n",
    "二、存在问题\n基层人才短缺，乡镇卫生院服务能力仍然薄弱。\n",
    "六安市卫健委2022年上半年工作总结：孕产妇死亡率为0，婴儿死亡率3.1‰。",
    "全县累计完成核酸检测20.9万管，60岁以上人群接种率达到95.65%。",
    "三、下步打算\n力争居民健康档案建档率达到90%以上。",
]


@pytest.fixture
def archive(tmp_path):
    folder = tmp_path / "reports"
    (folder / "2023").mkdir(parents=True)
    for index, text in enumerate(REPORTS):
        (folder / "2023" / f"r{index}.txt").write_text(text, encoding="utf-8")
    (folder / "gbk.txt").write_bytes(REPORTS[0].encode("gb18030"))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x00\xff\xfe\x00garbage\x81")
    with (folder / "more.jsonl").open("w", encoding="utf-8") as handle:
        for index, text in enumerate(REPORTS[:3]):
            handle.write(json.dumps({"id": f"j{index}", "text": text}, ensure_ascii=False) + "\n")
        handle.write(json.dumps({"id": "j-empty", "text": "  "}) + "\n")
        handle.write("{not json\n")
    pq.write_table(pa.table({"id": ["p0", "p1"], "text": [REPORTS[3], REPORTS[4]]}), folder / "more.parquet")
    return folder


def tables(out):
    return {name: read_table(out, name) for name in ("documents", "entities", "indicators", "errors")}


def test_local_backend_writes_joinable_typed_tables(archive, tmp_path, tiny_model_dir):
    out = tmp_path / "out"
    results = run(archive, out, model=tiny_model_dir, workers=1, shard_size=3)
    found = tables(out)
    documents, entities, indicators, errors = (found[name] for name in ("documents", "entities", "indicators", "errors"))
    ids = set(documents.column("id").to_pylist())
    assert ids == {"2023/r0", "2023/r1", "2023/r2", "2023/r3", "2023/r4", "gbk", "j0", "j1", "j2", "p0", "p1"}
    assert sum(result.documents for result in results) == len(ids)
    reasons = dict(zip(errors.column("id").to_pylist(), errors.column("reason").to_pylist()))
    assert "empty" in reasons["empty"] and "not UTF-8 and not GB18030" in reasons["binary"]
    assert "empty" in reasons["j-empty"] and any("not a JSON object" in reason for reason in reasons.values())
    assert documents.schema.field("sections").type.value_type.field("theme").type == pa.string()
    assert entities.schema.field("number").type == pa.float64()
    assert set(entities.column("id").to_pylist()) <= ids and set(indicators.column("id").to_pylist()) <= ids
    texts = {"2023/r0": REPORTS[0], "gbk": REPORTS[0], "p0": REPORTS[3]}
    for row in entities.to_pylist():
        if row["id"] in texts:
            assert texts[row["id"]][row["start"]:row["end"]] == row["text"]


def test_two_workers_give_the_same_rows_as_one(archive, tmp_path, tiny_model_dir):
    run(archive, tmp_path / "one", model=tiny_model_dir, workers=1, shard_size=2)
    run(archive, tmp_path / "two", model=tiny_model_dir, workers=2, shard_size=2)
    one, two = tables(tmp_path / "one"), tables(tmp_path / "two")
    for name in one:
        assert one[name].to_pylist() == two[name].to_pylist(), name


def test_resume_skips_finished_shards(archive, tmp_path, tiny_model_dir):
    out = tmp_path / "out"
    first = run(archive, out, model=tiny_model_dir, workers=1, shard_size=4)
    again = run(archive, out, model=tiny_model_dir, workers=1, shard_size=4, resume=True)
    assert all(result.skipped for result in again) and len(again) == len(first)


def test_bad_input_is_a_clear_error(tmp_path):
    with pytest.raises(BatchInputError, match="no such file"):
        plan_shards(tmp_path / "missing")
    (tmp_path / "table.csv").write_text("id,text\n", encoding="utf-8")
    with pytest.raises(BatchInputError, match="expected a folder"):
        plan_shards(tmp_path / "table.csv")
    pq.write_table(pa.table({"name": ["x"]}), tmp_path / "bad.parquet")
    with pytest.raises(BatchInputError, match="`id` and `text`"):
        plan_shards(tmp_path / "bad.parquet")


def test_ray_backend_matches_the_local_backend_row_for_row(archive, tmp_path, tiny_model_dir):
    pytest.importorskip("ray")
    run(archive, tmp_path / "local", model=tiny_model_dir, workers=1, shard_size=3)
    run(archive, tmp_path / "ray", backend="ray", model=tiny_model_dir, workers=2, shard_size=3)
    local, distributed = tables(tmp_path / "local"), tables(tmp_path / "ray")
    for name in local:
        assert local[name].to_pylist() == distributed[name].to_pylist(), name


def test_cli_batch(archive, tmp_path, tiny_model_dir):
    from typer.testing import CliRunner

    from policynlp.cli import app

    result = CliRunner().invoke(app, ["batch", str(archive), str(tmp_path / "out"), "--model", str(tiny_model_dir),
                                      "--workers", "1", "--shard-size", "4"])
    assert result.exit_code == 0, result.output
    assert read_table(tmp_path / "out", "documents").num_rows == 11
    missing = CliRunner().invoke(app, ["batch", str(tmp_path / "nothing"), str(tmp_path / "out2")])
    assert missing.exit_code == 2 and "no such file" in missing.output
