"""Micro-batching: concurrent requests share forward passes.

Requests put their texts on one bounded queue. A single worker takes the
first waiting job, gathers more until ``max_batch`` texts are in hand or
``max_wait_ms`` has passed, runs them through the extractor in one call on a
worker thread (never on the event loop), and hands each request its results.
"""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Callable, Sequence


class QueueFull(Exception):
    """The queue holds ``max_queue`` texts already; the caller should retry later."""


@dataclass
class _Job:
    texts: Sequence[str]
    future: asyncio.Future
    queued_at: float = field(default_factory=time.perf_counter)


class MicroBatcher:
    """Run ``run(texts) -> results`` over texts gathered from concurrent callers.

    Args:
        run: Extracts a list of texts, returning one result per text in order.
        max_batch: Most texts per call of ``run`` (a larger single request runs alone).
        max_wait_ms: How long to wait for more jobs once one is waiting.
        max_queue: Most texts waiting before :class:`QueueFull` is raised.
        batching: When false every job runs on its own.
    """

    def __init__(self, run: Callable[[list[str]], list], max_batch: int = 16, max_wait_ms: float = 5.0,
                 max_queue: int = 256, batching: bool = True):
        self.run = run
        self.max_batch = max(1, max_batch)
        self.max_wait = max(0.0, max_wait_ms) / 1000
        self.max_queue = max_queue
        self.batching = batching
        self.pending_texts = 0
        self.passes = 0
        self._queue: asyncio.Queue[_Job] | None = None
        self._worker: asyncio.Task | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="policynlp-inference")

    async def start(self) -> None:
        self._queue = asyncio.Queue()
        self._worker = asyncio.create_task(self._work(), name="policynlp-batcher")

    async def stop(self) -> None:
        if self._worker is not None:
            self._worker.cancel()
            try:
                await self._worker
            except asyncio.CancelledError:
                pass
        self._executor.shutdown(wait=True, cancel_futures=True)

    async def submit(self, texts: Sequence[str]) -> list:
        """Queue ``texts`` and wait for their results.

        Raises:
            QueueFull: Too many texts are waiting already.
            RuntimeError: The batcher was not started.
        """
        if self._queue is None:
            raise RuntimeError("MicroBatcher.start() has not been awaited")
        if self.pending_texts + len(texts) > self.max_queue and self.pending_texts > 0:
            raise QueueFull(f"{self.pending_texts} texts are waiting; the queue holds {self.max_queue}")
        future = asyncio.get_running_loop().create_future()
        self.pending_texts += len(texts)
        self._queue.put_nowait(_Job(list(texts), future))
        return await future

    async def _gather(self, first: _Job) -> list[_Job]:
        jobs = [first]
        size = len(first.texts)
        if not self.batching:
            return jobs
        deadline = time.perf_counter() + self.max_wait
        while size < self.max_batch:
            remaining = deadline - time.perf_counter()
            try:
                job = self._queue.get_nowait() if remaining <= 0 else await asyncio.wait_for(self._queue.get(), remaining)
            except (asyncio.TimeoutError, asyncio.QueueEmpty):
                break
            jobs.append(job)
            size += len(job.texts)
        return jobs

    async def _work(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            first = await self._queue.get()
            jobs = await self._gather(first)
            live = [job for job in jobs if not job.future.done()]  # a caller that timed out is skipped
            self.pending_texts -= sum(len(job.texts) for job in jobs if job.future.done())
            if not live:
                continue
            texts = [text for job in live for text in job.texts]
            try:
                results = await loop.run_in_executor(self._executor, self.run, texts)
                error = None
            except Exception as exc:  # handed to every caller of this pass
                results, error = None, exc
            self.passes += 1
            position = 0
            for job in live:
                count = len(job.texts)
                self.pending_texts -= count
                if not job.future.done():
                    if error is not None:
                        job.future.set_exception(error)
                    else:
                        job.future.set_result(results[position:position + count])
                position += count
