// Test harness: a happy-dom window per test, recorded Kratos fixtures, and a scripted fetch.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Window } from "happy-dom";

export const KRATOS = "http://kratos.test/";
export const UI = "http://ui.test";
export const HOSTILE = '<img src=x onerror=alert(1)>"><script>alert(2)</script>';
export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "fixtures");

// config.js reads this at import time, as Vite's `define` would have replaced it.
globalThis.__KRATOS_PUBLIC_URL__ = KRATOS;
globalThis.__PASSWORD_MIN_LENGTH__ = 8;

// The English catalogue, as the app has it once a page other than login was shown.
const i18n = await import("../src/i18n.js");
await i18n.loadLocale("en", { more: true });
await import("../src/flow-extras.js");

export function fixture(name) {
  const [profile, file] = name.includes("/") ? name.split("/") : ["local", name];
  return JSON.parse(readFileSync(join(FIXTURES, profile, `${file}.json`), "utf8"));
}

export function allFixtures() {
  return readdirSync(FIXTURES).flatMap((profile) =>
    readdirSync(join(FIXTURES, profile))
      .filter((f) => f.endsWith(".json"))
      .map((f) => `${profile}/${f.slice(0, -5)}`),
  );
}

export const flowFixtures = () => allFixtures().filter((name) => fixture(name).body?.ui);

// A fresh browser window at `path`, with <main id="app"> like index.html.
export function browser(path = "/") {
  const window = new Window({
    url: UI + path,
    settings: { disableJavaScriptFileLoading: true, disableJavaScriptEvaluation: true, disableCSSFileLoading: true },
  });
  globalThis.window = window;
  globalThis.document = window.document;
  const main = window.document.createElement("main");
  main.id = "app";
  window.document.body.append(main);
  const assigned = [];
  window.location.assign = (url) => assigned.push(url);
  return { window, document: window.document, main, assigned };
}

// Scripted Kratos: each handler is [method, url-prefix, response]; calls are recorded.
export function kratos(window, routes) {
  const calls = [];
  window.fetch = async (url, init = {}) => {
    const method = init.method || "GET";
    calls.push({ url: String(url), method, init, body: init.body ? JSON.parse(init.body) : undefined });
    const route = routes.find(([m, prefix]) => m === method && String(url).startsWith(prefix));
    if (!route) throw new TypeError(`Failed to fetch ${method} ${url}`);
    const res = typeof route[2] === "function" ? route[2](url, init) : route[2];
    if (res instanceof Error) throw res;
    return new Response(res.body == null ? null : JSON.stringify(res.body), { status: res.status });
  };
  return calls;
}

export const flowUrl = (kind) => `${KRATOS}self-service/${kind}/browser`;
export const getFlowUrl = (kind) => `${KRATOS}self-service/${kind}/flows?id=`;

// Wait until a condition holds (async page code settles over a few microtasks).
export async function until(check, what = "condition") {
  for (let i = 0; i < 200; i++) {
    const value = check();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 1));
  }
  throw new Error(`timed out waiting for ${what}`);
}

// Every string Kratos may show (labels, messages, values, texts) replaced by a hostile one.
export function poison(flow) {
  const copy = structuredClone(flow);
  const msg = (m) => m && typeof m.text === "string" && (m.text = `${HOSTILE} ${m.text}`);
  for (const m of copy.ui.messages || []) msg(m);
  for (const node of copy.ui.nodes) {
    msg(node.meta?.label);
    for (const m of node.messages || []) msg(m);
    const a = node.attributes;
    if (node.type === "input" && a.name !== "csrf_token" && (typeof a.value === "string" || a.value == null)) a.value = HOSTILE;
    if (node.type === "text") {
      msg(a.text);
      for (const s of a.text?.context?.secrets || []) msg(s);
    }
    if (node.type === "a") msg(a.title);
  }
  return copy;
}
