"""defsearch: bilingual passage search for defense commentaries.

Data flow, one module per stage:
ingest (files -> Article) -> analysis (text -> tokens) -> index (Whoosh) -> query -> results.
The CLI (`search.cli`) and the web app (`web`) both call the same library functions and only format.
"""
__version__ = "0.1.0"
