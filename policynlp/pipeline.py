"""The extraction pipeline: clean -> segment -> encode -> decode -> quantities -> indicators.

``load()`` gives an :class:`Extractor`; ``Extractor.extract(text)`` and
``Extractor.pipe(texts)`` return :class:`~policynlp.records.Extraction` records
whose offsets index the caller's strings exactly.
"""

from __future__ import annotations

import json
import os
import sysconfig
from dataclasses import replace
from pathlib import Path
from typing import Iterable, Iterator

from policynlp.cleaning import clean
from policynlp.errors import ModelNotFoundError
from policynlp.inference import Piece, PiecePrediction, Predictor, plan_pieces
from policynlp.linking import link_indicators
from policynlp.quantities import parse_quantity
from policynlp.records import Entity, Extraction, Section
from policynlp.runtimes import make_runtime, resolve_backend
from policynlp.schema import LabelSet
from policynlp.script import reading_form
from policynlp.segmentation import segment

#: The shipped default model's name.
DEFAULT_MODEL_NAME = "policynlp-base-zh"


def _default_model_dir() -> Path:
    """Where the shipped model is: ``$POLICYNLP_MODEL_DIR``, the source tree, or the installed data."""
    override = os.environ.get("POLICYNLP_MODEL_DIR")
    if override:
        return Path(override)
    candidates = [
        Path(__file__).resolve().parent.parent / "models" / DEFAULT_MODEL_NAME,  # a checkout, pip install -e
        Path(sysconfig.get_path("data")) / "share" / "policynlp" / "models" / DEFAULT_MODEL_NAME,  # a wheel
    ]
    return next((path for path in candidates if (path / "config.json").is_file()), candidates[0])


#: Where the shipped default model lives.
DEFAULT_MODEL_DIR = _default_model_dir()


class Extractor:
    """A loaded model and everything around it.

    Args:
        model: A :class:`~policynlp.modeling.PolicyModel`.
        tokenizer: Its fast tokenizer.
        name: Model name reported in results.
        batch_size: Encoder windows per forward pass.
        simplify: Read traditional characters as simplified (offsets and span
            texts stay the caller's; see :mod:`policynlp.script`).
        backend: What runs the encoder: ``torch`` (float32), ``torch-bf16``,
            ``torch-int8``, ``onnx``, ``onnx-int8`` or ``auto`` (see
            :mod:`policynlp.runtimes`).
    """

    def __init__(self, model, tokenizer, name: str | None = None, batch_size: int = 16, simplify: bool = True,
                 backend: str = "torch"):
        self.simplify = simplify
        self.path: Path | None = None
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.name = name
        self.batch_size = batch_size
        self.backend = resolve_backend(backend)
        self.predictor = Predictor(model, tokenizer, batch_size=batch_size, runtime=make_runtime(model, self.backend))

    @classmethod
    def from_path(cls, path: str | Path, batch_size: int = 16, threads: int | None = None,
                  simplify: bool = True, backend: str = "auto") -> "Extractor":
        """Load a trained model directory (``config.json``, safetensors weights, tokenizer)."""
        import torch
        from transformers import AutoTokenizer
        from transformers.utils import logging as transformers_logging

        from policynlp.modeling import PolicyModel

        path = Path(path)
        if not (path / "config.json").is_file():
            raise ModelNotFoundError(f"no model at {path}: expected a directory holding config.json")
        config = json.loads((path / "config.json").read_text(encoding="utf-8"))
        if config.get("model_type") != "policynlp":
            raise ModelNotFoundError(
                f"{path} holds a {config.get('model_type')!r} model, not a trained policynlp model; "
                "train one with `policynlp train CONFIG`"
            )
        if threads:
            torch.set_num_threads(threads)
        transformers_logging.disable_progress_bar()  # a library call should not draw progress bars
        model = PolicyModel.from_pretrained(str(path), dtype=torch.float32)  # weights may ship as fp16
        tokenizer = AutoTokenizer.from_pretrained(str(path))
        extractor = cls(model, tokenizer, name=path.name, batch_size=batch_size, simplify=simplify, backend=backend)
        extractor.path = path
        return extractor

    @property
    def labels(self) -> LabelSet:
        """The label sets of the loaded model."""
        return self.model.config.labels

    def extract(self, text: str) -> Extraction:
        """Extract entities, sections and indicators from one text."""
        return next(iter(self.pipe([text])))

    def pipe(self, texts: Iterable[str], batch_size: int = 16) -> Iterator[Extraction]:
        """Extract from many texts, ``batch_size`` texts per encoder pass; yields in input order."""
        chunk: list[str] = []
        for text in texts:
            if not isinstance(text, str):
                raise TypeError(f"policynlp extracts from str, got {type(text).__name__}")
            chunk.append(text)
            if len(chunk) >= batch_size:
                yield from self._extract_many(chunk)
                chunk = []
        if chunk:
            yield from self._extract_many(chunk)

    def _extract_many(self, texts: list[str]) -> list[Extraction]:
        # Read in simplified characters; every offset still indexes the caller's text.
        readings = [reading_form(text, self.simplify) for text in texts]
        plans = [self._plan(reading) for reading in readings]
        predictions = self.predictor.predict(readings, [pieces for _, pieces in plans])
        return [self._assemble(text, reading, sections, pieces, piece_predictions)
                for text, reading, (sections, pieces), piece_predictions in zip(texts, readings, plans, predictions)]

    @staticmethod
    def _plan(text: str) -> tuple[list[Section], list[Piece]]:
        cleaned = clean(text)
        sections = segment(text, cleaned=cleaned)
        return sections, plan_pieces(text, sections, skip=[(item.start, item.end) for item in cleaned.furniture])

    def _assemble(self, text: str, reading: str, sections: list[Section], pieces: list[Piece],
                  predictions: list[PiecePrediction]) -> Extraction:
        config = self.model.config
        if reading != text:
            sections = [_restore_headings(section, text, reading) for section in sections]
        entities: list[Entity] = []
        labelled: list[Section] = list(sections)
        for piece, prediction in zip(pieces, predictions):
            for start, end, label, score in prediction.spans:
                quantity = None
                if label == "VALUE":
                    quantity = parse_quantity(reading[start:end])
                    if quantity.text != text[start:end]:
                        quantity = replace(quantity, text=text[start:end])
                entities.append(Entity(start, end, label, text[start:end], round(score, 4), quantity))
            if piece.section is not None and prediction.theme is not None:
                section = sections[piece.section]
                theme_scores = dict(zip(config.themes, prediction.theme))
                kind_scores = dict(zip(config.kinds, prediction.kind))
                labelled[piece.section] = Section(
                    start=section.start,
                    end=section.end,
                    heading=section.heading,
                    theme=max(theme_scores, key=theme_scores.get),
                    kind=max(kind_scores, key=kind_scores.get),
                    scores={"theme": {k: round(v, 4) for k, v in theme_scores.items()},
                            "kind": {k: round(v, 4) for k, v in kind_scores.items()}},
                    heading_path=section.heading_path,
                )
        entities.sort(key=lambda entity: (entity.start, entity.end))
        indicators = link_indicators(reading, entities, labelled)
        return Extraction(text=text, entities=entities, sections=labelled, indicators=indicators, model=self.name)


def _restore_headings(section: Section, text: str, reading: str) -> Section:
    """Give a section the caller's characters in its headings (found in ``reading``, cut from ``text``)."""
    if not section.heading_path:
        return section

    def restore(heading: str) -> str:
        position = reading.rfind(heading, 0, section.start + len(heading))
        if position < 0:
            position = reading.find(heading)
        return text[position:position + len(heading)] if position >= 0 else heading

    path = tuple(restore(heading) for heading in section.heading_path)
    return Section(start=section.start, end=section.end, heading=path[-1], theme=section.theme,
                   kind=section.kind, scores=section.scores, heading_path=path)


def load(path: str | Path | None = None, batch_size: int = 16, threads: int | None = None,
         simplify: bool = True, backend: str = "auto") -> Extractor:
    """Load an extractor from ``path`` (the shipped model when ``None``).

    ``batch_size`` is texts per encoder pass, ``threads`` caps torch's CPU
    threads, ``simplify`` reads traditional characters as simplified, and
    ``backend`` picks the runtime of the encoder (:mod:`policynlp.runtimes`):
    ``auto`` runs it in bfloat16 where the CPU computes bf16 natively (2.4x
    faster here, test F1 unchanged; ``benchmarks/README.md``), else in float32.

    Raises:
        ModelNotFoundError: No model directory at ``path``, or no shipped model installed.
    """
    if path is None:
        if not (DEFAULT_MODEL_DIR / "config.json").is_file():
            raise ModelNotFoundError(
                f"no shipped model is installed yet (expected one at {DEFAULT_MODEL_DIR}); "
                "train one with `policynlp train configs/default.yaml` and pass its directory to load()"
            )
        path = DEFAULT_MODEL_DIR
    return Extractor.from_path(path, batch_size=batch_size, threads=threads, simplify=simplify, backend=backend)


_DEFAULT: Extractor | None = None


def default_extractor() -> Extractor:
    """The shipped model's extractor, loaded once per process."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = load(None)
    return _DEFAULT
