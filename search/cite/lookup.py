"""An article or one of its passages from an id, as `defsearch cite ID` and the web take it."""
from __future__ import annotations

from search.errors import ArticleNotFound, DefsearchError
from search.model import Article, Passage


class NotFound(DefsearchError):
    def __init__(self, item_id: str):
        self.item_id = item_id
        super().__init__(f"no article or passage with id {item_id!r}: `defsearch search` "
                         "shows the ids (ARTICLE for an article, ARTICLE#p5 for a passage)")


def find(engine, item_id: str) -> tuple[Article, Passage | None]:
    """(article, passage) for a passage id, (article, None) for an article id."""
    try:
        return engine.article(item_id), None
    except ArticleNotFound:
        pass
    article_id = engine.passage_article(item_id)
    if article_id is None:
        raise NotFound(item_id)
    article = engine.article(article_id)
    passage = next((p for p in article.passages if p.id == item_id), None)
    if passage is None:
        raise NotFound(item_id)
    return article, passage
