"""The HTTP API over a real socket: results, limits and the bad-input matrix."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

REPORT = (
    "金寨县卫生健康委员会2023年工作总结\n"
    "一、主要工作成效\n"
    "（一）基层卫生服务能力持续提升。全年新建村卫生室12个，家庭医生签约率达到78.5%。\n"
    "二、存在问题\n"
    "基层人才短缺，乡镇卫生院服务能力仍然薄弱。\n"
)


def post(server, body, content_type="application/json", **kwargs):
    data = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode("utf-8")
    return httpx.post(f"{server.url}/v1/extract", content=data, headers={"content-type": content_type},
                      timeout=60, **kwargs)


def test_extract_one_text_gives_exact_offsets(live_server):
    response = post(live_server, {"text": REPORT})
    assert response.status_code == 200
    [result] = response.json()["results"]
    assert result["characters"] == len(REPORT)
    assert set(result) >= {"entities", "sections", "indicators", "model"}
    assert result["sections"], "the report has sections"
    for entity in result["entities"]:
        assert REPORT[entity["start"]:entity["end"]] == entity["text"]
    for section in result["sections"]:
        assert section["theme"] is not None and section["kind"] is not None


def test_extract_a_batch_keeps_order_and_include_filters(live_server):
    texts = [REPORT, "二、存在问题\n人才短缺。", REPORT[:40]]
    response = post(live_server, {"texts": texts, "include": ["sections", "text"]})
    assert response.status_code == 200
    results = response.json()["results"]
    assert [item["text"] for item in results] == texts
    assert all("entities" not in item and "indicators" not in item and item["sections"] for item in results)


def test_model_health_and_ready(live_server):
    model = httpx.get(f"{live_server.url}/v1/model").json()
    assert model["labels"] == ["METRIC", "INSTITUTION", "VALUE", "DATE"]
    assert len(model["themes"]) == 13 and model["kinds"] == ["summary", "plan", "problem"]
    assert model["backend"] in ("torch", "torch-bf16")  # "auto", resolved on this machine
    assert httpx.get(f"{live_server.url}/healthz").json() == {"status": "ok"}
    assert httpx.get(f"{live_server.url}/readyz").json() == {"status": "ready"}
    assert httpx.get(f"{live_server.url}/openapi.json").json()["paths"]["/v1/extract"]["post"]
    assert httpx.get(f"{live_server.url}/docs").status_code == 200


BAD_INPUTS = [
    ("empty text", {"text": ""}, "application/json", 422, "invalid_request"),
    ("whitespace only", {"text": " \n\t　"}, "application/json", 422, "invalid_request"),
    ("text is not a string", {"text": 5}, "application/json", 422, "invalid_request"),
    ("texts hold a non-string", {"texts": ["报告", None]}, "application/json", 422, "invalid_request"),
    ("neither text nor texts", {}, "application/json", 422, "invalid_request"),
    ("both text and texts", {"text": "a", "texts": ["b"]}, "application/json", 422, "invalid_request"),
    ("empty texts", {"texts": []}, "application/json", 422, "invalid_request"),
    ("unknown field", {"text": "报告", "colour": "red"}, "application/json", 422, "invalid_request"),
    ("unknown output", {"text": "报告", "include": ["everything"]}, "application/json", 422, "invalid_request"),
    ("body is a list", ["报告"], "application/json", 422, "invalid_request"),
    ("text over the character limit", {"text": "率" * 5_001}, "application/json", 413, "text_too_long"),
    ("too many texts", {"texts": ["报告"] * 9}, "application/json", 413, "too_many_texts"),
    ("body over the byte limit", {"texts": ["率" * 4_000] * 8 + ["x" * 300_000]}, "application/json", 413,
     "body_too_large"),
    ("invalid JSON", b'{"text": "abc"', "application/json", 400, "invalid_json"),
    ("invalid UTF-8", b'{"text": "\xff\xfe"}', "application/json", 400, "invalid_utf8"),
    ("wrong content type", b"text=abc", "application/x-www-form-urlencoded", 415, "unsupported_media_type"),
    ("no content type", b'{"text": "abc"}', "", 415, "unsupported_media_type"),
]


@pytest.mark.parametrize("name, body, content_type, status, code", BAD_INPUTS, ids=[row[0] for row in BAD_INPUTS])
def test_bad_input_gets_the_right_4xx_with_a_json_error(live_server, name, body, content_type, status, code):
    response = post(live_server, body, content_type=content_type)
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code
    assert error["message"]
    if status == 413:
        assert error["limit"] in (5_000, 8, 256 * 1024)


def test_unknown_path_and_method_are_json_errors(live_server):
    missing = httpx.get(f"{live_server.url}/v1/nothing")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    wrong = httpx.get(f"{live_server.url}/v1/extract")
    assert wrong.status_code == 405 and wrong.json()["error"]["code"] == "method_not_allowed"


def test_concurrent_requests_all_succeed_and_match_sequential_results(live_server):
    texts = [REPORT[: 30 + 7 * index] for index in range(16)]
    sequential = [post(live_server, {"text": text}).json()["results"][0] for text in texts]

    async def together():
        async with httpx.AsyncClient(base_url=live_server.url, timeout=60) as client:
            return await asyncio.gather(*(client.post("/v1/extract", json={"text": text}) for text in texts))

    responses = asyncio.run(together())
    assert [response.status_code for response in responses] == [200] * len(texts)
    assert [response.json()["results"][0] for response in responses] == sequential


def test_the_demo_page_is_served_without_a_cdn(live_server):
    page = httpx.get(f"{live_server.url}/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "http://" not in page.text and "https://" not in page.text
    assert httpx.get(f"{live_server.url}/static/app.js").status_code == 200
