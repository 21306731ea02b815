"""Running the joint model over pieces of text: prepare -> batch -> run -> merge -> decode.

A document is covered by *pieces*: its sections (classified, with their heading
path as context) and the rest of its kept text (titles, headings), tagged for
entities only. Every piece is windowed (see :mod:`policynlp.alignment`); windows
from all pieces of all documents are sorted by length and batched, so padding
stays small. Overlapping windows are merged by averaging token probabilities.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

import torch

from policynlp.alignment import (
    PieceTokens,
    Window,
    context_ids,
    decode_spans,
    make_windows,
    special_ids,
    tokenize_piece,
    viterbi_tags,
)
from policynlp.records import Section
from policynlp.runtimes import Runtime, TorchRuntime
from policynlp.spans import strip_span

CONTEXT_SEPARATOR = " / "
_LINE = re.compile(r"[^\n]+")


@dataclass(frozen=True)
class Piece:
    """A stretch of one text to encode.

    Attributes:
        start: Offset into the text.
        end: End offset (exclusive).
        context: Text placed before the piece (a heading path), may be empty.
        section: Index of the section this piece is, or ``None`` for other text.
    """

    start: int
    end: int
    context: str = ""
    section: int | None = None


@dataclass
class PiecePrediction:
    """What the model found in one piece.

    Attributes:
        spans: ``(start, end, label, score)`` entity spans, offsets into the text.
        theme: Theme probabilities (only for section pieces).
        kind: Kind probabilities (only for section pieces).
    """

    spans: list[tuple[int, int, str, float]] = field(default_factory=list)
    theme: list[float] | None = None
    kind: list[float] | None = None


def plan_pieces(
    text: str,
    sections: Sequence[Section],
    skip: Sequence[tuple[int, int]] = (),
) -> list[Piece]:
    """Cover ``text`` with pieces: one per section, and one per line of the other kept text.

    Args:
        text: The whole text.
        sections: Sections in text order (non-overlapping).
        skip: Regions not to encode at all (page furniture).

    Returns:
        Pieces in text order.
    """
    covered = sorted([(s.start, s.end) for s in sections] + [tuple(region) for region in skip])
    pieces: list[Piece] = []
    position = 0
    for start, end in covered + [(len(text), len(text))]:
        if start > position:
            for match in _LINE.finditer(text, position, start):
                line_start, line_end = strip_span(text, match.start(), match.end())
                if line_start < line_end:
                    pieces.append(Piece(line_start, line_end))
        position = max(position, end)
    for index, section in enumerate(sections):
        context = CONTEXT_SEPARATOR.join(section.heading_path)
        pieces.append(Piece(section.start, section.end, context, index))
    pieces.sort(key=lambda piece: (piece.start, piece.end))
    return pieces


@dataclass
class _Job:
    text_index: int
    piece_index: int
    tokens: PieceTokens
    windows: list[Window]


# The second character of a verb that a METRIC span may swallow: 提[高]…率, 降[低]…率.
_VERB_TAILS = {"高": "提", "低": "降", "升": "提", "少": "减", "大": "扩", "小": "缩"}


def tidy_metric_spans(text: str, spans: list[tuple[int, int, str, float]]) -> list[tuple[int, int, str, float]]:
    """Repair the two METRIC slips the tagger makes: a one-character METRIC
    (no indicator is named by one character) is dropped, and a METRIC that
    starts inside a verb (``提高食源性疾病…报告及时率``) loses the verb's tail."""
    tidy = []
    for start, end, label, score in spans:
        if label == "METRIC":
            if start > 0 and end - start > 2 and _VERB_TAILS.get(text[start]) == text[start - 1]:
                start += 1
            if end - start < 2:
                continue
        tidy.append((start, end, label, score))
    return tidy


#: Characters of text encoded at a time (see :meth:`Predictor.predict`).
CHUNK_CHARS = 16_384

#: Batches are padded to a multiple of this many tokens (see :func:`_bucket`).
WIDTH_STEP = 32


def _bucket(width: int, max_length: int) -> int:
    """The padded width of a batch whose longest window has ``width`` ids.

    CPU kernels (oneDNN) build and cache a plan, with repacked weights, for every
    input shape they meet; on a long report each distinct length would add one,
    and memory would grow with the report. Rounding up to a few widths bounds them.
    """
    return max(width, min(-(-width // WIDTH_STEP) * WIDTH_STEP, max_length))


class Predictor:
    """Batched inference of a :class:`~policynlp.modeling.PolicyModel` over pieces.

    Args:
        model: The joint model (put in eval mode here).
        tokenizer: Its fast tokenizer.
        batch_size: Windows per forward pass.
        max_length: Window length; the model config's ``window_length`` by default.
        stride: Window overlap; the model config's by default.
        decoding: ``"viterbi"`` (the best IOB2-valid tag sequence) or
            ``"argmax"`` (each token's best tag, invalid sequences repaired).
        runtime: What runs the forward pass (:mod:`policynlp.runtimes`); the
            model itself in float32 by default.
    """

    def __init__(self, model, tokenizer, batch_size: int = 16, max_length: int | None = None,
                 stride: int | None = None, decoding: str = "viterbi", runtime: Runtime | None = None):
        if decoding not in ("viterbi", "argmax"):
            raise ValueError(f"decoding must be 'viterbi' or 'argmax', not {decoding!r}")
        self.decoding = decoding
        self.model = model.eval()
        self.runtime = runtime or TorchRuntime(self.model)
        self.tokenizer = tokenizer
        self.batch_size = batch_size
        config = model.config
        limit = getattr(model.encoder.config, "max_position_embeddings", 512)
        self.max_length = min(max_length or config.window_length, limit)
        self.stride = config.stride if stride is None else stride
        self.context_tokens = config.context_tokens
        self.special = special_ids(tokenizer)
        self.tags = list(config.tags)
        self._context_cache: dict[str, tuple[int, ...]] = {}
        self.chunk_chars = CHUNK_CHARS

    def _context(self, context: str) -> tuple[int, ...]:
        if context not in self._context_cache:
            self._context_cache[context] = context_ids(self.tokenizer, context, self.context_tokens)
        return self._context_cache[context]

    def predict(self, texts: Sequence[str], pieces: Sequence[Sequence[Piece]]) -> list[list[PiecePrediction]]:
        """Predict every piece of every text.

        Args:
            texts: The texts.
            pieces: For each text, its pieces.

        Returns:
            For each text, one :class:`PiecePrediction` per piece, in the same order.
        """
        results = [[PiecePrediction() for _ in text_pieces] for text_pieces in pieces]
        # Pieces go through in chunks of about CHUNK_CHARS characters: tokens, windows and
        # probabilities of one chunk are freed before the next, so memory does not grow
        # with the length of a report, while a chunk is long enough to batch well.
        chunk: list[tuple[int, int, Piece]] = []
        size = 0
        for text_index, text_pieces in enumerate(pieces):
            for piece_index, piece in enumerate(text_pieces):
                chunk.append((text_index, piece_index, piece))
                size += piece.end - piece.start
                if size >= self.chunk_chars:
                    self._predict_chunk(texts, chunk, results)
                    chunk, size = [], 0
        if chunk:
            self._predict_chunk(texts, chunk, results)
        return results

    def _predict_chunk(self, texts: Sequence[str], chunk: list[tuple[int, int, Piece]],
                       results: list[list[PiecePrediction]]) -> None:
        jobs: list[_Job] = []
        for text_index, piece_index, piece in chunk:
            tokens = tokenize_piece(self.tokenizer, texts[text_index], piece.start, piece.end)
            windows = make_windows(tokens, self._context(piece.context), self.special, self.max_length, self.stride)
            jobs.append(_Job(text_index, piece_index, tokens, windows))

        token_sums = [torch.zeros(len(job.tokens.ids), len(self.tags)) for job in jobs]
        token_counts = [torch.zeros(len(job.tokens.ids), 1) for job in jobs]
        theme_sums: list[torch.Tensor | None] = [None] * len(jobs)
        kind_sums: list[torch.Tensor | None] = [None] * len(jobs)

        flat = [(job_index, window) for job_index, job in enumerate(jobs) for window in job.windows]
        flat.sort(key=lambda item: len(item[1].input_ids))
        pad_id = self.special[2]
        with torch.inference_mode():
            for batch_start in range(0, len(flat), self.batch_size):
                batch = flat[batch_start:batch_start + self.batch_size]
                width = _bucket(max(len(window.input_ids) for _, window in batch), self.max_length)
                input_ids = torch.full((len(batch), width), pad_id, dtype=torch.long)
                attention = torch.zeros((len(batch), width), dtype=torch.long)
                for row, (_, window) in enumerate(batch):
                    input_ids[row, : len(window.input_ids)] = torch.tensor(window.input_ids)
                    attention[row, : len(window.input_ids)] = 1
                token_logits, theme_logits, kind_logits = self.runtime(input_ids, attention)
                token_probs = token_logits.softmax(-1)
                theme_probs = theme_logits.softmax(-1)
                kind_probs = kind_logits.softmax(-1)
                for row, (job_index, window) in enumerate(batch):
                    body = slice(window.body_offset, window.body_offset + window.length)
                    target = slice(window.token_start, window.token_start + window.length)
                    token_sums[job_index][target] += token_probs[row, body]
                    token_counts[job_index][target] += 1
                    # Windows vote on the section's theme and kind in proportion to what they cover.
                    weight = max(window.length, 1)
                    theme = theme_probs[row] * weight
                    kind = kind_probs[row] * weight
                    theme_sums[job_index] = theme if theme_sums[job_index] is None else theme_sums[job_index] + theme
                    kind_sums[job_index] = kind if kind_sums[job_index] is None else kind_sums[job_index] + kind

        for job_index, job in enumerate(jobs):
            prediction = results[job.text_index][job.piece_index]
            if len(job.tokens.ids):
                probs = (token_sums[job_index] / token_counts[job_index].clamp(min=1)).numpy()
                offsets = list(job.tokens.offsets)
                # Tokens covering no character carry no tag; decode over the rest.
                kept = [index for index, (start, end) in enumerate(offsets) if start < end]
                if self.decoding == "viterbi":
                    chosen = viterbi_tags(probs[kept], self.tags)
                else:
                    chosen = probs[kept].argmax(axis=1).tolist()
                tags = [self.tags[index] for index in chosen]
                scores = probs[kept, chosen].tolist() if kept else []
                spans = decode_spans(tags, [offsets[index] for index in kept], scores)
                prediction.spans = tidy_metric_spans(texts[job.text_index], spans)
            if chunk[job_index][2].section is not None:
                theme, kind = theme_sums[job_index], kind_sums[job_index]
                prediction.theme = (theme / theme.sum()).tolist()
                prediction.kind = (kind / kind.sum()).tolist()
