"""Subcommands of `byline` that this app adds (see byline/cli.py, APP_COMMANDS)."""


def add_commands(sub, data_parent) -> dict:
    return {}
