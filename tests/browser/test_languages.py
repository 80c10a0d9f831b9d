"""Languages in chromium: the locale from the browser's preferences before the first paint, Arabic
laid out right to left, axe on the German and Arabic pages in both themes, and the switcher's
choice kept across pages and through a redirect by Kratos."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect

from local_stack import LocalStack
from tests.browser.axe import inject_axe, serious_violations
from tests.browser.screens import Shots
from tests.browser.user import PASSWORD, code_in, new_email

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

LOCALES = json.loads(
    (Path(__file__).resolve().parents[2] / "frontend_site/locales.json").read_text()
)["locales"]

# Headings by locale and page, as the catalogues word them.
HEADINGS = {
    "de": {
        "/": "Willkommen",
        "/login": "Anmelden",
        "/registration": "Konto erstellen",
        "/recovery": "Konto wiederherstellen",
        "/verification": "E-Mail-Adresse bestätigen",
        "/error?id=no-such-error": "Etwas ist schiefgelaufen",
        "/no-such-page": "Seite nicht gefunden",
        "/logout": "Abmelden?",
    },
    "ar": {
        "/": "مرحبًا",
        "/login": "تسجيل الدخول",
        "/registration": "إنشاء حساب",
        "/recovery": "استعادة حسابك",
        "/verification": "تأكيد عنوان بريدك الإلكتروني",
        "/error?id=no-such-error": "حدث خطأ ما",
        "/no-such-page": "الصفحة غير موجودة",
        "/logout": "تسجيل الخروج؟",
    },
}
# Signed in, and the words of sign-up and verification (Kratos ids 1040001, 1070011, 1070009).
SIGNED_IN = {
    "de": {
        "/": "Willkommen zurück",
        "/settings": "Kontoeinstellungen",
        "/sessions": "Deine Sitzungen",
    },
    "ar": {"/": "مرحبًا بعودتك", "/settings": "إعدادات الحساب", "/sessions": "جلساتك"},
}
SIGN_UP = {"de": "Registrieren", "ar": "إنشاء حساب"}
CODE = {"de": ("Bestätigungscode", "Weiter"), "ar": ("رمز التأكيد", "متابعة")}
VERIFIED = {"de": "Deine E-Mail-Adresse ist bestätigt.", "ar": "أكّدت عنوان بريدك الإلكتروني بنجاح."}
INVALID_CREDENTIALS = {
    "de": "Die Anmeldedaten sind ungültig.",
    "ar": "بيانات الدخول غير صحيحة.",
}


@pytest.fixture(params=["light", "dark"])
def theme(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(params=["de", "ar"])
def language(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def context(
    chromium: Browser, stack: LocalStack, theme: str, language: str
) -> Iterator[BrowserContext]:
    """A browser whose preferred language is a regional form of the locale under test."""
    ctx = chromium.new_context(
        base_url=stack.ui_url,
        viewport={"width": 900, "height": 900},
        color_scheme=theme,
        locale=f"{language}-{'DE' if language == 'de' else 'EG'}",
    )
    ctx.set_default_timeout(15_000)
    inject_axe(ctx)
    yield ctx
    ctx.close()


def heading(page: Page, name: str) -> None:
    expect(page.get_by_role("heading", name=name, exact=True)).to_be_visible()


def audited(page: Page, shots: Shots, label: str, found: dict[str, list[str]]) -> None:
    shots.take(page, label)
    if problems := serious_violations(page):
        found[label] = problems


def test_pages_in_the_browsers_language_pass_axe(
    page: Page, stack: LocalStack, shots: Shots, theme: str, language: str
) -> None:
    found: dict[str, list[str]] = {}
    held: list[Route] = []
    # The app's own script is held: what shows now is the page and its pre-paint script alone.
    app_script = "**/assets/index-*.js"
    page.route(app_script, lambda route: held.append(route))
    page.goto("/login", wait_until="commit")
    root = page.locator("html")
    expect(root).to_have_attribute("lang", language)
    expect(root).to_have_attribute("dir", LOCALES[language]["dir"])
    expect(page.locator("main h1")).to_have_text(HEADINGS[language]["/login"])
    assert page.locator("header.brand select").count() == 0, "no module has run yet"
    shots.take(page, f"{theme}-{language}-first-paint")
    page.unroute(app_script)
    for route in held:
        route.fallback()
    expect(page.locator("[data-skeleton]")).to_have_count(0)
    heading(page, HEADINGS[language]["/login"])
    select = page.get_by_role("combobox", name="Sprache" if language == "de" else "اللغة")
    expect(select).to_have_value(language)
    audited(page, shots, f"{theme}-{language}-login", found)

    # A Kratos message by its id, in the language: a wrong password.
    page.get_by_label("E-Mail").fill(new_email("lang"))
    page.get_by_label("Passwort" if language == "de" else "كلمة المرور").fill("wrong-password-123")
    page.locator("button[name=method][value=password]").click()
    expect(page.get_by_text(INVALID_CREDENTIALS[language])).to_be_visible()
    audited(page, shots, f"{theme}-{language}-login-error", found)

    for path, title in HEADINGS[language].items():
        if path == "/login":
            continue
        page.goto(path)
        heading(page, title)
        audited(page, shots, f"{theme}-{language}-{path.strip('/').split('?')[0] or 'home'}", found)
    # Signed up and verified in the language, then the signed-in pages.
    email = new_email(f"lang-{language}")
    page.goto("/registration")
    page.get_by_label("E-Mail").fill(email)
    page.get_by_role("button", name=SIGN_UP[language], exact=True).click()
    page.locator("input[type=password]").fill(PASSWORD)
    page.get_by_role("button", name=SIGN_UP[language], exact=True).click()
    heading(page, HEADINGS[language]["/verification"])
    audited(page, shots, f"{theme}-{language}-verification-code-sent", found)
    label, button = CODE[language]
    page.get_by_label(label).fill(code_in(stack.mailbox.wait_for(to=email)))
    page.get_by_role("button", name=button, exact=True).click()
    expect(page.get_by_text(VERIFIED[language])).to_be_visible()
    for path, title in SIGNED_IN[language].items():
        page.goto(path)
        heading(page, title)
        audited(page, shots, f"{theme}-{language}-{path.strip('/') or 'home'}-signed-in", found)
    report = "\n".join(f"{label}: {p}" for label, ps in found.items() for p in ps)
    assert not found, f"axe, {language}, {theme} theme:\n{report}"


@pytest.mark.parametrize("language", ["ar"], indirect=True)
@pytest.mark.parametrize("theme", ["light"], indirect=True)
def test_arabic_mirrors_the_layout(page: Page, shots: Shots) -> None:
    page.goto("/login")
    heading(page, HEADINGS["ar"]["/login"])
    assert page.evaluate("getComputedStyle(document.querySelector('main')).direction") == "rtl"
    # Logical properties: the header's controls sit at the inline end, which is now the left.
    name = page.locator("header.brand span").bounding_box()
    switch = page.locator("header.brand button.theme").bounding_box()
    assert name and switch and switch["x"] < name["x"], (name, switch)
    # Labels start at the right edge of their field.
    label = page.locator("form label").first.bounding_box()
    field = page.locator("form input:not([type=hidden])").first.bounding_box()
    assert label and field
    assert abs((label["x"] + label["width"]) - (field["x"] + field["width"])) < 2, (label, field)
    shots.take(page, "ar-mirrored-login")


@pytest.mark.parametrize("language", ["de"], indirect=True)
@pytest.mark.parametrize("theme", ["light"], indirect=True)
def test_switcher_choice_is_kept_across_pages_and_through_kratos(
    page: Page, stack: LocalStack, shots: Shots
) -> None:
    page.goto("/login")
    heading(page, "Anmelden")
    select = page.get_by_role("combobox", name="Sprache")
    # Reached and changed with the keyboard alone.
    for _ in range(10):
        if page.evaluate("document.activeElement.tagName") == "SELECT":
            break
        page.keyboard.press("Shift+Tab")
    expect(select).to_be_focused()
    select.select_option("ar")
    heading(page, HEADINGS["ar"]["/login"])
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    shots.take(page, "switched-to-arabic")

    # Another page of the app, loaded afresh.
    page.goto("/registration")
    heading(page, HEADINGS["ar"]["/registration"])
    expect(page.locator("html")).to_have_attribute("lang", "ar")

    # Kratos's own browser endpoint redirects to the UI with a new flow: still Arabic, although
    # the browser prefers German.
    page.goto(f"{stack.kratos_public_url}self-service/login/browser")
    heading(page, HEADINGS["ar"]["/login"])
    assert page.url.startswith(stack.ui_url.rstrip("/")) and "flow=" in page.url, page.url
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    shots.take(page, "arabic-after-kratos-redirect")

    # And back to German the same way: the choice replaces the kept one.
    page.get_by_role("combobox", name="اللغة").select_option("de")
    heading(page, "Anmelden")
    page.goto("/recovery")
    heading(page, "Konto wiederherstellen")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
