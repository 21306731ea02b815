"""The ``policynlp`` spaCy pipe.

    nlp = spacy.blank("zh")
    nlp.add_pipe("policynlp")                       # the shipped model
    nlp.add_pipe("policynlp", config={"model": "path/to/model"})
    doc = nlp(text)
    doc.ents                                        # METRIC / INSTITUTION / VALUE / DATE
    doc.spans["sections"]                           # label = theme; span._.kind, span._.heading
    doc._.indicators                                # list[policynlp.Indicator]
    doc._.policynlp                                 # the full policynlp.Extraction

The factory is registered through the ``spacy_factories`` entry point, so
``add_pipe("policynlp")`` works without importing this module first. Entity
spans carry their parsed number as ``span._.quantity``.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans, minibatch

SECTIONS_KEY = "sections"

for _name in ("kind", "heading", "quantity", "score"):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)
for _name in ("indicators", "policynlp"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


class PolicyNLPComponent:
    """Runs a policynlp :class:`~policynlp.pipeline.Extractor` over spaCy docs."""

    def __init__(self, nlp: Language, name: str, model: str | None = None, batch_size: int = 16):
        from policynlp.pipeline import load

        self.name = name
        self.model = model
        self.batch_size = batch_size
        self.extractor = load(model)

    def __call__(self, doc: Doc) -> Doc:
        return self._annotate(doc, self.extractor.extract(doc.text))

    def pipe(self, docs: Iterable[Doc], batch_size: int | None = None) -> Iterator[Doc]:
        """Annotate docs in batches that share encoder passes; yields in input order."""
        size = batch_size or self.batch_size
        for batch in minibatch(docs, size=size):
            results = self.extractor.pipe([doc.text for doc in batch], batch_size=size)
            for doc, result in zip(batch, results):
                yield self._annotate(doc, result)

    @staticmethod
    def _annotate(doc: Doc, result) -> Doc:
        entities = []
        for entity in result.entities:
            span = doc.char_span(entity.start, entity.end, label=entity.label, alignment_mode="expand")
            if span is None:  # the entity covers only whitespace tokens spaCy dropped
                continue
            span._.quantity = entity.quantity
            span._.score = entity.score
            entities.append(span)
        doc.ents = filter_spans(entities)
        sections = []
        for section in result.sections:
            span = doc.char_span(section.start, section.end, label=section.theme or "", alignment_mode="expand")
            if span is None:
                continue
            span._.kind = section.kind
            span._.heading = section.heading
            sections.append(span)
        doc.spans[SECTIONS_KEY] = sections
        doc._.indicators = result.indicators
        doc._.policynlp = result
        return doc

    # The weights live in the model directory; a saved pipeline records only its path.
    def to_disk(self, path, *, exclude=()):
        return None

    def from_disk(self, path, *, exclude=()):
        return self

    def to_bytes(self, *, exclude=()):
        return b""

    def from_bytes(self, data, *, exclude=()):
        return self


@Language.factory("policynlp", default_config={"model": None, "batch_size": 16})
def make_policynlp(nlp: Language, name: str, model: str | None, batch_size: int) -> PolicyNLPComponent:
    """Build the pipe; ``model`` is a model directory (the shipped model when null)."""
    return PolicyNLPComponent(nlp, name, model=model, batch_size=batch_size)
