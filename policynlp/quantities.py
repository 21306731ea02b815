"""Reading VALUE spans as numbers (placeholder)."""

from __future__ import annotations

from policynlp.records import Quantity


def parse_quantity(span: str) -> Quantity:
    """Parse a VALUE span into a :class:`Quantity`; never raises."""
    return Quantity(text=span, kind="unknown", reason="not implemented")
