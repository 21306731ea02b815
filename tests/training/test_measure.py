from __future__ import annotations

from training.measure import pair_f1, section_start_f1

TEXT = "一、工作总结\n全县孕产妇死亡率为0，新建17家社康机构。\n二、存在问题\n基层人才不足。"


def _document():
    metric_start = TEXT.index("孕产妇死亡率")
    value_start = TEXT.index("为0") + 1
    count_start = TEXT.index("17家")
    return {
        "text": TEXT,
        "entities": [
            {"start": metric_start, "end": metric_start + 6, "label": "METRIC"},
            {"start": value_start, "end": value_start + 1, "label": "VALUE"},
            {"start": count_start, "end": count_start + 3, "label": "VALUE"},
        ],
        "sections": [
            {"start": TEXT.index("全县"), "end": TEXT.index("机构。") + 3, "theme": "maternal_child_elderly", "kind": "summary"},
            {"start": TEXT.index("基层"), "end": len(TEXT), "theme": "talent_research", "kind": "problem"},
        ],
        "links": [{"metric": [metric_start, metric_start + 6], "value": [value_start, value_start + 1]}],
    }


def test_section_start_f1_matches_the_segmenter_on_a_clear_report():
    assert section_start_f1([_document()])["section_start_f1"] == 1.0


def test_linker_on_gold_entities_links_the_metric_and_skips_the_count():
    result = pair_f1([_document()])
    assert result["matched"] == 1 and result["predicted"] == 1 and result["pair_f1"] == 1.0
