// The theme switcher: the system's light or dark until the user picks one, kept across pages.
import { h } from "./dom.js";
import { t } from "./i18n.js";

const KEY = "theme";

function stored(window) {
  try {
    return window.localStorage.getItem(KEY);
  } catch {
    return null; // storage blocked: the choice lasts for this page only
  }
}

export function themeSwitcher(window) {
  const root = window.document.documentElement;
  const choice = stored(window);
  if (choice === "light" || choice === "dark") root.dataset.theme = choice;
  const dark = () => (root.dataset.theme || (window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light")) === "dark";
  const button = h("button", { type: "button", class: "theme", "aria-pressed": String(dark()), "data-t": "darkTheme" }, t("darkTheme"));
  button.addEventListener("click", () => {
    root.dataset.theme = dark() ? "light" : "dark";
    button.setAttribute("aria-pressed", String(dark()));
    try {
      window.localStorage.setItem(KEY, root.dataset.theme);
    } catch {
      // kept for this page only
    }
  });
  const header = window.document.querySelector("header.brand");
  if (header) header.append(button);
}
