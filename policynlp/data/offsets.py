"""Conversions between code-point offsets (Python ``str``) and UTF-16 code-unit offsets.

Browser-based annotation tools count in UTF-16 code units, as JavaScript strings
do. The two agree until the first character outside the Basic Multilingual
Plane (emoji, some rare CJK ideographs), which takes two code units.
"""

from __future__ import annotations

import re

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def has_astral_characters(text: str) -> bool:
    """True when ``text`` holds a character that takes two UTF-16 code units."""
    return _ASTRAL.search(text) is not None


class Utf16Offsets:
    """Maps UTF-16 code-unit offsets of one text to code-point offsets.

    Args:
        text: The text the offsets index into.
    """

    def __init__(self, text: str):
        self._text = text
        self._code_point_at: dict[int, int] | None = None

    def _build(self) -> dict[int, int]:
        code_point_at: dict[int, int] = {}
        units = 0
        for index, character in enumerate(self._text):
            code_point_at[units] = index
            units += 2 if ord(character) > 0xFFFF else 1
        code_point_at[units] = len(self._text)
        return code_point_at

    def to_code_points(self, start: int, end: int) -> tuple[int, int] | None:
        """Convert a UTF-16 span to a code-point span.

        Args:
            start: UTF-16 offset of the first character.
            end: UTF-16 offset after the last character.

        Returns:
            The code-point span, or ``None`` when an offset falls outside the
            text or in the middle of a surrogate pair.
        """
        if self._code_point_at is None:
            self._code_point_at = self._build()
        if start in self._code_point_at and end in self._code_point_at:
            return self._code_point_at[start], self._code_point_at[end]
        return None
