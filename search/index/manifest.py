"""The manifest beside the index, the index directory layout, and its checksums.

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
size and sha256 of every file of the generation (see `verify_generation`).
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path

from search.errors import DefsearchError, IndexDamaged, IndexNotFound, IndexOutOfDate
from search.index.schema import FORMAT_VERSION

MANIFEST = "manifest.json"
CURRENT = "CURRENT"
CHECKSUMS = "checksums.json"
OUT_OF_DATE = "index is out of date: run `defsearch index --rebuild`"
GEN_PREFIX = "gen-"
GEN_NAME = re.compile(r"gen-(\d{6,})(-[0-9a-f]{12})?")   # number, random part (new ones)
FULL_CHECK_AT_OPEN = 16 << 20      # bytes: a smaller generation is hashed whole when opened
SAMPLE_BLOCKS, SAMPLE_BLOCK = 16, 4096


@dataclass
class FileEntry:
    sha256: str
    size: int
    articles: list[str] = field(default_factory=list)
    passages: int = 0
    names: list[str] = field(default_factory=list)   # mine_names() of this file's text
    collided: bool = False     # lost an id to another file: read again when the corpus changes


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


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


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


# -- checksums --------------------------------------------------------------------------
#
# checksums.json: {"files": {name: {"size": n, "sha256": hex, "sample": hex}}} for every
# file of a generation (Whoosh's lock file aside). Opening a generation checks every size,
# then hashes all of it when it is small (FULL_CHECK_AT_OPEN) and otherwise a sample of
# SAMPLE_BLOCKS blocks spread over each file; `defsearch index` (before it builds on the
# live generation) and `defsearch index --check` hash every byte.

def _covered(path: Path) -> bool:
    return path.is_file() and path.name != CHECKSUMS and not path.name.endswith(
        ("LOCK", ".tmp"))


def _sample_digest(path: Path, size: int) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        if size <= SAMPLE_BLOCKS * SAMPLE_BLOCK:
            digest.update(fh.read())
        else:
            step = (size - SAMPLE_BLOCK) // (SAMPLE_BLOCKS - 1)
            for n in range(SAMPLE_BLOCKS):
                fh.seek(n * step)
                digest.update(fh.read(SAMPLE_BLOCK))
    return digest.hexdigest()


def _read_checksums(gen_dir: Path) -> dict | None:
    """{name: entry} of the generation, None when it has no checksums.json (older
    defsearch); IndexDamaged when the file is not a checksum list."""
    try:
        data = json.loads((gen_dir / CHECKSUMS).read_text(encoding="utf-8"))
        files = data["files"]
        if not isinstance(files, dict) or not all(
                isinstance(e, dict) and isinstance(e.get("size"), int)
                and isinstance(e.get("sha256"), str) and isinstance(e.get("sample"), str)
                for e in files.values()):
            raise ValueError("not a checksum list")
        return files
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError, KeyError):
        raise IndexDamaged(gen_dir.parent, f"{gen_dir.name}/{CHECKSUMS}: not a checksum "
                                           "list") from None


def write_checksums(gen_dir, previous=None) -> None:
    """Write checksums.json for every file of `gen_dir` (atomically). A file hard-linked
    from `previous` (a generation just verified in full) keeps its entry unhashed."""
    gen_dir = Path(gen_dir)
    known = (_read_checksums(Path(previous)) or {}) if previous is not None else {}
    files = {}
    for path in sorted(gen_dir.iterdir()):
        if not _covered(path):
            continue
        st = path.stat()
        old = known.get(path.name)
        if old is not None and old["size"] == st.st_size \
                and os.path.samestat(st, os.stat(Path(previous) / path.name)):
            files[path.name] = old
        else:
            files[path.name] = {"size": st.st_size, "sha256": sha256_file(path),
                                "sample": _sample_digest(path, st.st_size)}
    path = gen_dir / CHECKSUMS
    tmp = path.with_suffix(".tmp")      # a new inode: never write through a hard link
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump({"files": files}, fh, indent=1, sort_keys=True)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def verify_generation(gen_dir, full: bool = False) -> dict | None:
    """Check the files of a generation against its checksums.json: sizes always, then
    sha256 of every byte when `full` or the generation is small, else a sampled digest.
    Returns {name: entry}, or None for a generation without checksums (older defsearch);
    raises IndexDamaged naming the first file that is missing, resized or changed."""
    gen_dir = Path(gen_dir)
    files = _read_checksums(gen_dir)
    if files is None:
        return None

    def damaged(name: str, problem: str):
        return IndexDamaged(gen_dir.parent, f"{gen_dir.name}/{name}: {problem}")

    total = 0
    for name, entry in files.items():
        path = gen_dir / name
        if "/" in name or not path.is_file():
            raise damaged(name, "missing")
        size = path.stat().st_size
        if size != entry["size"]:
            raise damaged(name, f"{size} bytes, expected {entry['size']}")
        total += size
    full = full or total <= FULL_CHECK_AT_OPEN
    for name, entry in files.items():
        path = gen_dir / name
        try:
            if full:
                ok = sha256_file(path) == entry["sha256"]
            else:
                ok = _sample_digest(path, entry["size"]) == entry["sample"]
        except OSError as err:          # unreadable (EIO, permissions): unusable all the same
            raise damaged(name, err.strerror) from None
        if not ok:
            raise damaged(name, "checksum mismatch")
    return files


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
