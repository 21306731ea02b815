"""The policynlp HTTP service (FastAPI). It imports policynlp; policynlp never imports it."""

from serve.app import create_app
from serve.settings import ServerSettings

__all__ = ["ServerSettings", "create_app"]
