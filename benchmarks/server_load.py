"""Loopback load test of ``policynlp serve``: concurrency 1, 8 and 32, micro-batching on and off.

Usage::

    python -m benchmarks.server_load [--requests 64] [--runs 5] [--concurrency 1 8 32]

For each setting (batching on, then off) one server process is started with
the shipped model on a free loopback port. An async ``httpx`` client keeps
``C`` requests in flight until ``--requests`` have completed (each a
``POST /v1/extract`` of one held-out report, in rotation); that is one run,
bounded in count and by ``--time-limit`` seconds. Per level: throughput
(requests/s and characters/s, median over ``--runs``), latency percentiles
over all requests of all runs, and the count of responses other than 200
(which must be 0).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

from benchmarks.common import free_port, held_out_texts, median, save


class Server:
    """``policynlp serve`` in a child process, ready when this returns."""

    def __init__(self, batching: bool, max_batch: int, max_wait_ms: float):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [str(Path(sys.executable).with_name("policynlp")), "serve", "--port", str(self.port),
                   "--max-batch", str(max_batch), "--max-wait-ms", str(max_wait_ms),
                   "--batching" if batching else "--no-batching", "--max-queue", "1024"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                        env={**os.environ})
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"policynlp serve exited with {self.process.returncode}")
            try:
                if httpx.get(f"{self.url}/readyz", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        self.stop()
        raise TimeoutError("policynlp serve was not ready within 120 s")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()


async def one_run(url: str, texts: list[str], concurrency: int, requests: int, time_limit: float) -> dict:
    latencies: list[float] = []
    errors = 0
    characters = 0
    issued = 0
    deadline = time.perf_counter() + time_limit
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, timeout=120, limits=limits) as client:

        async def worker() -> None:
            nonlocal issued, errors, characters
            while issued < requests and time.perf_counter() < deadline:
                text = texts[issued % len(texts)]
                issued += 1
                start = time.perf_counter()
                try:
                    response = await client.post("/v1/extract", json={"text": text})
                    ok = response.status_code == 200
                except httpx.HTTPError:
                    ok = False
                latencies.append(time.perf_counter() - start)
                if ok:
                    characters += len(text)
                else:
                    errors += 1

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - start
    return {"elapsed": elapsed, "latencies": latencies, "errors": errors, "characters": characters}


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--requests", type=int, default=64, help="Requests per run.")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--time-limit", type=float, default=120.0, help="Seconds per run at most.")
    parser.add_argument("--max-batch", type=int, default=16)
    parser.add_argument("--max-wait-ms", type=float, default=5.0)
    args = parser.parse_args(argv)
    texts = held_out_texts()
    results: dict = {}
    for batching in (True, False):
        server = Server(batching, args.max_batch, args.max_wait_ms)
        try:
            asyncio.run(one_run(server.url, texts, 2, 4, 60))  # warm up
            mode = "batching on" if batching else "batching off"
            results[mode] = {}
            for concurrency in args.concurrency:
                runs = [asyncio.run(one_run(server.url, texts, concurrency, args.requests, args.time_limit))
                        for _ in range(args.runs)]
                latencies = [value for run in runs for value in run["latencies"]]
                results[mode][str(concurrency)] = {
                    "requests": len(latencies),
                    "errors": sum(run["errors"] for run in runs),
                    "requests_per_s": round(median([len(run["latencies"]) / run["elapsed"] for run in runs]), 2),
                    "chars_per_s": round(median([run["characters"] / run["elapsed"] for run in runs])),
                    "p50_ms": round(1000 * percentile(latencies, 50)),
                    "p95_ms": round(1000 * percentile(latencies, 95)),
                    "p99_ms": round(1000 * percentile(latencies, 99)),
                }
        finally:
            server.stop()
    save("server_load", {"requests_per_run": args.requests, "runs": args.runs, "payload": "one held-out report "
                         f"per request ({len(texts)} in rotation, mean {sum(map(len, texts)) // len(texts)} characters)",
                         "max_batch": args.max_batch, "max_wait_ms": args.max_wait_ms, "results": results})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
