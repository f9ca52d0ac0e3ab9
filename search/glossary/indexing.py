"""What the indexer calls: one function per index update, one digest for the manifest.

    from search.glossary import update_glossary, glossary_digest, glossary_names

    # in update_index, after the new generation's documents are written:
    update_glossary(gen, root, changed_articles, removed_article_ids, old_gen)
    # in the manifest / "nothing changed?" test:
    glossary_digest(root)          # sha256 of root/glossary.tsv ("" when absent)
    # in each file's mined lexicon (jieba user words), so 拉夫羅夫 stays one token:
    glossary_names(articles)       # folded Chinese sides of the pairs glossed in them
    # or mine each article once as it is read, and build the glossary from that:
    mining = Mining(); pair_names(mining.add(article)); update_glossary(..., mining=mining)
"""
from __future__ import annotations

from pathlib import Path

from search.glossary.core import FILENAME, Glossary, Mining, mine_article
from search.glossary.folding import key as fold_key

USER_TSV = "glossary.tsv"


def user_tsv_path(corpus_root) -> Path | None:
    """corpus_root/glossary.tsv when it exists (corpus_root may be a single file's folder)."""
    p = Path(corpus_root) / USER_TSV
    return p if p.is_file() else None


def glossary_digest(corpus_root) -> str:
    """SHA-256 of the user glossary, "" when there is none: store it in the manifest and
    treat a change like a changed corpus file (the glossary is rebuilt, documents are not)."""
    p = user_tsv_path(corpus_root)
    from search.index.checksums import sha256_file

    return sha256_file(p) if p else ""


def update_glossary(gen_dir, corpus_root, articles, removed=(), old_gen_dir=None,
                    removed_articles=None, old_articles=None,
                    mining: Mining | None = None) -> Glossary:
    """Build or update the glossary of a new index generation and save it there.

    `articles`: the articles (re)ingested for this generation; `removed`: ids of articles
    gone or replaced since `old_gen_dir` (the previous generation, None for a full build,
    in which case `articles` must be the whole corpus). Only `articles` are mined; the
    previous generation's per-article pairs are reused for everything else.
    `removed_articles`: those removed articles as `old_gen_dir` holds them (an iterable),
    so the update equals a build (see `Glossary.update`). `old_articles()`: every article
    of `old_gen_dir`, read once to count their lower-case words when its glossary was saved
    without the counts (by an older defsearch): that update reads the whole index, the
    following ones only what they change. `mining`: the (re)ingested articles already
    mined (`core.Mining`), in place of or besides `articles`."""
    tsv = user_tsv_path(corpus_root)
    old = None
    if old_gen_dir is not None and (Path(old_gen_dir) / FILENAME).exists():
        old = Glossary.load(old_gen_dir)
    if old is None:
        glossary = Glossary.build(articles, user_tsv=tsv, mining=mining)
    else:
        if old_articles is not None:
            old.count_lowercase_words(old_articles)
        glossary = old.update(articles=articles, removed=removed, user_tsv=tsv,
                              removed_articles=removed_articles, mining=mining)
    glossary.save(gen_dir)
    return glossary


def glossary_names(articles) -> set[str]:
    """Folded Chinese terms glossed in `articles` (拉夫罗夫, 信心建立措施), for jieba's
    user words: a name jieba would split (拉夫/罗夫) then matches as one word."""
    names = set()
    for a in articles:
        names |= pair_names(mine_article(a))
    return names


def pair_names(pairs) -> set[str]:
    """`glossary_names` of the mined `pairs` of an article (`core.Mining.add`)."""
    names = set()
    for p in pairs:
        k = fold_key(p.zh)
        if 2 <= len(k) <= 20:
            names.add(k)
    return names
