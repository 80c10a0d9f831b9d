// What flows other than login need, loaded with them: settings' section titles and button words,
// images (the authenticator QR code), texts (secrets, backup codes), links, the verification
// notice, and the language trait filled in with the page's locale.
import { h, text } from "./dom.js";
import { kratosText, locale, t, TRAIT, tWith } from "./i18n.js";
import { nav } from "./flow.js";
import { extras, isHttpUrl, labelOf, message, safeUrl } from "./render.js";

// The mails pick their language by this trait; the app fills it in with the page's locale.
const LANGUAGE_TRAIT = `traits.${TRAIT}`;

// Settings sections with a title of their own (catalogue keys g_<group>).
const TITLED = new Set(["profile", "password", "code", "link", "passkey", "webauthn", "totp", "lookup_secret", "oidc", "saml"]);
// Settings is one form with Kratos's "Save" (1070003) in each section: each says what it does.
const SAVE_ID = 1070003;
const SAVE_LABELS = new Set(["profile", "password", "totp"]);
const SECRET_GROUPS = new Set(["totp", "lookup_secret"]);

function renderImage(node) {
  const a = node.attributes;
  const src = String(a.src || "");
  if (!/^data:image\//.test(src) && !isHttpUrl(src)) return null;
  const label = labelOf(node);
  return h(
    "figure",
    { class: "image", "data-node": a.id },
    h("img", { src, width: a.width, height: a.height, alt: text(label) }),
    label ? h("figcaption", {}, text(label)) : null,
  );
}

function renderText(node) {
  const a = node.attributes;
  const content = a.text || {};
  const secrets = content.context && content.context.secrets;
  const label = labelOf(node);
  let body;
  if (Array.isArray(secrets)) {
    const codes = secrets.map((s) => text(s && s.text));
    body = [h("ul", { class: "secrets" }, codes.map((c) => h("li", {}, h("code", {}, c)))), codeActions(codes.join("\n"))];
  } else if (SECRET_GROUPS.has(node.group)) {
    body = h("code", { class: "secret" }, kratosText(content));
  } else {
    body = h("p", {}, kratosText(content));
  }
  return h("div", { class: "text", "data-node": a.id }, label ? h("p", {}, text(label)) : null, body);
}

// Backup codes are only useful kept somewhere else: copy them, or save them as a text file.
function codeActions(all) {
  const copy = h("button", { type: "button", class: "secondary", onclick: () => navigator.clipboard.writeText(all).then(() => { copy.textContent = t("copied"); }) }, t("copyCodes"));
  const file = h("a", { class: "button", download: "backup-codes.txt", href: URL.createObjectURL(new Blob([all], { type: "text/plain" })) }, t("downloadCodes"));
  return h("div", { class: "actions codes" }, copy, file);
}

function renderAnchor(node) {
  const a = node.attributes;
  if (!isHttpUrl(a.href)) return null;
  const title = (a.title && kratosText(a.title)) || labelOf(node) || a.href;
  return h("p", { class: "actions" }, h("a", { href: safeUrl(a.href).href, class: "button", "data-node": a.id }, text(title)));
}

Object.assign(extras.nodes, { img: renderImage, text: renderText, a: renderAnchor });
extras.title = (group, kind) => kind === "settings" && TITLED.has(group) && t(`g_${group}`);
extras.button = (node, kind) =>
  kind === "settings" && node.meta && node.meta.label && node.meta.label.id === SAVE_ID && SAVE_LABELS.has(node.group) && t(`save_${node.group}`);

// The language trait (when the stack has one) is the page's language, sent along unseen.
extras.prepare = (flow) => {
  for (const node of flow.ui.nodes) {
    if (node.type === "input" && node.attributes.name === LANGUAGE_TRAIT) Object.assign(node.attributes, { type: "hidden", value: locale() });
  }
};

// Where the verification code went, with "Send a new code" unless Kratos offers its own.
extras.sentTo = (address, resend) => {
  if (!address) return h("p", { class: "detail" }, t("noCode"), h("a", { href: "/verification" }, t("sendCodeLink")));
  return h("div", { class: "sent-to" },
    h("p", {}, tWith("sentTo", "address", h("strong", {}, h("bdi", {}, address)))),
    resend ? h("button", { type: "button", class: "secondary", onclick: resend }, t("sendNewCode")) : null);
};

// return_to names an address Kratos does not allow: say so, and offer the way without it.
extras.returnToForbidden = (state, error, heading) => {
  const url = new URL(window.location.href);
  url.searchParams.delete("return_to");
  url.searchParams.delete("flow");
  state.ctx.show(
    h("h1", {}, heading),
    h("div", { class: "messages", role: "alert" },
      message({ type: "error", text: t("returnToForbidden") }),
      error.reason ? h("p", { class: "detail" }, text(error.reason)) : null),
    nav([[url.pathname + url.search, t("continueWithout")], ["/", t("home")]]),
  );
};
