"""`ArticleTable`: what facets, author choices and result cards need of every article.

The Whoosh engine's `DocTable` also maps each passage to its article; here the cluster does
that part (a terms aggregation on `article_id`), so the table only holds the articles'
metadata, read once per physical index from the article records (one scroll), and answers
what `search.engine.results.article_filters` and `facets_of` ask: `by_id`, `info`,
`articles_where`.
"""
from __future__ import annotations

import json

from search.engine.doctable import ArticleInfo, article_info


class ArticleTable:
    def __init__(self, client, index: str):
        from opensearchpy import helpers

        self.articles: list[ArticleInfo] = []
        for doc in helpers.scan(client, index=index, query={"query": {"term": {"kind": "a"}}},
                                _source_includes=["record"], size=1000,
                                preserve_order=False):
            self.articles.append(article_info(json.loads(doc["_source"]["record"])))
        self.articles.sort(key=lambda a: a.id)
        self.info = {a.id: a for a in self.articles}
        self.by_id = {a.id: n for n, a in enumerate(self.articles)}

    def articles_where(self, test) -> list[str]:
        """Ids of the articles whose ArticleInfo passes `test`."""
        return [a.id for a in self.articles if test(a)]
