"""checksums.json: the size and sha256 of every file of a generation, and their check.

Written last (after the manifest), so a generation with checksums is complete; read when a
generation is opened (cheaply) and before an update builds on it (in full), so damage is
reported naming the file instead of surfacing as a Whoosh traceback or outliving an update.
`sha256_file` is also the corpus files' hash in the manifest.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from search.errors import IndexDamaged

CHECKSUMS = "checksums.json"
FULL_CHECK_AT_OPEN = 16 << 20      # bytes: a smaller generation is hashed whole when opened
SAMPLE_BLOCKS, SAMPLE_BLOCK = 16, 4096


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# -- checksums --------------------------------------------------------------------------
#
# checksums.json: {"files": {name: {"size": n, "sha256": hex, "sample": hex}}} for every
# file of a generation (Whoosh's lock file aside). Opening a generation checks every size,
# then hashes all of it when it is small (FULL_CHECK_AT_OPEN) and otherwise a sample of
# SAMPLE_BLOCKS blocks spread over each file; `defsearch index` (before it builds on the
# live generation) and `defsearch index --check` hash every byte.

def generation_file(path: Path) -> bool:
    """A file that belongs to a generation (and is checksummed): not Whoosh's lock, not a
    temp file, not checksums.json itself."""
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
        if not generation_file(path):
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
