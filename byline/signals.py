"""Signals that cross app boundaries.

`site_changed` is sent after any change that alters what a public page shows (a post
saved, a correction added, an option set, a comment approved). The page cache listens to
it; domain apps send it and never import the site app.

`site_changed_later` is its background half, sent by the worker (byline/tasks/purges.py) a
moment after one or more `site_changed`: the place for purges too slow for a request (other
machines, a CDN). A listener must not assume one call per change: changes coalesce.
"""

from django.dispatch import Signal

site_changed = Signal()  # kwargs: reason (str)
site_changed_later = Signal()  # kwargs: reason (str)
