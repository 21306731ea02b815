"""The ``policynlp`` command line.

Each command group lives in its own module and registers itself on :data:`app`.
Heavy imports (torch, transformers) happen inside commands, so ``--help`` is fast.
Packages that build on policynlp (the HTTP service in ``serve/``) add commands
through the ``policynlp.cli`` entry-point group, so this package never imports them.
"""

from __future__ import annotations

from importlib.metadata import entry_points

import typer

from policynlp.cli import base as _base
from policynlp.cli import batch as _batch
from policynlp.cli import data as _data
from policynlp.cli import extract as _extract
from policynlp.cli import train as _train

app = typer.Typer(
    name="policynlp",
    help="Structured extraction from Chinese health-bureau policy reports.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

_extract.register(app)
_train.register(app)
_batch.register(app)
app.add_typer(_data.app, name="data")
app.add_typer(_base.app, name="base")

for _plugin in entry_points(group="policynlp.cli"):
    _plugin.load()(app)


def main() -> None:
    """Entry point of the ``policynlp`` console script."""
    app()
