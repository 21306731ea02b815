"""The policynlp HTTP service (FastAPI). It imports policynlp; policynlp never imports it.

``create_app`` is imported lazily so that ``policynlp --help`` (which registers
the ``serve`` command from here) does not pay for FastAPI.
"""

from serve.settings import ServerSettings

__all__ = ["ServerSettings", "create_app"]


def __getattr__(name: str):
    if name == "create_app":
        from serve.app import create_app

        return create_app
    raise AttributeError(f"module 'serve' has no attribute {name!r}")
