from __future__ import annotations

from pathlib import Path

import pytest

from policynlp.errors import ConfigError
from training.config import TrainConfig, load_config

CONFIGS = sorted((Path(__file__).resolve().parents[2] / "configs").glob("*.yaml"))


def test_there_are_configs():
    assert {path.name for path in CONFIGS} >= {"tiny.yaml"}


@pytest.mark.parametrize("path", CONFIGS, ids=lambda path: path.name)
def test_every_shipped_config_loads_against_the_schema(path):
    assert isinstance(load_config(path), TrainConfig)


def test_unknown_key_names_file_and_key(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("tiny_encoder: {}\ndata: {path: x}\noutput_dir: runs/x\noptimisation: {epochs: 3}\n")
    with pytest.raises(ConfigError, match=r"bad.yaml: key 'optimisation': Extra inputs are not permitted"):
        load_config(path)


def test_wrong_type_names_the_nested_key(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("tiny_encoder: {}\ndata: {path: x}\noutput_dir: runs/x\noptimization: {batch_size: many}\n")
    with pytest.raises(ConfigError, match=r"key 'optimization.batch_size'"):
        load_config(path)


def test_exactly_one_encoder_is_required(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("data: {path: x}\noutput_dir: runs/x\n")
    with pytest.raises(ConfigError, match="exactly one of base_model"):
        load_config(path)


def test_invalid_yaml_is_reported(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("data: [unclosed\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config(path)
