from __future__ import annotations

from corpus_factory import relabel_corpus

from training.config import LabelsConfig

ENTITIES = {"METRIC": "INDICATOR", "INSTITUTION": "SCHOOL", "VALUE": "AMOUNT", "DATE": "TERM"}
THEMES = {"epidemic_response": "campus_safety", "tcm": "teaching", "infrastructure": "buildings"}
KINDS = {"summary": "done", "plan": "todo"}


def test_a_made_up_label_set_trains_and_extracts_without_code_changes(made_up_corpus, tiny_config, tmp_path):
    import policynlp
    from training.train import train

    corpus = relabel_corpus(made_up_corpus, tmp_path / "corpus", ENTITIES, THEMES, KINDS)
    labels = LabelsConfig(entity_labels=list(ENTITIES.values()), themes=list(THEMES.values()),
                          kinds=list(KINDS.values()))
    config = tiny_config.model_copy(update={
        "labels": labels,
        "data": tiny_config.data.model_copy(update={"path": corpus}),
        "output_dir": tmp_path / "model",
    })
    metrics = train(config)
    assert set(metrics["entity_f1_per_label"]) == set(ENTITIES.values())

    extractor = policynlp.load(tmp_path / "model")
    assert extractor.labels.themes == tuple(THEMES.values())
    doc = extractor.extract("工作总结\n全年推进医院项目建设，2022年县人民医院新增35家社康机构，满意度达到91.5%。")
    assert {entity.label for entity in doc.entities} <= set(ENTITIES.values())
    assert {entity.label for entity in doc.entities} & {"AMOUNT", "SCHOOL"}
    assert all(section.theme in THEMES.values() and section.kind in KINDS.values() for section in doc.sections)
