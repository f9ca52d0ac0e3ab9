"""Browser-test fixtures: a real index from corpus/, the app on waitress on loopback, and
Debian's chromium driven by Playwright (never a downloaded browser).

Screenshots go to $DEFSEARCH_SCREENSHOTS when set (the README's are made with
`DEFSEARCH_SCREENSHOTS=docs/screenshots pytest tests/browser`), else to a temp dir.
"""
from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def browser_index(tmp_path_factory):
    from search.index.update import update_index
    index_dir = tmp_path_factory.mktemp("browser-index")
    update_index(ROOT / "corpus", index_dir)
    return index_dir


@pytest.fixture(scope="session")
def live_server(browser_index):
    """Base URL of the app served by waitress on 127.0.0.1 (a free port)."""
    from waitress.server import create_server

    from web import create_app
    app = create_app({"INDEX_DIR": str(browser_index)})
    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()


@pytest.fixture(scope="session")
def browser():
    executable = shutil.which("chromium")
    if executable is None:
        pytest.skip("chromium not found on PATH: run `make chromium` (Debian's chromium)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport={"width": 1100, "height": 860}, locale="zh-TW")
    ctx.set_default_timeout(10_000)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture(scope="session")
def shots(tmp_path_factory):
    """shots(page, name): save a screenshot as <dir>/<name>.png."""
    target = os.environ.get("DEFSEARCH_SCREENSHOTS")
    folder = Path(target) if target else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)

    def save(page, name: str, full_page: bool = False) -> Path:
        path = folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path
    return save
