"""Playwright in Debian's chromium: headless, offline, no browser downloads."""

import os
import shutil
import threading
from pathlib import Path

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread

# Playwright's sync API runs an event loop in this thread; the ORM calls of the test
# setup are plain synchronous code all the same.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTEFACTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
AXE = Path(__file__).resolve().parents[1] / "vendor" / "axe" / "axe.min.js"


HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items):
    """Tests in this folder are browser tests (``-m "not browser"`` leaves them out). The hook
    sees every collected item of the session, so it marks only the ones that live here."""
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


class OneRequestAtATime(ThreadedWSGIServer):
    """The live server, answering one request at a time when its threads share a connection.

    On SQLite the test database lives in memory, so every request thread of the live server
    uses the test's one connection. Concurrent requests (a page's three photos, say) then
    interleave on it: a session read can come back empty, and the photo answers with a
    redirect to the login page. Each request, with its response read out and closed, runs
    under one lock. PostgreSQL gives every thread its own connection and needs none of it.
    """

    def set_app(self, application):
        if not self.connections_override:
            return super().set_app(application)
        lock = threading.Lock()

        def one_at_a_time(environ, start_response):
            with lock:
                response = application(environ, start_response)
                try:
                    return [b"".join(response)]
                finally:
                    if hasattr(response, "close"):
                        response.close()

        return super().set_app(one_at_a_time)


@pytest.fixture(scope="session", autouse=True)
def _one_request_at_a_time():
    original = LiveServerThread.server_class
    LiveServerThread.server_class = OneRequestAtATime
    yield
    LiveServerThread.server_class = original


@pytest.fixture(scope="session")
def _browser_media(tmp_path_factory):
    """One media folder for every browser test of the session, set once, never swapped."""
    from django.test import override_settings

    override = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("browser-media"))
    override.enable()
    yield
    override.disable()


@pytest.fixture(autouse=True)
def _media_root(_browser_media):
    """Replaces the per-test media folder of tests/conftest.py for browser tests.

    The live server runs for the whole session, and a request of the previous test may
    still be running when the next test starts; swapping MEDIA_ROOT under it could let that
    request cache the old folder in the file storage. Each test's files have their own
    random names, so sharing the folder is safe.
    """


@pytest.fixture
def page(page, live_server):
    """A page that may only talk to our live server: every outside request is blocked."""
    console_errors: list[str] = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)

    def guard(route):
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            route.abort()

    page.route("**/*", guard)
    page.set_default_timeout(10_000)
    yield page
    if console_errors:
        print("Browser console errors:\n" + "\n".join(console_errors))


@pytest.fixture
def screenshot(page):
    def take(name: str) -> Path:
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTEFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "nl-NL"}


@pytest.fixture
def axe(page):
    """`axe()` runs axe-core on the current page; fails on serious or critical violations.

    axe is evaluated through the DevTools protocol, so the app's strict CSP stays as it is.
    """
    source = AXE.read_text()

    def check(context: str = "") -> list[dict]:
        # a page still being parsed has half-built elements (a link before its text)
        page.wait_for_load_state("load")
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.evaluate(source)
        result = page.evaluate(
            """async () => {
                const r = await axe.run(document, {resultTypes: ['violations']});
                return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
            }"""
        )
        bad = [v for v in result if v["impact"] in ("serious", "critical")]
        assert bad == [], f"accessibility violations on {page.url} {context}: {bad}"
        return result

    return check
