from __future__ import annotations

import shutil
from pathlib import Path

import datasets
import pytest

from policynlp.data.corpus import CORPUS_FEATURES, load_corpus
from policynlp.errors import DataFormatError

CORPUS = Path(__file__).parent / "fixtures" / "corpus"


def test_load_corpus_gives_one_dataset_per_split_file():
    corpus = load_corpus(CORPUS)
    assert isinstance(corpus, datasets.DatasetDict)
    assert list(corpus) == ["train", "dev", "test"]
    assert [corpus[split].num_rows for split in corpus] == [4, 1, 1]
    assert all(corpus[split].features == CORPUS_FEATURES for split in corpus)


def test_corpus_rows_hold_spans_as_plain_records():
    row = load_corpus(CORPUS)["train"][0]
    assert row["id"] == "lu-2022-001"
    assert row["entities"][1] == {"start": 8, "end": 14, "label": "METRIC"}
    assert row["text"][8:14] == "孕产妇死亡率"
    assert row["sections"][0] == {"start": 0, "end": 41, "theme": "overview", "kind": "summary"}
    assert row["links"][0] == {"metric": [8, 14], "value": [15, 22]}


def test_empty_span_lists_keep_their_types():
    test_split = load_corpus(CORPUS)["test"]
    assert test_split[0]["entities"] == [] and test_split[0]["links"] == []
    assert test_split.features["entities"] == CORPUS_FEATURES["entities"]


def test_any_subset_of_splits_may_be_present(tmp_path):
    shutil.copy(CORPUS / "dev.jsonl", tmp_path / "dev.jsonl")
    (tmp_path / "notes.jsonl").write_text("not a split\n", encoding="utf-8")
    assert list(load_corpus(tmp_path)) == ["dev"]


def test_a_directory_without_split_files_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="train.jsonl, dev.jsonl, test.jsonl"):
        load_corpus(tmp_path)


def test_a_path_that_is_not_a_directory_is_an_error():
    with pytest.raises(NotADirectoryError):
        load_corpus(CORPUS / "train.jsonl")


def test_each_split_is_validated_on_load(tmp_path):
    shutil.copy(CORPUS / "train.jsonl", tmp_path / "train.jsonl")
    (tmp_path / "test.jsonl").write_text(
        '{"id": "t", "text": "床位数", "entities": [{"start": 0, "end": 4, "label": "METRIC"}]}\n', encoding="utf-8"
    )
    with pytest.raises(DataFormatError) as caught:
        load_corpus(tmp_path)
    assert caught.value.path == str(tmp_path / "test.jsonl") and caught.value.line == 1
