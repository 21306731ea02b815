"""MicroBatcher: shared passes, bounded queue, timeouts, errors."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from serve.batching import MicroBatcher, QueueFull


class Recorder:
    """Stands in for the extractor: records each pass and may block until released."""

    def __init__(self, delay: float = 0.0):
        self.passes: list[list[str]] = []
        self.delay = delay
        self.threads: set[str] = set()

    def __call__(self, texts):
        self.threads.add(threading.current_thread().name)
        if self.delay:
            time.sleep(self.delay)
        self.passes.append(list(texts))
        return [text.upper() for text in texts]


def run(coroutine):
    return asyncio.run(coroutine)


def test_concurrent_jobs_share_a_pass_and_get_their_own_results():
    recorder = Recorder()

    async def scenario():
        batcher = MicroBatcher(recorder, max_batch=8, max_wait_ms=50)
        await batcher.start()
        results = await asyncio.gather(*(batcher.submit([f"t{index}a", f"t{index}b"]) for index in range(4)))
        await batcher.stop()
        return results

    results = run(scenario())
    assert results == [[f"T{index}A", f"T{index}B"] for index in range(4)]
    assert len(recorder.passes) == 1 and len(recorder.passes[0]) == 8
    assert all(name.startswith("policynlp-inference") for name in recorder.threads)  # off the event loop


def test_max_batch_caps_a_pass():
    recorder = Recorder()

    async def scenario():
        batcher = MicroBatcher(recorder, max_batch=3, max_wait_ms=50)
        await batcher.start()
        await asyncio.gather(*(batcher.submit([str(index)]) for index in range(7)))
        await batcher.stop()

    run(scenario())
    assert [len(texts) for texts in recorder.passes] == [3, 3, 1]


def test_without_batching_every_job_runs_alone():
    recorder = Recorder()

    async def scenario():
        batcher = MicroBatcher(recorder, max_batch=16, max_wait_ms=50, batching=False)
        await batcher.start()
        await asyncio.gather(*(batcher.submit([str(index)]) for index in range(5)))
        await batcher.stop()

    run(scenario())
    assert [len(texts) for texts in recorder.passes] == [1] * 5


def test_a_full_queue_refuses_new_work():
    recorder = Recorder(delay=0.3)

    async def scenario():
        batcher = MicroBatcher(recorder, max_batch=1, max_wait_ms=0, max_queue=2)
        await batcher.start()
        first = asyncio.ensure_future(batcher.submit(["a", "b"]))
        await asyncio.sleep(0.05)
        with pytest.raises(QueueFull, match="waiting"):
            await batcher.submit(["c"])
        assert await first == ["A", "B"]
        assert await batcher.submit(["d"]) == ["D"]  # room again once the pass is done
        await batcher.stop()

    run(scenario())


def test_a_caller_that_gave_up_is_skipped():
    recorder = Recorder(delay=0.2)

    async def scenario():
        batcher = MicroBatcher(recorder, max_batch=1, max_wait_ms=0)
        await batcher.start()
        busy = asyncio.ensure_future(batcher.submit(["busy"]))
        await asyncio.sleep(0.02)
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(batcher.submit(["late"]), 0.05)
        await busy
        await asyncio.sleep(0.1)
        assert batcher.pending_texts == 0
        await batcher.stop()

    run(scenario())
    assert ["late"] not in recorder.passes


def test_an_error_in_a_pass_reaches_its_callers_and_the_worker_goes_on():
    calls = []

    def flaky(texts):
        calls.append(texts)
        if len(calls) == 1:
            raise ValueError("boom")
        return texts

    async def scenario():
        batcher = MicroBatcher(flaky, max_batch=1, max_wait_ms=0)
        await batcher.start()
        with pytest.raises(ValueError, match="boom"):
            await batcher.submit(["x"])
        assert await batcher.submit(["y"]) == ["y"]
        await batcher.stop()

    run(scenario())
