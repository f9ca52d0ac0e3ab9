"""Record the pre-split analyzer's tokens for tests/test_analysis_equivalence.py.

The old one-class analyzer (`search/analysis.py` at commit 8fada71, before the package split)
is read from git history into a temporary directory, imported there as `analysis_v1`, and run
on every input and call the equivalence test defines (`INPUTS`, `ANALYZERS`, `calls`); the
tokens it gives, as the test's `snapshot` sees them, go to tokens_v1.jsonl.xz beside this
file, with a fingerprint of each input. The old code is never kept in the tree.

Run from the repository root, in a git checkout with the eval pool at ../shared/eval:

    .venv/bin/python tests/data/analysis/record.py

Re-record only when an input changes (a seed text, an edge case, the pool) or a pinned
library (jieba, OpenCC, Whoosh) moves: the tokens must always come from the old code.
"""
from __future__ import annotations

import importlib.metadata
import sys
import tempfile
from pathlib import Path

OLD_PATH = "search/analysis.py"
ROOT = Path(__file__).resolve().parents[3]


def main() -> None:
    sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
    from recording import OLD_COMMIT, module_at_commit

    import test_analysis_equivalence as cases

    if not cases.POOL.exists():
        sys.exit(f"record.py: no eval pool at {cases.POOL}: the recording must cover it")
    with tempfile.TemporaryDirectory() as tmp:
        old = module_at_commit(OLD_PATH, "analysis_v1", Path(tmp))
        lexicon = sorted(old.mine_names(cases.SEEDS))
        analyzers = {"words": old.WordAnalyzer(), "grams": old.GramAnalyzer(),
                     "lexicon": old.WordAnalyzer(user_words=lexicon)}
        inputs = {group: make() for group, make in cases.INPUTS.items()}
        rows = []
        for group, texts in inputs.items():
            for name in cases.ANALYZERS[group]:
                for kwargs in cases.calls(group, name):
                    rows.append((group, name, kwargs,
                                 [cases.snapshot(analyzers[name](text, **kwargs), **kwargs)
                                  for text in texts]))
    header = {
        "recorded_from": f"{OLD_COMMIT}:{OLD_PATH}",
        "versions": {dist: importlib.metadata.version(dist)
                     for dist in ("jieba", "opencc-python-reimplemented", "Whoosh")},
        "lexicon": cases.digest(lexicon),
        "inputs": {group: [cases.digest(text) for text in texts]
                   for group, texts in inputs.items()},
    }
    cases.write_recording(cases.RECORDING, header, rows)
    print(f"{cases.RECORDING.relative_to(ROOT)}: {len(rows)} calls on "
          f"{sum(map(len, inputs.values()))} inputs, {cases.RECORDING.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
