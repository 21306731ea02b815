"""Requests generated from the OpenAPI spec by schemathesis: no 5xx, ever.

Runs the schemathesis command (positive and negative data, stateful phases
included) against the live server and fails on any server error.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path


def test_no_server_errors_on_generated_requests(live_server, tmp_path):
    command = [
        str(Path(sys.executable).with_name("schemathesis")), "run", f"{live_server.url}/openapi.json",
        "--checks", "not_a_server_error",
        "--max-examples", "40",
        "--seed", "20261123",
        "--request-timeout", "60",
        "--generation-database", "none",
        "--workers", "1",
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=900, cwd=tmp_path,
                            env={**os.environ, "NO_COLOR": "1"})
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    passed = re.search(r"(\d+) generated, (\d+) passed", report)
    assert passed and int(passed.group(2)) >= 50, report  # requests really were generated and sent
    assert "No issues found" in report
