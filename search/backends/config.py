"""Backend settings from options, environment variables or a small JSON file.

    DEFSEARCH_BACKEND              whoosh (default) | opensearch
    DEFSEARCH_OPENSEARCH_URL       https://search.example.org:9200 (several: comma-separated)
    DEFSEARCH_OPENSEARCH_USER      basic-auth user      } never on the command line:
    DEFSEARCH_OPENSEARCH_PASSWORD  basic-auth password  } a process list shows it
    DEFSEARCH_OPENSEARCH_CA_CERTS  a CA bundle to verify the cluster's certificate with
    DEFSEARCH_OPENSEARCH_VERIFY    0 to skip TLS verification (a test cluster only)
    DEFSEARCH_OPENSEARCH_INDEX     the alias searched (default "defsearch")
    DEFSEARCH_OPENSEARCH_CONFIG    a JSON file with the same keys in lower case
                                   (url, user, password, ca_certs, verify, index)

Options given on the command line (`--backend`, `--opensearch URL`) win over the
environment, which wins over the file. A URL holding credentials (https://user:pw@host) is
refused: it would show in `ps` and in shell history. TLS certificates are verified unless
`verify` is explicitly off.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from search.errors import DefsearchError

BACKENDS = ("whoosh", "opensearch")
DEFAULT_ALIAS = "defsearch"


class BackendConfigError(DefsearchError):
    """The backend settings are incomplete or unsafe; the message names the setting."""


@dataclass(frozen=True)
class BackendConfig:
    backend: str = "whoosh"
    urls: tuple = ()
    user: str = field(default="", repr=False)
    password: str = field(default="", repr=False)
    ca_certs: str = ""
    verify: bool = True
    index: str = DEFAULT_ALIAS

    @property
    def where(self) -> str:
        """The cluster as messages name it: URLs only, never credentials."""
        return ", ".join(self.urls)


def _file_settings(path: str) -> dict:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as err:
        raise BackendConfigError(f"{path}: cannot read the OpenSearch settings "
                                 f"({err.strerror}): check DEFSEARCH_OPENSEARCH_CONFIG") from None
    except ValueError:
        raise BackendConfigError(f"{path}: not a JSON object of OpenSearch settings "
                                 "(url, user, password, ca_certs, verify, index)") from None
    if not isinstance(data, dict):
        raise BackendConfigError(f"{path}: not a JSON object of OpenSearch settings "
                                 "(url, user, password, ca_certs, verify, index)")
    return {str(k).lower(): v for k, v in data.items()}


def _flag(value) -> bool:
    return str(value).strip().lower() not in ("0", "false", "no", "off")


def resolve(backend: str | None = None, url: str | None = None, env=None) -> BackendConfig:
    """The backend settings: `backend`/`url` (command-line options) over the environment
    over DEFSEARCH_OPENSEARCH_CONFIG's file."""
    env = os.environ if env is None else env
    filed = _file_settings(env["DEFSEARCH_OPENSEARCH_CONFIG"]) \
        if env.get("DEFSEARCH_OPENSEARCH_CONFIG") else {}

    def setting(name, default=""):
        value = env.get(f"DEFSEARCH_OPENSEARCH_{name.upper()}")
        return value if value not in (None, "") else filed.get(name, default)

    url = url or setting("url")
    backend = (backend or env.get("DEFSEARCH_BACKEND") or ("opensearch" if url else "whoosh"))
    backend = backend.strip().lower()
    if backend not in BACKENDS:
        raise BackendConfigError(f"unknown backend {backend!r}: use whoosh or opensearch")
    if backend == "whoosh":
        return BackendConfig()
    if not url:
        raise BackendConfigError("the opensearch backend needs the cluster's address: "
                                 "--opensearch URL or DEFSEARCH_OPENSEARCH_URL")
    urls = tuple(u.strip().rstrip("/") for u in str(url).split(",") if u.strip())
    for u in urls:
        parts = urlsplit(u)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise BackendConfigError(f"not an OpenSearch URL: {_safe(u)!r} "
                                     "(give http(s)://host:port)")
        if parts.username or parts.password:
            raise BackendConfigError(
                f"credentials in the OpenSearch URL {_safe(u)}: remove them and set "
                "DEFSEARCH_OPENSEARCH_USER and DEFSEARCH_OPENSEARCH_PASSWORD instead")
    return BackendConfig(backend="opensearch", urls=urls, user=str(setting("user")),
                         password=str(setting("password")),
                         ca_certs=str(setting("ca_certs")),
                         verify=_flag(setting("verify", "1")),
                         index=str(setting("index", DEFAULT_ALIAS)) or DEFAULT_ALIAS)


def _safe(url: str) -> str:
    """`url` without whatever user:password it holds."""
    parts = urlsplit(url)
    if parts.username or parts.password:
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
        return f"{parts.scheme}://{host}{port}{parts.path}"
    return url
