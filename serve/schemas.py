"""Request and response bodies of the HTTP API; responses mirror policynlp's records."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Output = Literal["entities", "sections", "indicators", "text"]
DEFAULT_OUTPUTS: tuple[Output, ...] = ("entities", "sections", "indicators")


class ExtractRequest(BaseModel):
    """One text (``text``) or several (``texts``), and which outputs to return."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={
        "examples": [{"text": "金寨县卫生健康委员会2023年工作总结\n全县家庭医生签约率达到78.5%。"}],
    })

    text: str | None = Field(default=None, description="One report.")
    texts: list[str] | None = Field(default=None, description="Several reports; results come back in this order.")
    include: list[Output] = Field(
        default=list(DEFAULT_OUTPUTS),
        description="Outputs to return per text; `text` echoes the input.",
    )

    @model_validator(mode="after")
    def _one_of_text_or_texts(self) -> "ExtractRequest":
        if (self.text is None) == (self.texts is None):
            raise ValueError("give exactly one of `text` or `texts`")
        if self.texts is not None and not self.texts:
            raise ValueError("`texts` is empty")
        for index, text in enumerate(self.all_texts()):
            if not text.strip():
                where = "`text`" if self.text is not None else f"`texts[{index}]`"
                raise ValueError(f"{where} is empty or only whitespace")
        return self

    def all_texts(self) -> list[str]:
        return [self.text] if self.text is not None else list(self.texts or [])


class QuantityOut(BaseModel):
    text: str
    value: float | None
    unit: str
    kind: str
    approx: bool
    bound: str | None
    masked: bool
    upper: float | None
    reason: str | None


class EntityOut(BaseModel):
    start: int = Field(description="Offset of the first character in the request's text.")
    end: int = Field(description="Offset after the last character.")
    label: str
    text: str
    score: float
    quantity: QuantityOut | None


class SectionOut(BaseModel):
    start: int
    end: int
    heading: str
    heading_path: list[str]
    theme: str | None
    kind: str | None
    scores: dict[str, dict[str, float]]


class IndicatorOut(BaseModel):
    metric: EntityOut | None
    value: EntityOut | None
    quantity: QuantityOut | None
    date: EntityOut | None
    institution: EntityOut | None
    section: int | None


class ExtractionOut(BaseModel):
    model: str | None
    characters: int
    text: str | None = None
    entities: list[EntityOut] | None = None
    sections: list[SectionOut] | None = None
    indicators: list[IndicatorOut] | None = None


class ExtractResponse(BaseModel):
    results: list[ExtractionOut]


class ModelInfo(BaseModel):
    name: str | None
    version: str
    backend: str | None = Field(default=None, description="What runs the encoder (`torch`, `torch-bf16`, `onnx`...).")
    labels: list[str]
    themes: list[str]
    kinds: list[str]
    metrics: dict = Field(default_factory=dict, description="The model card's figures (metrics.json).")


class ErrorDetail(BaseModel):
    code: str = Field(description="Machine-readable reason, e.g. `text_too_long`.")
    message: str
    limit: int | float | None = Field(default=None, description="The limit that was exceeded, where one was.")
    errors: list[dict] | None = Field(default=None, description="Validation errors, where the body broke the schema.")


class ErrorResponse(BaseModel):
    error: ErrorDetail


class Health(BaseModel):
    status: str
