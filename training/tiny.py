"""A tiny randomly initialised encoder and a character vocabulary built from data.

Used by ``configs/tiny.yaml`` and by tests: it trains in seconds on a CPU and
needs nothing downloaded.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Iterable

from tokenizers import Tokenizer, models, normalizers, pre_tokenizers
from transformers import BertConfig, BertModel, PreTrainedTokenizerFast

SPECIAL_TOKENS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


def build_character_tokenizer(texts: Iterable[str], min_count: int = 1) -> PreTrainedTokenizerFast:
    """A WordPiece tokenizer whose vocabulary is every character seen ``min_count`` times.

    Every non-space character becomes its own token (CJK, digits and Latin alike),
    so entity boundaries always fall between tokens; unseen characters become ``[UNK]``.
    """
    counts = Counter(character for text in texts for character in text if not character.isspace())
    vocabulary = {token: index for index, token in enumerate(SPECIAL_TOKENS)}
    for character, count in sorted(counts.items()):
        if count >= min_count and character not in vocabulary:
            vocabulary[character] = len(vocabulary)
    model = models.WordPiece(vocab=vocabulary, unk_token="[UNK]", max_input_chars_per_word=1)
    tokenizer = Tokenizer(model)
    tokenizer.normalizer = normalizers.NFC()
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence(
        [pre_tokenizers.WhitespaceSplit(), pre_tokenizers.Split(pattern="", behavior="isolated")]
    )
    return PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        unk_token="[UNK]",
        pad_token="[PAD]",
        cls_token="[CLS]",
        sep_token="[SEP]",
        mask_token="[MASK]",
    )


def build_tiny_encoder(
    texts: Iterable[str],
    out_dir: str | Path,
    hidden_size: int = 32,
    num_layers: int = 2,
    num_heads: int = 4,
    intermediate_size: int = 64,
    max_position: int = 512,
    seed: int = 0,
) -> Path:
    """Write a randomly initialised tiny BERT and its character tokenizer to ``out_dir``."""
    import torch

    tokenizer = build_character_tokenizer(texts)
    config = BertConfig(
        vocab_size=len(tokenizer),
        hidden_size=hidden_size,
        num_hidden_layers=num_layers,
        num_attention_heads=num_heads,
        intermediate_size=intermediate_size,
        max_position_embeddings=max_position,
        pad_token_id=tokenizer.pad_token_id,
    )
    torch.manual_seed(seed)
    model = BertModel(config, add_pooling_layer=False)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    return out
