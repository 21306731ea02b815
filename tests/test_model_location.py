"""Where the shipped model is looked for."""

from __future__ import annotations

import pytest

from policynlp import pipeline
from policynlp.errors import ModelNotFoundError


def test_environment_variable_names_the_default_model(monkeypatch, tmp_path):
    monkeypatch.setenv("POLICYNLP_MODEL_DIR", str(tmp_path))
    assert pipeline._default_model_dir() == tmp_path


def test_installed_data_directory_is_a_candidate(monkeypatch, tmp_path):
    monkeypatch.delenv("POLICYNLP_MODEL_DIR", raising=False)
    monkeypatch.setattr(pipeline, "__file__", str(tmp_path / "src" / "policynlp" / "pipeline.py"))
    installed = tmp_path / "prefix" / "share" / "policynlp" / "models" / pipeline.DEFAULT_MODEL_NAME
    installed.mkdir(parents=True)
    (installed / "config.json").write_text("{}", encoding="utf-8")
    monkeypatch.setattr(pipeline.sysconfig, "get_path", lambda name: str(tmp_path / "prefix"))
    assert pipeline._default_model_dir() == installed


def test_missing_default_model_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setattr(pipeline, "DEFAULT_MODEL_DIR", tmp_path / "none")
    with pytest.raises(ModelNotFoundError, match="no shipped model"):
        pipeline.load()
