// Every string the page shows, in the chosen locale: UI strings by key, Kratos's messages by their
// id with the message's own context filled in; an id a catalogue lacks shows Kratos's English text.
// The supported locales, one list for the app, the build, the stack settings and the tests.
import supported from "../locales.json" with { type: "json" };

export const LOCALES = supported.locales;
export const CODES = Object.keys(LOCALES);
// The identity trait that names a user's language, when the stack has it (courier.languageTrait).
export const TRAIT = supported.trait;
// The key the choice is kept under; build/boot.js reads the same one before the first paint.
export const STORAGE_KEY = "locale";

// Each locale in two chunks: what the login page shows, then the rest of the app. The parentheses
// keep Vite from wrapping each import in its preload helper (these chunks depend on nothing).
export const PARTS = {
  en: [() => import(("./locales/en.js")), () => import(("./locales/en-more.js"))],
  de: [() => import(("./locales/de.js")), () => import(("./locales/de-more.js"))],
  ar: [() => import(("./locales/ar.js")), () => import(("./locales/ar-more.js"))],
};

let current = supported.default;
let catalogue = {};
let whole = false;
const chunks = new Map();
const part = (load) => {
  if (!chunks.has(load)) chunks.set(load, load().then((m) => m.default, (error) => { chunks.delete(load); throw error; }));
  return chunks.get(load);
};

export const locale = () => current;

// "{name}" takes context.name (a list is joined); null when the template names a value the
// context does not have, so the caller can fall back.
export function fill(template, context) {
  let missing = false;
  const out = String(template).replace(/\{(\w+)\}/g, (_, name) => {
    const value = context && context[name];
    if (value == null || (typeof value === "object" && !Array.isArray(value))) {
      missing = true;
      return "";
    }
    return Array.isArray(value) ? value.join(", ") : String(value);
  });
  return missing ? null : out;
}

// A UI string of the active catalogue, its {placeholders} filled from values; else `missing`.
export function t(key, values, missing = key) {
  const out = Object.hasOwn(catalogue, key) ? fill(catalogue[key], values) : null;
  return out ?? missing;
}

// A UI string with an element (e.g. <strong>) where its {name} placeholder is: [before, node, after].
export function tWith(key, name, node) {
  const [before, after = ""] = t(key, { [name]: "\u0000" }).split("\u0000");
  return [before, node, after];
}

// A Kratos message ({id, text, context}) in the active locale; an unknown id, or a template whose
// context value is missing, shows Kratos's own (English) text. Always text, never markup.
export function kratosText(msg) {
  if (!msg) return "";
  const template = msg.id != null && /^\d+$/.test(msg.id) && Object.hasOwn(catalogue, msg.id) ? catalogue[msg.id] : null;
  const out = template == null ? null : fill(template, msg.context || {});
  return out ?? (msg.text == null ? "" : String(msg.text));
}

let pending = Promise.resolve(current);
// The locale asked for last: a load that finishes after a newer request changes nothing.
let wanted = current;

// Makes `code` the active locale once its login part (or, with more, all of it) has arrived.
export function loadLocale(code, { more = whole } = {}) {
  const next = Object.hasOwn(PARTS, code) ? code : supported.default;
  wanted = next;
  const load = Promise.all(PARTS[next].slice(0, more ? 2 : 1).map(part)).then((parts) => {
    if (wanted !== next || (whole && !more && next === current)) return current;
    current = next;
    catalogue = Object.assign({}, ...parts);
    whole = whole || more;
    return next;
  });
  pending = load;
  return load;
}

// The catalogue being loaded: a page fetches from Kratos meanwhile and waits for it only to draw.
export const strings = () => pending;

// Pages other than login, and login's rarer states, need the rest of the catalogue to draw.
export const loadAll = () => (whole && wanted === current ? pending : loadLocale(wanted, { more: true }));
// The same, for a view that is drawn anyway when the rest cannot be fetched (offline).
export const loadAllOrNot = () => loadAll().catch(() => null);

// Whether a Kratos answer carries a message id the login part does not translate. Kratos speaks
// the default locale (English) itself, so only the other locales need the rest for it.
export function lacksIds(flow) {
  if (whole || current === supported.default) return false;
  const ids = [...(flow.ui.messages || [])];
  for (const node of flow.ui.nodes) ids.push(...(node.messages || []), ...(node.meta && node.meta.label ? [node.meta.label] : []));
  return ids.some((m) => m && m.id != null && !Object.hasOwn(catalogue, m.id));
}

// The locale build/boot.js chose before the first paint (src/negotiate.js) and put on <html lang>.
export function chooseLocale(window) {
  const lang = window.document.documentElement.getAttribute("lang");
  return CODES.includes(lang) ? lang : supported.default;
}

// Loads the locale, then shows it: <html lang dir>, the page's built-in strings (data-t), and
// with keep, the choice kept for the next pages and the way back from Kratos.
export async function useLocale(window, code, { keep = false, more = whole } = {}) {
  const next = await loadLocale(code, { more });
  const root = window.document.documentElement;
  root.setAttribute("lang", next);
  root.setAttribute("dir", LOCALES[next].dir);
  for (const el of window.document.querySelectorAll("[data-t]")) {
    const key = el.getAttribute("data-t");
    if (Object.hasOwn(catalogue, key)) el.textContent = catalogue[key];
  }
  if (keep) {
    try {
      window.localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // kept for this page only
    }
  }
  return next;
}
