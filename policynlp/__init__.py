"""policynlp: structured extraction from Chinese health-bureau policy reports.

Public API::

    import policynlp
    doc = policynlp.extract(text)        # entities, sections, indicators
    nlp = policynlp.load()               # an Extractor; nlp.pipe(texts)
    policynlp.parse_quantity("20.9万管")  # Quantity(value=209000.0, unit="管", ...)
    policynlp.segment(text)              # sections per ANNOTATION.md §2
    policynlp.clean(text)                # kept regions of a scraped page + offset map
"""

from __future__ import annotations

from policynlp.cleaning import CleanedText, clean
from policynlp.errors import ModelNotFoundError, PolicyNLPError
from policynlp.quantities import parse_quantity
from policynlp.records import Entity, Extraction, Indicator, Quantity, Section
from policynlp.schema import DEFAULT_LABELS, ENTITY_LABELS, KINDS, THEMES, LabelSet
from policynlp.segmentation import segment

__version__ = "0.1.0"

__all__ = [
    "CleanedText",
    "DEFAULT_LABELS",
    "ENTITY_LABELS",
    "Entity",
    "Extraction",
    "Indicator",
    "KINDS",
    "LabelSet",
    "ModelNotFoundError",
    "PolicyNLPError",
    "Quantity",
    "Section",
    "THEMES",
    "clean",
    "extract",
    "load",
    "parse_quantity",
    "segment",
]


def load(path: str | None = None, **kwargs):
    """Load an :class:`~policynlp.pipeline.Extractor` (the shipped model when ``path`` is None)."""
    from policynlp.pipeline import load as _load

    return _load(path, **kwargs)


def extract(text: str) -> Extraction:
    """Extract entities, sections and indicators from ``text`` with the shipped model."""
    from policynlp.pipeline import default_extractor

    return default_extractor().extract(text)
