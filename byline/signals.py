"""Signals that cross app boundaries.

`site_changed` is sent after any change that alters what a public page shows (a post
saved, a correction added, an option set, a comment approved). The page cache listens to
it; domain apps send it and never import the site app.
"""

from django.dispatch import Signal

site_changed = Signal()  # kwargs: reason (str)
