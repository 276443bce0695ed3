"""`byline reindex`: fill the search index again, for posts written around the services."""


def add_commands(sub, data_parent) -> dict:
    sub.add_parser(
        "reindex",
        parents=[data_parent],
        help="rebuild the full-text search index of posts and pages (after a bulk load or restore)",
    )
    return {"reindex": cmd_reindex}


def cmd_reindex(args, data) -> None:
    from byline.commands import require_site, setup_django

    require_site(data)
    setup_django()
    from django.db import transaction

    from byline.content import search

    with transaction.atomic():
        count = search.reindex()
    print(f"Indexed {count} posts and pages for search.")
