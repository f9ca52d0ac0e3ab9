"""The manifest beside the index, and the index directory layout.

Layout (swaps are atomic because readers resolve one small pointer file when they open):

    index/
      CURRENT            one line: the name of the live generation ("gen-000003")
      gen-000003/        a complete Whoosh index + manifest.json
      gen-000002/        the previous generation, kept so searches opened on it still finish
      .lock              held by the one `defsearch index` allowed to run

A writer builds a new generation beside the live one, fsyncs it, then replaces CURRENT with
`os.replace` (atomic on POSIX). A writer killed midway leaves only an unreferenced directory
that the next run removes; CURRENT still names the old, complete generation.

manifest.json records what is needed to tell whether the index is usable and what changed:
format version, analyzer settings (with the mined lexicon), library versions, and sha256 of
every corpus file with the counts it produced.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path

from search.errors import IndexNotFound, IndexOutOfDate
from search.schema import FORMAT_VERSION

MANIFEST = "manifest.json"
CURRENT = "CURRENT"
OUT_OF_DATE = "index is out of date: run `defsearch index --rebuild`"


@dataclass
class FileEntry:
    sha256: str
    size: int
    articles: list[str] = field(default_factory=list)
    passages: int = 0
    names: list[str] = field(default_factory=list)   # mine_names() of this file's text


@dataclass
class Manifest:
    format_version: int = FORMAT_VERSION
    analyzer: dict = field(default_factory=dict)
    lexicon: list[str] = field(default_factory=list)
    libraries: dict = field(default_factory=dict)
    corpus: str = ""
    files: dict[str, FileEntry] = field(default_factory=dict)
    passages: int = 0
    articles: int = 0
    built: str = ""
    glossary_sha256: str = ""      # of corpus/glossary.tsv ("" when absent)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=1, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "Manifest":
        data = json.loads(text)
        files = {k: FileEntry(**v) for k, v in data.pop("files", {}).items()}
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(files=files, **known)


def analyzer_settings() -> dict:
    """What the analysis code says about itself; a change means the index must be rebuilt."""
    from search import analysis

    settings = analysis.settings() if hasattr(analysis, "settings") else {}
    return {"version": str(getattr(analysis, "ANALYZER_VERSION", "0")), "settings": settings}


def library_versions() -> dict:
    out = {}
    for name in ("Whoosh", "jieba", "opencc-python-reimplemented"):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = ""
    return out


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# -- layout -----------------------------------------------------------------------------

def current_generation(index_dir) -> Path:
    """The live generation directory; IndexNotFound when there is none."""
    index_dir = Path(index_dir)
    try:
        name = (index_dir / CURRENT).read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError):
        raise IndexNotFound(index_dir) from None
    gen = index_dir / name
    if not name or "/" in name or not (gen / MANIFEST).is_file():
        raise IndexNotFound(index_dir)
    return gen


def read_manifest(gen_dir) -> Manifest:
    return Manifest.from_json((Path(gen_dir) / MANIFEST).read_text(encoding="utf-8"))


def check_compatible(manifest: Manifest) -> None:
    """Raise IndexOutOfDate when the index was built by another format or analyzer."""
    if manifest.format_version != FORMAT_VERSION:
        raise IndexOutOfDate(OUT_OF_DATE)
    if manifest.analyzer.get("version") != analyzer_settings()["version"]:
        raise IndexOutOfDate(OUT_OF_DATE)


def write_manifest(gen_dir, manifest: Manifest) -> None:
    path = Path(gen_dir) / MANIFEST
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(manifest.to_json())
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def fsync_dir(path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_tree(path) -> None:
    for root, _dirs, files in os.walk(path):
        for name in files:
            fd = os.open(os.path.join(root, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        fsync_dir(root)


def swap_current(index_dir, gen_name: str) -> None:
    """Point CURRENT at `gen_name` atomically (write temp, fsync, rename, fsync dir)."""
    index_dir = Path(index_dir)
    tmp = index_dir / (CURRENT + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(gen_name + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, index_dir / CURRENT)
    fsync_dir(index_dir)
