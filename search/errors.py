"""Library exceptions. Each carries a message a user can act on; the CLI and the web app
render it (never a traceback)."""


class DefsearchError(Exception):
    """Base class: `str(err)` is the one line shown to the user."""

    exit_code = 1


class IngestError(DefsearchError):
    """A file could not be turned into articles (undecodable, empty, no text layer...).
    The message names the file and the problem."""

    def __init__(self, path, problem: str):
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


class IndexNotFound(DefsearchError):
    def __init__(self, index_dir, message: str = ""):
        self.index_dir = str(index_dir)
        super().__init__(
            message or f"index not found at {self.index_dir}: run `defsearch index` first")


class IndexDamaged(DefsearchError):
    """A file of the live generation is missing, truncated or changed since it was written
    (or CURRENT / manifest.json cannot be read). `problem` names the file; `defsearch index`
    rebuilds a damaged index."""

    def __init__(self, index_dir, problem: str):
        self.index_dir = str(index_dir)
        self.problem = problem
        super().__init__(f"index at {self.index_dir} is damaged ({problem}): "
                         "run `defsearch index --rebuild`")


class IndexLocked(DefsearchError):
    """Another `defsearch index` holds the index's lock."""


class IndexWriteError(DefsearchError):
    """The index directory cannot be written (read-only, full, not a directory...); the
    message says what to fix. The live generation is untouched."""


class IndexOutOfDate(DefsearchError):
    """The index was built by an incompatible format/analyzer version."""


class QueryError(DefsearchError):
    """A query that cannot be run; the message says what is wrong and what to try."""

    exit_code = 2


class ArticleNotFound(DefsearchError):
    def __init__(self, article_id: str):
        self.article_id = article_id
        super().__init__(f"no article with id {article_id!r}")
