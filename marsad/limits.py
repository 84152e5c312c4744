"""The one bound of every per-word cache (features, stems, gazetteer and topic lookups).

News vocabulary repeats, so caching a word's work pays; but the vocabulary keeps growing with
the corpus, so every cache has this size limit and memory stays bounded by it, not by how many
pages a worker has seen (about 100,000 words cover nearly every token of a day's news).
"""

WORD_CACHE = 100_000
# A word's feature strings (about 2 KB a word) are needed only until their sums are cached
# (``feature_sums``), so fewer are kept: frequent words stay, rare ones are rebuilt.
FEATURE_STRINGS_CACHE = WORD_CACHE // 4
