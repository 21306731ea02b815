"""Finding the page furniture of scraped reports.

Reports scraped from document and template sites arrive wrapped in the site's
chrome: breadcrumbs, upload details, page markers, share notices, advertising,
copyright footers and lists of related documents. :func:`clean` finds that
furniture and returns the kept regions of the caller's text with a map back to
its offsets; the caller's text itself is never altered.

Furniture is found in four ways, and anything not found is kept, because
deleting a sentence of the report is worse than keeping a line of chrome:

1. Whole lines that are entirely furniture (``当前位置:首页 > 工作总结 > 正文``,
   ``下载 相关 举报``, ``版权所有:…``). A line that merely mentions such words
   amid report prose is kept.
2. Inline furniture whose shape cannot be report prose, found anywhere, even
   mid-sentence (``此处隐藏11840个字``, ``第1页 / 共4页``, ``(代写文章:微信:…)``).
3. Related-document tails: from a line such as ``相关推荐`` to the end of the
   text, unless report prose (a line of two or more sentences, or a line opening
   with ``一、`` or ``（一）``) resumes, in which case the tail stops before it.
4. Chunk numbers of document sites. Such sites cut a document into chunks and
   put ``1、`` before the first chunk, which starts with the document's title
   (``1、卫生健康局2021年工作总结…一、工作总结…``), then ``2、``, ``3、`` … at the
   start of later chunks, often mid-word. A ``1、`` counts as a chunk number only
   when the title follows it: a title the page names elsewhere (file name, share
   notice, editor's note), or a title phrase that runs straight into the first
   heading (``…工作总结一、``). A real ``1、`` heading is followed by its own text,
   never by the document title, so it is kept. The later chunk numbers are
   removed together with the line break before them, so a word cut by a chunk
   boundary reads whole again in :attr:`CleanedText.text`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

#: Every kind :func:`clean` reports, with what it covers.
FURNITURE_KINDS = {
    "site_header": "site banners such as 这里是普通文章模块栏目内容页, 欢迎访问…",
    "breadcrumb": "当前位置:首页 > 工作总结 > 正文",
    "navigation": "navigation bars and 上一篇/下一篇 links",
    "upload_details": "上传人/上传时间/格式/页数/大小, 发布时间/来源 and similar metadata",
    "page_actions": "button rows such as 下载 相关 举报, 收藏 0 有帮助 0",
    "page_marker": "第1页 / 共4页, xxx.docx_第1页, - 3 -",
    "file_name": "a line that is only a file name (xxx.docx)",
    "site_label": "site labels such as 资源描述, 文档简介",
    "expand_prompt": "展开阅读全文 and similar prompts",
    "preview_notice": "亲,该文档总共4页,全部预览完了… and similar",
    "share_notice": "《…》由会员分享,可在线阅读,更多相关…请在…上搜索。",
    "editor_note": "下面是小编为大家整理的…供大家参考。",
    "hidden_notice": "此处隐藏N个字",
    "copyright": "版权所有, Copyright, ©, Powered by lines",
    "licence": "ICP licence and public-security registration lines",
    "disclaimer": "本站…, 免责声明, 本文档仅供…, a trailing 仅供参考",
    "advert": "advertising and contact lines (点击下载, 开通VIP, 扫码关注, 代写…微信…)",
    "teaser": "a [title] excerpt of another page, cut off mid-sentence",
    "related_tail": "related-document lists (相关推荐, 猜你喜欢 …) to the end of the text",
    "chunk_number": "the chunk numbers of document sites (1、 before the title, later 2、 3、 …)",
}

# In the patterns below, [^\S\n] is whitespace within a line: scraped pages pad with
# ideographic (\u3000) and no-break (\xa0) spaces as well as plain ones.
_FILE_EXTENSION = r"(?i:docx?|pdf|wps|txt|pptx?|xlsx?|rtf)"
_UPLOAD_KEYS = (
    "上传人|上传者|上传用户|上传时间|上传日期|发布时间|发布日期|发布人|发布者|发表时间|更新时间|"
    "文档编号|文档格式|文件格式|格式|文档页数|页数|文件大小|文档大小|大小|浏览次数|浏览量|阅读量|"
    "阅读次数|下载次数|下载量|点击数|点击量|收藏次数|文章来源|信息来源|来源|责任编辑|编辑|作者|"
    "字数|所属分类|文档分类|分类|贡献者"
)
# Buttons, and the font-size switch 【字体：大 中 小】. Words of two characters or more only,
# so that no single character of prose is taken for a button.
_ACTION = (
    r"下载|相关|举报|已收藏|收藏|分享到[:：]?|分享|打印本页|打印|关闭窗口|关闭|评论|点赞|有帮助|"
    r"没帮助|无帮助|纠错|复制链接|复制|返回顶部|在线客服|联系客服|客服|投诉|QQ空间|微信|微博|VIP|vip|"
    r"[【\[]?字[体号][^\S\n]*[:：]?[^\S\n]*[【\[]?大[】\]]?[^\S\n]*[【\[]?中[】\]]?[^\S\n]*[【\[]?小[】\]]?[】\]]?"
)
_ADVERT_PHRASES = (
    r"点击下载|立即下载|免费下载|下载本文|下载文档|下载全文|下载此文档|文档下载|下载地址|"
    r"开通[^\S\n]*VIP|VIP[^\S\n]*(?:会员|专享|免费|下载|特权|尊享)|(?:成为|升级|购买|加入)[^\S\n]*VIP|"
    r"扫码关注|扫码下载|扫一扫关注|微信扫一扫|长按识别|关注(?:微信)?公众号|关注我们|"
    r"代写|抖音账号|抖音号|免费领取|(?:微信|QQ|qq|VX|vx)号?[^\S\n]*[:：]?[^\S\n]*[A-Za-z0-9_-]{6,}"
)
_PAGE_OF_PAGES = r"第[^\S\n]*\d{1,4}[^\S\n]*页[^\S\n]*[/／][^\S\n]*共[^\S\n]*\d{1,4}[^\S\n]*页"
_HIDDEN_COUNT = r"此处隐藏[^\S\n]*[:：]?[^\S\n]*[0-9０-９]{1,9}[^\S\n]*个?字"

# Patterns for a line that is entirely furniture, by kind. Each matches the line's
# content without its surrounding blanks; quantifiers are bounded so that a long
# line of prose costs a bounded number of steps per pattern.
_LINE_PATTERNS = {
    "site_header": (
        r"这里是[^\n]{0,30}?(?:内容页|栏目|模块|页面)[^\n]{0,10}?|欢迎(?:光临|访问|来到)[^\n]{0,40}?"
        r"|设为首页[^\n]{0,40}?"
    ),
    "breadcrumb": (
        r"(?:当前位置|您的位置|你的位置|您现在的位置|你现在的位置|现在的位置|所在位置)[^\S\n]*[:：]"
        r"[^\n]{0,150}?|首页[^\S\n]*[>›»][^\n]{0,150}?"
    ),
    "navigation": (
        r"(?:上一篇|下一篇|上一页|下一页|返回列表|返回首页)(?:[^\S\n]*[:：][^\n]{0,100}?)?"
        r"|首页(?:[^\S\n]*[|｜][^\S\n]*[^\s|｜]{1,12}){2,20}"
    ),
    "upload_details": rf"(?:{_UPLOAD_KEYS})[^\S\n]*[:：][^\n]{{0,200}}?",
    # Buttons may sit one per line with their counters under them (收藏\n0\n有帮助\n0).
    "page_actions": rf"(?:{_ACTION})(?:\s*(?:{_ACTION}|\d{{1,7}}(?!\d)))*",
    "page_marker": (
        _PAGE_OF_PAGES + r"|第[^\S\n]*\d{1,4}[^\S\n]*页[^\S\n]*共[^\S\n]*\d{1,4}[^\S\n]*页"
        r"|共[^\S\n]*\d{1,4}[^\S\n]*页[^\S\n]*[,，]?[^\S\n]*第[^\S\n]*\d{1,4}[^\S\n]*页"
        r"|[-—–][^\S\n]*\d{1,4}[^\S\n]*[-—–]|(?i:page)[^\S\n]*\d{1,4}(?:[^\S\n]*(?i:of)[^\S\n]*\d{1,4})?"
        rf"|[^\n]{{1,150}}?\.{_FILE_EXTENSION}_第\d{{1,4}}页"
    ),
    "file_name": rf"[^\n]{{1,150}}?\.{_FILE_EXTENSION}",
    "site_label": (
        r"资源描述|文档描述|内容简介|文档简介|文档介绍|文章正文|文档内容|正文|全文预览|文本预览|内容预览"
    ),
    "expand_prompt": r"(?:点击)?(?:展开阅读全文|展开全文|阅读全文|查看全文|收起全文|收起)(?:[^\S\n]*[>»∨]+)?",
    # Latin copyright words never occur in report prose; 版权所有 may, but then in a sentence
    # that ends with 。, which a footer line never holds.
    "copyright": (
        r"(?=[^\n]{0,200}$)[^\n]*?(?:(?i:copyright)|©|(?i:all rights reserved)|(?i:powered by))[^\n]*"
        r"|(?=[^\n。]{0,200}$)[^\n]*?版权所有[^\n]*"
    ),
    "licence": (
        r"(?=[^\n]{0,200}$)[^\n]*?(?:ICP[备证]|公网安备)[^\n]*"
        r"|(?=[^\n。]{0,200}$)[^\n]*?(?:经营许可证|增值电信业务)[^\n]*"
    ),
    "disclaimer": (
        r"(?:本站|本网站|免责声明|声明[:：]|本文档仅供|本文仅供|本文档由|如有侵权|"
        r"若(?:文档|本文)所含内容侵犯|文档内容仅供|以上内容仅供)[^\n]*"
    ),
    # Short and without a full stop: 群众可免费下载电子健康卡。 is a report sentence.
    "advert": rf"(?=[^\n。]{{0,100}}$)[^\n]*?(?:{_ADVERT_PHRASES})[^\n]*",
    # A site's excerpt of a page: "[title]" then text cut off before its sentence ends.
    "teaser": r"\[(?=[^\[\]\n]{0,60}[\u4e00-\u9fff])[^\[\]\n]{2,60}\][^\n]{0,300}?(?<![。！？!?”.])",
}

# Furniture whose shape cannot be report prose, so it is found anywhere, even mid-sentence.
_INLINE_PATTERNS = {
    "hidden_notice": rf"[（(【\[][^\S\n]*{_HIDDEN_COUNT}[^\S\n]*[）)】\]]|{_HIDDEN_COUNT}",
    "page_marker": _PAGE_OF_PAGES,
    "preview_notice": (
        r"亲[^\S\n]*[,，]?[^\S\n]*该文档总共[^\S\n]*\d{1,4}[^\S\n]*页[^\n!！。]{0,60}[!！。]?"
        r"|(?:还剩|剩余)[^\S\n]*\d{1,4}[^\S\n]*页未读(?:[^\S\n]*[,，]?[^\S\n]*(?:继续阅读|点击阅读全文))?"
        r"|(?:预览|试读)已结束(?:[,，][^\n。!！]{0,40})?[。!！]?|本文档为免费文档[^\n。!！]{0,40}[。!！]?"
    ),
    "share_notice": (
        r"《[^《》\n]{1,150}》由(?:会员|用户|网友)分享[^\n]{0,300}?请在[^\n]{0,40}?上搜索[。.!！]?"
    ),
    "editor_note": (
        r"(?:下面|以下|这)是小编(?:为大家|为您|为你|给大家|帮大家)?(?:精心)?"
        r"(?:整理|收集|搜集|精选|准备|编辑)[^\n]{0,200}?"
        r"(?:供大家参考|仅供参考|欢迎阅读|欢迎大家阅读|希望对(?:大家|您|你)有所帮助|希望能?(?:帮助|帮)到(?:大家|您|你))"
        r"[^\n。!！]{0,30}[。!！]?"
    ),
    "expand_prompt": r"展开阅读全文",
    # An advertisement in brackets with a contact, dropped into the middle of a sentence.
    "advert": (
        r"[（(][^()（）\n]{0,20}?(?:代写[^()（）\n]{0,40}"
        r"|(?:微信|QQ|qq|VX|vx|V信)号?[^\S\n]*[:：]?[^\S\n]*[A-Za-z0-9_-]{6,}[^()（）\n]{0,20})[)）]"
    ),
    # 仅供参考 appended by the site after the report's last sentence, ending the line.
    "disclaimer": (
        r"(?<=[。！？!?；;])[^\S\n]*仅供(?:参考学习|学习参考|参考|学习|借鉴)[。.!！]?(?=[^\S\n]*$)"
        r"|本文档仅供(?:参考|学习|交流|阅读)[^\n。!！]{0,30}[。!！]?"
    ),
    "upload_details": (
        r"(?:发布时间|上传时间|发布日期|更新时间)[^\S\n]*[:：][^\S\n]*"
        r"\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?(?:[^\S\n]+\d{1,2}:\d{2}(?::\d{2})?)?"
        r"(?:[^\S\n]*(?:来源|作者|浏览次数|浏览|阅读量|阅读|点击)[^\S\n]*[:：][^\S\n]*[^\s。，,；;]{1,20})*"
    ),
    "breadcrumb": (
        r"(?:当前位置|您的位置|你的位置|您现在的位置)[^\S\n]*[:：][^\S\n]*首页[^\n]{0,80}?[>›»][^\S\n]*正文"
    ),
}


def _named_alternation(patterns: dict[str, str]) -> str:
    return "|".join(f"(?P<{kind}>{pattern})" for kind, pattern in patterns.items())


# Leading blanks are taken possessively and a blank line is rejected at once: a line of
# 200,000 spaces must not be retried from every one of its positions.
_LINE_FURNITURE = re.compile(
    rf"^[^\S\n]*+(?=\S)(?:{_named_alternation(_LINE_PATTERNS)})[^\S\n]*$", re.MULTILINE
)
_INLINE_FURNITURE = re.compile(_named_alternation(_INLINE_PATTERNS), re.MULTILINE)

_TAIL_MARKER = re.compile(
    r"^[^\S\n]*+(?:相关文档|相关推荐|猜你喜欢|热门文章|相关资源|相关搜索|相关阅读|推荐阅读|热门推荐|"
    r"热门文档|最新文章|最新文档|精选文章|精品文档|延伸阅读|相关文章|相关范文|热门搜索|大家都在看|"
    r"为你推荐|为您推荐|你可能(?:还)?(?:感兴趣|喜欢)的?(?:文章|文档)?|更多相关(?:文章|文档|内容)?|"
    r"相关专题|本文关键词)[^\S\n]*[:：]?[^\S\n]*$",
    re.MULTILINE,
)
_SENTENCE_END = re.compile(r"[。！？!?]")
# A line opening with a top-level heading marker is the report, not a list of related documents.
_REPORT_HEADING_START = re.compile(
    r"\s*(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)])"
)

_CHUNK_PREFIX = re.compile(r"^[^\S\n]*+(1、)", re.MULTILINE)
_CHUNK_NUMBER_LINE = re.compile(r"^[^\S\n]*+(\d{1,4})、", re.MULTILINE)
# A title phrase that runs straight into the first heading, as chunked documents do.
_TITLE_BEFORE_FIRST_HEADING = re.compile(
    r"[^\n。！？；;!?，,：:]{2,60}?(?:总结|计划|安排|报告|要点|思路|汇报|材料)(?:【[^】\n]{1,6}】)?"
    r"(?=[一二三四五六七八九十]、|[（(][一二三四五六七八九十][）)])"
)
# Where the page names the document: its file name, a page marker, a share notice, an editor's note.
_NAMED_TITLE = {
    "file_name": re.compile(rf"(.{{2,150}}?)\.{_FILE_EXTENSION}$", re.DOTALL),
    "page_marker": re.compile(rf"(.{{2,150}}?)\.{_FILE_EXTENSION}_第", re.DOTALL),
    "share_notice": re.compile(rf"《([^《》]{{2,150}}?)(?:\.{_FILE_EXTENSION})?》"),
    "editor_note": re.compile(r"(?:整理|收集|搜集|精选|准备|编辑)(?:的|了)([^,，。\n]{2,80})[,，]"),
}


@dataclass(frozen=True)
class Furniture:
    """A stretch of page furniture in the source text.

    Attributes:
        start: Offset into the source text.
        end: End offset (exclusive).
        kind: What it is, one of :data:`FURNITURE_KINDS`, e.g. ``"site_header"``,
            ``"page_marker"``, ``"hidden_notice"``.
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
        furniture: What was removed, with its kind, in order, non-overlapping.
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

    def to_source_pieces(self, start: int, end: int) -> list[tuple[int, int]]:
        """Map a span of :attr:`text` to the source spans it was cut from.

        Unlike :meth:`to_source_span`, the result never covers furniture: a span of
        the cleaned text that crosses removed furniture comes back as one source span
        per kept region it touches.

        Args:
            start: Start offset into :attr:`text`.
            end: End offset into :attr:`text` (exclusive).

        Returns:
            Non-empty ``(start, end)`` source spans, in order.

        Raises:
            IndexError: The span lies outside :attr:`text`.
        """
        if not 0 <= start <= end <= len(self.text):
            raise IndexError(f"span ({start}, {end}) outside the cleaned text of length {len(self.text)}")
        pieces = []
        index = max(bisect_right(self._starts, start) - 1, 0)
        while index < len(self.regions) and self._starts[index] < end:
            region_start, region_end = self.regions[index]
            offset = self._starts[index]
            piece_start = max(start, offset) - offset + region_start
            piece_end = min(end - offset + region_start, region_end)
            if piece_start < piece_end:
                pieces.append((piece_start, piece_end))
            index += 1
        return pieces


def clean(text: str) -> CleanedText:
    """Find the page furniture of a scraped report; the caller's text is never altered.

    Args:
        text: The scraped text, as it is.

    Returns:
        The kept regions of ``text``, the furniture found, and the kept text with a
        map back to offsets in ``text``. Text with no furniture comes back whole.
    """
    found = [*_line_furniture(text), *_inline_furniture(text)]
    found += _related_tails(text, _merge(found))
    found += _chunk_numbers(text, found)
    furniture = _merge(found)
    return CleanedText(source=text, regions=_kept_regions(furniture, len(text)), furniture=furniture)


def _line_furniture(text: str) -> Iterator[Furniture]:
    for match in _LINE_FURNITURE.finditer(text):
        kind = match.lastgroup
        start, end = match.span(kind)
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            yield Furniture(start, end, kind)


def _inline_furniture(text: str) -> Iterator[Furniture]:
    for match in _INLINE_FURNITURE.finditer(text):
        if match.end() > match.start():
            yield Furniture(match.start(), match.end(), match.lastgroup)


def _related_tails(text: str, furniture: tuple[Furniture, ...]) -> list[Furniture]:
    """Find related-document tails: from a marker line to the end, unless the report resumes.

    Args:
        text: The source text.
        furniture: Furniture found so far, sorted and non-overlapping; lines inside it
            never end a tail, even when they read like prose (``本站为文档C2C交易模式…``).

    Returns:
        One ``related_tail`` furniture per tail.
    """
    tails = []
    starts = [item.start for item in furniture]
    position = 0
    while (marker := _TAIL_MARKER.search(text, position)) is not None:
        end = _tail_end(text, marker.end(), furniture, starts)
        tails.append(Furniture(marker.start() + _leading_blanks(marker.group()), end, "related_tail"))
        position = max(end, marker.end() + 1)
    return tails


def _tail_end(text: str, position: int, furniture: tuple[Furniture, ...], starts: list[int]) -> int:
    """Return where a tail whose marker ends at ``position`` ends: after its last line before report prose."""
    end = position
    while position < len(text):
        line_end = text.find("\n", position)
        line_end = len(text) if line_end < 0 else line_end
        line = text[position:line_end]
        if line.strip():
            first = position + _leading_blanks(line)
            if not _covered(first, furniture, starts) and _looks_like_report(line):
                return end
            end = position + len(line.rstrip())
        position = line_end + 1
    return end


def _looks_like_report(line: str) -> bool:
    stripped = line.strip()
    if _REPORT_HEADING_START.match(stripped):
        return True
    return len(stripped) >= 50 and len(_SENTENCE_END.findall(stripped)) >= 2


def _covered(position: int, furniture: tuple[Furniture, ...], starts: list[int]) -> bool:
    index = bisect_right(starts, position) - 1
    return index >= 0 and furniture[index].start <= position < furniture[index].end


def _leading_blanks(line: str) -> int:
    return len(line) - len(line.lstrip())


def _chunk_numbers(text: str, furniture: list[Furniture]) -> list[Furniture]:
    """Find the chunk numbers of a document site: ``1、`` before the title, then ``2、``, ``3、`` …"""
    titles = _named_titles(text, furniture)
    for match in _CHUNK_PREFIX.finditer(text):
        after = match.end(1)
        if any(text.startswith(title, after) for title in titles) or _TITLE_BEFORE_FIRST_HEADING.match(
            text, after
        ):
            return [Furniture(match.start(1), after, "chunk_number"), *_later_chunk_numbers(text, after)]
    return []


def _later_chunk_numbers(text: str, position: int) -> Iterator[Furniture]:
    expected = 2
    for match in _CHUNK_NUMBER_LINE.finditer(text, position):
        if match.group(1) != str(expected):
            continue
        start = match.start()
        while start > position and text[start - 1].isspace():
            start -= 1
        yield Furniture(start, match.end(), "chunk_number")
        expected += 1


def _named_titles(text: str, furniture: Iterable[Furniture]) -> set[str]:
    """Collect the document titles the page names in its furniture (file name, share notice …)."""
    titles = set()
    for item in furniture:
        pattern = _NAMED_TITLE.get(item.kind)
        match = pattern.search(text, item.start, item.end) if pattern else None
        if match and len(match.group(1).strip()) >= 4:
            titles.add(match.group(1).strip())
    return titles


def _merge(furniture: list[Furniture]) -> tuple[Furniture, ...]:
    """Sort furniture and fold overlapping stretches into the earliest one."""
    merged: list[Furniture] = []
    for item in sorted(furniture, key=lambda f: (f.start, -f.end)):
        if item.end <= item.start:
            continue
        if merged and item.start < merged[-1].end:
            last = merged[-1]
            if item.end > last.end:
                merged[-1] = Furniture(last.start, item.end, last.kind)
            continue
        merged.append(item)
    return tuple(merged)


def _kept_regions(furniture: tuple[Furniture, ...], length: int) -> tuple[tuple[int, int], ...]:
    regions, position = [], 0
    for item in furniture:
        if item.start > position:
            regions.append((position, item.start))
        position = max(position, item.end)
    if position < length:
        regions.append((position, length))
    return tuple(regions)
