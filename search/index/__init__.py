"""The index side: corpus files -> Whoosh documents -> a new generation swapped in.

=================  ======================================================================
``schema``         the Whoosh schema, ``FORMAT_VERSION``, ``date_number``
``manifest``       the manifest and ``CURRENT`` of a generation (read, swap), the layout
``checksums``      checksums.json of a generation: write, verify (cheap or full)
``documents``      ``passage_docs`` (an Article -> Whoosh documents), ``article_from_stored``
``update``         ``update_index``: what changed, ingest, write a generation, ``IndexReport``
``workers``        new segments written in this process or forked worker processes
``writer``         ``FastSegmentWriter``: the lean segment writer (same files as Whoosh's)
``livestats``      statistics of deleted-but-still-stored documents; the searcher using them
=================  ======================================================================

Whoosh 2.7.4 internals used here go through ``search.whoosh_internals``.
"""
