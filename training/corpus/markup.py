"""The inline markup the corpus is written in, and its conversion to ANNOTATION.md JSON Lines.

Writing character offsets by hand is error-prone, so corpus documents are
written as plain text with inline marks, and offsets are computed here:

- entities: ``{{M:孕产妇死亡率}}``, ``{{I:市人民医院}}``, ``{{V:95.65%}}``, ``{{D:2021年}}``;
- indicator links: a number after the letter ties VALUEs to the METRIC with the
  same number in the same document: ``{{M3:孕产妇死亡率}}为{{V3:8.5/10万}}``;
- sections: ``<<theme/kind>>`` opens one, ``<</>>`` closes it.

The body's trailing line breaks are dropped. A raw file starts with ``#key: value`` header lines (``id`` is required; ``split``,
``flatten``, ``source`` and free notes are optional) and a line ``---``; the body
follows. With ``flatten: yes`` every line break of the body is removed, giving a
report whose line breaks were lost. Section spans are trimmed of surrounding
whitespace.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from policynlp.schema import KINDS, THEMES

ENTITY_LETTERS = {"M": "METRIC", "I": "INSTITUTION", "V": "VALUE", "D": "DATE"}

# One alternation so marks are found left to right in a single scan.
_MARK = re.compile(
    r"\{\{(?P<letter>[MIVD])(?P<link>\d*):"  # entity open
    r"|(?P<entity_close>\}\})"
    r"|<<(?P<theme>[a-z_]+)/(?P<kind>[a-z_]+)>>"  # section open
    r"|(?P<section_close><</>>)"
)
_STRAY = re.compile(r"\{\{|\}\}|<<|>>")


class MarkupError(ValueError):
    """A raw corpus file breaks the markup; the message names file, line and what is wrong."""

    def __init__(self, path: str, line: int, reason: str):
        self.path, self.line, self.reason = path, line, reason
        super().__init__(f"{path}:{line}: {reason}")


@dataclass
class RawDocument:
    """A corpus document converted from markup."""

    id: str
    text: str
    entities: list[dict] = field(default_factory=list)
    sections: list[dict] = field(default_factory=list)
    links: list[dict] = field(default_factory=list)
    meta: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "text": self.text,
            "entities": self.entities,
            "sections": self.sections,
            "links": self.links,
            "meta": self.meta,
        }


def _split_header(content: str, path: str) -> tuple[dict[str, str], str, int]:
    header: dict[str, str] = {}
    lines = content.split("\n")
    for number, line in enumerate(lines, start=1):
        if line.strip() == "---":
            return header, "\n".join(lines[number:]), number
        match = re.fullmatch(r"#\s*([A-Za-z_]+)\s*:\s*(.*?)\s*", line)
        if not match:
            raise MarkupError(path, number, "expected a '#key: value' header line or '---' before the body")
        header[match.group(1).lower()] = match.group(2)
    raise MarkupError(path, 1, "no '---' line separating the header from the body")


def parse_markup(content: str, path: str = "<string>") -> RawDocument:
    """Convert one raw corpus file into a document with character offsets.

    Args:
        content: The whole file: header, ``---``, marked-up body.
        path: Shown in error messages.

    Returns:
        The document; ``meta`` holds the header fields other than ``id``.

    Raises:
        MarkupError: Unbalanced or nested marks, unknown themes or kinds, empty or
            whitespace-padded entities, links without their METRIC.
    """
    header, body, body_first_line = _split_header(content, path)
    if not header.get("id"):
        raise MarkupError(path, 1, "the header has no 'id'")
    flatten = header.get("flatten", "no").lower() in {"yes", "true", "1"}
    if body.startswith("\n"):
        body = body[1:]
        body_first_line += 1
    body = body.rstrip("\n")  # an editor's final newline is not part of the document

    out: list[str] = []
    length = 0
    entity_open: tuple[int, str, str, int] | None = None  # (start, label, link id, line)
    section_open: tuple[int, str, str, int] | None = None
    entities: list[dict] = []
    sections: list[dict] = []
    link_ids: list[tuple[str, str, int, int, int]] = []  # (link, label, start, end, line)
    position = 0

    def line_of(offset: int) -> int:
        return body_first_line + body.count("\n", 0, offset)

    def emit(chunk: str, at: int) -> None:
        nonlocal length
        stray = _STRAY.search(chunk)
        if stray:
            raise MarkupError(path, line_of(at + stray.start()), f"stray or malformed mark {stray.group()!r}")
        if flatten:
            chunk = chunk.replace("\n", "")
        if entity_open is not None and "\n" in chunk:
            raise MarkupError(path, line_of(at), "an entity must not span a line break")
        out.append(chunk)
        length += len(chunk)

    for match in _MARK.finditer(body):
        emit(body[position:match.start()], position)
        position = match.end()
        line = line_of(match.start())
        if match.group("letter"):
            if entity_open is not None:
                raise MarkupError(path, line, "entity opened inside another entity")
            entity_open = (length, ENTITY_LETTERS[match.group("letter")], match.group("link"), line)
        elif match.group("entity_close"):
            if entity_open is None:
                raise MarkupError(path, line, "'}}' closes no entity")
            start, label, link, open_line = entity_open
            entity_open = None
            span_text = "".join(out)[start:length]
            if not span_text or span_text != span_text.strip():
                raise MarkupError(path, open_line, f"{label} span {span_text!r} is empty or padded with whitespace")
            entities.append({"start": start, "end": length, "label": label})
            if link:
                link_ids.append((link, label, start, length, open_line))
        elif match.group("theme"):
            if section_open is not None:
                raise MarkupError(path, line, f"section opened at line {section_open[3]} is not closed")
            if entity_open is not None:
                raise MarkupError(path, line, "section mark inside an entity")
            theme, kind = match.group("theme"), match.group("kind")
            if theme not in THEMES:
                raise MarkupError(path, line, f"unknown theme {theme!r}")
            if kind not in KINDS:
                raise MarkupError(path, line, f"unknown kind {kind!r}")
            section_open = (length, theme, kind, line)
        else:
            if section_open is None:
                raise MarkupError(path, line, "'<</>>' closes no section")
            if entity_open is not None:
                raise MarkupError(path, line, "section closed inside an entity")
            start, theme, kind, _ = section_open
            section_open = None
            sections.append({"start": start, "end": length, "theme": theme, "kind": kind})
    emit(body[position:], position)
    if entity_open is not None:
        raise MarkupError(path, entity_open[3], "entity not closed")
    if section_open is not None:
        raise MarkupError(path, section_open[3], "section not closed")

    text = "".join(out)
    sections = [_trimmed(section, text, path) for section in sections]
    links = _resolve_links(link_ids, path)
    meta = {key: value for key, value in header.items() if key != "id"}
    return RawDocument(id=header["id"], text=text, entities=entities, sections=sections, links=links, meta=meta)


def _trimmed(section: dict, text: str, path: str) -> dict:
    start, end = section["start"], section["end"]
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        raise MarkupError(path, 0, f"empty section at offset {section['start']}")
    return {**section, "start": start, "end": end}


def _resolve_links(link_ids: list[tuple[str, str, int, int, int]], path: str) -> list[dict]:
    metrics: dict[str, list[int]] = {}
    for link, label, start, end, line in link_ids:
        if label == "METRIC":
            if link in metrics:
                raise MarkupError(path, line, f"link id {link} names two METRICs")
            metrics[link] = [start, end]
        elif label != "VALUE":
            raise MarkupError(path, line, f"link ids go on METRIC and VALUE only, not {label}")
    links = []
    for link, label, start, end, line in link_ids:
        if label != "VALUE":
            continue
        if link not in metrics:
            raise MarkupError(path, line, f"VALUE linked to id {link}, but no METRIC carries that id")
        links.append({"metric": metrics[link], "value": [start, end]})
    return links


def parse_file(path: Path) -> RawDocument:
    """Read and convert one raw corpus file."""
    return parse_markup(path.read_text(encoding="utf-8"), str(path))


def render_markup(document: dict) -> str:
    """Write an ANNOTATION.md document back as marked-up body text (no header).

    Used to hand a second annotator plain text, or to review labels inline.
    """
    text = document["text"]
    inserts: list[tuple[int, int, str]] = []  # (offset, order, mark); closes sort before opens
    letter = {label: key for key, label in ENTITY_LETTERS.items()}
    for section in document.get("sections", []):
        inserts.append((section["start"], 2, f"<<{section['theme']}/{section['kind']}>>"))
        inserts.append((section["end"], 0, "<</>>"))
    for entity in document.get("entities", []):
        inserts.append((entity["start"], 3, "{{" + letter[entity["label"]] + ":"))
        inserts.append((entity["end"], 1, "}}"))
    pieces, position = [], 0
    for offset, _, mark in sorted(inserts):
        pieces.append(text[position:offset])
        pieces.append(mark)
        position = offset
    pieces.append(text[position:])
    return "".join(pieces)
