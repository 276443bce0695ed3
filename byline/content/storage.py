"""Where uploaded photos are written: Django's file system storage, minus half-written files.

Django's `FileSystemStorage._save` creates the file, then writes it chunk by chunk; when a
write fails (the disk is full: ENOSPC, or a quota or file-size limit) the exception goes up
and the first part of the file stays on disk, under a name no row points at. A photo that
could not be stored must leave nothing behind (docs/deployment.md, "When something fails"),
so the file this storage was writing is removed before the error goes on.
"""

from __future__ import annotations

import contextlib
import os
import threading

from django.core.files.storage import FileSystemStorage


class MediaStorage(FileSystemStorage):
    """FileSystemStorage that removes the file it was writing when the write fails."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._writing = threading.local()

    def path(self, name):
        full_path = super().path(name)
        # `_save` asks for the path of each name it tries (a taken name makes it pick another):
        # the last one asked for is the file being written.
        tried = getattr(self._writing, "paths", None)
        if tried is not None:
            tried.append(full_path)
        return full_path

    def _save(self, name, content):
        self._writing.paths = tried = []
        try:
            return super()._save(name, content)
        except OSError:
            # `_save` opens with O_EXCL, so a file at that path is the one it created just now.
            if tried:
                with contextlib.suppress(OSError):
                    os.remove(tried[-1])
            raise
        finally:
            self._writing.paths = None
