"""`policynlp serve` as a fresh install runs it: the shipped model behind a real socket."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import httpx
import pytest

from policynlp.pipeline import DEFAULT_MODEL_DIR

pytestmark = pytest.mark.skipif(not (DEFAULT_MODEL_DIR / "config.json").is_file(), reason="no shipped model")


def test_policynlp_serve_answers_with_the_shipped_model(tmp_path, loopback_port):
    port = loopback_port
    log = (tmp_path / "serve.log").open("wb")
    command = [sys.executable, "-c", "from policynlp.cli import main; main()", "serve", "--port", str(port)]
    process = subprocess.Popen(command, cwd=tmp_path, env=os.environ.copy(), stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert process.poll() is None, (tmp_path / "serve.log").read_text()
            try:
                if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.3)
        model = httpx.get(f"{url}/v1/model").json()
        assert model["name"] == "policynlp-base-zh" and model["metrics"]["test"]["entity_f1"] > 0.9
        response = httpx.post(f"{url}/v1/extract", json={"text": "全县家庭医生签约率达到78.5%。"}, timeout=60)
        rows = [(row["metric"]["text"], row["value"]["text"]) for row in response.json()["results"][0]["indicators"]]
        assert ("家庭医生签约率", "78.5%") in rows
    finally:
        process.terminate()
        process.wait(timeout=15)
