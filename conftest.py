"""Test-wide set-up that must happen before Django reads its settings."""

import os
import tempfile

# Each test process gets its own data dir (media files, secret key) and Byline's test settings.
os.environ["BYLINE_TESTING"] = "1"
os.environ.setdefault("BYLINE_DATA_DIR", tempfile.mkdtemp(prefix="byline-test-"))
