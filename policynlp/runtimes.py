"""Runtimes that execute the joint model's forward pass: PyTorch fp32, bf16 or int8, ONNX Runtime.

A runtime is a callable ``(input_ids, attention_mask) -> (token_logits,
theme_logits, kind_logits)`` over ``[batch, length]`` int64 tensors, returning
float32 tensors; :class:`~policynlp.inference.Predictor` calls it once per batch
of windows. Everything else (windowing, merging, decoding) is the same whatever
runs the encoder.

=============  =================================================================
backend        what runs the forward pass
=============  =================================================================
``torch``      PyTorch, float32 (the reference)
``torch-bf16`` PyTorch, a bfloat16 copy of the model (fast where the CPU has
               AMX or AVX512-BF16; slow elsewhere)
``torch-int8`` PyTorch with dynamically quantised int8 ``Linear`` layers
``onnx``       ONNX Runtime, float32 graph exported with ``torch.onnx`` (dynamo)
``onnx-int8``  ONNX Runtime, the same graph with dynamically quantised weights
``auto``       ``torch-bf16`` where the CPU computes bfloat16 natively, else ``torch``
=============  =================================================================

ONNX graphs are exported once per model weights and kept in a cache
(``$POLICYNLP_CACHE_DIR``, else ``~/.cache/policynlp``), keyed by a hash of the
weights, so later loads skip the export. The ONNX backends need the ``onnx``
extra (``pip install 'policynlp[onnx]'``).
"""

from __future__ import annotations

import copy
import hashlib
import os
import tempfile
import warnings
from pathlib import Path
from typing import Callable

import torch

#: Backends :func:`make_runtime` accepts.
BACKENDS = ("torch", "torch-bf16", "torch-int8", "onnx", "onnx-int8", "auto")

Outputs = tuple[torch.Tensor, torch.Tensor, torch.Tensor]
Runtime = Callable[[torch.Tensor, torch.Tensor], Outputs]

_OUTPUT_NAMES = ("token_logits", "theme_logits", "kind_logits")


def cpu_has_native_bf16() -> bool:
    """Whether this CPU computes bfloat16 matrix products natively (AMX-BF16 or AVX512-BF16)."""
    try:
        flags = Path("/proc/cpuinfo").read_text(encoding="ascii", errors="replace")
    except OSError:
        return False
    return any(flag in flags.split() for flag in ("amx_bf16", "avx512_bf16"))


def resolve_backend(backend: str) -> str:
    """The concrete backend ``backend`` stands for (``auto`` resolved on this machine)."""
    if backend not in BACKENDS:
        raise ValueError(f"unknown backend {backend!r}; choose one of {', '.join(BACKENDS)}")
    if backend == "auto":
        return "torch-bf16" if cpu_has_native_bf16() else "torch"
    return backend


class TorchRuntime:
    """The model in PyTorch: as it is, or a copy whose weights and activations are bfloat16.

    bfloat16 runs the matrix products on the CPU's bf16 units (AMX, AVX512-BF16);
    the logits come back as float32.
    """

    def __init__(self, model, dtype: torch.dtype = torch.float32):
        model = model.eval()
        if dtype != next(model.parameters()).dtype:
            model = copy.deepcopy(model).to(dtype)
        self.model = model
        self.dtype = dtype

    def __call__(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> Outputs:
        with torch.inference_mode():
            output = self.model(input_ids=input_ids, attention_mask=attention_mask)
        return output.token_logits.float(), output.theme_logits.float(), output.kind_logits.float()


def quantize_int8(model):
    """An int8 copy of ``model``: every ``Linear`` dynamically quantised (weights int8, activations
    quantised per batch). The embeddings and layer norms stay float32."""
    with warnings.catch_warnings():
        # torch.ao's eager quantisation is deprecated in favour of torchao, which is not a dependency.
        warnings.simplefilter("ignore")
        return torch.ao.quantization.quantize_dynamic(model.eval(), {torch.nn.Linear}, dtype=torch.qint8)


class _Outputs(torch.nn.Module):
    """The model as a module returning a plain tuple, for export."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask):
        output = self.model(input_ids=input_ids, attention_mask=attention_mask)
        return output.token_logits, output.theme_logits, output.kind_logits


def _weights_key(model) -> str:
    digest = hashlib.sha256()
    for name, tensor in sorted(model.state_dict().items()):
        digest.update(name.encode())
        digest.update(tensor.detach().to(torch.float32).contiguous().numpy().tobytes())
    return digest.hexdigest()[:16]


def cache_dir() -> Path:
    """Where exported ONNX graphs are kept."""
    root = os.environ.get("POLICYNLP_CACHE_DIR")
    return Path(root) if root else Path.home() / ".cache" / "policynlp"


def export_onnx(model, out: Path, quantized: bool = False) -> Path:
    """Export ``model`` to an ONNX graph at ``out`` (dynamic batch and length); int8 weights if ``quantized``."""
    import onnxruntime.quantization as quantization

    out.parent.mkdir(parents=True, exist_ok=True)
    float_path = out.with_name(out.stem.removesuffix("-int8") + ".onnx") if quantized else out
    if not float_path.is_file():
        example = (torch.ones((2, 16), dtype=torch.long), torch.ones((2, 16), dtype=torch.long))
        batch, length = torch.export.Dim("batch"), torch.export.Dim("length", max=4096)
        partial = float_path.with_suffix(".onnx.partial")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                _Outputs(model.eval()), example, str(partial), dynamo=True, verbose=False,
                input_names=["input_ids", "attention_mask"], output_names=list(_OUTPUT_NAMES),
                dynamic_shapes={"input_ids": {0: batch, 1: length}, "attention_mask": {0: batch, 1: length}},
                external_data=False,
            )
        partial.replace(float_path)  # atomic: a concurrent loader never sees half a graph
    if quantized and not out.is_file():
        partial = out.with_suffix(".onnx.partial")
        quantization.quantize_dynamic(str(float_path), str(partial), weight_type=quantization.QuantType.QInt8)
        partial.replace(out)
    return out


class OnnxRuntime:
    """The exported graph run by ONNX Runtime on the CPU."""

    def __init__(self, path: Path, threads: int | None = None):
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads or torch.get_num_threads()
        options.inter_op_num_threads = 1
        # Idle threads sleep instead of spinning, so the Python work between batches keeps its cores.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.log_severity_level = 3
        self.path = path
        self.session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])

    def __call__(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> Outputs:
        feeds = {"input_ids": input_ids.numpy(), "attention_mask": attention_mask.numpy()}
        token, theme, kind = self.session.run(list(_OUTPUT_NAMES), feeds)
        return torch.from_numpy(token), torch.from_numpy(theme), torch.from_numpy(kind)


def make_runtime(model, backend: str = "torch", threads: int | None = None) -> Runtime:
    """A runtime executing ``model`` with ``backend`` (see the table above).

    Raises:
        ValueError: An unknown backend.
        ImportError: An ONNX backend without ``onnxruntime`` and ``onnxscript`` installed.
    """
    backend = resolve_backend(backend)
    if backend == "torch":
        return TorchRuntime(model)
    if backend == "torch-bf16":
        return TorchRuntime(model, dtype=torch.bfloat16)
    if backend == "torch-int8":
        return TorchRuntime(quantize_int8(model))
    try:
        import onnxruntime  # noqa: F401
        import onnxscript  # noqa: F401
    except ImportError as error:
        raise ImportError(f"backend {backend!r} needs ONNX Runtime: pip install 'policynlp[onnx]'") from error
    suffix = "-int8" if backend == "onnx-int8" else ""
    try:
        directory = cache_dir() / "onnx"
        directory.mkdir(parents=True, exist_ok=True)
    except OSError:
        directory = Path(tempfile.mkdtemp(prefix="policynlp-onnx-"))
    path = export_onnx(model, directory / f"{_weights_key(model)}{suffix}.onnx", quantized=bool(suffix))
    return OnnxRuntime(path, threads=threads)
