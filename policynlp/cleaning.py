"""Finding the page furniture of scraped reports (placeholder: keeps everything)."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Furniture:
    """A stretch of page furniture in the source text.

    Attributes:
        start: Offset into the source text.
        end: End offset (exclusive).
        kind: What it is, e.g. ``"site_header"``, ``"page_marker"``, ``"hidden_notice"``.
    """

    start: int
    end: int
    kind: str


@dataclass(frozen=True)
class CleanedText:
    """The kept text of a scraped report and the map back to the caller's offsets.

    Attributes:
        source: The caller's text, unchanged.
        regions: Kept ``(start, end)`` regions of ``source``, in order, non-overlapping.
        furniture: What was removed, with its kind.
        text: The kept regions concatenated.
    """

    source: str
    regions: tuple[tuple[int, int], ...]
    furniture: tuple[Furniture, ...] = ()
    text: str = field(init=False)
    _starts: tuple[int, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", "".join(self.source[s:e] for s, e in self.regions))
        starts, position = [], 0
        for s, e in self.regions:
            starts.append(position)
            position += e - s
        object.__setattr__(self, "_starts", tuple(starts))

    def to_source(self, offset: int) -> int:
        """Map an offset into :attr:`text` to the offset of the same character in :attr:`source`.

        ``offset == len(text)`` maps to the end of the last kept region.
        """
        if not 0 <= offset <= len(self.text):
            raise IndexError(f"offset {offset} outside the cleaned text of length {len(self.text)}")
        if not self.regions:
            return 0
        index = max(bisect_right(self._starts, offset) - 1, 0)
        start, end = self.regions[index]
        return min(start + offset - self._starts[index], end)

    def to_source_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of :attr:`text` to source offsets (end exclusive)."""
        if end <= start:
            position = self.to_source(start)
            return position, position
        return self.to_source(start), self.to_source(end - 1) + 1


def clean(text: str) -> CleanedText:
    """Find the page furniture of a scraped report; the caller's text is never altered."""
    return CleanedText(source=text, regions=((0, len(text)),) if text else ())
