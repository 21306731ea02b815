"""Traditional characters -> simplified, keeping every character where it was.

The model, the segmenter and the quantity parser all read simplified Chinese.
A report in traditional characters (衛生健康局工作總結) is converted with OpenCC
before it reaches them, and the result has the caller's length character for
character, so every offset found in the converted text indexes the caller's
text unchanged and every span's text is cut from the caller's text.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Lone surrogates are valid in a Python str but in no encoding a tokenizer reads.
_SURROGATE = re.compile("[\ud800-\udfff]")


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=65536)
def _convert_char(char: str) -> str:
    converted = _converter().convert(char)
    return converted if len(converted) == 1 else char


def to_simplified(text: str) -> str:
    """``text`` with traditional characters made simplified, at the same length.

    OpenCC converts phrase by phrase; where that changes the length anywhere
    (a phrase mapped to a longer or shorter one), every character is converted
    on its own instead, which keeps the alignment exact. Characters OpenCC does
    not know, and all non-Chinese text, are left as they are.
    """
    if text.isascii():
        return text
    converted = _converter().convert(text)
    if len(converted) == len(text):
        return converted
    return "".join(_convert_char(char) for char in text)


def reading_form(text: str, simplify: bool = True) -> str:
    """What the model reads for ``text``: lone surrogates as U+FFFD, optionally simplified.

    The result always has ``len(text)`` characters, aligned with ``text``.
    """
    if _SURROGATE.search(text):
        text = _SURROGATE.sub("\ufffd", text)
    return to_simplified(text) if simplify else text
