// The language switcher in the header: a labelled <select> of the supported locales, each named in
// its own language; a choice is kept (localStorage) and the page is drawn again in it.
import { h } from "./dom.js";
import { CODES, LOCALES, locale, t, useLocale } from "./i18n.js";

export function languageSwitcher(window, redraw) {
  const header = window.document.querySelector("header.brand");
  if (!header) return null;
  const select = h("select", { class: "language", "aria-label": t("language") },
    CODES.map((code) => h("option", { value: code, lang: code }, LOCALES[code].name)));
  select.value = locale();
  select.addEventListener("change", async () => {
    // The page being redrawn may be any state of any flow: the whole catalogue comes along.
    await useLocale(window, select.value, { keep: true, more: true });
    select.setAttribute("aria-label", t("language"));
    redraw();
  });
  header.append(select);
  return select;
}
