"""What every `byline` subcommand needs, wherever it is declared: the one-line error to stop
with, the check that a site exists, and Django set up.

Apart from `byline.cli` so that a domain app's commands (`byline privacy`) need not import
the command line that imports them.
"""

from __future__ import annotations

from pathlib import Path


class CommandError(Exception):
    """A problem to tell the user in one line, exiting with status 2."""


def setup_django() -> None:
    import django

    django.setup()


def require_site(data: Path) -> None:
    if not (data / "secret_key").is_file():
        raise CommandError(
            f"There is no Byline site in {data}. Create one first with: byline init --data {data}"
        )
