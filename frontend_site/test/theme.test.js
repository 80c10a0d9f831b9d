// The theme switcher: follows the system until pressed, then keeps the user's choice.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { browser } from "./helpers.js";

const { themeSwitcher } = await import("../src/theme.js");

function page(stored) {
  const env = browser("/login");
  const header = env.document.createElement("header");
  header.className = "brand";
  env.document.body.prepend(header);
  if (stored) env.window.localStorage.setItem("theme", stored);
  themeSwitcher(env.window);
  return { ...env, button: header.querySelector("button.theme"), root: env.document.documentElement };
}

describe("theme switcher", () => {
  it("starts with the system's theme and no choice of its own", () => {
    const { button, root } = page();
    assert.equal(root.dataset.theme, undefined);
    assert.equal(button.getAttribute("aria-pressed"), "false");
  });

  it("pressed, switches to dark and keeps it for the next page; pressed again, light", () => {
    const { button, root, window } = page();
    button.click();
    assert.equal(root.dataset.theme, "dark");
    assert.equal(button.getAttribute("aria-pressed"), "true");
    assert.equal(window.localStorage.getItem("theme"), "dark");
    button.click();
    assert.equal(root.dataset.theme, "light");
    assert.equal(window.localStorage.getItem("theme"), "light");
  });

  it("a kept choice applies before the page renders; junk in storage is ignored", () => {
    assert.equal(page("dark").root.dataset.theme, "dark");
    assert.equal(page("dark").button.getAttribute("aria-pressed"), "true");
    assert.equal(page("<b>").root.dataset.theme, undefined);
  });
});
