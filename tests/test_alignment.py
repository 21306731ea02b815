from __future__ import annotations

import pytest
from tokenizers import Tokenizer, models, normalizers, pre_tokenizers
from transformers import PreTrainedTokenizerFast

from policynlp.alignment import (
    IGNORE_INDEX,
    align_labels,
    character_tags,
    decode_spans,
    make_windows,
    special_ids,
    tokenize_piece,
)
from policynlp.schema import bio_tags
from training.tiny import build_character_tokenizer

TAGS = bio_tags(("METRIC", "INSTITUTION", "VALUE", "DATE"))
TAG_TO_ID = {tag: index for index, tag in enumerate(TAGS)}


@pytest.fixture(scope="module")
def subword_tokenizer() -> PreTrainedTokenizerFast:
    """A WordPiece tokenizer with multi-character pieces, as real checkpoints have."""
    vocabulary = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "2021", "##年", "年", "县", "人民", "##医院", "医院",
                  "新建", "17", "##家", "95", "##.", "##65", "##%", "，", "。", "ab", "##c", "（", "）", "：", "ＡＢ"]
    model = models.WordPiece({token: index for index, token in enumerate(vocabulary)}, unk_token="[UNK]")
    tokenizer = Tokenizer(model)
    tokenizer.normalizer = normalizers.BertNormalizer(lowercase=False)
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    return PreTrainedTokenizerFast(tokenizer_object=tokenizer, unk_token="[UNK]", pad_token="[PAD]",
                                   cls_token="[CLS]", sep_token="[SEP]")


@pytest.fixture(scope="module")
def character_tokenizer() -> PreTrainedTokenizerFast:
    return build_character_tokenizer(["2021年县人民医院新建17家，覆盖率95.65%。abc（）：😀"])


CASES = [
    # text, entities (start, end, label)
    ("2021年县人民医院新建17家", [(0, 5, "DATE"), (5, 10, "INSTITUTION"), (12, 15, "VALUE")]),
    ("覆盖率95.65%。", [(0, 3, "METRIC"), (3, 9, "VALUE")]),
    ("abc县医院", [(0, 3, "INSTITUTION"), (3, 6, "INSTITUTION")]),
    ("（县医院）：17家", [(1, 4, "INSTITUTION"), (6, 9, "VALUE")]),
    ("😀县医院 新建17家", [(1, 4, "INSTITUTION"), (7, 10, "VALUE")]),
    ("龘县医院", [(1, 4, "INSTITUTION")]),  # an unknown character becomes [UNK]
]


@pytest.mark.parametrize("text, entities", CASES)
@pytest.mark.parametrize("which", ["character_tokenizer", "subword_tokenizer"])
def test_alignment_round_trips_entities_through_tokens(text, entities, which, request):
    tokenizer = request.getfixturevalue(which)
    piece = tokenize_piece(tokenizer, text, 0, len(text))
    for start, end in piece.offsets:
        assert 0 <= start <= end <= len(text)
        assert text[start:end] == text[start:end].strip()
    labels = align_labels(piece.offsets, entities, TAG_TO_ID)
    tags = [TAGS[label] if label != IGNORE_INDEX else "O" for label in labels]
    decoded = [(s, e, label) for s, e, label, _ in decode_spans(tags, list(piece.offsets))]
    # Character tokens reproduce every span; subword tokens reproduce those whose edges are token edges.
    edges = {edge for offsets in piece.offsets for edge in offsets}
    expected = [entity for entity in entities if entity[0] in edges and entity[1] in edges]
    assert decoded == expected
    if which == "character_tokenizer":
        assert decoded == entities


def test_pieces_inside_longer_text_keep_absolute_offsets(character_tokenizer):
    text = "前言。2021年县人民医院新建17家"
    piece = tokenize_piece(character_tokenizer, text, 3, len(text))
    assert text[piece.offsets[0][0]:piece.offsets[4][1]] == "2021年"


def test_windows_overlap_and_cover_every_token(character_tokenizer):
    text = "县人民医院新建17家" * 20
    piece = tokenize_piece(character_tokenizer, text, 0, len(text))
    special = special_ids(character_tokenizer)
    windows = make_windows(piece, (7, 8), special, max_length=40, stride=10)
    covered = set()
    for window in windows:
        assert len(window.input_ids) <= 40
        assert window.input_ids[0] == special[0] and window.input_ids[-1] == special[1]
        assert window.input_ids[1:3] == (7, 8)
        covered.update(range(window.token_start, window.token_start + window.length))
    assert covered == set(range(len(piece.ids)))
    assert windows[1].token_start < windows[0].token_start + windows[0].length  # overlap


def test_empty_piece_still_gets_one_window(character_tokenizer):
    piece = tokenize_piece(character_tokenizer, "   ", 0, 3)
    windows = make_windows(piece, (), special_ids(character_tokenizer), 32, 8)
    assert len(windows) == 1 and windows[0].length == 0


def test_decode_repairs_invalid_bio():
    offsets = [(0, 1), (1, 2), (2, 3), (3, 4), (4, 5)]
    spans = decode_spans(["I-VALUE", "I-VALUE", "B-DATE", "I-VALUE", "O"], offsets)
    assert [(s, e, label) for s, e, label, _ in spans] == [(0, 2, "VALUE"), (2, 3, "DATE"), (3, 4, "VALUE")]


def test_character_tags_follow_iob2():
    assert character_tags(5, [(1, 3, "DATE")]) == ["O", "B-DATE", "I-DATE", "O", "O"]


def test_tidy_metric_spans_drops_one_character_metrics_and_verb_tails():
    from policynlp.inference import tidy_metric_spans

    text = "进一步提高产前筛查率，不断提高食源性疾病报告及时率，实行零差率。"
    spans = [(4, 5, "METRIC", 0.6), (5, 10, "METRIC", 0.9), (14, 25, "METRIC", 0.8), (29, 30, "METRIC", 0.5),
             (29, 30, "VALUE", 0.5)]
    assert tidy_metric_spans(text, spans) == [(5, 10, "METRIC", 0.9), (15, 25, "METRIC", 0.8), (29, 30, "VALUE", 0.5)]
