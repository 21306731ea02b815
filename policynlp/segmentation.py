"""Section segmentation per ANNOTATION.md §2 (placeholder: one section per paragraph)."""

from __future__ import annotations

import re

from policynlp.records import Section


def segment(text: str) -> list[Section]:
    """Split ``text`` into unlabelled sections with their heading paths."""
    return [Section(start=m.start(), end=m.end()) for m in re.finditer(r"[^\n]*\S[^\n]*", text)]
