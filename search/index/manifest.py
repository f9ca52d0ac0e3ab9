"""The manifest beside the index and the index directory layout (checksums: `checksums`).

Layout (swaps are atomic because readers resolve one small pointer file when they open):

    index/
      CURRENT                    one line: the name of the live generation
      gen-000003-5f0c2a9e71d4/   a complete Whoosh index + manifest.json + checksums.json
      gen-000002-c81b07e3aa52/   the previous generation, kept so open searches still finish
      .lock                      held by the one `defsearch index` allowed to run

A generation's name is its number (for ordering: cleanup keeps the live and the previous
one) and a random part, so a name never comes back, not even after `rm -rf index` and a
fresh build: a running server and its caches, keyed by the name, see a new index. (Indexes
written before had names like "gen-000003"; they still open.)

A writer builds a new generation beside the live one, fsyncs it, then replaces CURRENT with
`os.replace` (atomic on POSIX). A writer killed midway leaves only an unreferenced directory
that the next run removes; CURRENT still names the old, complete generation.

manifest.json records what is needed to tell whether the index is usable and what changed:
format version, analyzer settings (with the mined lexicon), library versions, and sha256 of
every corpus file with the counts it produced. checksums.json, written last, records the
size and sha256 of every file of the generation (see `search.index.checksums`).
"""
from __future__ import annotations

import json
import os
import re
import secrets
import shutil
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path

from search.errors import DefsearchError, IndexDamaged, IndexNotFound, IndexOutOfDate
from search.index.checksums import verify_generation
from search.index.schema import FORMAT_VERSION

MANIFEST = "manifest.json"
CURRENT = "CURRENT"
OUT_OF_DATE = "index is out of date: run `defsearch index --rebuild`"
GEN_PREFIX = "gen-"
GEN_NAME = re.compile(r"gen-(\d{6,})(-[0-9a-f]{12})?")   # number, random part (new ones)


@dataclass
class FileEntry:
    sha256: str
    size: int
    articles: list[str] = field(default_factory=list)
    passages: int = 0
    names: list[str] = field(default_factory=list)   # mine_names() of this file's text
    collided: bool = False     # lost an id to another file: read again when the corpus changes
    added: str = ""            # UTC time this content entered the index (feeds: newest first)


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
        """The manifest in `text`; ValueError when it is not one (wrong JSON or shape)."""
        data = json.loads(text)
        if not isinstance(data, dict) or not isinstance(data.get("files", {}), dict):
            raise ValueError("not a manifest")
        try:
            files = {k: _typed(FileEntry(**v)) for k, v in data.pop("files", {}).items()}
        except TypeError:
            raise ValueError("not a manifest") from None
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return _typed(cls(files=files, **known))


_TYPES = {   # field -> type, for what reads a manifest (other fields are passed through)
    "Manifest": {"format_version": int, "analyzer": dict, "lexicon": list, "libraries": dict,
                 "corpus": str, "passages": int, "articles": int, "built": str,
                 "glossary_sha256": str},
    "FileEntry": {"sha256": str, "size": int, "articles": list, "passages": int,
                  "names": list},
}


def _typed(record):
    """`record` if its fields hold the types the code reading them expects (a hand-edited
    or damaged manifest must not reach that code); ValueError otherwise."""
    for name, kind in _TYPES[type(record).__name__].items():
        value = getattr(record, name)
        if not isinstance(value, kind) or isinstance(value, bool) or (
                kind is list and not all(isinstance(x, str) for x in value)):
            raise ValueError(f"not a manifest ({name})")
    return record


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


# -- layout -----------------------------------------------------------------------------

def generation_number(name: str) -> int | None:
    """The number of a generation directory's name, None for any other name."""
    match = GEN_NAME.fullmatch(name)
    return int(match.group(1)) if match else None


def new_generation_name(last: int) -> str:
    return f"{GEN_PREFIX}{last + 1:06d}-{secrets.token_hex(6)}"


def read_current(index_dir) -> str:
    """The name CURRENT holds; IndexNotFound when there is no index, IndexDamaged when
    CURRENT cannot be read or names no generation."""
    index_dir = Path(index_dir)
    if index_dir.exists() and not index_dir.is_dir():
        raise IndexNotFound(index_dir, f"{index_dir} is a file, not an index directory: "
                                       "pass --index DIR")
    try:
        raw = (index_dir / CURRENT).read_bytes()
    except FileNotFoundError:
        raise IndexNotFound(index_dir) from None
    except IsADirectoryError:
        raise IndexDamaged(index_dir, f"{CURRENT} is a directory") from None
    except OSError as err:
        raise IndexDamaged(index_dir, f"{CURRENT}: {err.strerror}") from None
    name = raw.decode("ascii", "replace").strip()
    if generation_number(name) is None:
        raise IndexDamaged(index_dir, f"{CURRENT} does not name a generation")
    return name


def current_generation(index_dir) -> Path:
    """The live generation directory; IndexNotFound when there is none (see read_current)."""
    name = read_current(index_dir)
    gen = Path(index_dir) / name
    if not gen.is_dir():
        raise IndexDamaged(index_dir, f"{CURRENT} names {name}, which is missing")
    return gen


def read_manifest(gen_dir) -> Manifest:
    """The generation's manifest; IndexDamaged when it is missing or not a manifest."""
    gen_dir = Path(gen_dir)
    where = f"{gen_dir.name}/{MANIFEST}"
    try:
        return Manifest.from_json((gen_dir / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise IndexDamaged(gen_dir.parent, f"{where}: missing") from None
    except (OSError, ValueError) as err:     # UnicodeDecodeError and JSON errors included
        raise IndexDamaged(gen_dir.parent, f"{where}: not a defsearch manifest") from err


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
    current = index_dir / CURRENT
    if current.is_dir() and not current.is_symlink():    # damage: nothing can point through it
        shutil.rmtree(current)
    os.replace(tmp, current)
    fsync_dir(index_dir)


def check_index(index_dir) -> tuple[str, int, int]:
    """`defsearch index --check`: (generation, files, bytes) of the live generation after
    hashing every byte of it; IndexDamaged (or IndexNotFound) otherwise."""
    gen = current_generation(index_dir)
    files = verify_generation(gen, full=True)
    if files is None:
        raise DefsearchError(f"index at {index_dir} has no checksums (built by an older "
                             "defsearch): run `defsearch index --rebuild`")
    read_manifest(gen)
    return gen.name, len(files), sum(e["size"] for e in files.values())


def check_servable(index_dir) -> Path:
    """The live generation, after the checks a search makes before opening it (its files'
    sizes and sampled checksums, the format and analyzer versions); raises IndexNotFound,
    IndexDamaged or IndexOutOfDate, which say what to run."""
    gen = current_generation(index_dir)
    open_checks(gen)
    return gen


def open_checks(gen_dir: Path) -> Manifest:
    """The checks made before a search opens a generation (sizes and sampled checksums of
    its files, then the format and analyzer versions); its manifest when they pass."""
    verify_generation(gen_dir)
    manifest = read_manifest(gen_dir)
    check_compatible(manifest)
    return manifest
