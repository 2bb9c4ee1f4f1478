"""Browser journeys: Playwright for Python driving Debian's Chromium (no browser download).

Every browser context a journey opens, whichever way (the ``page`` and ``new_page`` fixtures or
``browser.new_context()``), is watched: a console error, an uncaught exception or a
Content-Security-Policy violation on any of its pages fails the test (``BrowserProblems``).
"""

import contextlib
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# around it (and pytest-django's database teardown) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "test-artifacts"

# Flags for a closed network: without them Chromium keeps trying to reach Google's hosts.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


# Runs in every page before its own scripts (a test's script, not the page's: the policy does
# not apply to it). Chromium also prints each violation as a console error; this adds which
# directive and what was blocked, and catches violations in pages without a console.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolation(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline code"}` +
    ` (${event.sourceFile || event.documentURI}:${event.lineNumber}) ${event.sample || ""}`
  );
});
"""


@dataclass
class BrowserProblems:
    """What the pages of one test reported: console errors, uncaught exceptions and CSP
    violations. A page the journey chose to open that answers 4xx (a 404 page on purpose, a
    form sent back with errors) is the test's business: Chromium's "Failed to load resource"
    for that page is not a problem; for anything the page itself loads, it is."""

    found: list[str] = field(default_factory=list)
    contexts: list = field(default_factory=list)
    _failed_loads: list[tuple[str, str]] = field(default_factory=list)
    _visited_with_4xx: set[str] = field(default_factory=set)

    def watch(self, context) -> None:
        self.contexts.append(context)
        context.on("console", self._console)
        context.on("weberror", lambda error: self.found.append(f"uncaught error: {error.error}"))
        context.on("response", self._response)
        context.expose_function(
            "__cspViolation", lambda text: self.found.append(f"CSP violation: {text}")
        )
        context.add_init_script(REPORT_CSP_VIOLATIONS)

    def _console(self, message) -> None:
        if message.type != "error":
            return
        url = (message.location or {}).get("url", "")
        if message.text.startswith("Failed to load resource"):
            self._failed_loads.append((url, message.text))
        else:
            self.found.append(f"console error: {message.text} ({url})")

    def _response(self, response) -> None:
        if response.request.is_navigation_request() and 400 <= response.status < 500:
            self._visited_with_4xx.add(response.url)

    def take(self) -> list[str]:
        """The problems heard since the last call."""
        loads = [
            f"console error: {text} ({url})"
            for url, text in self._failed_loads
            if url not in self._visited_with_4xx
        ]
        found = self.found + loads
        self.found, self._failed_loads = [], []
        return found

    def flush(self) -> None:
        """Let the events the browser has sent reach the listeners (a round trip per page)."""
        from playwright.sync_api import Error

        for context in self.contexts:
            for open_page in context.pages:
                # A page closing or navigating meanwhile has nothing more to say.
                with contextlib.suppress(Error):
                    open_page.evaluate("0")


class WatchedBrowser:
    """The browser as the tests see it: every context it opens reports to the running test's
    ``BrowserProblems``, so that no journey can forget to listen."""

    def __init__(self, browser):
        self._browser = browser
        self.problems: BrowserProblems | None = None

    def new_context(self, **options):
        context = self._browser.new_context(**options)
        if self.problems is not None:
            self.problems.watch(context)
        return context

    def new_page(self, **options):
        return self.new_context(**options).new_page()

    def __getattr__(self, name):
        return getattr(self._browser, name)


@pytest.fixture(scope="package")
def browser():
    """One Chromium for the browser tests, closed when they are done (its event loop must not
    outlive them: the other tests use the ORM freely)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: the install step installs Debian's chromium."
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield WatchedBrowser(browser)
        browser.close()


@pytest.fixture(autouse=True)
def browser_problems(browser):
    """Listens to every page of the test; ``pytest_runtest_call`` fails the test on anything
    heard, and the teardown on anything heard later (while the pages closed)."""
    problems = BrowserProblems()
    browser.problems = problems
    yield problems
    browser.problems = None
    for context in problems.contexts:
        context.close()
    if found := problems.take():
        pytest.fail("The browser reported problems:\n" + "\n".join(found), pytrace=False)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """Fails a browser test that passed but whose pages reported problems; a test that failed
    anyway shows them next to its own failure."""
    problems = item.funcargs.get("browser_problems")
    try:
        result = yield
    except BaseException:
        if problems is not None and (found := problems.take()):
            item.add_report_section("call", "browser problems", "\n".join(found))
        raise
    if problems is not None:
        problems.flush()
        found = problems.take()
        assert not found, "The browser reported problems:\n" + "\n".join(found)
    return result


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def new_page(browser):
    """Pages in browsers of their own (one person each), closed after the test."""
    contexts = []

    def make(**options):
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = browser.new_context(**options)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
