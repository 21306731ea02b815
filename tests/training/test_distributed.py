from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_training_runs_unchanged_under_torchrun_with_two_processes(made_up_corpus, tmp_path):
    torchrun = Path(sys.executable).with_name("torchrun")
    if not torchrun.exists():
        torchrun = shutil.which("torchrun")
    assert torchrun, "torchrun ships with torch"
    config = yaml.safe_load((REPO / "configs" / "tiny.yaml").read_text(encoding="utf-8"))
    config["data"] = {"path": str(made_up_corpus)}
    config["optimization"]["epochs"] = 2
    config["output_dir"] = str(tmp_path / "ddp")
    path = tmp_path / "tiny-ddp.yaml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    result = subprocess.run(
        [str(torchrun), "--nproc_per_node", "2", "--master_port", "29533", "-m", "training.train", str(path)],
        cwd=REPO, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-8000:]
    assert "training in 2 process(es)" in result.stderr
    metrics = json.loads((tmp_path / "ddp" / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["entity_f1"] > 0.2
