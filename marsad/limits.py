"""The one bound of every per-word cache (features, stems, gazetteer and topic lookups), how
a worker full of them collects its garbage, and the one BLAS thread it multiplies on.

News vocabulary repeats, so caching a word's work pays; but the vocabulary keeps growing with
the corpus, so every cache has this size limit and memory stays bounded by it, not by how many
pages a worker has seen (about 100,000 words cover nearly every token of a day's news).
"""

import gc
from collections.abc import Iterator
from contextlib import contextmanager

WORD_CACHE = 100_000
# A word's feature strings (about 2 KB a word) are needed only until their sums are cached
# (``feature_sums``), so fewer are kept: frequent words stay, rare ones are rebuilt.
FEATURE_STRINGS_CACHE = WORD_CACHE // 4
# Batches between full collections of what earlier batches left frozen (``BatchCollector``).
THAW_BATCHES = 50


class BatchCollector:
    """Python's garbage collection once a batch, for a worker that annotates batch after batch.

    The caches above keep hundreds of thousands of objects alive, and every full pass of the
    collector walked them all: a fifth of an annotation worker's time after a few thousand
    articles. So during a batch the collector waits; after it, one pass collects what the
    batch left, and what survives is frozen (``gc.freeze``): later passes skip it, while
    reference counting still frees it when a cache lets it go. Every THAW_BATCHES batches one
    pass takes in the frozen objects too, so no cycle among them outlives that. What waits
    for collection is what one batch makes, so memory stays bounded by the batch."""

    def __init__(self) -> None:
        self.batches = 0

    @contextmanager
    def batch(self, last: bool = False) -> Iterator[None]:
        """The collector off during the batch; a pass after it, unless it is the ``last`` of
        a process that then ends: then all is frozen unscanned and the collector stays off,
        so neither that pass nor the one Python makes at exit walks the batch's objects
        (0.03 s of a `marsad tag` over 25,000 words)."""
        enabled = gc.isenabled()
        gc.disable()
        try:
            yield
        finally:
            if last:
                gc.freeze()
            else:
                self._collect(enabled)

    def _collect(self, enabled: bool) -> None:
        self.batches += 1
        if self.batches % THAW_BATCHES == 0:
            gc.unfreeze()
        gc.collect()
        gc.freeze()
        if enabled:
            gc.enable()

    def release(self) -> None:
        """Hand the frozen objects back to the collector (a process that goes on with other
        work)."""
        gc.unfreeze()


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """BLAS (numpy's matrix products) on one thread for the block. The models' products are
    small (an LSTM step of a batch), so a second thread only waits on the first: on two
    cores `marsad tag` took the same time with 1.4 times the CPU, and 1.3-1.5 times as long
    while the other core was busy. Ray's actors get the same from their environment."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        yield
