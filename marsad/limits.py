"""The one bound of every per-word cache (features, stems, gazetteer and topic lookups).

News vocabulary repeats, so caching a word's work pays; but the vocabulary keeps growing with
the corpus, so every cache has this size limit and memory stays bounded by it, not by how many
pages a worker has seen (about 100,000 words cover nearly every token of a day's news).
"""

WORD_CACHE = 100_000
