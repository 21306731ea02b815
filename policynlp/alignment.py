"""Characters <-> tokens: windows over a piece of text, label alignment, span decoding.

This is the one place where character offsets meet token positions. A *piece*
is a stretch of the caller's text (a section, a heading, a title line) that is
encoded on its own, optionally after a context string (its heading path):

    [CLS] context [SEP] piece tokens (one window) [SEP]

Long pieces are cut into overlapping windows; every piece token keeps its
character offsets into the caller's text, so predictions from several windows
can be merged and spans mapped back exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from policynlp.schema import OUTSIDE

IGNORE_INDEX = -100


@dataclass(frozen=True)
class PieceTokens:
    """The tokens of one piece, with character offsets into the caller's text.

    Attributes:
        ids: Token ids, no special tokens.
        offsets: ``(start, end)`` per token into the caller's text; tokens that
            cover no character (``start == end``) carry no label.
    """

    ids: tuple[int, ...]
    offsets: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Window:
    """One encoder input over part of a piece.

    Attributes:
        input_ids: ``[CLS] context [SEP] tokens [SEP]``.
        token_start: Index of the window's first piece token.
        body_offset: Position in ``input_ids`` of the first piece token.
        length: Number of piece tokens in the window.
    """

    input_ids: tuple[int, ...]
    token_start: int
    body_offset: int
    length: int


def special_ids(tokenizer) -> tuple[int, int, int]:
    """``(cls, sep, pad)`` ids for BERT-style (``[CLS]``) and XLM-R-style (``<s>``) tokenizers."""
    cls_id = tokenizer.cls_token_id if tokenizer.cls_token_id is not None else tokenizer.bos_token_id
    sep_id = tokenizer.sep_token_id if tokenizer.sep_token_id is not None else tokenizer.eos_token_id
    pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
    if cls_id is None or sep_id is None:
        raise ValueError("the tokenizer has neither [CLS]/[SEP] nor <s>/</s> special tokens")
    return cls_id, sep_id, pad_id


def tokenize_piece(tokenizer, text: str, start: int, end: int) -> PieceTokens:
    """Tokenize ``text[start:end]`` and shift its offsets into ``text``.

    Offsets are clipped to the piece and trimmed of the whitespace some
    tokenizers fold into a word-initial token, so a token never claims a space.
    """
    if end <= start:
        return PieceTokens((), ())
    piece = text[start:end]
    # Pieces longer than the model's limit are fine here: they are cut into windows afterwards.
    encoding = tokenizer(piece, add_special_tokens=False, return_offsets_mapping=True, verbose=False)
    ids, offsets = [], []
    for token_id, (token_start, token_end) in zip(encoding["input_ids"], encoding["offset_mapping"]):
        while token_start < token_end and piece[token_start].isspace():
            token_start += 1
        while token_end > token_start and piece[token_end - 1].isspace():
            token_end -= 1
        ids.append(token_id)
        offsets.append((start + token_start, start + token_end) if token_start < token_end else (start + token_start,) * 2)
    return PieceTokens(tuple(ids), tuple(offsets))


def context_ids(tokenizer, context: str, max_tokens: int) -> tuple[int, ...]:
    """Token ids of a context string (a heading path), keeping its last ``max_tokens``."""
    if not context or max_tokens <= 0:
        return ()
    ids = tokenizer(context, add_special_tokens=False, verbose=False)["input_ids"]
    return tuple(ids[-max_tokens:])


def make_windows(
    piece: PieceTokens,
    context: tuple[int, ...],
    special: tuple[int, int, int],
    max_length: int,
    stride: int,
) -> list[Window]:
    """Cut a piece into windows of at most ``max_length`` ids that overlap by ``stride`` tokens.

    A piece with no tokens still gets one window (so a section is always classified).
    """
    cls_id, sep_id, _ = special
    prefix = (cls_id, *context, sep_id) if context else (cls_id,)
    room = max_length - len(prefix) - 1
    if room < 8:
        raise ValueError(f"max_length {max_length} leaves only {room} tokens after a context of {len(context)}")
    step = max(room - stride, 1)
    windows = []
    position = 0
    total = len(piece.ids)
    while True:
        body = piece.ids[position:position + room]
        windows.append(Window(prefix + body + (sep_id,), position, len(prefix), len(body)))
        if position + room >= total:
            return windows
        position += step


def align_labels(
    offsets: tuple[tuple[int, int], ...],
    entities: list[tuple[int, int, str]],
    tag_to_id: dict[str, int],
) -> list[int]:
    """IOB2 tag ids for tokens from character-offset entities.

    A token takes ``B-X`` when it starts where entity X starts, ``I-X`` when it
    starts inside X, and ``O`` otherwise; tokens covering no character get
    :data:`IGNORE_INDEX`. Entities are ``(start, end, label)``, non-overlapping.
    """
    ordered = sorted(entities)
    labels, index = [], 0
    for token_start, token_end in offsets:
        if token_start == token_end:
            labels.append(IGNORE_INDEX)
            continue
        while index < len(ordered) and ordered[index][1] <= token_start:
            index += 1
        if index < len(ordered) and ordered[index][0] < token_end:
            entity_start, _, label = ordered[index]
            prefix = "B" if token_start <= entity_start else "I"
            labels.append(tag_to_id[f"{prefix}-{label}"])
        else:
            labels.append(tag_to_id[OUTSIDE])
    return labels


def decode_spans(
    tags: list[str],
    offsets: list[tuple[int, int]],
    scores: list[float] | None = None,
) -> list[tuple[int, int, str, float]]:
    """Turn per-token IOB2 tags into character spans ``(start, end, label, score)``.

    Invalid sequences are repaired the usual way: an ``I-X`` that does not
    continue an X entity starts one. The score is the mean token probability.
    Tokens covering no character are skipped.
    """
    spans: list[tuple[int, int, str, float]] = []
    current: list | None = None  # [start, end, label, score_sum, count]

    def close() -> None:
        if current is not None:
            spans.append((current[0], current[1], current[2], current[3] / current[4]))

    for index, (tag, (start, end)) in enumerate(zip(tags, offsets)):
        if start == end:
            continue
        score = 1.0 if scores is None else scores[index]
        if tag == OUTSIDE or "-" not in tag:
            close()
            current = None
            continue
        prefix, label = tag.split("-", 1)
        if prefix == "I" and current is not None and current[2] == label:
            current[1] = end
            current[3] += score
            current[4] += 1
        else:
            close()
            current = [start, end, label, score, 1]
    close()
    return spans


def allowed_transitions(tags: list[str]) -> np.ndarray:
    """``allowed[i, j]`` is true when tag ``j`` may follow tag ``i`` under IOB2."""
    allowed = np.ones((len(tags), len(tags)), dtype=bool)
    for j, tag in enumerate(tags):
        if tag.startswith("I-"):
            label = tag[2:]
            allowed[:, j] = [other in (f"B-{label}", f"I-{label}") for other in tags]
    return allowed


def viterbi_tags(probs: np.ndarray, tags: list[str]) -> list[int]:
    """The most probable IOB2-valid tag sequence under per-token probabilities.

    Argmax tagging followed by repair splits an entity wherever one token in
    its middle slips to ``O`` or to another label; decoding over valid
    sequences only keeps it whole when the surrounding tokens are confident.
    Where the argmax sequence is already valid it is returned unchanged.

    Args:
        probs: ``(tokens, tags)`` probabilities.
        tags: The tag names, in column order.

    Returns:
        One tag index per token.
    """
    if len(probs) == 0:
        return []
    best = probs.argmax(axis=1)
    allowed = allowed_transitions(tags)
    starts_ok = np.array([not tag.startswith("I-") for tag in tags])
    if starts_ok[best[0]] and all(allowed[a, b] for a, b in zip(best[:-1], best[1:])):
        return best.tolist()
    emissions = np.log(np.clip(probs, 1e-12, None))
    penalty = np.where(allowed, 0.0, -np.inf)
    score = np.where(starts_ok, emissions[0], -np.inf)
    back = np.zeros(probs.shape, dtype=np.int64)
    for position in range(1, len(probs)):
        candidates = score[:, None] + penalty
        back[position] = candidates.argmax(axis=0)
        score = candidates.max(axis=0) + emissions[position]
    path = [int(score.argmax())]
    for position in range(len(probs) - 1, 0, -1):
        path.append(int(back[position, path[-1]]))
    return path[::-1]


def character_tags(length: int, spans: list[tuple[int, int, str]]) -> list[str]:
    """IOB2 tags per character, for strict span evaluation with seqeval."""
    tags = [OUTSIDE] * length
    for start, end, label in spans:
        if start >= end:
            continue
        tags[start] = f"B-{label}"
        for index in range(start + 1, end):
            tags[index] = f"I-{label}"
    return tags
