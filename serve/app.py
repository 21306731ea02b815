"""The HTTP service: ``create_app()`` and what it serves.

- ``POST /v1/extract``: one text or a batch; concurrent requests are merged
  into shared forward passes by :class:`~serve.batching.MicroBatcher`.
- ``GET /v1/model``, ``GET /healthz``, ``GET /readyz``; OpenAPI at ``/docs``.
- ``GET /``: the demo page (``serve/static``, no CDN).

Every error is JSON ``{"error": {"code", "message", "limit"?, "errors"?}}``.
"""

from __future__ import annotations

import asyncio
import json
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

import policynlp
from serve.batching import MicroBatcher, QueueFull
from serve.limits import BodySizeLimit, error_response
from serve.schemas import (
    ErrorResponse,
    ExtractRequest,
    ExtractResponse,
    Health,
    ModelInfo,
)
from serve.settings import ServerSettings

STATIC = Path(__file__).resolve().parent / "static"
_ERRORS = {status: {"model": ErrorResponse} for status in (400, 413, 415, 422, 503, 504)}


def _model_metrics(extractor) -> dict:
    path = getattr(extractor, "path", None)
    if path is None or not (Path(path) / "metrics.json").is_file():
        return {}
    return json.loads((Path(path) / "metrics.json").read_text(encoding="utf-8"))


def _render(extraction, include: list[str]) -> dict[str, Any]:
    """The response item for one result: only the outputs asked for are serialised."""
    out: dict[str, Any] = {"model": extraction.model, "characters": len(extraction.text)}
    for name in include:
        if name == "text":
            out["text"] = extraction.text
        else:
            out[name] = [item.to_dict() for item in getattr(extraction, name)]
    return out


def _not_ready():
    return error_response(503, "not_ready", "the model is still loading", headers={"Retry-After": "1"})


def create_app(settings: ServerSettings | None = None, extractor=None) -> FastAPI:
    """Build the app.

    Args:
        settings: Limits and batching; ``ServerSettings.from_env()`` when omitted.
        extractor: An already loaded :class:`~policynlp.pipeline.Extractor`;
            when omitted the model is loaded once, in the app's lifespan.
    """
    settings = settings or ServerSettings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.ready = False
        loaded = extractor
        if loaded is None:
            loaded = await asyncio.to_thread(
                policynlp.load, settings.model_path or None, threads=settings.threads or None,
                backend=settings.backend,
            )
        batcher = MicroBatcher(
            lambda texts: list(loaded.pipe(texts, batch_size=max(len(texts), 1))),
            max_batch=settings.max_batch,
            max_wait_ms=settings.max_wait_ms,
            max_queue=settings.max_queue,
            batching=settings.batching,
        )
        await batcher.start()
        app.state.extractor, app.state.batcher = loaded, batcher
        app.state.metrics = _model_metrics(loaded)
        app.state.ready = True
        try:
            yield
        finally:
            app.state.ready = False
            await batcher.stop()

    app = FastAPI(
        title="policynlp",
        version=policynlp.__version__,
        summary="Entities, section themes and indicator tables from Chinese health-bureau reports.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.ready = False
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException):
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return error_response(exc.status_code, code, str(exc.detail), headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError):
        return error_response(422, "invalid_request", "the request does not match the schema",
                              errors=json.loads(json.dumps(exc.errors(), default=str)))

    @app.post(
        "/v1/extract",
        response_model=ExtractResponse,
        response_model_exclude_unset=True,  # outputs not asked for are left out, not sent as null
        responses=_ERRORS,
        summary="Extract entities, sections and indicators from one text or a batch",
        openapi_extra={"requestBody": {"required": True, "content": {
            "application/json": {"schema": ExtractRequest.model_json_schema()}}}},
    )
    async def extract(request: Request):
        content_type = request.headers.get("content-type", "")
        media_type = content_type.split(";")[0].strip().lower()
        if media_type != "application/json" and not media_type.endswith("+json"):
            return error_response(415, "unsupported_media_type",
                                  f"send the body as application/json, not {content_type or 'no content type'!r}")
        body = await request.body()
        try:
            decoded = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            return error_response(400, "invalid_utf8", f"the body is not UTF-8: byte {exc.start} ({exc.reason})")
        try:
            payload = json.loads(decoded)
        except json.JSONDecodeError as exc:
            return error_response(400, "invalid_json", f"the body is not JSON: {exc.msg} at line {exc.lineno}, "
                                                       f"column {exc.colno} (offset {exc.pos})")
        try:
            parsed = ExtractRequest.model_validate(payload)
        except ValidationError as exc:
            errors = json.loads(exc.json(include_url=False))
            first = errors[0]
            where = ".".join(str(part) for part in first.get("loc", ())) or "body"
            return error_response(422, "invalid_request", f"{where}: {first.get('msg')}", errors=errors)
        texts = parsed.all_texts()
        if len(texts) > settings.max_texts:
            return error_response(413, "too_many_texts",
                                  f"{len(texts)} texts in one request; the limit is {settings.max_texts}",
                                  limit=settings.max_texts)
        for index, text in enumerate(texts):
            if len(text) > settings.max_chars:
                where = "text" if parsed.text is not None else f"texts[{index}]"
                return error_response(413, "text_too_long",
                                      f"{where} has {len(text)} characters; the limit is {settings.max_chars}",
                                      limit=settings.max_chars)
        if not request.app.state.ready:
            return _not_ready()
        try:
            results = await asyncio.wait_for(request.app.state.batcher.submit(texts), settings.timeout_s)
        except QueueFull as exc:
            return error_response(503, "queue_full", f"the server is busy: {exc}", limit=settings.max_queue,
                                  headers={"Retry-After": "1"})
        except asyncio.TimeoutError:
            return error_response(504, "timeout", f"extraction took longer than {settings.timeout_s} s",
                                  limit=settings.timeout_s)
        return {"results": [_render(result, parsed.include) for result in results]}

    @app.get("/v1/model", response_model=ModelInfo, responses={503: {"model": ErrorResponse}},
             summary="The served model: name, labels, themes, kinds and its card's metrics")
    async def model_info(request: Request):
        if not request.app.state.ready:
            return _not_ready()
        loaded = request.app.state.extractor
        labels = loaded.labels
        return ModelInfo(name=loaded.name, version=policynlp.__version__, backend=getattr(loaded, "backend", None),
                         labels=list(labels.entity_labels),
                         themes=list(labels.themes), kinds=list(labels.kinds), metrics=request.app.state.metrics)

    @app.get("/healthz", response_model=Health, summary="The process is up")
    async def healthz():
        return Health(status="ok")

    @app.get("/readyz", response_model=Health, responses={503: {"model": ErrorResponse}},
             summary="The model is loaded and requests are served")
    async def readyz(request: Request):
        if not request.app.state.ready:
            return _not_ready()
        return Health(status="ready")

    @app.get("/", include_in_schema=False)
    async def demo():
        return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app


def app_factory() -> FastAPI:
    """Entry point for ``uvicorn --factory serve.app:app_factory`` (settings from the environment)."""
    return create_app()
