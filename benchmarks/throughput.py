"""``extract()`` against the same weights behind ``transformers`` pipelines, in one process, interleaved.

Usage::

    python -m benchmarks.throughput [--model DIR] [--runs 5]

The set is the corpus's held-out reports (dev + test: 41 reports, 104,727
characters). The pipelines baseline is what a user of the plain Hugging Face
stack would write with our weights:

* the report is cut into sections with ``policynlp.segment`` (timed, as ours is);
* a ``token-classification`` pipeline (``aggregation_strategy="simple"``,
  ``stride=48`` so nothing is truncated) holds our encoder and token head in a
  ``*ForTokenClassification`` model;
* a ``text-classification`` pipeline holds the same encoder with our theme and
  kind heads side by side (mean-pooled, as ours), so one pass per section gives
  both (``top_k=None, function_to_apply="none"``).

The baseline does less than ``extract()``: no heading context, no quantities,
no indicator linking, nothing outside sections. Each configuration is timed
over the whole set; medians of ``--runs`` interleaved runs.
"""

from __future__ import annotations

import argparse
import copy
import warnings
from pathlib import Path

import torch
from torch import nn
from transformers import AutoModel, AutoModelForTokenClassification, PreTrainedModel, pipeline
from transformers.modeling_outputs import SequenceClassifierOutput

from benchmarks.common import held_out_texts, interleaved, median, save
from policynlp.pipeline import DEFAULT_MODEL_DIR, load
from policynlp.segmentation import segment


class MeanPooledClassifier(PreTrainedModel):
    """An encoder with one linear head over its mean-pooled token states (our section head, as HF sees it)."""

    base_model_prefix = "encoder"
    _supports_sdpa = True  # the encoder's own attention; the head adds none

    def __init__(self, config):
        super().__init__(config)
        self.encoder = AutoModel.from_config(config, add_pooling_layer=False)
        self.classifier = nn.Linear(config.hidden_size, config.num_labels)

    def forward(self, input_ids, attention_mask=None, **unused):
        states = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(states.dtype)
        pooled = (states * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1.0)
        return SequenceClassifierOutput(logits=self.classifier(pooled))


def hf_models(model) -> tuple[PreTrainedModel, PreTrainedModel]:
    """Our weights as a ``*ForTokenClassification`` and a sequence classifier over themes then kinds."""
    config = model.config
    token_config = copy.deepcopy(model.encoder.config)
    token_config.id2label = dict(enumerate(config.tags))
    token_config.label2id = {tag: index for index, tag in enumerate(config.tags)}
    token_model = AutoModelForTokenClassification.from_config(token_config)
    token_model.base_model.load_state_dict(model.encoder.state_dict())
    token_model.classifier.load_state_dict(model.token_classifier.state_dict())

    section_labels = [f"theme:{theme}" for theme in config.themes] + [f"kind:{kind}" for kind in config.kinds]
    section_config = copy.deepcopy(model.encoder.config)
    section_config.id2label = dict(enumerate(section_labels))
    section_config.label2id = {label: index for index, label in enumerate(section_labels)}
    section_model = MeanPooledClassifier(section_config)
    section_model.encoder.load_state_dict(model.encoder.state_dict())
    with torch.no_grad():
        section_model.classifier.weight.copy_(torch.cat([model.theme_classifier.weight, model.kind_classifier.weight]))
        section_model.classifier.bias.copy_(torch.cat([model.theme_classifier.bias, model.kind_classifier.bias]))
    return token_model.eval(), section_model.eval()


class PipelinesBaseline:
    """Sections by ``segment()``, entities by a token-classification pipeline, theme and kind by a
    text-classification pipeline."""

    def __init__(self, model, tokenizer, batch_size: int = 1, dtype: torch.dtype = torch.float32):
        token_model, section_model = hf_models(model)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.ner = pipeline("token-classification", model=token_model.to(dtype), tokenizer=tokenizer,
                                aggregation_strategy="simple", stride=48, device="cpu")
            self.classify = pipeline("text-classification", model=section_model.to(dtype), tokenizer=tokenizer,
                                     device="cpu")
        self.batch_size = batch_size

    def __call__(self, texts: list[str]) -> list[dict]:
        documents = []
        pieces = []
        for text in texts:
            sections = segment(text)
            documents.append({"entities": [], "sections": []})
            pieces.extend((len(documents) - 1, section.start, text[section.start:section.end]) for section in sections)
        piece_texts = [piece for _, _, piece in pieces]
        entities = self.ner(piece_texts, batch_size=self.batch_size)
        scores = self.classify(piece_texts, batch_size=self.batch_size, top_k=None, function_to_apply="none",
                               truncation=True)
        for (document, offset, _), found, section_scores in zip(pieces, entities, scores):
            documents[document]["entities"].extend(
                (offset + entity["start"], offset + entity["end"], entity["entity_group"]) for entity in found)
            by_label = {item["label"]: item["score"] for item in section_scores}
            themes = {label: score for label, score in by_label.items() if label.startswith("theme:")}
            kinds = {label: score for label, score in by_label.items() if label.startswith("kind:")}
            documents[document]["sections"].append((max(themes, key=themes.get)[6:], max(kinds, key=kinds.get)[5:]))
        return documents


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL_DIR)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)

    texts = held_out_texts()
    characters = sum(len(text) for text in texts)
    ours = load(args.model)  # the default backend ("auto")
    ours_fp32 = load(args.model, backend="torch")
    sections = sum(len(extraction.sections) for extraction in ours.pipe(texts))
    baselines = {
        "pipelines fp32, batch 1": PipelinesBaseline(ours_fp32.model, ours_fp32.tokenizer, batch_size=1),
        "pipelines fp32, batch 16": PipelinesBaseline(ours_fp32.model, ours_fp32.tokenizer, batch_size=16),
        "pipelines bf16, batch 1": PipelinesBaseline(ours_fp32.model, ours_fp32.tokenizer, batch_size=1,
                                                      dtype=torch.bfloat16),
    }
    extractors = {f"policynlp extract() ({ours.backend}, default)": ours, "policynlp extract() (torch fp32)": ours_fp32}
    candidates = {
        **{name: (lambda extractor=extractor: list(extractor.pipe(texts))) for name, extractor in extractors.items()},
        **{name: (lambda baseline=baseline: baseline(texts)) for name, baseline in baselines.items()},
    }
    found = {name: sum(len(document.entities) for document in extractor.pipe(texts))
             for name, extractor in extractors.items()}
    found.update({name: sum(len(document["entities"]) for document in baseline(texts))
                  for name, baseline in baselines.items()})
    timings = interleaved(candidates, runs=args.runs)
    fastest_baseline = min(median(timings[name]) for name in baselines)  # the fastest baseline
    rows = {}
    for name, values in timings.items():
        seconds = median(values)
        rows[name] = {
            "median_s": round(seconds, 2),
            "runs_s": [round(value, 2) for value in values],
            "chars_per_s": round(characters / seconds),
            "sections_per_s": round(sections / seconds, 1),
            "documents_per_s": round(len(texts) / seconds, 2),
            "entities_found": found[name],
            "speedup_vs_fastest_pipelines": round(fastest_baseline / seconds, 2),
        }
    save("throughput", {"documents": len(texts), "characters": characters, "sections": sections,
                        "runs": args.runs, "threads": torch.get_num_threads(), "configurations": rows})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
