"""The extraction pipeline: clean -> segment -> encode -> decode -> quantities -> indicators."""

from __future__ import annotations

from pathlib import Path

from policynlp.errors import ModelNotFoundError

#: Where the shipped default model lives.
DEFAULT_MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "policynlp-base-zh"


def load(path: str | Path | None = None, **kwargs):
    """Load an extractor from ``path`` (the shipped model when ``None``).

    Raises:
        ModelNotFoundError: No model directory at ``path``.
    """
    target = Path(path) if path is not None else DEFAULT_MODEL_DIR
    if not (target / "config.json").is_file():
        if path is None:
            raise ModelNotFoundError(
                f"no shipped model is installed yet (expected one at {target}); "
                "train one with `policynlp train configs/default.yaml` or pass a model directory to load()"
            )
        raise ModelNotFoundError(f"no model at {target}: expected a directory holding config.json")
    raise ModelNotFoundError(f"{target}: loading trained models is not available in this version")


_DEFAULT = None


def default_extractor():
    """The shipped model's extractor, loaded once."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = load(None)
    return _DEFAULT
