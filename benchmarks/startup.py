"""Start-up: import time, model load time, first extraction, and the server's time to ready.

Usage::

    python -m benchmarks.startup [--runs 5]

Every figure is taken in a fresh Python process (so nothing is cached in the
interpreter; the OS file cache is warm after the first run), median of
``--runs``:

* ``import policynlp`` (the light top-level package),
* ``import policynlp.pipeline`` (torch and transformers come in here),
* ``policynlp.load()`` of the shipped model, after those imports,
* the first ``extract()`` of a short report after loading,
* ``policynlp serve`` from launch to its first ``200`` on ``/readyz``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from benchmarks.common import free_port, median, save

PROBE = r"""
import json, time
start = time.perf_counter()
import policynlp
light = time.perf_counter()
import policynlp.pipeline
heavy = time.perf_counter()
extractor = policynlp.load()
loaded = time.perf_counter()
extractor.extract("某县卫生健康局2023年工作总结\n一、主要工作\n家庭医生签约率达到78.5%。\n")
first = time.perf_counter()
print(json.dumps({"import_policynlp_s": light - start, "import_pipeline_s": heavy - light,
                  "load_s": loaded - heavy, "first_extract_s": first - loaded, "backend": extractor.backend}))
"""


def server_ready_s(timeout: float = 120.0) -> float:
    port = free_port()
    start = time.perf_counter()
    server = subprocess.Popen([str(Path(sys.executable).with_name("policynlp")), "serve", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while time.perf_counter() - start < timeout:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1) as response:
                    if response.status == 200:
                        return time.perf_counter() - start
            except OSError:
                pass
            if server.poll() is not None:
                raise RuntimeError(f"policynlp serve exited with {server.returncode} before it was ready")
            time.sleep(0.05)
        raise TimeoutError(f"policynlp serve was not ready within {timeout} s")
    finally:
        server.terminate()
        server.wait(timeout=30)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    probes, ready = [], []
    subprocess.run([sys.executable, "-c", PROBE], check=True, capture_output=True)  # warm the file cache
    for _ in range(args.runs):
        done = subprocess.run([sys.executable, "-c", PROBE], check=True, capture_output=True, text=True)
        probes.append(json.loads(done.stdout.strip().splitlines()[-1]))
        ready.append(server_ready_s())
    figures = {key: round(median([probe[key] for probe in probes]), 3)
               for key in ("import_policynlp_s", "import_pipeline_s", "load_s", "first_extract_s")}
    figures["server_ready_s"] = round(median(ready), 2)
    figures["backend"] = probes[0]["backend"]
    figures["runs"] = {key: [round(probe[key], 3) for probe in probes]
                       for key in ("import_policynlp_s", "import_pipeline_s", "load_s", "first_extract_s")}
    figures["runs"]["server_ready_s"] = [round(value, 2) for value in ready]
    save("startup", figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
