// Framed by another site: no form, only a link that opens the page on its own.
import { h } from "./dom.js";
import { t } from "./i18n.js";

// Instead of a form someone could overlay, a link that opens the page on its own.
export function refuseFrame(win) {
  win.document.getElementById("app").replaceChildren(
    h("h1", {}, t("framed")),
    h("p", {}, t("framedHint")),
    h("p", { class: "actions" }, h("a", { class: "button", href: win.location.href, target: "_top", rel: "noopener" }, t("framedOpen"))),
  );
}
