"""``policynlp serve``: run the HTTP service with uvicorn."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from serve.settings import ServerSettings


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve_command(
        host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
        workers: Annotated[int, typer.Option(min=1, help="Worker processes, each with its own copy of the model.")] = 1,
        model: Annotated[Path | None, typer.Option(help="Model directory; the shipped model by default.")] = None,
        max_batch: Annotated[int, typer.Option(min=1, help="Most texts in one shared forward pass.")] = 16,
        max_wait_ms: Annotated[float, typer.Option(min=0, help="How long a request waits for others to share its pass.")] = 5.0,
        batching: Annotated[bool, typer.Option(help="Merge concurrent requests into shared passes.")] = True,
        max_queue: Annotated[int, typer.Option(min=1, help="Most texts waiting before 503.")] = 256,
        max_chars: Annotated[int, typer.Option(min=1, help="Most characters per text (413 beyond).")] = 200_000,
        max_texts: Annotated[int, typer.Option(min=1, help="Most texts per request (413 beyond).")] = 64,
        max_body_mb: Annotated[float, typer.Option(min=0.001, help="Largest request body in MiB (413 beyond).")] = 8.0,
        timeout: Annotated[float, typer.Option(min=0.001, help="Per-request time limit in seconds (504 beyond).")] = 60.0,
        threads: Annotated[int, typer.Option(min=0, help="Torch threads per worker; 0 leaves torch's default.")] = 0,
        backend: Annotated[str, typer.Option(help="Encoder runtime: auto, torch, torch-bf16, torch-int8, onnx, onnx-int8.")] = "auto",
    ) -> None:
        """Serve the model over HTTP: POST /v1/extract, GET /v1/model, /healthz, /readyz, /docs and a demo at /."""
        import uvicorn

        from policynlp.runtimes import BACKENDS

        if backend not in BACKENDS:
            typer.echo(f"error: unknown backend {backend!r}; choose one of {', '.join(BACKENDS)}", err=True)
            raise typer.Exit(2)
        if model is not None and not (model / "config.json").is_file():
            typer.echo(f"error: no model at {model}: expected a directory holding config.json", err=True)
            raise typer.Exit(2)
        settings = ServerSettings(
            model_path=str(model) if model else "", max_batch=max_batch, max_wait_ms=max_wait_ms,
            batching=batching, max_queue=max_queue, max_chars=max_chars, max_texts=max_texts,
            max_body_bytes=int(max_body_mb * 1024 * 1024), timeout_s=timeout, threads=threads,
            backend=backend,
        )
        os.environ.update(settings.to_env())  # each worker process reads its settings from here
        uvicorn.run("serve.app:app_factory", factory=True, host=host, port=port, workers=workers,
                    log_level="info", timeout_graceful_shutdown=10)
