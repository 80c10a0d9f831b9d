// What a route page shows before any script runs: the stylesheet inline (allowed by its hash in
// the CSP) and, for /login and /registration, the first fields, so the user can type while the
// flow loads. Not a form: nothing can be submitted before the flow exists.
import { createHash } from "node:crypto";
import en from "./english.js";

const escape = (value) =>
  String(value).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

const AUTOCOMPLETE = { email: "email", tel: "tel" };

// The markup src/render.js gives the same field, so nothing moves when Kratos's form replaces it.
function field({ name, type, label, required }, first) {
  const id = `skeleton-${name.replaceAll(".", "-")}`;
  const marker = required ? '<span class="required" aria-hidden="true"> *</span>' : "";
  const labelHtml = `<label for="${id}">${escape(label)}${marker}</label>`;
  const auto = AUTOCOMPLETE[type] ? ` autocomplete="${AUTOCOMPLETE[type]}"` : "";
  const input = `<input id="${id}" name="${escape(name)}" type="${type}"${type === "checkbox" ? ' value="true"' : ""}${auto}${first ? " autofocus" : ""}>`;
  return type === "checkbox" ? `<div class="field check">${input}${labelHtml}</div>` : `<div class="field">${labelHtml}${input}</div>`;
}

// Headings and buttons carry their catalogue key (data-t): build/boot.js shows them in the
// chosen language before the first paint; the schema's trait titles stay as the schema has them.
const say = (tag, key, attrs = "") => `<${tag}${attrs} data-t="${key}">${escape(en[key])}</${tag}>`;

function skeleton(page, heading, fields, button) {
  return (
    `${say("h1", heading)}<div class="flow" data-skeleton="${page}">${fields.map((f, i) => field(f, i === 0)).join("")}` +
    `<div class="actions">${say("button", button, ' type="button" class="primary" disabled')}</div></div>`
  );
}

// The app adopts these fields' values and focus when Kratos's form arrives (src/flow.js).
function skeletonOf(page, site) {
  if (page === "login") {
    return (
      `${say("h1", "signIn")}<div class="flow" data-skeleton="login"><div class="field">` +
      say("label", "email", ' for="skeleton-identifier"') +
      '<input id="skeleton-identifier" name="identifier" type="text" autocomplete="username" autofocus></div>' +
      `<div class="actions">${say("button", "signIn", ' type="button" class="primary" disabled')}</div></div>`
    );
  }
  // Kratos's first registration step: the default identity schema's traits (the password follows
  // in its second step), known from the stack settings (site.registrationFields).
  if (page === "registration" && site.registrationFields?.length) {
    return skeleton("registration", "createAccount", site.registrationFields, "signUp");
  }
  return null;
}

// One <link rel=stylesheet> becomes a <style>, and the CSP admits exactly that text.
export function inlineStylesheet(html, href, css) {
  const link = new RegExp(`<link rel="stylesheet"[^>]*href="${href}"[^>]*>`);
  if (!link.test(html)) throw new Error(`no stylesheet link to ${href} in the page`);
  const hash = createHash("sha256").update(css).digest("base64");
  return html
    .replace(link, () => `<style>${css}</style>`)
    .replace("style-src 'self'", `style-src 'self' 'sha256-${hash}'`);
}

export function withSkeleton(html, page, site) {
  const first = skeletonOf(page, site);
  return first ? html.replace('<main id="app" tabindex="-1">', () => `<main id="app" tabindex="-1">${first}`) : html;
}
