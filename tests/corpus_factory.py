"""A small, fixed, made-up corpus in ANNOTATION.md shape, for training tests.

Sentences are assembled from fragments with a seeded generator, so the same
call always gives the same documents. The point is a learnable signal, not
realism.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

INSTITUTIONS = ["县人民医院", "县中医院", "市疾控中心", "区妇幼保健院", "乡镇卫生院", "社区卫生服务中心", "县卫健委", "市第二人民医院"]
METRICS = ["孕产妇死亡率", "家庭医生签约率", "居民健康档案建档率", "病床使用率", "满意度", "疫苗接种率"]
COUNTED = [("家", "社康机构"), ("个", "建设项目"), ("人", "医务人员"), ("场", "培训"), ("万元", "资金"), ("例", "病例")]
DATES = ["2021年", "2022年", "上半年", "一季度", "2023年6月", "4月20日"]
THEME_SENTENCES = {
    "epidemic_response": ["开展核酸检测筛查", "做好疫情防控工作", "加强隔离点管理"],
    "tcm": ["推进中医药传承创新", "建设中医馆", "推广中医适宜技术"],
    "infrastructure": ["推进医院项目建设", "争取专项债资金", "完成新院区主体工程"],
}
KIND_OPENERS = {"summary": ["全年", "累计", "已经"], "plan": ["下一步要", "计划", "力争"]}


def _sentence(rng: random.Random, theme: str, kind: str) -> tuple[str, list[tuple[int, int, str]]]:
    parts: list[tuple[str, str | None]] = [
        (rng.choice(KIND_OPENERS[kind]), None),
        (rng.choice(THEME_SENTENCES[theme]), None),
        ("，", None),
        (rng.choice(DATES), "DATE"),
        (rng.choice(INSTITUTIONS), "INSTITUTION"),
    ]
    unit, noun = rng.choice(COUNTED)
    parts += [("新增", None), (f"{rng.randint(2, 900)}{unit}", "VALUE"), (noun, None), ("，", None)]
    parts += [(rng.choice(METRICS), "METRIC"), ("达到", None), (f"{rng.randint(10, 99)}.{rng.randint(0, 9)}%", "VALUE"), ("。", None)]
    text, spans = "", []
    for piece, label in parts:
        if label:
            spans.append((len(text), len(text) + len(piece), label))
        text += piece
    return text, spans


def make_document(rng: random.Random, doc_id: str) -> dict:
    text = "工作总结\n"
    entities, sections = [], []
    for _ in range(rng.randint(3, 5)):
        theme = rng.choice(sorted(THEME_SENTENCES))
        kind = rng.choice(sorted(KIND_OPENERS))
        start = len(text)
        for _ in range(rng.randint(1, 3)):
            sentence, spans = _sentence(rng, theme, kind)
            entities += [{"start": len(text) + s, "end": len(text) + e, "label": label} for s, e, label in spans]
            text += sentence
        sections.append({"start": start, "end": len(text), "theme": theme, "kind": kind})
        text += "\n"
    return {"id": doc_id, "text": text, "entities": entities, "sections": sections}


def write_corpus(directory: Path, train: int = 60, dev: int = 12, seed: int = 7) -> Path:
    """Write ``train.jsonl`` and ``dev.jsonl`` of made-up documents into ``directory``."""
    rng = random.Random(seed)
    directory.mkdir(parents=True, exist_ok=True)
    for split, count in (("train", train), ("dev", dev)):
        with (directory / f"{split}.jsonl").open("w", encoding="utf-8") as handle:
            for index in range(count):
                handle.write(json.dumps(make_document(rng, f"{split}-{index}"), ensure_ascii=False) + "\n")
    return directory


def relabel_corpus(source: Path, target: Path, entity_map: dict, theme_map: dict, kind_map: dict) -> Path:
    """Copy a corpus with every label renamed: a stand-in for another bureau's own schema."""
    target.mkdir(parents=True, exist_ok=True)
    for path in source.glob("*.jsonl"):
        with path.open(encoding="utf-8") as reader, (target / path.name).open("w", encoding="utf-8") as writer:
            for line in reader:
                document = json.loads(line)
                for entity in document["entities"]:
                    entity["label"] = entity_map[entity["label"]]
                for section in document["sections"]:
                    section["theme"] = theme_map[section["theme"]]
                    section["kind"] = kind_map[section["kind"]]
                writer.write(json.dumps(document, ensure_ascii=False) + "\n")
    return target
