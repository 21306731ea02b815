"""Exceptions raised by policynlp. Each says what went wrong and where."""

from __future__ import annotations


class PolicyNLPError(Exception):
    """Base class of every error policynlp raises on purpose."""


class ModelNotFoundError(PolicyNLPError):
    """No model at the given path, or no shipped model installed."""


class DataFormatError(PolicyNLPError, ValueError):
    """An annotated data file breaks ANNOTATION.md.

    Attributes:
        path: The file, or ``"<string>"`` for in-memory data.
        line: 1-based line number, or ``None`` when the error is not tied to a line.
        span: The offending ``(start, end)`` span, if any.
        reason: What is wrong, in words.
    """

    def __init__(self, path: str, line: int | None, reason: str, span: tuple[int, int] | None = None):
        self.path = str(path)
        self.line = line
        self.span = span
        self.reason = reason
        where = self.path if line is None else f"{self.path}:{line}"
        if span is not None:
            where += f" span [{span[0]}, {span[1]})"
        super().__init__(f"{where}: {reason}")


class ConfigError(PolicyNLPError, ValueError):
    """A training or serving config is invalid; the message names the file and key."""
