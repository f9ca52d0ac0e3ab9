"""One opensearch-py client per configuration, and every cluster error as one clear line.

Credentials come from the configuration (never the URL) and never appear in a message:
messages name the URLs only. opensearch-py's own warnings (a failed request per retry) are
silenced here, since the error that reaches the user says the same once.
"""
from __future__ import annotations

import functools
import logging

from search.backends.config import BackendConfig
from search.errors import DefsearchError

logging.getLogger("opensearch").addHandler(logging.NullHandler())
logging.getLogger("opensearch").propagate = False

TIMEOUT = 30


class ClusterError(DefsearchError):
    """The cluster cannot be reached or refused a request; the message says what to do."""


def connect(config: BackendConfig):
    from opensearchpy import OpenSearch

    kwargs = dict(hosts=list(config.urls), timeout=TIMEOUT, max_retries=2,
                  retry_on_timeout=True, retry_on_status=(429, 502, 503, 504),
                  verify_certs=config.verify, ssl_show_warn=False)
    if config.user or config.password:
        kwargs["http_auth"] = (config.user, config.password)
    if config.ca_certs:
        kwargs["ca_certs"] = config.ca_certs
    return OpenSearch(**kwargs)


def explain(err: Exception, config: BackendConfig, doing: str = "") -> DefsearchError:
    """The DefsearchError for an opensearch-py exception raised while `doing` something."""
    from opensearchpy import exceptions as ox

    where = config.where
    what = f" ({doing})" if doing else ""
    if isinstance(err, ox.SSLError):
        return ClusterError(
            f"cannot verify the TLS certificate of OpenSearch at {where}{what}: set "
            "DEFSEARCH_OPENSEARCH_CA_CERTS to the cluster's CA bundle")
    if isinstance(err, (ox.ConnectionError, ox.ConnectionTimeout)):
        return ClusterError(
            f"cannot reach OpenSearch at {where}{what}: check the URL (--opensearch or "
            "DEFSEARCH_OPENSEARCH_URL) and that the cluster is running")
    if isinstance(err, ox.AuthenticationException):
        return ClusterError(
            f"OpenSearch at {where} refused the credentials{what}: check "
            "DEFSEARCH_OPENSEARCH_USER and DEFSEARCH_OPENSEARCH_PASSWORD")
    if isinstance(err, ox.AuthorizationException):
        return ClusterError(
            f"OpenSearch at {where} does not allow this user to {doing or 'do that'}: "
            f"grant it read (search) or write (index) access to {config.index}*")
    if isinstance(err, ox.TransportError):
        status = err.status_code
        reason = _reason(err)
        if status == 503 or "all shards failed" in reason or "no_shard_available" in reason:
            return red(config, what)
        if status == 429:
            return ClusterError(
                f"OpenSearch at {where} is overloaded{what}: it refused the request (429, "
                f"{reason[:120]}): try again, or give its nodes more memory")
        return ClusterError(f"OpenSearch at {where} answered {status}{what}: {reason}")
    return ClusterError(f"OpenSearch at {where}{what}: {type(err).__name__}: {err}")


def red(config: BackendConfig, what: str) -> ClusterError:
    return ClusterError(
        f"OpenSearch at {config.where} cannot answer{what}: some shards of "
        f"{config.index} have no copy (cluster red): bring its nodes back, then search again")


def item_error(answer: dict, config: BackendConfig, doing: str = "") -> ClusterError:
    """The DefsearchError for one failed search of an `_msearch` (its answer holds an
    `error` instead of hits), worded as `explain` words a failed request."""
    what = f" ({doing})" if doing else ""
    err = answer.get("error") or {}
    reason = str(err.get("reason") or err.get("type") or err)[:300] \
        if isinstance(err, dict) else str(err)[:300]
    status = answer.get("status")
    if status == 503 or "all shards failed" in reason or "no_shard_available" in reason:
        return red(config, what)
    return ClusterError(f"OpenSearch at {config.where} answered {status}{what}: {reason}")


def _reason(err) -> str:
    info = getattr(err, "info", None)
    if isinstance(info, dict):
        e = info.get("error")
        if isinstance(e, dict):
            root = (e.get("root_cause") or [{}])[0]
            return str(root.get("reason") or e.get("reason") or e.get("type") or "")[:300]
        if e:
            return str(e)[:300]
    return str(getattr(err, "error", "") or err)[:300]


def guarded(doing: str):
    """Method decorator: an opensearch-py error becomes `explain(err, self.config, doing)`."""
    def wrap(method):
        @functools.wraps(method)
        def call(self, *args, **kwargs):
            from opensearchpy import exceptions as ox

            try:
                return method(self, *args, **kwargs)
            except ox.OpenSearchException as err:
                raise explain(err, self.config, doing) from None
            except ox.ImproperlyConfigured as err:
                raise ClusterError(f"OpenSearch at {self.config.where}: {err}") from None
        return call
    return wrap
