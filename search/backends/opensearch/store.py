"""Where the cluster keeps what the Whoosh backend keeps beside its index folder.

`<alias>` points at the live physical index (`<alias>-<time>-<random>`); `<alias>-meta`
holds, per physical index, its manifest (the files and their hashes, the lexicon, counts)
and its glossary, plus the writer's lock: every front end sees the same ones.
"""
from __future__ import annotations

import json
import tempfile
from pathlib import Path

META_BODY = {"settings": {"number_of_shards": 1, "auto_expand_replicas": "0-2"},
             "mappings": {"dynamic": False, "properties": {
                 "kind": {"type": "keyword"}, "index": {"type": "keyword"}}}}


def meta_index(alias: str) -> str:
    return f"{alias}-meta"


def live_index(client, alias: str) -> str | None:
    """The physical index `alias` points at; None when there is no alias yet."""
    if not client.indices.exists_alias(name=alias):
        return None
    names = sorted(client.indices.get_alias(name=alias))
    return names[-1] if names else None


def read_doc(client, alias: str, doc_id: str) -> dict | None:
    from opensearchpy import NotFoundError

    try:
        return client.get(index=meta_index(alias), id=doc_id)["_source"]
    except NotFoundError:
        return None


def glossary_to_doc(glossary) -> dict:
    from search.glossary.core import FILENAME

    with tempfile.TemporaryDirectory() as tmp:
        glossary.save(tmp)
        return {"kind": "glossary", "json": (Path(tmp) / FILENAME).read_text("utf-8")}


def glossary_from_doc(doc: dict | None):
    from search.glossary import Glossary
    from search.glossary.core import FILENAME

    if not doc or "json" not in doc:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / FILENAME).write_text(doc["json"], "utf-8")
        try:
            return Glossary.load(tmp)
        except Exception:       # an old or damaged glossary: search without expansion
            return None


def manifest_from_doc(doc: dict | None):
    from search.index.manifest import Manifest

    if not doc or "json" not in doc:
        return None
    try:
        return Manifest.from_json(doc["json"])
    except ValueError:
        return None


def manifest_to_doc(manifest, index: str) -> dict:
    return {"kind": "manifest", "index": index, "json": manifest.to_json()}


def dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)
