"""One writer at a time: a lock document in the cluster, kept alive by a heartbeat.

`defsearch index` creates the `lock` document of `<alias>-meta` (create fails when it
exists) and refreshes its heartbeat every STALE_AFTER / 4 seconds. A lock whose heartbeat is
older than STALE_AFTER belongs to a writer that died (killed, its machine gone): the next
writer takes it over, replacing exactly that document (sequence number check), so two
writers that both find it stale cannot both win.
"""
from __future__ import annotations

import os
import socket
import threading
import time
import uuid

from search.backends.opensearch import store
from search.errors import IndexLocked

STALE_AFTER = 60.0
LOCK_ID = "lock"


class ClusterLock:
    def __init__(self, client, alias: str, where: str, stale_after: float = STALE_AFTER):
        self.client = client
        self.alias = alias
        self.where = where
        self.stale_after = stale_after
        self.token = uuid.uuid4().hex
        self.owner = f"{socket.gethostname()} pid {os.getpid()}"
        self._stop = threading.Event()
        self._beat = None

    def _doc(self) -> dict:
        return {"kind": "lock", "token": self.token, "owner": self.owner,
                "heartbeat": time.time()}

    def __enter__(self):
        from opensearchpy import ConflictError, NotFoundError

        index = store.meta_index(self.alias)
        try:
            self.client.create(index=index, id=LOCK_ID, body=self._doc(), refresh=True)
        except ConflictError:
            try:
                held = self.client.get(index=index, id=LOCK_ID)
            except NotFoundError:       # released meanwhile: try once more
                self.client.create(index=index, id=LOCK_ID, body=self._doc(), refresh=True)
            else:
                age = time.time() - float(held["_source"].get("heartbeat", 0))
                if age < self.stale_after:
                    raise IndexLocked(
                        f"another `defsearch index` ({held['_source'].get('owner', '?')}) is "
                        f"updating {self.alias} in OpenSearch at {self.where}: wait for it to "
                        f"finish (a writer silent for {self.stale_after:.0f} s is taken over)"
                    ) from None
                try:        # a dead writer's lock: replace exactly that version
                    self.client.index(index=index, id=LOCK_ID, body=self._doc(),
                                      if_seq_no=held["_seq_no"],
                                      if_primary_term=held["_primary_term"], refresh=True)
                except ConflictError:
                    raise IndexLocked(f"another `defsearch index` just took over the stale "
                                      f"lock of {self.alias}: wait for it to finish") from None
        self._beat = threading.Thread(target=self._heartbeat, daemon=True)
        self._beat.start()
        return self

    def _heartbeat(self) -> None:
        while not self._stop.wait(self.stale_after / 4):
            try:
                self.client.index(index=store.meta_index(self.alias), id=LOCK_ID,
                                  body=self._doc())
            except Exception:       # noqa: BLE001 - the next beat tries again
                pass

    def __exit__(self, *exc):
        self._stop.set()
        if self._beat is not None:
            self._beat.join(timeout=5)
        try:
            held = self.client.get(index=store.meta_index(self.alias), id=LOCK_ID)
            if held["_source"].get("token") == self.token:
                self.client.delete(index=store.meta_index(self.alias), id=LOCK_ID,
                                   if_seq_no=held["_seq_no"],
                                   if_primary_term=held["_primary_term"], refresh=True)
        except Exception:       # noqa: BLE001 - unreachable now: it goes stale
            pass
