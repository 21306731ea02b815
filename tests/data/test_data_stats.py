from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from policynlp.data.documents import AnnotatedDocument
from policynlp.data.jsonl import read_documents, write_documents
from policynlp.data.overlap import character_ngrams, overlap_scores, split_overlap
from policynlp.data.stats import corpus_stats
from policynlp.schema import THEMES

FIXTURES = Path(__file__).parent / "fixtures"
CORPUS = FIXTURES / "corpus"


def test_stats_count_entities_sections_and_links_per_split():
    stats = corpus_stats(CORPUS)
    assert list(stats.splits) == ["train", "dev", "test"]
    train = stats.splits["train"]
    assert train.documents == 4
    assert train.entities == {"METRIC": 5, "INSTITUTION": 4, "VALUE": 7, "DATE": 2}
    assert train.themes["overview"] == 1 and train.themes["primary_care"] == 1 and train.themes["tcm"] == 1
    assert train.kinds == {"summary": 3, "plan": 1, "problem": 1}
    assert train.section_count == 5 and train.links == 5
    assert stats.splits["test"].entities == {"METRIC": 0, "INSTITUTION": 0, "VALUE": 0, "DATE": 0}


def test_stats_totals_add_up_the_splits():
    stats = corpus_stats(CORPUS)
    texts = [doc.text for split in ("train", "dev", "test") for doc in read_documents(CORPUS / f"{split}.jsonl")]
    assert stats.total.documents == 6
    assert stats.total.characters == sum(len(text) for text in texts)
    assert stats.total.entities == {"METRIC": 7, "INSTITUTION": 4, "VALUE": 9, "DATE": 2}
    assert stats.total.entity_count == 22
    assert stats.total.kinds == {"summary": 4, "plan": 1, "problem": 2}
    assert list(stats.total.themes) == list(THEMES)  # every theme has a slot, used or not
    assert stats.total.links == 7


def test_stats_of_a_single_file_name_the_split_after_the_file():
    stats = corpus_stats(FIXTURES / "valid.jsonl")
    assert list(stats.splits) == ["valid"]
    assert stats.splits["valid"].to_dict() == stats.total.to_dict()
    assert stats.to_dict()["total"]["sections"]["total"] == 4


# --- split overlap --------------------------------------------------------------------------

REPORT = "2021年，区疾控中心完成新冠疫苗接种368.7万剂次，60岁以上人群接种率达95.65%，全区未发生聚集性疫情。"
OTHER = "每千人口拥有执业（助理）医师数2.9人，全科医生数达到181名，基层诊疗量占比达到六成。"
THIRD = "存在的问题：信息化建设滞后，智慧医院建设进度不快，数据共享不足。"


def _corpus(tmp_path: Path, **splits: list[tuple[str, str]]) -> Path:
    for split, documents in splits.items():
        write_documents(tmp_path / f"{split}.jsonl", [AnnotatedDocument(id=i, text=t) for i, t in documents])
    return tmp_path


def test_a_clean_corpus_has_no_leakage():
    report = split_overlap(CORPUS)
    assert not report.has_leakage
    assert report.exact == [] and report.near == [] and report.shared_ids == {}
    assert report.rate == 0.0 and report.documents == {"train": 4, "dev": 1, "test": 1}


def test_an_identical_text_in_two_splits_is_an_exact_duplicate(tmp_path):
    report = split_overlap(_corpus(tmp_path, train=[("a", REPORT), ("b", OTHER)], test=[("z", REPORT)]))
    [pair] = report.exact
    assert (str(pair.first), str(pair.second), pair.exact) == ("train/a", "test/z", True)
    assert report.near == [] and report.has_leakage
    assert report.affected() == {"train": 1, "test": 1}
    assert report.rates() == {"train": 0.5, "test": 1.0}
    assert report.rate == pytest.approx(2 / 3)


def test_a_reposted_copy_with_another_header_is_a_near_duplicate(tmp_path):
    repost = "（转载）XX区卫生健康局：\n" + REPORT + "\n特此报告。"
    report = split_overlap(_corpus(tmp_path, train=[("a", REPORT), ("b", OTHER)], dev=[("d", repost), ("e", THIRD)]))
    assert report.exact == []
    [pair] = report.near
    assert (str(pair.first), str(pair.second)) == ("train/a", "dev/d")
    assert pair.containment == 1.0 and 0.5 < pair.jaccard < 1.0
    assert report.rates() == {"train": 0.5, "dev": 0.5}


def test_an_excerpt_is_caught_by_containment_though_jaccard_is_low(tmp_path):
    long_report = "\n".join([REPORT, OTHER, THIRD] * 3)
    report = split_overlap(_corpus(tmp_path, train=[("long", long_report)], test=[("part", OTHER)]))
    [pair] = report.near
    assert pair.containment == 1.0 and pair.jaccard < 0.5


def test_a_shared_phrase_alone_is_not_a_near_duplicate(tmp_path):
    phrase = "深入贯彻落实党的二十大精神，"
    report = split_overlap(_corpus(tmp_path, train=[("a", phrase + REPORT)], test=[("b", phrase + OTHER)]))
    assert not report.has_leakage


def test_an_id_used_in_two_splits_is_reported(tmp_path):
    report = split_overlap(_corpus(tmp_path, train=[("same", REPORT)], dev=[("same", OTHER)]))
    assert report.shared_ids == {"same": ["train", "dev"]} and report.has_leakage


def test_the_threshold_decides_what_is_near(tmp_path):
    half = REPORT[: len(REPORT) // 2] + OTHER
    corpus = _corpus(tmp_path, train=[("a", REPORT)], test=[("b", half)])
    assert split_overlap(corpus, threshold=0.3).near
    assert not split_overlap(corpus, threshold=0.9).near
    with pytest.raises(ValueError, match="threshold"):
        split_overlap(corpus, threshold=0.0)


def test_a_corpus_with_one_split_has_nothing_to_compare(tmp_path):
    shutil.copy(CORPUS / "train.jsonl", tmp_path / "train.jsonl")
    assert not split_overlap(tmp_path).has_leakage


def test_character_ngrams_ignore_whitespace_and_keep_short_texts():
    assert character_ngrams("市人民 医院\n", 4) == {"市人民医", "人民医院"}
    assert character_ngrams("床位数", 8) == {"床位数"}
    assert character_ngrams(" \n", 8) == frozenset()
    assert overlap_scores(frozenset(), frozenset({"a"})) == (0.0, 0.0)
