// One data-driven renderer for every Kratos flow: ui.nodes in, a real <form> out.
import { kratosOrigin, passwordMinLength } from "./config.js";
import { h, text } from "./dom.js";
import { kratosText, t } from "./i18n.js";

// Shared fields first, then first factors (identifier before password), second factors, social.
const GROUP_ORDER = [
  "default", "identifier_first", "profile", "password", "code", "link",
  "passkey", "webauthn", "totp", "lookup_secret", "oidc", "saml",
];
const INPUT_TYPES = new Set([
  "text", "email", "tel", "number", "password", "date", "datetime-local", "url", "checkbox",
]);
const NEW_PASSWORD_KINDS = new Set(["registration", "settings"]);
const CODE_GROUPS = new Set(["code", "totp", "lookup_secret"]);
// Social sign-in buttons take the user elsewhere: never the form's main button, never validated.
const SOCIAL_GROUPS = new Set(["oidc", "saml"]);

// The typed value Kratos gave a hidden input or button, sent back unchanged in JSON.
const originalValues = new WeakMap();
let idCounter = 0;

// What only flows other than login need (settings' titles and button words, images, texts,
// links): flow-extras.js fills these in when it loads.
export const extras = { nodes: {}, title: () => null, button: () => null, prepare: () => null };

export const labelOf = (node) => node.meta && node.meta.label && kratosText(node.meta.label);
const buttonLabel = (node, kind) => extras.button(node, kind) || labelOf(node) || node.attributes.name;
export const isHttpUrl = (value) => /^https?:$/.test(safeUrl(value).protocol);
const scalar = (value) => (value == null ? "" : typeof value === "object" ? JSON.stringify(value) : String(value));

export function safeUrl(value) {
  try {
    return new URL(String(value), window.location.href);
  } catch {
    return new URL("about:blank");
  }
}

export function message(msg) {
  const type = ["error", "success", "info"].includes(msg.type) ? msg.type : "info";
  return h("p", { class: `msg msg-${type}`, "data-message-id": msg.id }, kratosText(msg));
}

export function messageList(messages) {
  const list = Array.isArray(messages) ? messages : [];
  const hasError = list.some((m) => m.type === "error");
  return h("div", { class: "messages", role: hasError ? "alert" : "status" }, list.map(message));
}

// A visible, user-editable field (not hidden, not a button, not a script).
function isField(node) {
  if (node.type === "img" || node.type === "text" || node.type === "a") return true;
  const type = node.type === "input" && node.attributes.type;
  return Boolean(type) && !["hidden", "submit", "button"].includes(type);
}

const isVisible = (node) =>
  node.type !== "script" && !(node.type === "input" && node.attributes.type === "hidden");

export function orderGroups(nodes, kind) {
  const groups = new Map();
  for (const node of nodes) {
    const group = node.group || "default";
    if (!groups.has(group)) groups.set(group, []);
    groups.get(group).push(node);
  }
  const rank = (group, list) => {
    const known = GROUP_ORDER.indexOf(group);
    const base = known < 0 ? GROUP_ORDER.length : known;
    if (kind === "settings" || list.some(isField)) return base;
    // Groups of buttons only (other methods, "back") follow the fields; shared ones come last.
    return 100 + (group === "default" || group === "profile" ? 100 : 0) + base;
  };
  return [...groups].sort(([a, la], [b, lb]) => rank(a, la) - rank(b, lb));
}

function autocomplete(attrs, group, kind) {
  if (attrs.autocomplete) return attrs.autocomplete;
  if (attrs.type === "email") return "email";
  if (attrs.type === "tel") return "tel";
  if (attrs.type === "url") return "url";
  if (attrs.type === "password") {
    return NEW_PASSWORD_KINDS.has(kind) ? "new-password" : "current-password";
  }
  if (CODE_GROUPS.has(group)) return "one-time-code";
  if (kind === "login" && attrs.type === "text") return "username";
  return null;
}

function nodeMessages(node, fieldId) {
  const list = Array.isArray(node.messages) ? node.messages : [];
  if (!list.length) return null;
  return h("div", { class: "field-messages", id: `${fieldId}-msg` }, list.map(message));
}

function renderInput(node, ctx) {
  const a = node.attributes;
  const type = String(a.type || "text");
  if (type === "hidden") {
    const el = h("input", { type: "hidden", name: a.name });
    el.value = scalar(a.value);
    originalValues.set(el, a.value);
    if (a.onloadTrigger) ctx.onload.add(a.onloadTrigger);
    return el;
  }
  if (type === "submit" || type === "button") return renderButton(node, ctx);
  const id = `f${++idCounter}`;
  const label = labelOf(node) || a.name;
  const messages = nodeMessages(node, id);
  const invalid = Array.isArray(node.messages) && node.messages.some((m) => m.type === "error");
  // A new password's rule is shown before the first error, not only after Kratos refuses one.
  const rule = type === "password" && NEW_PASSWORD_KINDS.has(ctx.kind)
    ? h("p", { class: "hint", id: `${id}-rule` }, t("passwordRule", { min: passwordMinLength }))
    : null;
  const described = [rule && rule.id, messages && messages.id].filter(Boolean).join(" ");
  const el = h("input", {
    id,
    name: a.name,
    type: INPUT_TYPES.has(type) ? type : "text",
    required: Boolean(a.required),
    disabled: Boolean(a.disabled),
    pattern: a.pattern,
    maxlength: a.maxlength,
    inputmode: a.pattern === "[0-9]+" ? "numeric" : null,
    autocomplete: autocomplete(a, node.group, ctx.kind),
    "aria-invalid": invalid ? "true" : null,
    "aria-describedby": described || null,
    // What people type (names in any script) keeps its own direction, whatever the page's.
    dir: type === "password" ? null : "auto",
  });
  if (a.onloadTrigger) ctx.onload.add(a.onloadTrigger);
  const marker = a.required ? h("span", { class: "required", "aria-hidden": "true" }, " *") : null;
  if (type === "checkbox") {
    el.value = "true";
    el.checked = a.value === true || a.value === "true";
    return h("div", { class: "field check" }, el, h("label", { for: id }, text(label), marker), messages);
  }
  if (a.value != null && type !== "password") el.value = scalar(a.value);
  const reveal = type === "password" ? showPassword(el) : null;
  return h("div", { class: "field" }, h("label", { for: id }, text(label), marker), reveal ? h("div", { class: "reveal" }, el, reveal) : el, rule, messages);
}

// A toggle that shows the typed password as text; its name stays, aria-pressed says the state.
function showPassword(input) {
  const button = h("button", { type: "button", class: "toggle", "aria-pressed": "false", "aria-controls": input.id }, t("show"));
  button.addEventListener("click", () => {
    const shown = input.type === "password";
    input.type = shown ? "text" : "password";
    button.setAttribute("aria-pressed", String(shown));
  });
  return button;
}

function renderButton(node, ctx) {
  const a = node.attributes;
  const trigger = a.onclickTrigger;
  // Main buttons: the form's first submit, and the first one of each section with fields.
  const primary = a.type === "submit" && !trigger && !SOCIAL_GROUPS.has(node.group) && (ctx.groupHasFields ? !ctx.primaryDone : !ctx.formPrimaryDone);
  if (primary) ctx.primaryDone = ctx.formPrimaryDone = true;
  const el = h(
    "button",
    {
      type: a.type === "submit" && !trigger ? "submit" : "button",
      name: a.name,
      disabled: Boolean(a.disabled),
      formnovalidate: true,
      class: primary ? "primary" : "secondary",
    },
    text(buttonLabel(node, ctx.kind)),
  );
  el.value = scalar(a.value);
  originalValues.set(el, a.value);
  // WebAuthn / passkey buttons call a function of Kratos's helper script, never eval'd code.
  if (trigger) el.addEventListener("click", () => ctx.runTrigger(trigger));
  if (a.onloadTrigger) ctx.onload.add(a.onloadTrigger);
  return h("div", { class: "actions" }, el, nodeMessages(node, `f${++idCounter}`));
}

function renderNode(node, ctx) {
  switch (node.type) {
    case "input":
      return renderInput(node, ctx);
    case "script":
      // Only Kratos's own helper may run, loaded after the form is on the page.
      if (safeUrl(node.attributes.src).origin === kratosOrigin) ctx.scripts.push(node.attributes);
      return null;
    default:
      // Images, texts and links (settings, a finished verification) come with flow-extras.js.
      return Object.hasOwn(extras.nodes, node.type) ? extras.nodes[node.type](node, ctx) : null;
  }
}

// Fields of the clicked button's group plus the shared default group, as Kratos's JSON body.
export function collectBody(form, submitter) {
  const group = submitter && groupOf(submitter);
  const body = {};
  for (const el of form.elements) {
    if (!el.name || el.disabled || el.tagName === "BUTTON" || el.tagName === "FIELDSET") continue;
    const elGroup = groupOf(el);
    if (group && elGroup !== "default" && elGroup !== group) continue;
    const value = fieldValue(el);
    if (value !== undefined) setPath(body, el.name, value);
  }
  if (submitter && submitter.name) {
    const original = originalValues.get(submitter);
    setPath(body, submitter.name, original === undefined ? submitter.value : original);
  }
  return body;
}

const groupOf = (el) => {
  const section = el.closest("[data-group]");
  return section ? section.getAttribute("data-group") : "default";
};

function fieldValue(el) {
  if (el.type === "checkbox") return el.checked;
  if (el.type === "hidden" && originalValues.has(el)) {
    const original = originalValues.get(el);
    if (el.value === scalar(original)) return original == null || original === "" ? undefined : original;
  }
  // Empty optional fields are left out: Kratos reads a missing trait as unset.
  if (el.value === "") return undefined;
  if (el.type === "number") return Number(el.value);
  return el.value;
}

// "traits.name.first" -> {traits: {name: {first}}}, the shape Kratos's JSON decoder expects.
function setPath(target, name, value) {
  const keys = String(name).split(".");
  if (keys.some((k) => k === "__proto__" || k === "constructor" || k === "prototype")) return;
  let obj = target;
  for (const key of keys.slice(0, -1)) {
    if (typeof obj[key] !== "object" || obj[key] === null) obj[key] = {};
    obj = obj[key];
  }
  obj[keys[keys.length - 1]] = value;
}

function fieldsOfGroup(form, group) {
  return [...form.elements].filter((el) => {
    const g = groupOf(el);
    return el.willValidate && el.tagName === "INPUT" && (g === "default" || g === group);
  });
}

// Render a flow as <form action=ui.action method=POST>; throws if the action is not Kratos's.
export function renderFlowForm(flow, { kind, onSubmit, runTrigger }) {
  const ui = flow.ui || {};
  const action = safeUrl(ui.action);
  // Kratos points finished flows (verification passed) back at this site; nothing else is allowed.
  if (action.origin !== kratosOrigin && action.origin !== window.location.origin) {
    throw new Error("This form does not submit to the sign-in service.");
  }
  const ctx = { kind, onload: new Set(), scripts: [], runTrigger };
  const form = h("form", { action: action.href, method: ui.method || "POST", class: `flow flow-${kind}` }, messageList(ui.messages));
  for (const [group, nodes] of orderGroups(ui.nodes || [], kind)) {
    ctx.groupHasFields = nodes.some(isField);
    ctx.primaryDone = false;
    const visible = nodes.some(isVisible);
    const title = visible && extras.title(group, kind);
    const section = h(
      "fieldset",
      { class: visible ? "group" : "group empty", "data-group": group },
      title ? h("legend", {}, title) : null,
      nodes.map((node) => renderNode(node, ctx)),
    );
    form.append(section);
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const submitter = event.submitter || null;
    // Buttons skip native validation: a section's main button checks only that section's
    // fields, and secondary ones (resend, back, other methods) check none; Kratos checks all.
    const main = !submitter || submitter.classList.contains("primary");
    const invalid = main && fieldsOfGroup(form, submitter ? groupOf(submitter) : null).find((el) => !el.checkValidity());
    if (invalid) {
      invalid.reportValidity();
      invalid.focus();
      return;
    }
    onSubmit(collectBody(form, submitter), form, submitter ? groupOf(submitter) : null);
  });
  // Enter in a field presses the first submit button of that field's own group.
  form.addEventListener("keydown", (event) => {
    const el = event.target;
    if (event.key !== "Enter" || el.tagName !== "INPUT" || el.type === "checkbox") return;
    const button = el.closest("[data-group]").querySelector("button[type=submit]");
    if (!button) return;
    event.preventDefault();
    form.requestSubmit(button);
  });
  return { form, scripts: ctx.scripts, onload: [...ctx.onload] };
}

const FOCUSABLE = "input:not([type=hidden]):not([disabled]), button:not([disabled]), a[href]";

// Focus a field with an error, else (after a submit) the answer's message or the section that
// was used, else the first field.
export function focusFirstField(root, lastGroup) {
  let target = root.querySelector("[aria-invalid=true]");
  if (!target && lastGroup) {
    const messages = root.querySelector(".messages");
    const section = [...root.querySelectorAll("[data-group]")].find((el) => el.getAttribute("data-group") === lastGroup);
    target = messages && messages.childElementCount ? messages : section && section.querySelector(FOCUSABLE);
  }
  target = target || root.querySelector(FOCUSABLE);
  if (!target) return;
  if (!target.matches(FOCUSABLE)) target.setAttribute("tabindex", "-1");
  target.focus();
}
