from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from corpus_factory import write_corpus  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def made_up_corpus(tmp_path_factory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="session")
def tiny_config(made_up_corpus, tmp_path_factory):
    from training.config import load_config

    config = load_config(REPO / "configs" / "tiny.yaml")
    data = config.data.model_copy(update={"path": made_up_corpus})
    return config.model_copy(update={"data": data, "output_dir": tmp_path_factory.mktemp("tiny-run")})


@pytest.fixture(scope="session")
def trained_tiny(tiny_config):
    from training.train import train

    metrics = train(tiny_config)
    return tiny_config.output_dir, metrics


@pytest.fixture(scope="session")
def tiny_model_dir(trained_tiny) -> Path:
    """A trained tiny model directory (made-up data; for logic tests, not for quality)."""
    return trained_tiny[0]
