"""Browser end-to-end fixtures: the local stack, Debian's chromium through Playwright, screenshots.

UI and Kratos run on two origins (two loopback ports), as in production (two hosts). Every
page a test visits is screenshotted into one folder, printed at the end of the run and kept.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Generator, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, sync_playwright

from local_stack import LocalStack
from tests.browser.screens import Shots
from tests.support.chromium import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(os.environ.get("BROWSER_SCREENSHOTS", ROOT / "build" / "browser-screenshots"))


@pytest.fixture(scope="session")
def stack(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LocalStack]:
    """The shared `local_stack` fixture when the suite has one, else a stack of our own."""
    try:
        yield request.getfixturevalue("local_stack")
        return
    except pytest.FixtureLookupError:
        pass
    with LocalStack(tmp_path_factory.mktemp("browser-stack")) as own:
        yield own


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    SCREENSHOTS.mkdir(parents=True)
    return SCREENSHOTS


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    if not CHROMIUM.is_file():
        message = f"{CHROMIUM} is missing: run scripts/setup (apt-get install chromium)"
        # In CI a missing browser is a set-up failure, never a silent skip.
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def shots(request: pytest.FixtureRequest, screenshot_dir: Path) -> Shots:
    return Shots(screenshot_dir, request.node.name)


@pytest.fixture
def context(chromium: Browser, stack: LocalStack) -> Iterator[BrowserContext]:
    """A fresh profile per test: no cookies, no storage."""
    ctx = chromium.new_context(base_url=stack.ui_url, viewport={"width": 900, "height": 900})
    ctx.set_default_timeout(15_000)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context: BrowserContext, request: pytest.FixtureRequest, shots: Shots) -> Iterator[Page]:
    """A tab that fails the test on script errors and CSP violations, with a screenshot."""
    tab = context.new_page()
    problems: list[str] = []

    def on_console(msg: ConsoleMessage) -> None:
        if "Content Security Policy" in msg.text or "Content-Security-Policy" in msg.text:
            problems.append(f"CSP: {msg.text}")

    tab.on("console", on_console)
    tab.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    yield tab
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        shots.take(tab, "FAILED")
    assert not problems, "\n".join(problems)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    # Kept on the item so the page fixture can screenshot a failed test before closing.
    if report.when == "call":
        item.rep_call = report  # type: ignore[attr-defined]
    return report


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if SCREENSHOTS.is_dir() and any(SCREENSHOTS.iterdir()):
        terminalreporter.write_line(f"browser screenshots: {SCREENSHOTS}")
