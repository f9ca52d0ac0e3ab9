"""The query side: user text -> QueryPlan -> a backend's query. Never raises anything but
QueryError.

    syntax.py          cleaning and parsing the typed text into clauses
    filters.py         which values lang:/year:/date:/article:/venue:/title:/author: accept,
                       and search_options: the one check of every front end's options
    plan.py            the typed, backend-neutral QueryPlan
    builder.py         text + glossary + index statistics -> QueryPlan
    whoosh_compile.py  QueryPlan -> whoosh.query tree (the Whoosh backend's execute side)
"""
from search.query.builder import QueryBuilder
from search.query.filters import LANGS, date_range
from search.query.plan import QueryPlan
from search.query.syntax import EMPTY_QUERY, MAX_QUERY_CHARS, Clause, clean, parse
from search.query.whoosh_compile import compile

__all__ = ["QueryBuilder", "QueryPlan", "Clause", "EMPTY_QUERY", "LANGS", "MAX_QUERY_CHARS",
           "clean", "compile", "date_range", "parse"]
