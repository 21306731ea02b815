"""The spaCy pipe, found through the spacy_factories entry point."""

from __future__ import annotations

import subprocess
import sys

import pytest
import spacy
from spacy import displacy

from policynlp.pipeline import Extractor

REPORT = (
    "金寨县卫生健康委员会2023年工作总结\n"
    "一、主要工作成效\n"
    "（一）基层卫生服务能力持续提升。全年新建村卫生室12个，家庭医生签约率达到78.5%。\n"
    "二、存在问题\n"
    "基层人才短缺，乡镇卫生院服务能力仍然薄弱。\n"
)


@pytest.fixture(scope="module")
def nlp(tiny_model_dir):
    pipeline = spacy.blank("zh")
    pipeline.add_pipe("policynlp", config={"model": str(tiny_model_dir)})
    return pipeline


def test_factory_is_found_through_the_entry_point_alone(tiny_model_dir):
    # A fresh interpreter that never imports policynlp's component module itself.
    script = (
        "import sys, spacy\n"
        "nlp = spacy.blank('zh')\n"
        f"nlp.add_pipe('policynlp', config={{'model': {str(tiny_model_dir)!r}}})\n"
        "print(nlp.pipe_names, 'policynlp.spacy_component' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("['policynlp'] True")


def test_doc_carries_entities_sections_and_indicators(nlp, tiny_model_dir):
    expected = Extractor.from_path(tiny_model_dir).extract(REPORT)
    doc = nlp(REPORT)
    assert [(span.start_char, span.end_char, span.label_) for span in doc.ents] == \
        [(entity.start, entity.end, entity.label) for entity in expected.entities]
    sections = doc.spans["sections"]
    assert [(span.start_char, span.end_char) for span in sections] == \
        [(section.start, section.end) for section in expected.sections]
    assert [span.label_ for span in sections] == [section.theme for section in expected.sections]
    assert [span._.kind for span in sections] == [section.kind for section in expected.sections]
    assert doc._.indicators == expected.indicators
    assert doc._.policynlp.text == REPORT
    for span in doc.ents:
        if span.label_ == "VALUE":
            assert span._.quantity is not None and span._.quantity.text == span.text


def test_pipe_batches_and_keeps_order(nlp):
    texts = [REPORT, REPORT[:30], "二、存在问题\n人才短缺。"]
    docs = list(nlp.pipe(texts, batch_size=2))
    assert [doc.text for doc in docs] == texts
    assert [doc._.policynlp.text for doc in docs] == texts


def test_displacy_renders_the_entities(nlp):
    doc = nlp(REPORT)
    html = displacy.render(doc, style="ent", page=False)
    assert "<mark" in html or not doc.ents
    for span in doc.ents:
        assert span.label_ in html
