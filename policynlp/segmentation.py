"""Section segmentation per ANNOTATION.md §2.

A section is the smallest block a reader files under one subject. :func:`segment`
finds sections in four steps:

1. Page furniture is set aside with :func:`policynlp.clean`; a section never
   contains any of it, so a section that runs through inline furniture (an
   advert dropped mid-sentence, a document site's chunk number) is cut there
   into one section per side.
2. The kept text is split into paragraphs at line breaks, and each paragraph
   into pieces where a heading marker or an enumerator opens a sentence.
3. Each piece gets a role: a heading, a section, both, or neither (a title,
   byline, addressee, date of issue or signature).
4. Headings form a stack: a heading replaces the headings of its own and deeper
   levels, and every section records the headings above it.

Heading markers, outermost level first: ``一、`` (also ``一．``) > ``（一）``/``(一)``
> ``1.``/``1、``/``1．``/``１．`` > ``（1）``/``(1)``/``（１）``, in half- and
full-width forms. A line that opens with a bare ``)`` or ``）`` is taken for a
bracketed marker whose opening half was lost in scraping, at the level of the
last bracketed marker seen. Enumerators (``一是``, ``一要``, ``其一``, ``第一，``) open
sections but are not headings.

Rules chosen for the ambiguous cases:

- **Where a marker counts.** A heading marker counts at the start of a paragraph
  or after a sentence end or colon (``。！？；;!?：:``, closing quotes skipped).
  Numbered markers must not run into a digit, percent sign or another numeral,
  so ``1.2万人``, ``95.65%``, ``3、4月份`` and ``一、二季度`` are not headings, and a
  marker must be followed by text. Two exceptions let reports whose line breaks
  were lost split as a reader would: the first child marker (ordinal one,
  deeper level) glued to a short heading (``一、工作总结(一)新冠…``), and a first
  ``一、`` or ``（一）`` glued to a title phrase ending in 总结/计划/材料/… (``…工作
  计划材料一、工作总结``). Both require that the glued text be short (at most
  60 characters) and hold no punctuation.
- **Where an enumerator counts.** At the start of a paragraph or after a
  sentence end or colon. After a comma only inside a sequence: ``，一是`` when a
  ``二是`` follows in the same paragraph, ``，二是`` when ``一是`` was accepted before
  it. Never inside a word (``统一是``, ``统一要求``); ``第一`` needs a comma or colon
  after it, so ``第一名`` and ``第一批`` stay prose.
- **Heading only or section.** A marked piece of one sentence (``一、工作总结``,
  ``（二）坚守安全底线。``) followed by deeper content (an unmarked paragraph, an
  enumerator or a deeper marker) is only a heading. A marked piece that carries
  its own body (``（一）疫情防控从严从实。稳妥处置…``) is a section that includes its
  heading, and that heading is also its own heading context. A one-sentence
  marked piece followed by a sibling, a higher heading or nothing is a list item
  and a section (a plan's ``1.做好疫情防控。`` is content), with itself as
  heading.
- **Heading text.** The piece up to its first sentence end or colon, marker
  included, without trailing punctuation: ``（一）慎终如始抓好常态化疫情防控``.
  When that lead sentence is longer than 30 characters it is cut at its first
  comma, because with line breaks lost a heading often runs into its body.
- **Titles and the like.** Short lines (at most 60 characters) with no
  sentence or clause punctuation are titles or bylines when they come before the
  first section or heading (within the first 8 pieces), right after another
  title (a title block is at most 4 lines) or a date of issue, when they read
  ``关于…的通知``, or when a title phrase runs into the first heading. A title
  clears the heading stack. A line that is only a date is a date of issue. In a
  title block, ``各位…：``, ``尊敬的…：`` and lines ending ``单位：``, ``委：`` … are
  addressees (elsewhere a line ending with a colon is a lead-in and a section).
  A short organisation name before a date of issue or at the end is a
  signature. None of these are sections.
- **Unmarked headings.** A short line (at most 30 characters, no punctuation) in
  the body, followed by a paragraph of prose, heads that prose like a marker
  deeper than all others; the next marked heading or unmarked heading replaces
  it.
- **Sections.** Every other piece. Its span excludes surrounding whitespace, and
  it must hold at least one letter or digit (a stray ``。`` left between two
  pieces of furniture is not a section). ``theme`` and ``kind`` stay ``None``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from policynlp.cleaning import CleanedText, clean
from policynlp.records import Section
from policynlp.spans import strip_span

#: Level given to a short unmarked line heading the prose under it: deeper than every marker.
UNMARKED_HEADING_LEVEL = 5

_NUMERALS = "一二三四五六七八九十"
_NUMERAL_VALUES = {numeral: value for value, numeral in enumerate(_NUMERALS, start=1)}

# One alternation for everything that can open a piece. Whether a match counts depends on
# what precedes it, which is checked afterwards (see _preceding_mark).
_OPENER = re.compile(
    # 一、 but not 一、二季度 (two numerals in a row are a range, not a heading).
    rf"(?P<level1>(?P<numeral1>[{_NUMERALS}]{{1,3}})[、．.](?![{_NUMERALS}]))"
    rf"|(?P<level2>[（(][ \t]*(?P<numeral2>[{_NUMERALS}]{{1,3}})[ \t]*[）)]、?)"
    # 1. but not 1.2万人, 95.65%, 3、4月份: a number marker never runs into another number.
    r"|(?P<level3>(?P<number3>[0-9０-９]{1,2})[ \t]*[.．、](?![0-9０-９%％‰、.．]))"
    r"|(?P<level4>[（(][ \t]*(?P<number4>[0-9０-９]{1,2})[ \t]*[）)])"
    rf"|(?P<suffixed>(?P<numeral5>[{_NUMERALS}]{{1,2}})(?P<suffix>[是要])(?![{_NUMERALS}]))"
    rf"|(?P<prefixed>(?P<prefix>其)(?P<numeral6>[{_NUMERALS}]{{1,2}})(?=[，,、：:是]))"
    # 第一， opens a point; 第一名, 第一批 and 第一、二季度 do not.
    rf"|(?P<ordinal>(?P<ordinal_prefix>第)(?P<numeral7>[{_NUMERALS}]{{1,2}})(?=[，,：:]|、(?![{_NUMERALS}])))"
)
# Outer group of each alternative of _OPENER -> (level, group holding its number).
_HEADING_NUMBER_GROUPS = {
    "level1": (1, "numeral1"),
    "level2": (2, "numeral2"),
    "level3": (3, "number3"),
    "level4": (4, "number4"),
}
# Outer group of each enumerator alternative -> (group holding its numeral, group holding its family).
_ENUMERATOR_GROUPS = {
    "suffixed": ("numeral5", "suffix"),
    "prefixed": ("numeral6", "prefix"),
    "ordinal": ("numeral7", "ordinal_prefix"),
}
# A bracketed marker whose opening bracket was lost: ")统筹抓好…" at the start of a line.
_DAMAGED_MARKER = re.compile(r"[)）](?=[^\s)）、，,。；;：:])")
_LINE = re.compile(r"[^\n\r\v\f\x1c-\x1e\x85\u2028\u2029]+")
_NON_SPACE = re.compile(r"\S")
_SENTENCE_END_OR_COLON = re.compile(r"[。！？；;!?：:]")
# Text after a sentence end that makes it a body, not just trailing punctuation.
_BODY_CHARACTER = re.compile(r"[^\s。！？；;!?：:”’\"'」』）)]")
_LETTER_OR_DIGIT = re.compile(r"[^\W_]")
_CLAUSE_PUNCTUATION = re.compile(r"[。！？；;!?，,：:]")
_TRAILING_PUNCTUATION = "。！？；;!?：:，,、.．"
_SENTENCE_BOUNDARY = frozenset("。！？；;!?：:")
_COMMA = frozenset("，,")
_COMMA_SEARCH = re.compile(r"[，,]")
# Closing quotes may sit between a sentence end and the next marker: 。”（二）
_CLOSING_QUOTES = frozenset("”’\"'」』")

_DATE_OF_ISSUE = re.compile(
    r"[（(]?\s*(?:\d{4}|[〇○零一二三四五六七八九]{4})\s*年"
    rf"(?:\s*[0-9{_NUMERALS}]{{1,3}}\s*月(?:\s*[0-9{_NUMERALS}]{{1,3}}\s*日)?)?\s*[）)]?"
    r"|[（(]?\s*\d{4}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,2}\s*[）)]?"
)
_NOTICE_TITLE = re.compile(r"关于.{1,80}的(?:通知|报告|意见|函|请示|批复|决定)")
_DOCUMENT_KIND_ENDING = re.compile(
    r"(?:总结|计划|安排|报告|要点|思路|汇报|材料|通知|意见|方案|讲话|发言|范文|汇编|完整版)[】》」”)）]*$"
)
# 各县区卫健委,市直卫生健康单位: / 各位领导、同志们: -- but not a lead-in such as 现将有关情况报告如下：
_ADDRESSEE = re.compile(
    r"(?:尊敬的|各位).{0,58}[：:]|.{0,58}(?:单位|部门|委|局|院|中心|机构|科室|同志们|领导)[：:]"
)
_ORGANISATION_ENDING = re.compile(
    r"(?:委员会|卫健委|卫生健康局|卫计委|政府|办公室|办公厅|局|委|厅|中心|医院)$"
)

_TITLE_LENGTH = 60
_GLUED_LENGTH = 60
_UNMARKED_HEADING_LENGTH = 30
# A lead phrase longer than this is cut at its first comma: with line breaks lost, a heading
# often runs into its body (``(四)基层健康服务能力持续提升完成家社康中心装修改造工作,…``).
_LONG_HEADING_LENGTH = 30
# A title block (title over several lines, subtitle, byline) is this many lines at most, and a
# preamble this many pieces: text made only of short lines must not vanish into titles.
_TITLE_RUN_LENGTH = 4
_PREAMBLE_LENGTH = 8


@dataclass(frozen=True)
class _Opener:
    """A heading marker or enumerator found at ``position``."""

    position: int
    end: int
    level: int  # 1-4 for heading markers, 0 for enumerators
    ordinal: int | None
    family: str  # "是", "要", "其", "第" for enumerators, "" for heading markers

    @property
    def is_heading(self) -> bool:
        return self.level > 0


@dataclass(frozen=True)
class _Piece:
    """A stretch of the cleaned text that is one heading, one section, or neither."""

    start: int
    end: int
    opener: _Opener | None
    closes_paragraph: bool


def segment(text: str, *, cleaned: CleanedText | None = None) -> list[Section]:
    """Split a report into unlabelled sections with their heading paths (ANNOTATION.md §2).

    Args:
        text: The report as the caller has it; page furniture may be left in.
        cleaned: ``clean(text)``, when the caller has it already; computed otherwise.

    Returns:
        Sections in text order, non-overlapping, with offsets into ``text``. Each
        carries ``heading`` (the innermost heading above it, ``""`` when none) and
        ``heading_path`` (all headings above it, outermost first, each the full
        heading text with its marker). ``theme`` and ``kind`` are ``None``.

    Raises:
        ValueError: ``cleaned`` was made from another text.
    """
    if cleaned is None:
        cleaned = clean(text)
    elif cleaned.source is not text and cleaned.source != text:
        raise ValueError("segment() was given the cleaning of another text: cleaned.source != text")
    pieces = _pieces(cleaned.text)
    roles = _roles(cleaned.text, pieces)
    return _sections(cleaned, pieces, roles)


# ---------------------------------------------------------------------------
# Pieces


def _pieces(text: str) -> list[_Piece]:
    """Split ``text`` into paragraphs at line breaks, and paragraphs where an opener counts."""
    pieces: list[_Piece] = []
    bracket_level = 2
    for line in _LINE.finditer(text):
        start, end = strip_span(text, line.start(), line.end())
        if start == end:
            continue
        if _OPENER.search(text, start, end) is None and text[start] not in ")）":
            pieces.append(_Piece(start, end, None, True))
            continue
        openers = _accepted_openers(text, start, end, bracket_level)
        for opener in openers:
            if opener.is_heading and text[opener.end - 1] in ")）":
                bracket_level = opener.level
        pieces.extend(_cut(text, start, end, openers))
    return pieces


def _cut(text: str, start: int, end: int, openers: list[_Opener]) -> list[_Piece]:
    """Cut the paragraph ``text[start:end]`` before every accepted opener."""
    bounds = [opener.position for opener in openers if opener.position > start]
    opener_at = {opener.position: opener for opener in openers}
    pieces = []
    for piece_start, piece_end in zip([start, *bounds], [*bounds, end], strict=True):
        piece_start, piece_end = strip_span(text, piece_start, piece_end)
        if piece_start < piece_end:
            pieces.append(_Piece(piece_start, piece_end, opener_at.get(piece_start), piece_end == end))
    return pieces


def _accepted_openers(text: str, start: int, end: int, bracket_level: int) -> list[_Opener]:
    """Find the openers of the paragraph ``text[start:end]`` that a reader would split at.

    Args:
        text: The cleaned text.
        start: Start of the paragraph (its first non-space character).
        end: End of the paragraph.
        bracket_level: Level of the last bracketed marker, given to a damaged marker.

    Returns:
        Accepted openers in order.
    """
    candidates = [opener for opener in _candidates(text, start, end) if _has_text_after(text, opener, end)]
    marks = [_preceding_mark(text, opener.position, start) for opener in candidates]
    # Enumerators that could be part of a list, to tell ，一是 in a list from a lone ，一是.
    listed = {
        (candidate.family, candidate.ordinal)
        for candidate, mark in zip(candidates, marks, strict=True)
        if not candidate.is_heading and mark != "other"
    }
    accepted: list[_Opener] = []
    damaged = _DAMAGED_MARKER.match(text, start)
    if damaged and not (candidates and candidates[0].position == start):
        accepted.append(_Opener(start, damaged.end(), bracket_level, None, ""))
    enumerated: set[tuple[str, int | None]] = set()
    for opener, mark in zip(candidates, marks, strict=True):
        current = accepted[-1] if accepted else None
        piece_start = current.position if current else start
        if mark in ("start", "boundary"):
            opens_piece = True
        elif opener.is_heading:
            opens_piece = _glued_first_child(text, opener, piece_start, current, start)
        else:
            opens_piece = mark == "comma" and _continues_list(opener, listed, enumerated)
        if opens_piece and (current is None or opener.position >= current.end):
            accepted.append(opener)
            if not opener.is_heading:
                enumerated.add((opener.family, opener.ordinal))
    return accepted


def _candidates(text: str, start: int, end: int) -> list[_Opener]:
    candidates = []
    for match in _OPENER.finditer(text, start, end):
        opener = _opener_from(match)
        if opener is not None:
            candidates.append(opener)
    return candidates


def _opener_from(match: re.Match[str]) -> _Opener | None:
    """Build an opener from a match of :data:`_OPENER`; ``None`` when its numeral is malformed."""
    kind = match.lastgroup
    if kind in _HEADING_NUMBER_GROUPS:
        level, group = _HEADING_NUMBER_GROUPS[kind]
        number = match.group(group)
        ordinal = _chinese_number(number) if level <= 2 else int(number)
        return None if ordinal is None else _Opener(match.start(), match.end(), level, ordinal, "")
    numeral_group, family_group = _ENUMERATOR_GROUPS[kind]
    ordinal = _chinese_number(match.group(numeral_group))
    if ordinal is None:
        return None
    return _Opener(match.start(), match.end(), 0, ordinal, match.group(family_group))


def _chinese_number(numeral: str) -> int | None:
    """Read a Chinese numeral from 一 to 九十九; ``None`` for anything else (``一二``)."""
    if numeral in _NUMERAL_VALUES:
        return _NUMERAL_VALUES[numeral]
    tens, _, units = numeral.partition("十")
    if "十" in units or len(tens) > 1 or len(units) > 1 or tens == "十" or "十" not in numeral:
        return None
    tens_value = _NUMERAL_VALUES[tens] if tens else 1
    units_value = _NUMERAL_VALUES[units] if units else 0
    return tens_value * 10 + units_value


def _has_text_after(text: str, opener: _Opener, end: int) -> bool:
    return _NON_SPACE.search(text, opener.end, end) is not None


def _preceding_mark(text: str, position: int, paragraph_start: int) -> str:
    """Classify what precedes ``position``: ``start``, ``boundary``, ``comma`` or ``other``."""
    index = position - 1
    while index >= paragraph_start and (text[index].isspace() or text[index] in _CLOSING_QUOTES):
        index -= 1
    if index < paragraph_start:
        return "start"
    if text[index] in _SENTENCE_BOUNDARY:
        return "boundary"
    return "comma" if text[index] in _COMMA else "other"


def _glued_first_child(
    text: str, opener: _Opener, piece_start: int, current: _Opener | None, paragraph_start: int
) -> bool:
    """Tell whether a first-ordinal marker glued to a short heading or title opens a piece.

    Reports whose line breaks were lost read ``一、工作总结(一)新冠…`` and
    ``…工作计划材料一、工作总结``: the marker follows its parent heading or the title
    with nothing in between.
    """
    if opener.ordinal != 1 or not 0 < opener.position - piece_start <= _GLUED_LENGTH:
        return False
    glued = text[piece_start : opener.position]
    if _CLAUSE_PUNCTUATION.search(glued):
        return False
    if current is not None:
        return current.is_heading and current.level < opener.level
    return (
        piece_start == paragraph_start
        and opener.level <= 2
        and _DOCUMENT_KIND_ENDING.search(glued) is not None
    )


def _continues_list(
    opener: _Opener, listed: set[tuple[str, int | None]], enumerated: set[tuple[str, int | None]]
) -> bool:
    """Tell whether an enumerator after a comma belongs to a sequence (，一是…，二是…)."""
    if opener.ordinal == 1:
        return (opener.family, 2) in listed
    return (opener.family, (opener.ordinal or 0) - 1) in enumerated


# ---------------------------------------------------------------------------
# Roles


def _roles(text: str, pieces: list[_Piece]) -> list[str]:
    """Give each piece a role.

    Returns:
        One of ``heading`` (a marked piece: heading only or a section, decided
        later), ``enumerated``, ``body``, ``unmarked_heading``, ``title``, ``date``,
        ``addressee`` or ``signature`` per piece.
    """
    roles: list[str] = []
    in_preamble = True
    title_run = 0
    for index, piece in enumerate(pieces):
        if piece.opener is not None:
            role = "heading" if piece.opener.is_heading else "enumerated"
        else:
            following = pieces[index + 1] if index + 1 < len(pieces) else None
            previous = roles[-1] if roles else ""
            in_title_block = previous == "date" or (previous == "title" and title_run < _TITLE_RUN_LENGTH)
            role = _plain_role(text, piece, in_preamble or in_title_block, following)
        title_run = title_run + 1 if role == "title" else 0
        if role in ("heading", "enumerated", "body", "unmarked_heading") or index + 1 >= _PREAMBLE_LENGTH:
            in_preamble = False
        roles.append(role)
    return roles


def _plain_role(text: str, piece: _Piece, in_title_block: bool, following: _Piece | None) -> str:
    """Role of a piece with no marker: a title, date, addressee, signature, heading or body.

    Args:
        text: The cleaned text.
        piece: The piece, which opens its paragraph.
        in_title_block: Whether a title-shaped line here is a title: the preamble, or
            right after a title or a date of issue.
        following: The next piece, if any.

    Returns:
        ``date``, ``addressee``, ``title``, ``signature``, ``unmarked_heading`` or ``body``.
    """
    content = text[piece.start : piece.end]
    if _DATE_OF_ISSUE.fullmatch(content):
        return "date"
    if in_title_block and _is_addressee(content):
        return "addressee"
    if len(content) > _TITLE_LENGTH or _CLAUSE_PUNCTUATION.search(content):
        return "body"
    if in_title_block or _NOTICE_TITLE.fullmatch(content):
        return "title"
    if not piece.closes_paragraph and _DOCUMENT_KIND_ENDING.search(content):
        return "title"
    next_is_date = following is not None and _DATE_OF_ISSUE.fullmatch(text[following.start : following.end])
    if _ORGANISATION_ENDING.search(content) and (following is None or next_is_date):
        return "signature"
    if (
        len(content) <= _UNMARKED_HEADING_LENGTH
        and following is not None
        and _reads_as_prose(text, following)
    ):
        return "unmarked_heading"
    return "body"


def _is_addressee(content: str) -> bool:
    return (
        len(content) <= _TITLE_LENGTH
        and _ADDRESSEE.fullmatch(content) is not None
        and _SENTENCE_END_OR_COLON.search(content, 0, len(content) - 1) is None
    )


def _reads_as_prose(text: str, piece: _Piece) -> bool:
    if piece.opener is not None and piece.opener.is_heading:
        return False
    content = text[piece.start : piece.end]
    return len(content) > _UNMARKED_HEADING_LENGTH or _CLAUSE_PUNCTUATION.search(content) is not None


# ---------------------------------------------------------------------------
# Sections


def _sections(cleaned: CleanedText, pieces: list[_Piece], roles: list[str]) -> list[Section]:
    """Walk the pieces with a heading stack and emit sections in source offsets."""
    text = cleaned.text
    stack: list[tuple[int, str]] = []
    sections: list[Section] = []
    for index, (piece, role) in enumerate(zip(pieces, roles, strict=True)):
        if role == "title":
            stack.clear()
            continue
        if role in ("date", "addressee", "signature"):
            continue
        if role == "unmarked_heading":
            _push(stack, UNMARKED_HEADING_LEVEL, text[piece.start : piece.end])
            continue
        if role == "heading":
            heading, has_body = _heading_of(text, piece)
            _push(stack, piece.opener.level, heading)
            if not has_body and _heads_next_piece(pieces, roles, index):
                continue
        sections.extend(_source_sections(cleaned, piece, tuple(heading for _, heading in stack)))
    return sections


def _push(stack: list[tuple[int, str]], level: int, heading: str) -> None:
    """Make ``heading`` the innermost heading: it replaces headings of its own and deeper levels."""
    while stack and stack[-1][0] >= level:
        stack.pop()
    stack.append((level, heading))


def _heading_of(text: str, piece: _Piece) -> tuple[str, bool]:
    """Return the heading text of a marked piece and whether the piece carries a body of its own."""
    stop = _SENTENCE_END_OR_COLON.search(text, piece.opener.end, piece.end)
    if stop is not None and _BODY_CHARACTER.search(text, stop.end(), piece.end):
        return _lead_phrase(text[piece.start : stop.start()]), True
    return _tidy_heading(text[piece.start : piece.end]), False


def _lead_phrase(sentence: str) -> str:
    """The heading a marked sentence opens with: all of it, or up to its first comma when long."""
    if len(sentence) > _LONG_HEADING_LENGTH:
        comma = _COMMA_SEARCH.search(sentence)
        if comma is not None:
            sentence = sentence[: comma.start()]
    return _tidy_heading(sentence)


def _tidy_heading(heading: str) -> str:
    return heading.strip().rstrip(_TRAILING_PUNCTUATION).strip()


def _heads_next_piece(pieces: list[_Piece], roles: list[str], index: int) -> bool:
    """Tell whether the piece after the marked piece ``index`` sits under it (is deeper)."""
    if index + 1 >= len(pieces):
        return False
    following, role = pieces[index + 1], roles[index + 1]
    if role == "heading":
        return following.opener.level > pieces[index].opener.level
    return role in ("body", "enumerated", "unmarked_heading")


def _source_sections(cleaned: CleanedText, piece: _Piece, heading_path: tuple[str, ...]) -> list[Section]:
    """Map a piece of the cleaned text to sections of the source, one per kept region it touches."""
    sections = []
    for start, end in cleaned.to_source_pieces(piece.start, piece.end):
        start, end = strip_span(cleaned.source, start, end)
        if _LETTER_OR_DIGIT.search(cleaned.source, start, end):
            sections.append(
                Section(
                    start=start,
                    end=end,
                    heading=heading_path[-1] if heading_path else "",
                    heading_path=heading_path,
                )
            )
    return sections
