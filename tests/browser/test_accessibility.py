"""axe-core on every page of the app, in the light and the dark theme; screenshots of each."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from local_stack import LocalStack
from tests.browser.axe import inject_axe, serious_violations
from tests.browser.screens import Shots
from tests.browser.user import log_in, new_email, register, verify_with_mail_code

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

# The page background each theme must actually paint (style.css), so "dark" is not a no-op.
BACKGROUND = {"light": "rgb(246, 248, 250)", "dark": "rgb(13, 17, 23)"}


@pytest.fixture(params=["light", "dark"])
def theme(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def context(chromium: Browser, stack: LocalStack, theme: str) -> Iterator[BrowserContext]:
    """The system's colour scheme set to the theme under test, with axe in every page."""
    ctx = chromium.new_context(
        base_url=stack.ui_url, viewport={"width": 900, "height": 900}, color_scheme=theme
    )
    ctx.set_default_timeout(15_000)
    inject_axe(ctx)
    yield ctx
    ctx.close()


class Auditor:
    """Screenshots each page and collects its serious axe violations, named by page."""

    def __init__(self, page: Page, shots: Shots, theme: str) -> None:
        self.page, self.shots, self.theme = page, shots, theme
        self.found: dict[str, list[str]] = {}

    def check(self, label: str) -> None:
        body = self.page.evaluate("() => getComputedStyle(document.body).backgroundColor")
        assert body == BACKGROUND[self.theme], f"{label}: {self.theme} theme not applied ({body})"
        self.shots.take(self.page, f"{self.theme}-{label}")
        if problems := serious_violations(self.page):
            self.found[label] = problems

    def assert_clean(self) -> None:
        report = "\n".join(f"{page}: {p}" for page, ps in self.found.items() for p in ps)
        assert not self.found, f"axe, {self.theme} theme:\n{report}"


def heading(page: Page, name: str) -> None:
    expect(page.get_by_role("heading", name=name)).to_be_visible()


def visit_all(audit: Auditor, pages: list[tuple[str, str, str]]) -> None:
    """Open each (path, heading, label), wait for its heading, audit it."""
    for path, title, label in pages:
        audit.page.goto(path)
        heading(audit.page, title)
        audit.check(label)


def test_every_page_passes_axe(
    page: Page, stack: LocalStack, shots: Shots, theme: str, context: BrowserContext
) -> None:
    audit = Auditor(page, shots, theme)
    visit_all(
        audit,
        [
            ("/", "Welcome", "home-signed-out"),
            ("/login", "Sign in", "login"),
            ("/recovery", "Recover your account", "recovery"),
            ("/verification", "Verify your email address", "verification"),
            ("/error?id=no-such-error", "Something went wrong", "error"),
            ("/no-such-page", "Page not found", "not-found"),
            ("/logout", "Log out?", "logout"),
        ],
    )

    email = new_email(f"axe-{theme}")
    page.goto("/registration")
    heading(page, "Create an account")
    audit.check("registration")
    register(page, shots, email)
    audit.check("verification-code-sent")
    verify_with_mail_code(page, stack, shots, email)
    audit.check("verification-passed")
    visit_all(
        audit,
        [
            ("/", "Welcome back", "home-signed-in"),
            ("/settings", "Account settings", "settings"),
            ("/sessions", "Your sessions", "sessions"),
        ],
    )

    context.clear_cookies()
    log_in(page, shots, email, "wrong-password-123")
    expect(page.get_by_text("The provided credentials are invalid")).to_be_visible()
    audit.check("login-error")
    audit.assert_clean()


def test_theme_switcher_overrides_the_system_and_is_kept(
    page: Page, shots: Shots, theme: str
) -> None:
    other = "light" if theme == "dark" else "dark"
    page.goto("/login")
    heading(page, "Sign in")
    switch = page.get_by_role("button", name="Dark theme")
    expect(switch).to_have_attribute("aria-pressed", str(theme == "dark").lower())
    switch.click()
    expect(switch).to_have_attribute("aria-pressed", str(other == "dark").lower())
    # The choice holds on the next page, against the system's preference.
    page.goto("/registration")
    heading(page, "Create an account")
    audit = Auditor(page, shots, other)
    audit.check("switched-registration")
    audit.assert_clean()


def test_a_kept_theme_is_painted_before_the_app_runs(page: Page, shots: Shots, theme: str) -> None:
    # The page's pre-paint script applies the choice, so no page flashes the system's theme
    # while the app's module loads (registration.html carries its first fields at build time).
    other = "light" if theme == "dark" else "dark"
    page.goto("/login")
    page.evaluate("(choice) => localStorage.setItem('theme', choice)", other)
    held = []
    app_script = "**/assets/index-*.js"
    page.route(app_script, lambda route: held.append(route))
    page.goto("/registration", wait_until="commit")
    expect(page.locator("main h1")).to_have_text("Create an account")
    body = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    shots.take(page, f"{other}-kept-first-paint")
    page.unroute(app_script)
    for route in held:
        route.fallback()
    assert body == BACKGROUND[other]
