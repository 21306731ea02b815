"""Server settings: limits, micro-batching and the model to serve.

Every field can be set from the environment as ``POLICYNLP_SERVE_<FIELD>``
(upper case), which is how ``policynlp serve --workers N`` hands settings to
each worker process.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields

ENV_PREFIX = "POLICYNLP_SERVE_"


@dataclass(frozen=True)
class ServerSettings:
    """How the server runs.

    Attributes:
        model_path: Model directory; the shipped model when empty.
        max_batch: Most texts in one shared forward pass.
        max_wait_ms: How long the first queued text waits for company.
        batching: Merge concurrent requests into shared passes (off: one request per pass).
        max_queue: Most texts waiting; beyond it requests get 503 with ``Retry-After``.
        max_chars: Most characters in one text (413 beyond).
        max_texts: Most texts in one request (413 beyond).
        max_body_bytes: Largest request body accepted (413 beyond).
        timeout_s: Per-request limit on waiting for and running inference (504 beyond).
        threads: Torch CPU threads for inference; torch's default when 0.
        backend: Encoder runtime (:mod:`policynlp.runtimes`).
    """

    model_path: str = ""
    max_batch: int = 16
    max_wait_ms: float = 5.0
    batching: bool = True
    max_queue: int = 256
    max_chars: int = 200_000
    max_texts: int = 64
    max_body_bytes: int = 8 * 1024 * 1024
    timeout_s: float = 60.0
    threads: int = 0
    backend: str = "auto"

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> "ServerSettings":
        """Settings from ``POLICYNLP_SERVE_*`` variables; defaults for the rest."""
        environ = os.environ if environ is None else environ
        values = {}
        for item in fields(cls):
            raw = environ.get(ENV_PREFIX + item.name.upper())
            if raw is None:
                continue
            if item.type in ("bool", bool):
                values[item.name] = raw.strip().lower() in ("1", "true", "yes", "on")
            elif item.type in ("int", int):
                values[item.name] = int(raw)
            elif item.type in ("float", float):
                values[item.name] = float(raw)
            else:
                values[item.name] = raw
        return cls(**values)

    def to_env(self) -> dict[str, str]:
        """The ``POLICYNLP_SERVE_*`` variables that reproduce these settings."""
        return {ENV_PREFIX + item.name.upper(): str(getattr(self, item.name)) for item in fields(self)}
