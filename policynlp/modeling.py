"""The joint model: one BERT-family encoder, a token head (IOB2 entities) and a section head.

One forward pass serves both heads. The section head reads the mean of the
window's token states and predicts a theme and a kind; the token head tags
every token. The model saves and loads with ``save_pretrained`` /
``from_pretrained`` (safetensors); its label sets live in its config.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import torch
from torch import nn
from transformers import AutoConfig, AutoModel, PretrainedConfig, PreTrainedModel
from transformers.utils import ModelOutput

from policynlp.alignment import IGNORE_INDEX
from policynlp.schema import ENTITY_LABELS, KINDS, THEMES, LabelSet, bio_tags


def _without_pooler(factory, *args):
    """Build an encoder without a pooling layer where the architecture allows it.

    The heads read token states; a pooler would be dead weight and, when loading a
    checkpoint saved without one, a source of 'newly initialised' warnings.
    """
    try:
        encoder = factory(*args, add_pooling_layer=False)
    except TypeError:
        encoder = factory(*args)
    if getattr(encoder, "pooler", None) is not None:
        encoder.pooler = None
    return encoder


class PolicyConfig(PretrainedConfig):
    """Configuration of :class:`PolicyModel`.

    Args:
        encoder_config: The encoder's own config as a dict (with its ``model_type``).
        entity_labels: Entity label ids; token tags are IOB2 over them (``id2label``).
        themes: Section theme ids.
        kinds: Section kind ids.
        label_names: Human-readable names of any ids above.
        classifier_dropout: Dropout before both heads.
        section_loss_weight: Weight of the theme and kind losses against the token loss.
        window_length: Encoder window length in tokens, used at inference.
        stride: Tokens shared by consecutive windows.
        context_tokens: Most tokens of heading context placed before a section.
    """

    model_type = "policynlp"

    def __init__(
        self,
        encoder_config: dict | None = None,
        entity_labels: list[str] | tuple[str, ...] = ENTITY_LABELS,
        themes: list[str] | tuple[str, ...] = THEMES,
        kinds: list[str] | tuple[str, ...] = KINDS,
        label_names: dict[str, str] | None = None,
        classifier_dropout: float = 0.1,
        section_loss_weight: float = 0.5,
        window_length: int = 256,
        stride: int = 64,
        context_tokens: int = 32,
        **kwargs,
    ):
        tags = bio_tags(entity_labels)
        kwargs["id2label"] = {index: tag for index, tag in enumerate(tags)}
        kwargs["label2id"] = {tag: index for index, tag in enumerate(tags)}
        super().__init__(**kwargs)
        self.encoder_config = dict(encoder_config or {})
        self.entity_labels = list(entity_labels)
        self.themes = list(themes)
        self.kinds = list(kinds)
        self.label_names = dict(label_names or {})
        self.classifier_dropout = classifier_dropout
        self.section_loss_weight = section_loss_weight
        self.window_length = window_length
        self.stride = stride
        self.context_tokens = context_tokens

    @property
    def labels(self) -> LabelSet:
        """The label sets this model predicts."""
        return LabelSet(tuple(self.entity_labels), tuple(self.themes), tuple(self.kinds), self.label_names)

    @property
    def tags(self) -> tuple[str, ...]:
        return bio_tags(self.entity_labels)

    @property
    def hidden_size(self) -> int:
        return int(self.encoder_config["hidden_size"])

    @property
    def initializer_range(self) -> float:
        return float(self.encoder_config.get("initializer_range", 0.02))


@dataclass
class PolicyModelOutput(ModelOutput):
    """Outputs of :class:`PolicyModel`: per-token tag logits and per-window theme/kind logits."""

    loss: torch.Tensor | None = None
    token_logits: torch.Tensor | None = None
    theme_logits: torch.Tensor | None = None
    kind_logits: torch.Tensor | None = None


class PolicyModel(PreTrainedModel):
    """Encoder + token-classification head + section-classification head."""

    config_class = PolicyConfig
    base_model_prefix = "encoder"
    main_input_name = "input_ids"
    _keys_to_ignore_on_load_unexpected = [r"encoder\.pooler\..*"]

    def __init__(self, config: PolicyConfig):
        super().__init__(config)
        encoder_config = AutoConfig.for_model(**config.encoder_config)
        self.encoder = _without_pooler(AutoModel.from_config, encoder_config)
        self.dropout = nn.Dropout(config.classifier_dropout)
        self.token_classifier = nn.Linear(config.hidden_size, len(config.tags))
        self.theme_classifier = nn.Linear(config.hidden_size, len(config.themes))
        self.kind_classifier = nn.Linear(config.hidden_size, len(config.kinds))
        self.post_init()

    @classmethod
    def from_encoder(cls, encoder_path: str | Path, labels: LabelSet | None = None, **config_kwargs) -> "PolicyModel":
        """A new model whose encoder weights come from a pretrained checkpoint; heads start random.

        Args:
            encoder_path: Local directory (or hub name, where a hub is reachable) of a BERT-family encoder.
            labels: Label sets to predict; ANNOTATION.md's by default.
            **config_kwargs: Further :class:`PolicyConfig` fields.
        """
        labels = labels or LabelSet.default()
        encoder = _without_pooler(AutoModel.from_pretrained, str(encoder_path))
        config = PolicyConfig(
            encoder_config=encoder.config.to_dict(),
            entity_labels=labels.entity_labels,
            themes=labels.themes,
            kinds=labels.kinds,
            label_names=dict(labels.names),
            **config_kwargs,
        )
        model = cls(config)
        state = {key: value for key, value in encoder.state_dict().items() if not key.startswith("pooler.")}
        missing, unexpected = model.encoder.load_state_dict(state, strict=False)
        if missing or unexpected:
            raise ValueError(f"{encoder_path}: encoder weights do not fit (missing {missing}, unexpected {unexpected})")
        return model

    def forward(
        self,
        input_ids: torch.Tensor,
        attention_mask: torch.Tensor | None = None,
        labels: torch.Tensor | None = None,
        theme_labels: torch.Tensor | None = None,
        kind_labels: torch.Tensor | None = None,
        **unused,
    ) -> PolicyModelOutput:
        """Run the encoder once and both heads.

        Args:
            input_ids: ``[batch, length]`` token ids.
            attention_mask: ``[batch, length]``, 1 for real tokens.
            labels: ``[batch, length]`` tag ids, :data:`IGNORE_INDEX` where not scored.
            theme_labels: ``[batch]`` theme ids, :data:`IGNORE_INDEX` for windows outside sections.
            kind_labels: ``[batch]`` kind ids, likewise.

        Returns:
            Logits of both heads, and the summed loss when any labels were given.
        """
        if attention_mask is None:
            attention_mask = torch.ones_like(input_ids)
        states = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        states = self.dropout(states)
        token_logits = self.token_classifier(states)
        mask = attention_mask.unsqueeze(-1).to(states.dtype)
        pooled = (states * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1.0)
        theme_logits = self.theme_classifier(pooled)
        kind_logits = self.kind_classifier(pooled)

        loss = None
        if labels is not None or theme_labels is not None or kind_labels is not None:
            loss = token_logits.new_zeros(())
            cross_entropy = nn.CrossEntropyLoss(ignore_index=IGNORE_INDEX)
            if labels is not None and (labels != IGNORE_INDEX).any():
                loss = loss + cross_entropy(token_logits.reshape(-1, token_logits.size(-1)), labels.reshape(-1))
            weight = self.config.section_loss_weight
            for logits, targets in ((theme_logits, theme_labels), (kind_logits, kind_labels)):
                if targets is not None and (targets != IGNORE_INDEX).any():
                    loss = loss + weight * cross_entropy(logits, targets)
        return PolicyModelOutput(
            loss=loss, token_logits=token_logits, theme_logits=theme_logits, kind_logits=kind_logits
        )


AutoConfig.register("policynlp", PolicyConfig)
AutoModel.register(PolicyConfig, PolicyModel)
