"""IPTC Media Topics for articles and ticker headlines.

``taxonomy`` → ``features`` → ``seeds`` → ``model`` (one document) and ``batch`` (a batch at
once, the pipeline's path: the same answers through Polars and NumPy).
"""
