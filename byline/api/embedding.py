"""`_embed` and `_fields`, as WordPress's `WP_REST_Server::embed_links` and `rest_filter_response_fields`.

Serializers mark what may be embedded: `item["_embeddable"] = [(rel, kind, key), …]`, where
`kind` names a resolver and `key` what to fetch, or kind "lazy" and a function that builds
the value from what the item already holds (a post's prefetched categories).
`embed()` gathers the keys of a whole page of items and fetches each kind once (one or
two queries per kind, however many items), so `_embed` does not grow with the page size.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

# kind -> function(request, keys) -> {key: embedded value}; filled by the serializer modules.
RESOLVERS: dict[str, Callable] = {}


def resolver(kind: str):
    def register(func):
        RESOLVERS[kind] = func
        return func

    return register


def _items(data) -> list[dict]:
    if isinstance(data, list):
        return [d for d in data if isinstance(d, dict)]
    if isinstance(data, dict):
        return [data]
    return []


def embed(request, data, rels: set[str] | None) -> None:
    """Add `_embedded` to each item, for every embeddable link (or only the `rels` asked for)."""
    items = _items(data)
    wanted: dict[str, set] = defaultdict(set)
    for item in items:
        for rel, kind, key in item.get("_embeddable", ()):
            if kind != "lazy" and (rels is None or rel in rels):
                wanted[kind].add(key)
    found = {kind: RESOLVERS[kind](request, keys) for kind, keys in wanted.items()}
    for item in items:
        embedded: dict[str, list] = {}
        for rel, kind, key in item.get("_embeddable", ()):
            if rels is not None and rel not in rels:
                continue
            value = key() if kind == "lazy" else found[kind].get(key)
            if value is not None:
                embedded.setdefault(rel, []).append(_strip(value))
        if embedded:
            item["_embedded"] = embedded


def _strip(value):
    """The value without embedding marks, at any depth (a deleted item's `previous` has them)."""
    # Only lists and dicts are walked into: a list of ten posts holds hundreds of strings and
    # numbers, and a call for each was 8 % of the REST post list's time.
    if isinstance(value, list):
        return [_strip(v) if isinstance(v, list | dict) else v for v in value]
    if isinstance(value, dict):
        return {
            k: _strip(v) if isinstance(v, list | dict) else v for k, v in value.items() if k != "_embeddable"
        }
    return value


def _pick(item: dict, paths: list[list[str]]) -> dict:
    out: dict = {}
    for path in paths:
        source, target = item, out
        for i, part in enumerate(path):
            if not isinstance(source, dict) or part not in source:
                break
            if i == len(path) - 1:
                target[part] = source[part]
            else:
                source = source[part]
                target = target.setdefault(part, {})
    return out


def finish(data, fields: str | None):
    """Drop the embedding marks; keep only `_fields` (dotted paths reach inside objects)."""
    paths = [f.strip().split(".") for f in fields.split(",") if f.strip()] if fields else None

    def one(item):
        if not isinstance(item, dict):
            return item
        item = _strip(item)
        return _pick(item, paths) if paths else item

    if isinstance(data, list):
        return [one(d) for d in data]
    return one(data)
