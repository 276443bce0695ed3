"""WhiteNoise's compressed, hashed static files, gzip only.

Installing `brotli` (for the page cache) makes WhiteNoise also write a `.br` beside every
static file at brotli's slowest setting: for the editor's bundle that added tens of seconds to
every `byline serve` start on two cores (collectstatic runs at each start). Static files stay
as they were, gzip'd; pages get brotli from the page cache.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class GzipManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    def create_compressor(self, **kwargs):
        return super().create_compressor(**{**kwargs, "use_brotli": False})
