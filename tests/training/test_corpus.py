"""The committed corpus: valid, up to date with its raw files, and free of leakage between splits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from policynlp.data import load_corpus, split_overlap, validate_file
from training.corpus.build import SPLITS, collect

DATA = Path(__file__).resolve().parents[2] / "training" / "data"


@pytest.mark.parametrize("split", SPLITS)
def test_every_split_file_is_valid(split):
    errors = validate_file(DATA / f"{split}.jsonl")
    assert not errors, "\n".join(str(error) for error in errors[:20])


def test_split_files_are_built_from_the_raw_files():
    built = collect(DATA / "raw")
    for split in SPLITS:
        committed = [json.loads(line) for line in (DATA / f"{split}.jsonl").read_text(encoding="utf-8").splitlines()]
        expected = [document.to_dict() for document in sorted(built[split], key=lambda item: item.id)]
        assert [d["id"] for d in committed] == [d["id"] for d in expected], \
            f"{split}.jsonl is stale: run `python -m training.corpus.build`"
        for have, want in zip(committed, expected):
            assert have["text"] == want["text"] and have["entities"] == want["entities"], have["id"]
            assert have["sections"] == want["sections"], have["id"]


def test_real_reports_are_never_in_train():
    for line in (DATA / "train.jsonl").read_text(encoding="utf-8").splitlines():
        assert json.loads(line).get("meta", {}).get("source") != "seed"


def test_no_document_or_near_duplicate_sits_in_two_splits():
    report = split_overlap(DATA)
    assert not report.has_leakage, report.to_dict()


def test_corpus_loads_as_a_dataset_dict():
    corpus = load_corpus(DATA)
    assert set(corpus) == set(SPLITS)
    assert corpus["train"].num_rows > corpus["dev"].num_rows > 0
