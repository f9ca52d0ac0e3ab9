"""The `defsearch` command: a thin click layer over the library.

Each subcommand lives in its own module here and only parses options and formats output;
library exceptions (`search.errors.DefsearchError`) become one clear line on stderr and an
exit status, never a traceback.
"""
from __future__ import annotations

import sys

import click

from search.errors import DefsearchError


class _Group(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except DefsearchError as err:
            click.echo(f"defsearch: {err}", err=True)
            sys.exit(err.exit_code)
        except KeyboardInterrupt:
            click.echo("defsearch: interrupted", err=True)
            sys.exit(130)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="defsearch")
def main():
    """Search defense commentaries in Chinese and English, passage by passage.

    \b
    defsearch index      build or update the index from corpus/
    defsearch search Q   ranked passages for a query
    defsearch serve      the web page (builds the index first if missing)
    defsearch watch      update the index as files arrive in corpus/
    defsearch ingest P   show how files are parsed into articles
    defsearch glossary   the zh<->en terms mined from the corpus
    defsearch cite ID    an article's or passage's citation (GB/T 7714, APA, Chicago)
    defsearch related ID passages on the same subject in other articles
    """


def _register():
    # One module per command; each defines `command` (a click.Command). Imported lazily
    # enough: each module keeps its heavy imports inside the command body.
    from search.cli import cite, glossary, index, ingest, related, search, serve, watch
    for module in (ingest, index, search, serve, watch, glossary, cite, related):
        main.add_command(module.command)


_register()
