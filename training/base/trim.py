"""Trim the multilingual vocabulary to the pieces Chinese reports use.

multilingual-e5-small has 250,002 pieces and its word embedding holds 96M of its
118M parameters. Chinese health reports need a small part of it. The ``zh`` trim
keeps a piece when, ignoring the ``▁`` word marker, it is

* made only of CJK characters, ASCII digits, and punctuation or symbols
  (Unicode categories P and S: ``，``, ``%``, ``+``, ``≥``, ``℃``), any length;
* a single ASCII character (so any ASCII text can still be spelled);
* made only of upper-case ASCII letters, digits and punctuation: the
  abbreviations reports write in Latin script (``DRG``, ``ICU``, ``HPV``);
* one of the special tokens, or a piece of e5's prompts (``passage: ``,
  ``query: ``), so e5-style inputs tokenise as before.

Dropping pieces never changes the tokenisation of a text whose untrimmed
tokenisation uses only kept pieces: the best Unigram path is still available and
nothing better was added. Under ``zh``, lower-case and mixed-case Latin words
(``App``, ``e-health``) are spelled in shorter pieces; ``zh-latin`` also keeps
every ASCII piece, so any text of Chinese, digits, punctuation and ASCII
tokenises exactly as untrimmed, at about 80,000 more embedding rows.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from training.base.tokenizer import SPECIAL_TOKENS, WORD_MARKER

TRIMS = ("zh", "zh-latin", "none")

# Pieces that e5's "passage: " and "query: " prompts tokenise into.
PROMPT_PIECES = ("▁passage", "▁query", ":")

_CJK_RANGES = (
    (0x2E80, 0x2FDF),  # CJK and Kangxi radicals
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3400, 0x4DBF),  # extension A
    (0x4E00, 0x9FFF),  # unified ideographs
    (0xF900, 0xFAFF),  # compatibility ideographs
    (0xFE30, 0xFE4F),  # compatibility forms
    (0xFF00, 0xFFEF),  # half- and full-width forms
    (0x20000, 0x2FFFF),  # extensions B and later
)


def is_cjk(character: str) -> bool:
    """True for Chinese characters and CJK punctuation and forms."""
    code_point = ord(character)
    return any(low <= code_point <= high for low, high in _CJK_RANGES)


def is_punctuation_or_symbol(character: str) -> bool:
    """True for Unicode punctuation (P*) and symbols (S*)."""
    return unicodedata.category(character)[0] in "PS"


def keeps_piece(piece: str, latin: bool = False) -> bool:
    """Whether the ``zh`` trim (``zh-latin`` if ``latin``) keeps ``piece``, special tokens aside."""
    if piece in PROMPT_PIECES:
        return True
    body = piece.replace(WORD_MARKER, "")
    if not body:
        return True  # the bare word marker
    if all(is_cjk(c) or "0" <= c <= "9" or is_punctuation_or_symbol(c) for c in body):
        return True
    if len(body) == 1 and body.isascii():
        return True
    if latin:
        return body.isascii()
    return body.isascii() and all(c.isupper() or c.isdigit() or is_punctuation_or_symbol(c) for c in body)


def select_pieces(pieces: Sequence[str], trim: str) -> list[int]:
    """Ids of the pieces to keep, ascending, special tokens included.

    Ascending order keeps ``<s>``, ``<pad>``, ``</s>``, ``<unk>`` at ids 0-3 and
    ``<mask>`` last, as in the untrimmed vocabulary.

    Args:
        pieces: The untrimmed vocabulary.
        trim: One of :data:`TRIMS`.

    Raises:
        ValueError: For an unknown trim.
    """
    if trim == "none":
        return list(range(len(pieces)))
    if trim not in TRIMS:
        raise ValueError(f"unknown trim {trim!r}; expected one of {', '.join(TRIMS)}")
    latin = trim == "zh-latin"
    return [index for index, piece in enumerate(pieces) if piece in SPECIAL_TOKENS or keeps_piece(piece, latin)]
