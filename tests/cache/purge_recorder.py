"""A purge hook for tests: remembers what it was told."""

PURGES: list[str] = []


def record(*, reason: str) -> None:
    PURGES.append(reason)
