"""A real 3-node OpenSearch cluster for the backend tests, started once per test run.

`scripts/opensearch-cluster` starts the nodes (one JVM each, on loopback, from the Maven
Central jars; see the script) and exits once they have formed a cluster; the nodes exit
with this pytest process (`--parent`), and the `os_cluster` fixture stops them at the end.
A cluster that cannot start fails the tests that need it: they are never skipped.

`os_config(alias)` is the backend configuration of one alias of that cluster (each test
module indexes under its own alias, so they never see each other's documents);
`os_engine_index` is the engine corpus (tests/conftest.py) indexed once under "t-engine".
"""
from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "opensearch-cluster"


@dataclasses.dataclass
class Cluster:
    work: Path
    url: str
    urls: list
    pids: list

    def run(self, *args) -> dict:
        out = subprocess.run([sys.executable, str(SCRIPT), *map(str, args)],
                             capture_output=True, text=True, timeout=400)
        if out.returncode != 0:
            pytest.fail(f"opensearch-cluster {' '.join(map(str, args))} failed:\n"
                        f"{out.stdout[-3000:]}\n{out.stderr[-3000:]}")
        line = out.stdout.strip().splitlines()[-1] if out.stdout.strip() else "{}"
        return json.loads(line)

    def kill(self, node: int) -> None:
        self.run("kill", self.work, node)

    def restart(self, node: int) -> None:
        self.pids = self.run("restart", self.work, node)["pids"]

    def health(self) -> dict:
        return json.loads(subprocess.run(
            [sys.executable, str(SCRIPT), "status", str(self.work)],
            capture_output=True, text=True, timeout=60).stdout)["health"] or {}


@pytest.fixture(scope="session")
def os_cluster(tmp_path_factory):
    work = tmp_path_factory.mktemp("opensearch")
    out = subprocess.run([sys.executable, str(SCRIPT), "start", str(work), "--port", "19200",
                          "--parent", str(os.getpid())],
                         capture_output=True, text=True, timeout=600)
    if out.returncode != 0:
        pytest.fail(f"the test OpenSearch cluster did not start:\n{out.stdout[-3000:]}\n"
                    f"{out.stderr[-3000:]}")
    info = json.loads(out.stdout.strip().splitlines()[-1])
    cluster = Cluster(work, info["url"], info["urls"], info["pids"])
    yield cluster
    subprocess.run([sys.executable, str(SCRIPT), "stop", str(work)], timeout=120)


@pytest.fixture(scope="session")
def os_config(os_cluster):
    from search.backends import resolve

    def config(alias: str):
        return dataclasses.replace(resolve("opensearch", ",".join(os_cluster.urls), env={}),
                                   index=alias)
    return config


@pytest.fixture(scope="session")
def os_engine_index(os_config, engine_corpus):
    """The engine corpus indexed into the cluster under alias "t-engine"."""
    from search.backends.opensearch.indexer import update_cluster

    config = os_config("t-engine")
    update_cluster(engine_corpus, config)
    return config


@pytest.fixture(scope="session")
def os_engine(os_engine_index):
    from search.backends.opensearch.engine import OpenSearchEngine

    engine = OpenSearchEngine(os_engine_index)
    yield engine
    engine.close()
