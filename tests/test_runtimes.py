"""Runtimes of the forward pass: every backend answers like float32 PyTorch, and load() takes them by name."""

from __future__ import annotations

import pytest
import torch

import policynlp
from policynlp import runtimes
from policynlp.modeling import PolicyModel
from policynlp.pipeline import load

REPORT = (
    "某县卫生健康局2023年工作总结\n"
    "一、主要工作\n"
    "全年完成核酸检测20.9万管，县人民医院家庭医生签约率达到78.5%。\n"
    "二、存在问题\n"
    "基层人才短缺。\n"
)


@pytest.fixture(scope="module")
def tiny_model(tiny_model_dir):
    return PolicyModel.from_pretrained(str(tiny_model_dir), dtype=torch.float32).eval()


@pytest.fixture(scope="module")
def batch():
    generator = torch.Generator().manual_seed(0)
    input_ids = torch.randint(5, 100, (3, 21), generator=generator)
    attention = torch.ones_like(input_ids)
    attention[1, 15:] = 0
    attention[2, 7:] = 0
    return input_ids, attention


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("POLICYNLP_CACHE_DIR", str(tmp_path / "cache"))


def _reference(model, batch):
    with torch.inference_mode():
        output = model(input_ids=batch[0], attention_mask=batch[1])
    return output.token_logits, output.theme_logits, output.kind_logits


@pytest.mark.parametrize(("backend", "tolerance"), [
    ("torch", 0.0), ("torch-bf16", 0.1), ("torch-int8", 0.1), ("onnx", 1e-4), ("onnx-int8", 0.1),
])
def test_every_backend_computes_the_same_logits(tiny_model, batch, backend, tolerance):
    runtime = runtimes.make_runtime(tiny_model, backend)
    outputs = runtime(*batch)
    for got, want in zip(outputs, _reference(tiny_model, batch)):
        assert got.dtype == torch.float32
        assert got.shape == want.shape
        real = batch[1].bool() if got.dim() == 3 else slice(None)
        assert (got[real] - want[real]).abs().max().item() <= tolerance + 1e-6


def test_onnx_graph_takes_other_batch_shapes_and_is_cached(tiny_model, tmp_path):
    runtime = runtimes.make_runtime(tiny_model, "onnx")
    ids = torch.randint(5, 100, (5, 40))
    got, _, _ = runtime(ids, torch.ones_like(ids))
    want, _, _ = _reference(tiny_model, (ids, torch.ones_like(ids)))
    assert torch.allclose(got, want, atol=1e-4)
    graphs = sorted((tmp_path / "cache" / "onnx").glob("*.onnx"))
    assert len(graphs) == 1
    mtime = graphs[0].stat().st_mtime_ns
    runtimes.make_runtime(tiny_model, "onnx")
    assert graphs[0].stat().st_mtime_ns == mtime  # the second load did not export again


def test_a_changed_model_gets_its_own_graph(tiny_model, tmp_path):
    runtimes.make_runtime(tiny_model, "onnx")
    other = PolicyModel(tiny_model.config).eval()
    runtimes.make_runtime(other, "onnx")
    assert len(list((tmp_path / "cache" / "onnx").glob("*.onnx"))) == 2


def test_auto_follows_the_cpu(monkeypatch):
    monkeypatch.setattr(runtimes, "cpu_has_native_bf16", lambda: True)
    assert runtimes.resolve_backend("auto") == "torch-bf16"
    monkeypatch.setattr(runtimes, "cpu_has_native_bf16", lambda: False)
    assert runtimes.resolve_backend("auto") == "torch"
    assert runtimes.resolve_backend("onnx-int8") == "onnx-int8"


def test_an_unknown_backend_is_refused_with_the_choices(tiny_model_dir):
    with pytest.raises(ValueError, match="unknown backend 'tensorrt'.*torch-bf16"):
        load(tiny_model_dir, backend="tensorrt")


@pytest.mark.parametrize("backend", ["torch", "torch-bf16", "onnx"])
def test_load_with_a_backend_extracts_with_exact_offsets(tiny_model_dir, backend):
    extractor = policynlp.load(str(tiny_model_dir), backend=backend)
    assert extractor.backend == backend
    reference = load(tiny_model_dir, backend="torch").extract(REPORT)
    doc = extractor.extract(REPORT)
    for entity in doc.entities:
        assert REPORT[entity.start:entity.end] == entity.text
    assert [(s.start, s.end) for s in doc.sections] == [(s.start, s.end) for s in reference.sections]
    if backend == "onnx":  # same float32 arithmetic, same answers
        assert [(e.start, e.end, e.label) for e in doc.entities] == [(e.start, e.end, e.label) for e in reference.entities]
        assert [(s.theme, s.kind) for s in doc.sections] == [(s.theme, s.kind) for s in reference.sections]


def test_load_defaults_to_auto(tiny_model_dir):
    assert load(tiny_model_dir).backend == runtimes.resolve_backend("auto")


def test_the_cli_refuses_an_unknown_backend_with_the_choices(tiny_model_dir, tmp_path):
    from typer.testing import CliRunner

    from policynlp.cli import app

    report = tmp_path / "r.txt"
    report.write_text(REPORT, encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", "--model", str(tiny_model_dir), "--backend", "tensorrt", str(report)])
    assert result.exit_code == 2
    assert "unknown backend 'tensorrt'" in result.output
