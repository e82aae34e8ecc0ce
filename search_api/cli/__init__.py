"""The `pledges` command: one CLI with a subcommand per job (index, show, search, similar, serve, ui, eval,
eval-tagger, train-tagger, bench)."""

from __future__ import annotations

import typer

from search_api.cli import bench_cmd, eval_cmd, index_cmd, search_cmd, serve_cmd, tagger_cmd, ui_cmd

app = typer.Typer(
    help="Search GCM pledges, good practices and local actions.", no_args_is_help=True, pretty_exceptions_enable=False
)

for module in (index_cmd, search_cmd, serve_cmd, ui_cmd, eval_cmd, tagger_cmd, bench_cmd):
    module.register(app)
