// Languages: catalogue lookup by key and by Kratos message id, context values filled in, Kratos's
// English text for what a catalogue lacks, the locale from the browser's preferences.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { browser, fixture } from "./helpers.js";

const i18n = await import("../src/i18n.js");
const { negotiate } = await import("../src/negotiate.js");
const { bootScript } = await import("../build/boot.js");
const { languageSwitcher } = await import("../src/language.js");
const locales = JSON.parse(readFileSync(new URL("../locales.json", import.meta.url), "utf8"));
const catalogue = async (name) => (await import(`../src/locales/${name}.js`)).default;
const uiKeys = (cat) => Object.keys(cat).filter((k) => !/^\d+$/.test(k)).sort();

describe("locale negotiation", () => {
  const codes = Object.keys(locales.locales);
  it("a kept choice wins; else the first preference we have, a regional tag counting as its language", () => {
    assert.equal(negotiate("ar", ["de-DE", "en"], codes), "ar");
    assert.equal(negotiate(null, ["fr-FR", "de-AT", "en"], codes), "de");
    assert.equal(negotiate(null, ["AR-eg"], codes), "ar");
    assert.equal(negotiate("<b>", ["fr", "es"], codes), "en");
    assert.equal(negotiate(null, [], codes), locales.default);
  });

  it("the pre-paint script applies the same rule, and sets lang and dir before the app", () => {
    const { window, document } = browser("/login");
    const script = bootScript([], { de: {}, ar: {} });
    assert.ok(script.includes("function negotiate("));
    Object.defineProperty(window.navigator, "languages", { value: ["ar-SA", "en"], configurable: true });
    window.eval(script);
    assert.equal(document.documentElement.lang, "ar");
    assert.equal(document.documentElement.dir, "rtl");
  });
});

describe("catalogues", () => {
  it("every locale of locales.json has its two chunks, and the same UI keys as English in each", async () => {
    assert.deepEqual(Object.keys(i18n.PARTS), Object.keys(locales.locales));
    for (const code of Object.keys(locales.locales)) {
      assert.deepEqual(uiKeys(await catalogue(code)), uiKeys(await catalogue("en")), code);
      assert.deepEqual(uiKeys(await catalogue(`${code}-more`)), uiKeys(await catalogue("en-more")), `${code}-more`);
    }
  });

  it("Kratos ids are real v1.3.1 ids and their placeholders name context keys Kratos sends", async () => {
    const known = /^(101\d{4}|104\d{4}|105\d{4}|106\d{4}|107\d{4}|108\d{4}|40[0-7]\d{4})$/;
    for (const code of ["de", "ar"]) {
      const all = { ...(await catalogue(code)), ...(await catalogue(`${code}-more`)) };
      for (const [id, text] of Object.entries(all).filter(([k]) => /^\d+$/.test(k))) {
        assert.match(id, known, `${code} ${id}`);
        assert.doesNotMatch(text, /<|>/, `${code} ${id} is text, never markup`);
      }
    }
  });

  it("looks up UI strings and Kratos messages by id, with the message's context filled in", async () => {
    await i18n.loadLocale("de", { more: true });
    try {
      assert.equal(i18n.t("signIn"), "Anmelden");
      assert.equal(i18n.t("passwordRule", { min: 12 }), "Mindestens 12 Zeichen.");
      assert.equal(i18n.kratosText({ id: 1010002, text: "Sign in with github", context: { provider: "GitHub" } }), "Mit GitHub anmelden");
      assert.equal(i18n.kratosText({ id: 4000032, text: "The password must be at least 8 characters long, but got 3.", context: { min_length: 8, actual_length: 3 } }),
        "Das Passwort muss mindestens 8 Zeichen lang sein, eingegeben wurden 3.");
      // Kratos's own text when the id is unknown, or the context lacks a value the template names.
      assert.equal(i18n.kratosText({ id: 9999999, text: "Something new" }), "Something new");
      assert.equal(i18n.kratosText({ id: 1010002, text: "Sign in with x", context: {} }), "Sign in with x");
      assert.equal(i18n.kratosText({ text: "A notice of the UI" }), "A notice of the UI");
      const label = fixture("login.browser").body.ui.nodes.find((n) => n.attributes.name === "password").meta.label;
      assert.equal(i18n.kratosText(label), "Passwort");
    } finally {
      await i18n.loadLocale("en", { more: true });
    }
  });

  it("Arabic fills context values as text; English shows Kratos's text as it is", async () => {
    await i18n.loadLocale("ar", { more: true });
    try {
      assert.equal(i18n.kratosText({ id: 1050020, text: 'Remove passkey "<b>"', context: { display_name: "<b>" } }), "إزالة مفتاح المرور \u201c<b>\u201d");
    } finally {
      await i18n.loadLocale("en", { more: true });
    }
    assert.equal(i18n.kratosText({ id: 4000006, text: "The provided credentials are invalid, check for spelling mistakes in your password or username, email address, or phone number." }),
      "The provided credentials are invalid, check for spelling mistakes in your password or username, email address, or phone number.");
  });
});

describe("language switcher", () => {
  it("a labelled select of every locale in its own language; a choice sets lang and dir, is kept, and redraws", async () => {
    const { window, document } = browser("/login");
    const header = document.createElement("header");
    header.className = "brand";
    document.body.prepend(header);
    const skip = document.createElement("a");
    skip.setAttribute("data-t", "skip");
    document.body.append(skip);
    let redrawn = 0;
    const select = languageSwitcher(window, () => { redrawn += 1; });
    assert.equal(select.getAttribute("aria-label"), "Language");
    assert.deepEqual([...select.options].map((o) => [o.value, o.lang, o.textContent]), [["en", "en", "English"], ["de", "de", "Deutsch"], ["ar", "ar", "العربية"]]);
    select.value = "ar";
    select.dispatchEvent(new window.Event("change"));
    await new Promise((resolve) => { const poll = () => (redrawn ? resolve() : setTimeout(poll, 1)); poll(); });
    try {
      assert.equal(document.documentElement.lang, "ar");
      assert.equal(document.documentElement.dir, "rtl");
      assert.equal(window.localStorage.getItem("locale"), "ar");
      assert.equal(skip.textContent, "انتقل إلى المحتوى");
      assert.equal(select.getAttribute("aria-label"), "اللغة");
    } finally {
      await i18n.loadLocale("en", { more: true });
    }
  });
});

describe("language trait", () => {
  it("a traits.language field is sent unseen with the page's locale; other fields are untouched", async () => {
    const { extras, renderFlowForm } = await import("../src/render.js");
    const flow = structuredClone(fixture("registration.browser").body);
    flow.ui.nodes.push({ type: "input", group: "default", attributes: { name: "traits.language", type: "text", value: "" }, messages: [], meta: { label: { id: 1070002, text: "Language", type: "info", context: { title: "Language" } } } });
    browser("/registration");
    await i18n.loadLocale("ar", { more: true });
    try {
      extras.prepare(flow, "registration");
      const { form } = renderFlowForm(flow, { kind: "registration", onSubmit() {} });
      const field = form.querySelector("input[name='traits.language']");
      assert.equal(field.type, "hidden");
      assert.equal(field.value, "ar");
      assert.equal(form.querySelector("input[name='traits.email']").type, "email");
    } finally {
      await i18n.loadLocale("en", { more: true });
    }
  });
});
