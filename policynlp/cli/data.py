"""``policynlp data``: validate, import and count annotated data."""

from __future__ import annotations

import typer

app = typer.Typer(help="Validate, import and count annotated data (ANNOTATION.md JSON Lines).", no_args_is_help=True)
