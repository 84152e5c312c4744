"""Ingest: raw inputs to pages and articles. ``readers`` stream every input format as page
records; ``page_parsing`` and ``aggregator_page`` find title, byline, original outlet
(``outlets``) and date (``dates``); ``dedup`` and ``article_keys`` key articles for
duplicate and story matching.

May import only the foundations (``marsad.arabic``, ``marsad.ids``…), never a later stage.
"""
