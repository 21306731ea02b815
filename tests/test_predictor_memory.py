"""Long inputs: pieces go through in chunks and batches are padded to a few widths; answers do not change."""

from __future__ import annotations

from policynlp.inference import WIDTH_STEP, _bucket
from policynlp.pipeline import load

REPORT = (
    "某县卫生健康局2023年工作总结\n"
    "一、主要工作\n"
    "全年完成核酸检测20.9万管，县人民医院家庭医生签约率达到78.5%。\n"
    "二、存在问题\n"
    "基层人才短缺，乡镇卫生院服务能力仍然薄弱。\n"
)


def test_batch_widths_round_up_to_a_few_values_and_never_cut():
    assert _bucket(1, 192) == WIDTH_STEP
    assert _bucket(WIDTH_STEP, 192) == WIDTH_STEP
    assert _bucket(WIDTH_STEP + 1, 192) == 2 * WIDTH_STEP
    assert _bucket(190, 192) == 192
    assert _bucket(300, 192) == 300  # longer than the window: kept, never cut
    assert len({_bucket(width, 192) for width in range(1, 193)}) == 6


def _answers(extraction):
    return ([(e.start, e.end, e.label, round(e.score, 3)) for e in extraction.entities],
            [(s.start, s.end, s.theme, s.kind) for s in extraction.sections])


def test_small_chunks_give_the_same_answers_as_one_chunk(tiny_model_dir):
    texts = [REPORT * 7, REPORT, REPORT * 3]
    whole = load(tiny_model_dir, backend="torch")
    chunked = load(tiny_model_dir, backend="torch")
    chunked.predictor.chunk_chars = 40  # a chunk every piece or two
    for one, other in zip(whole.pipe(texts), chunked.pipe(texts)):
        assert _answers(one) == _answers(other)
