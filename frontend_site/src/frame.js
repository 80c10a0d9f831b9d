// GitHub Pages cannot send X-Frame-Options or frame-ancestors, so the app checks who frames it.
import { h } from "./dom.js";
import { t } from "./i18n.js";

export function framedByOtherSite(win) {
  if (win.top === win.self) return false;
  try {
    return win.top.location.origin !== win.location.origin;
  } catch {
    // Reading a foreign top window's location throws: another site framed us.
    return true;
  }
}

// Instead of a form someone could overlay, a link that opens the page on its own.
export function refuseFrame(win) {
  win.document.getElementById("app").replaceChildren(
    h("h1", {}, t("framed")),
    h("p", {}, t("framedHint")),
    h("p", { class: "actions" }, h("a", { class: "button", href: win.location.href, target: "_top", rel: "noopener" }, t("framedOpen"))),
  );
}
