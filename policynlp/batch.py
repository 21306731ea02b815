"""Extraction over whole archives: folders of text files, JSON Lines or Parquet in; Parquet tables out.

    policynlp batch INPUT OUTPUT [--backend local|ray] [--workers N] [--resume]

Input is cut into *shards* (a fixed number of documents each, in a stable
order). Each shard is extracted by one worker holding one model and written as
one part file per table, then marked done; ``--resume`` skips shards already
marked done. Both backends run the same :func:`process_shard`: ``local`` on a
process pool sized to the cores, ``ray`` as a Ray Data ``map_batches`` over an
actor pool (one model per actor; ``--address`` joins a running cluster).

Tables (``OUTPUT/<table>/part-<shard>.parquet``), joinable on ``id``:

- ``documents``: id, characters, model, sections (list of start/end/heading/theme/kind);
- ``entities``: id, start, end, label, text, score, number, unit;
- ``indicators``: id, metric, value, number, unit, kind, date, institution, section_theme, offsets;
- ``errors``: id, reason — a document that could not be read or extracted; the run goes on.
"""

from __future__ import annotations

import json
import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Sequence

import pyarrow as pa
import pyarrow.parquet as pq

from policynlp.errors import PolicyNLPError
from policynlp.reading import decode_report

TABLES = ("documents", "entities", "indicators", "errors")
_SECTION = pa.struct([("start", pa.int64()), ("end", pa.int64()), ("heading", pa.string()),
                      ("theme", pa.string()), ("kind", pa.string())])
SCHEMAS = {
    "documents": pa.schema([("id", pa.string()), ("characters", pa.int64()), ("model", pa.string()),
                            ("sections", pa.list_(_SECTION))]),
    "entities": pa.schema([("id", pa.string()), ("start", pa.int64()), ("end", pa.int64()), ("label", pa.string()),
                           ("text", pa.string()), ("score", pa.float64()), ("number", pa.float64()),
                           ("unit", pa.string())]),
    "indicators": pa.schema([("id", pa.string()), ("metric", pa.string()), ("value", pa.string()),
                             ("number", pa.float64()), ("unit", pa.string()), ("kind", pa.string()),
                             ("date", pa.string()), ("institution", pa.string()), ("section_theme", pa.string()),
                             ("metric_start", pa.int64()), ("metric_end", pa.int64()),
                             ("value_start", pa.int64()), ("value_end", pa.int64())]),
    "errors": pa.schema([("id", pa.string()), ("reason", pa.string())]),
}


class BatchInputError(PolicyNLPError):
    """The batch input cannot be read as a whole (missing, unknown format, no id/text columns)."""


@dataclass(frozen=True)
class Shard:
    """A slice of the input: ``rows[start:end]`` of one JSONL or Parquet file, or a list of text files."""

    name: str
    kind: str  # "text", "jsonl" or "parquet"
    source: str = ""
    start: int = 0
    end: int = 0
    files: tuple[str, ...] = ()
    root: str = ""


@dataclass
class ShardResult:
    name: str
    documents: int = 0
    errors: int = 0
    skipped: bool = False
    counts: dict = field(default_factory=dict)


def plan_shards(input_path: str | Path, shard_size: int = 64) -> list[Shard]:
    """Cut the input into shards of at most ``shard_size`` documents, in a stable order."""
    path = Path(input_path)
    if not path.exists():
        raise BatchInputError(f"{path}: no such file or folder")
    if path.is_dir():
        texts = sorted(item for item in path.rglob("*.txt") if item.is_file())
        tables = sorted(item for item in path.rglob("*") if item.suffix in (".jsonl", ".parquet") and item.is_file())
        shards = [Shard(name=f"text-{index // shard_size:05d}", kind="text", root=str(path),
                        files=tuple(str(item) for item in texts[index:index + shard_size]))
                  for index in range(0, len(texts), shard_size)]
        for table in tables:
            shards.extend(plan_shards(table, shard_size))
        if not shards:
            raise BatchInputError(f"{path}: no .txt, .jsonl or .parquet files in this folder")
        return shards
    if path.suffix == ".jsonl":
        with path.open("rb") as handle:
            rows = sum(1 for line in handle if line.strip())
        kind = "jsonl"
    elif path.suffix == ".parquet":
        schema = pq.read_schema(path)
        if "id" not in schema.names or "text" not in schema.names:
            raise BatchInputError(f"{path}: a Parquet input needs `id` and `text` columns, found {schema.names}")
        rows = pq.ParquetFile(path).metadata.num_rows
        kind = "parquet"
    elif path.suffix == ".txt":
        return [Shard(name=f"text-{path.stem}", kind="text", root=str(path.parent), files=(str(path),))]
    else:
        raise BatchInputError(f"{path}: expected a folder, a .jsonl, a .parquet or a .txt file")
    stem = "".join(char if char.isalnum() or char in "-_" else "_" for char in path.stem)
    return [Shard(name=f"{kind}-{stem}-{start // shard_size:05d}", kind=kind, source=str(path), start=start,
                  end=min(start + shard_size, rows)) for start in range(0, rows, shard_size)]


def read_shard(shard: Shard) -> Iterator[tuple[str, str | None, str | None]]:
    """``(id, text, error)`` for every document of the shard; ``text`` is None where ``error`` says why."""
    if shard.kind == "text":
        root = Path(shard.root)
        for name in shard.files:
            path = Path(name)
            identifier = path.relative_to(root).with_suffix("").as_posix() if path.is_relative_to(root) else path.stem
            try:
                yield identifier, decode_report(path.read_bytes(), str(path)), None
            except PolicyNLPError as error:
                yield identifier, None, str(error)
            except OSError as error:
                yield identifier, None, f"{path}: unreadable ({error.strerror})"
    elif shard.kind == "jsonl":
        with open(shard.source, "rb") as handle:
            lines = (line for line in handle if line.strip())
            for row, line in enumerate(lines):
                if row < shard.start:
                    continue
                if row >= shard.end:
                    break
                where = f"{shard.source}:row {row + 1}"
                try:
                    record = json.loads(line)
                except (json.JSONDecodeError, UnicodeDecodeError) as error:
                    yield f"{where}", None, f"{where}: not a JSON object ({error})"
                    continue
                identifier = str(record.get("id", where)) if isinstance(record, dict) else where
                text = record.get("text") if isinstance(record, dict) else None
                if not isinstance(text, str):
                    yield identifier, None, f"{where}: no `text` string"
                elif not text.strip():
                    yield identifier, None, f"{where}: the text is empty"
                else:
                    yield identifier, text, None
    else:
        table = pq.read_table(shard.source, columns=["id", "text"]).slice(shard.start, shard.end - shard.start)
        for offset, (identifier, text) in enumerate(zip(table.column("id").to_pylist(), table.column("text").to_pylist())):
            where = f"{shard.source}:row {shard.start + offset + 1}"
            identifier = where if identifier is None else str(identifier)
            if not isinstance(text, str) or not text.strip():
                yield identifier, None, f"{where}: the text is missing or empty"
            else:
                yield identifier, text, None


def _rows(identifier: str, result) -> tuple[dict, list[dict], list[dict]]:
    document = {"id": identifier, "characters": len(result.text), "model": result.model,
                "sections": [{"start": s.start, "end": s.end, "heading": s.heading, "theme": s.theme, "kind": s.kind}
                             for s in result.sections]}
    entities = []
    for entity in result.entities:
        quantity = entity.quantity
        entities.append({"id": identifier, "start": entity.start, "end": entity.end, "label": entity.label,
                         "text": entity.text, "score": entity.score,
                         "number": None if quantity is None else quantity.value,
                         "unit": None if quantity is None else quantity.unit})
    indicators = []
    for row in result.indicators:
        quantity = row.quantity
        section = result.sections[row.section] if row.section is not None else None
        indicators.append({
            "id": identifier,
            "metric": row.metric.text if row.metric else None,
            "value": row.value.text if row.value else None,
            "number": None if quantity is None else quantity.value,
            "unit": None if quantity is None else quantity.unit,
            "kind": None if quantity is None else quantity.kind,
            "date": row.date.text if row.date else None,
            "institution": row.institution.text if row.institution else None,
            "section_theme": section.theme if section else None,
            "metric_start": row.metric.start if row.metric else None,
            "metric_end": row.metric.end if row.metric else None,
            "value_start": row.value.start if row.value else None,
            "value_end": row.value.end if row.value else None,
        })
    return document, entities, indicators


def _write(out_dir: Path, table: str, shard: str, rows: list[dict]) -> None:
    folder = out_dir / table
    folder.mkdir(parents=True, exist_ok=True)
    temporary = folder / f".part-{shard}.parquet.tmp"
    pq.write_table(pa.Table.from_pylist(rows, schema=SCHEMAS[table]), temporary)
    os.replace(temporary, folder / f"part-{shard}.parquet")


def done_marker(out_dir: Path, shard: Shard) -> Path:
    return out_dir / "_done" / shard.name


def process_shard(shard: Shard, extractor, out_dir: str | Path, batch_size: int = 8) -> ShardResult:
    """Extract one shard and write its part of every table; the work both backends share.

    Documents go through the extractor ``batch_size`` at a time, so memory is
    bounded by a few documents' windows whatever the shard holds. A document
    whose extraction raises is retried alone and, failing again, written to
    ``errors`` with the reason.
    """
    out_dir = Path(out_dir)
    tables: dict[str, list[dict]] = {table: [] for table in TABLES}

    def extract(batch: list[tuple[str, str]]) -> None:
        try:
            results = list(extractor.pipe([text for _, text in batch], batch_size=len(batch)))
        except Exception:
            if len(batch) == 1:
                raise
            for item in batch:
                extract_one(item)
            return
        for (identifier, _), result in zip(batch, results):
            document, entities, indicators = _rows(identifier, result)
            tables["documents"].append(document)
            tables["entities"].extend(entities)
            tables["indicators"].extend(indicators)

    def extract_one(item: tuple[str, str]) -> None:
        try:
            extract([item])
        except Exception as error:  # recorded, never fatal: one bad document must not stop an archive
            tables["errors"].append({"id": item[0], "reason": f"extraction failed: {type(error).__name__}: {error}"})

    pending: list[tuple[str, str]] = []
    for identifier, text, error in read_shard(shard):
        if error is not None:
            tables["errors"].append({"id": identifier, "reason": error})
            continue
        pending.append((identifier, text))
        if len(pending) >= batch_size:
            extract(pending)
            pending = []
    if pending:
        extract(pending)
    for table in TABLES:
        _write(out_dir, table, shard.name, tables[table])
    marker = done_marker(out_dir, shard)
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(json.dumps({table: len(rows) for table, rows in tables.items()}), encoding="utf-8")
    return ShardResult(shard.name, documents=len(tables["documents"]), errors=len(tables["errors"]),
                       counts={table: len(rows) for table, rows in tables.items()})


# --- local backend -----------------------------------------------------------------------------

_WORKER_EXTRACTOR = None


def _init_worker(model: str | None, threads: int) -> None:
    global _WORKER_EXTRACTOR
    from policynlp.pipeline import load

    _WORKER_EXTRACTOR = load(model, threads=threads)


def _run_in_worker(shard: Shard, out_dir: str, batch_size: int) -> ShardResult:
    return process_shard(shard, _WORKER_EXTRACTOR, out_dir, batch_size)


def _run_local(shards: Sequence[Shard], out_dir: Path, model: str | None, workers: int, batch_size: int,
               progress: Callable[[ShardResult], None]) -> list[ShardResult]:
    threads = max(1, (os.cpu_count() or 1) // workers)
    results = []
    if workers == 1:
        _init_worker(model, threads)
        for shard in shards:
            results.append(_run_in_worker(shard, str(out_dir), batch_size))
            progress(results[-1])
        return results
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(model, threads)) as pool:
        futures = [pool.submit(_run_in_worker, shard, str(out_dir), batch_size) for shard in shards]
        for future in as_completed(futures):
            results.append(future.result())
            progress(results[-1])
    return results


# --- Ray backend -------------------------------------------------------------------------------

class _RayShardWorker:
    """A Ray Data actor: loads the model once, then extracts the shards it is handed."""

    def __init__(self, model: str | None, out_dir: str, batch_size: int, threads: int):
        from policynlp.pipeline import load

        self.extractor = load(model, threads=threads)
        self.out_dir = out_dir
        self.batch_size = batch_size

    def __call__(self, batch: dict) -> dict:
        names, documents, errors = [], [], []
        for encoded in batch["shard"]:
            fields = json.loads(encoded)
            shard = Shard(**{**fields, "files": tuple(fields["files"])})
            result = process_shard(shard, self.extractor, self.out_dir, self.batch_size)
            names.append(result.name)
            documents.append(result.documents)
            errors.append(result.errors)
        return {"name": names, "documents": documents, "errors": errors}


def _run_ray(shards: Sequence[Shard], out_dir: Path, model: str | None, workers: int, batch_size: int,
             address: str | None, progress: Callable[[ShardResult], None]) -> list[ShardResult]:
    try:
        import ray
    except ImportError:
        raise PolicyNLPError("the ray backend needs Ray: pip install 'policynlp[ray]'") from None
    from dataclasses import asdict

    started_here = not ray.is_initialized()
    if started_here:
        ray.init(address=address, num_cpus=None if address else workers, include_dashboard=False,
                 log_to_driver=False, ignore_reinit_error=True)
    try:
        items = [{"shard": json.dumps(asdict(shard))} for shard in shards]
        dataset = ray.data.from_items(items, override_num_blocks=max(1, len(items))).map_batches(
            _RayShardWorker,
            fn_constructor_kwargs={"model": model, "out_dir": str(out_dir), "batch_size": batch_size, "threads": 1},
            batch_size=1,
            concurrency=workers,
            num_cpus=1,
        )
        results = []
        for row in dataset.iter_rows():
            result = ShardResult(row["name"], documents=int(row["documents"]), errors=int(row["errors"]))
            results.append(result)
            progress(result)
        return results
    finally:
        if started_here:
            ray.shutdown()


def run(input_path: str | Path, output_path: str | Path, *, backend: str = "local", model: str | Path | None = None,
        workers: int | None = None, shard_size: int = 64, batch_size: int = 8, resume: bool = False,
        address: str | None = None, progress: Callable[[ShardResult], None] | None = None) -> list[ShardResult]:
    """Extract every document of ``input_path`` into Parquet tables under ``output_path``.

    Args:
        input_path: A folder (``*.txt``, ``*.jsonl``, ``*.parquet`` below it), or one such file.
        output_path: Folder for the tables; created if missing.
        backend: ``"local"`` (process pool) or ``"ray"`` (Ray Data actor pool).
        model: Model directory; the shipped model when None.
        workers: Processes or actors; the number of cores by default.
        shard_size: Documents per shard (the unit of resumption).
        batch_size: Documents per encoder call inside a worker.
        resume: Skip shards that an earlier run finished.
        address: Ray cluster to join (``ray`` backend); a local instance is started otherwise.
        progress: Called with each finished (or skipped) shard.

    Returns:
        One :class:`ShardResult` per shard.
    """
    if backend not in ("local", "ray"):
        raise ValueError(f"backend must be 'local' or 'ray', not {backend!r}")
    out_dir = Path(output_path)
    out_dir.mkdir(parents=True, exist_ok=True)
    shards = plan_shards(input_path, shard_size)
    report = progress or (lambda result: None)
    todo, results = [], []
    for shard in shards:
        if resume and done_marker(out_dir, shard).is_file():
            results.append(ShardResult(shard.name, skipped=True))
            report(results[-1])
        else:
            todo.append(shard)
    workers = max(1, min(workers or os.cpu_count() or 1, max(1, len(todo))))
    model_path = None if model is None else str(model)
    if todo:
        runner = _run_local if backend == "local" else _run_ray
        extra = () if backend == "local" else (address,)
        results.extend(runner(todo, out_dir, model_path, workers, batch_size, *extra, report))
    return sorted(results, key=lambda result: result.name)


def read_table(output_path: str | Path, table: str) -> pa.Table:
    """One output table, all shards concatenated in shard order."""
    folder = Path(output_path) / table
    parts = sorted(folder.glob("part-*.parquet"))
    if not parts:
        return SCHEMAS[table].empty_table()
    return pa.concat_tables(pq.read_table(part, schema=SCHEMAS[table]) for part in parts)
