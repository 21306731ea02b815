"""App behaviour that needs a stand-in extractor: busy (503) and slow (504)."""

from __future__ import annotations

import threading
import time

from fastapi.testclient import TestClient

from policynlp.records import Extraction
from policynlp.schema import DEFAULT_LABELS
from serve.app import create_app
from serve.settings import ServerSettings


class SlowExtractor:
    name = "slow"
    path = None
    labels = DEFAULT_LABELS

    def __init__(self, delay: float):
        self.delay = delay

    def pipe(self, texts, batch_size=16):
        time.sleep(self.delay)
        return [Extraction(text=text, model=self.name) for text in texts]


def test_slow_extraction_answers_504_with_the_limit():
    app = create_app(ServerSettings(timeout_s=0.2), extractor=SlowExtractor(delay=1.0))
    with TestClient(app) as client:
        response = client.post("/v1/extract", json={"text": "报告"})
    assert response.status_code == 504
    assert response.json()["error"] == {"code": "timeout", "message": "extraction took longer than 0.2 s",
                                        "limit": 0.2}


def test_a_full_queue_answers_503_with_retry_after():
    app = create_app(ServerSettings(max_queue=1, max_batch=1, max_wait_ms=0), extractor=SlowExtractor(delay=0.5))
    statuses, headers = [], []
    with TestClient(app) as client:
        def call():
            response = client.post("/v1/extract", json={"text": "报告"})
            statuses.append(response.status_code)
            headers.append(response.headers.get("retry-after"))

        threads = [threading.Thread(target=call) for _ in range(4)]
        for thread in threads:
            thread.start()
            time.sleep(0.05)
        for thread in threads:
            thread.join()
    assert 200 in statuses and 503 in statuses
    assert all(header == "1" for status, header in zip(statuses, headers) if status == 503)


def test_model_info_reports_the_card_metrics(tmp_path):
    extractor = SlowExtractor(delay=0)
    extractor.path = tmp_path
    (tmp_path / "metrics.json").write_text('{"test": {"entity_f1": 0.9}}', encoding="utf-8")
    with TestClient(create_app(ServerSettings(), extractor=extractor)) as client:
        info = client.get("/v1/model").json()
    assert info["name"] == "slow" and info["metrics"] == {"test": {"entity_f1": 0.9}}
