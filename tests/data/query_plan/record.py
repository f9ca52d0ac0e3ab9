"""Record main's query builder outputs for tests/test_query_plan.py.

main's builder (`search/query.py` at commit 8fada71, before the query package) is read from
git history into a temporary directory, imported there as `query_v1` (it imports
`search.ranking`, `search.analysis.CJK_CHARS` and `search.errors`, which still exist), and
run on every case the test defines (`CASES`, with the statistics `builders` gives: the
engine index's, or x100 for the "big" group) on the same index the `engine` fixture builds
(tests/conftest.py's corpus, indexed with `update_index` in a temporary directory). What it
gives, as the test's `outputs` sees it, goes to main_v1.jsonl.xz beside this file, with a
fingerprint of each case, of the fixture corpus and of the ranking constants it read. The old
code is never kept in the tree. Recording twice gives the same bytes.

Run from the repository root, in a git checkout:

    .venv/bin/python tests/data/query_plan/record.py

Re-record only when an input changes (a query, an option, the fixture corpus, a ranking
constant) or the analyzers or glossary the index holds change on purpose: the outputs must
always come from the old code.
"""
from __future__ import annotations

import importlib.metadata
import sys
import tempfile
from pathlib import Path

OLD_PATH = "search/query.py"
ROOT = Path(__file__).resolve().parents[3]


def main() -> None:
    sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
    from recording import OLD_COMMIT, module_at_commit

    import conftest
    import test_query_plan as cases
    from search.engine.engine import Engine
    from search.index.update import update_index

    with tempfile.TemporaryDirectory() as tmp:
        old = module_at_commit(OLD_PATH, "query_v1", Path(tmp))
        corpus = conftest._make_corpus(Path(tmp) / "corpus")
        update_index(corpus, Path(tmp) / "index")
        engine = Engine(Path(tmp) / "index")
        rows = []
        for group, group_cases in cases.CASES.items():
            builder = cases.builders(engine, old.QueryBuilder, cases.BIG[group])
            for text, kwargs in group_cases:
                result, error = cases.outcome(lambda: builder.build(text, **kwargs))
                rows.append({"group": group, "input": cases.digest([text, kwargs]),
                             "error": error,
                             **(cases.outputs(result, result.query, result.explain,
                                              result.words) if result is not None else {})})
        header = {
            "recorded_from": f"{OLD_COMMIT}:{OLD_PATH}",
            "versions": {dist: importlib.metadata.version(dist)
                         for dist in ("jieba", "opencc-python-reimplemented", "Whoosh")},
            "fixture": cases.fixture_digest(corpus),
            "ranking": cases.ranking_digest(),
        }
    cases.write_recording(cases.RECORDING, header, rows)
    print(f"{cases.RECORDING.relative_to(ROOT)}: {len(rows)} cases, "
          f"{cases.RECORDING.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
