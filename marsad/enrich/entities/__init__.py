"""Named entities (PER, ORG, LOC) in Arabic news text, linked to ids and countries.

Modules by concern: ``tokens`` → ``features`` (with ``feature_sums``) → ``lstm`` /
``news_encoder`` and ``decoding`` → ``linking`` → ``countries`` → ``tagger``, which runs them
all; ``merge`` joins one entity's spellings across articles at the warehouse level.
"""
