// One controller for every self-service flow: create or load, render, submit, follow the answer.
import { createFlow, getFlow, send, TIMEOUT_MS, TimedOut, Unreachable } from "./api.js";
import { kratosUrl } from "./config.js";
import { h, text } from "./dom.js";
import { lacksIds, loadAll, loadAllOrNot, strings, t } from "./i18n.js";
import { extras, focusFirstField, message, renderFlowForm } from "./render.js";

// Query parameters Kratos understands when a browser flow is created.
export const FLOW_PARAMS = {
  login: ["return_to", "refresh", "aal", "login_challenge", "organization", "via"],
  registration: ["return_to", "login_challenge", "after_verification_return_to", "organization"],
  verification: ["return_to"],
  recovery: ["return_to"],
  settings: ["return_to"],
};
const MAX_RESTARTS = 2;

// Notices by catalogue key, looked up when shown (the locale may change in between).
const NOTICES = { csrf: "csrfReset", gone: "flowGone", kept: "kept", server: "serverFault" };
const notice = (key) => t(key, { kept: t("kept") });
const failureText = (error) => t(error instanceof TimedOut ? "timeout" : "unreachable");
// Fields whose values may follow the user into a new flow: never passwords, codes or tokens.
const CARRIED = /^(identifier|email|traits\.)/;

function title(kind, flow) {
  if (kind === "login") {
    if (flow && flow.refresh) return t("confirmIt");
    if (flow && flow.requested_aal === "aal2") return t("secondStep");
    return t("signIn");
  }
  return t({ registration: "createAccount", verification: "verifyAddress", recovery: "recoverAccount", settings: "accountSettings" }[kind]);
}

function links(kind, flow, query) {
  const returnTo = query.get("return_to");
  const keep = (path) => (returnTo ? `${path}?${new URLSearchParams({ return_to: returnTo })}` : path);
  if (kind === "login" && flow && (flow.refresh || flow.requested_aal === "aal2")) return [["/logout", t("logOut")]];
  return {
    login: [[keep("/registration"), t("createAccount")], [keep("/recovery"), t("forgotPassword")]],
    registration: [[keep("/login"), t("haveAccount")]],
    verification: [["/", t("home")]],
    recovery: [[keep("/login"), t("backToSignIn")]],
    settings: [["/", t("home")], ["/logout", t("logOut")]],
  }[kind];
}

const pick = (query, names) => Object.fromEntries(names.filter((n) => query.has(n)).map((n) => [n, query.get(n)]));

export function flowPage(kind) {
  return (ctx) => {
    // Other flows' words and code come while Kratos answers, not after.
    if (kind !== "login") loadExtras().catch(() => null);
    const state = { kind, ctx, restarts: 0, notice: null, flow: null, busy: false };
    const id = ctx.query.get("flow");
    return load(state, () => (id ? getFlow(kind, id) : newFlow(state)));
  };
}

const newFlow = (state) => createFlow(state.kind, pick(state.ctx.query, FLOW_PARAMS[state.kind]));

async function load(state, request) {
  let res;
  try {
    res = await request();
  } catch (error) {
    if (!(error instanceof Unreachable)) throw error;
    await words(state.kind);
    return showUnreachable(state, () => load(state, request), error);
  }
  await words(state.kind);
  return handle(state, res);
}

// Start over with a fresh flow (same return_to/refresh/aal), at most a few times per page.
async function restart(state, key) {
  // The notices of a restart are not among the login page's words.
  await loadAllOrNot();
  if (state.restarts++ >= MAX_RESTARTS) return showProblem(state, { reason: notice(key) });
  state.notice = { type: "error", text: notice(key) };
  state.carry = true;
  return load(state, () => newFlow(state));
}

// The answer is drawn once its words are in: login's part for the login page, else the whole
// catalogue. One that cannot be fetched leaves the keys (the form still works).
const words = (kind) => (kind === "login" ? strings() : loadAll()).catch(() => null);

// flow-extras.js, with the words of every state but the login page's (both parts).
const loadExtras = () => Promise.all([import(("./flow-extras.js")), loadAllOrNot()]);
// Login's own nodes are inputs and scripts; anything else (and every other flow) brings the extras.
const needsExtras = (kind, flow) => kind !== "login" || flow.ui.nodes.some((n) => n.type !== "input" && n.type !== "script");

export async function handle(state, { status, data }) {
  const { ctx, kind } = state;
  if (data && data.ui) {
    // Messages the login part lacks, and the second step's or a refresh's own words.
    if (lacksIds(data) || data.refresh || data.requested_aal === "aal2") await loadAllOrNot();
    if (needsExtras(kind, data)) {
      try {
        await loadExtras();
      } catch {
        return showProblem(state, { reason: t("chunkFailed") });
      }
    }
    return showFlow(state, data);
  }
  if (status === 200 && data) return finished(state, data);
  const error = (data && data.error) || {};
  if (status >= 500) return showProblem(state, serverError(error));
  // Expired or replaced: Kratos made the follow-up flow, which already says what happened.
  if (data && data.use_flow_id) {
    state.carry = true;
    await loadAllOrNot();
    state.notice = state.typed ? { type: "info", text: notice(NOTICES.kept) } : null;
    return load(state, () => getFlow(kind, data.use_flow_id));
  }
  const redirect = (data && data.redirect_browser_to) || (error.details && error.details.redirect_browser_to);
  if (redirect) return ctx.go(redirect);
  switch (error.id) {
    case "session_already_available":
      return signedIn(state);
    case "session_inactive":
      return ctx.go(`/login?${new URLSearchParams({ return_to: window.location.href })}`);
    case "security_csrf_violation":
      return restart(state, NOTICES.csrf);
    case "self_service_flow_expired":
      return restart(state, NOTICES.gone);
    case "self_service_flow_return_to_forbidden":
      return loadExtras().then(() => extras.returnToForbidden(state, error, title(kind)), () => showProblem(state, error));
    default:
  }
  if (status === 401 && kind === "settings") return ctx.go(`/login?${new URLSearchParams({ return_to: window.location.href })}`);
  // A flow id that is unknown, gone or from another browser: begin again.
  if (state.ctx.query.has("flow") && [403, 404, 410].includes(status) && !state.flow) return restart(state, NOTICES.gone);
  return showProblem(state, error);
}

// Login and registration succeed without a flow body; continue_with says where to go next.
function finished(state, data) {
  const steps = Array.isArray(data.continue_with) ? data.continue_with : [];
  const step = (action) => steps.find((s) => s && s.action === action);
  const verify = step("show_verification_ui");
  if (verify && verify.flow && verify.flow.id) {
    rememberAddress(verify.flow.id, verify.flow.verifiable_address);
    return state.ctx.go(`/verification?flow=${encodeURIComponent(verify.flow.id)}`);
  }
  for (const [action, route] of [["show_settings_ui", "/settings"], ["show_recovery_ui", "/recovery"]]) {
    const s = step(action);
    if (s && s.flow && s.flow.id) return state.ctx.go(`${route}?flow=${encodeURIComponent(s.flow.id)}`);
  }
  const redirect = step("redirect_browser_to");
  if (redirect && redirect.redirect_browser_to) return state.ctx.go(redirect.redirect_browser_to);
  return state.ctx.go((state.flow && state.flow.return_to) || "/");
}

function keepFlowInUrl(state, flow) {
  const url = new URL(window.location.href);
  if (url.searchParams.get("flow") === flow.id) return;
  url.searchParams.set("flow", flow.id);
  window.history.replaceState(null, "", url.pathname + url.search + url.hash);
}

function showFlow(state, flow) {
  const { ctx, kind } = state;
  // Flow JSON in hand -> form on the page, read by benchmarks/ui_login_timing.py.
  performance.mark("flow-json");
  // Settings saved for an app that sent the user here with return_to: go back to it.
  if (kind === "settings" && flow.state === "success" && flow.return_to) {
    const next = (flow.continue_with || []).find((c) => c && c.action === "redirect_browser_to");
    if (next && next.redirect_browser_to) return ctx.go(next.redirect_browser_to);
  }
  state.flow = flow;
  keepFlowInUrl(state, flow);
  extras.prepare(flow, kind);
  let view;
  try {
    view = renderFlowForm(flow, {
      kind,
      onSubmit: (body, form, group) => {
        state.lastGroup = group;
        return submit(state, flow, body, form);
      },
      runTrigger: (name) => runTrigger(name, view.scriptsLoaded, ctx),
    });
  } catch {
    // Only a form that does not submit to Kratos is refused.
    return loadAllOrNot().then(() => showProblem(state, { reason: t("notKratos") }));
  }
  if (state.carry) carryTyped(view.form, state.typed);
  carryTyped(view.form, skeletonValues());
  const early = document.activeElement && document.activeElement.closest("[data-skeleton]") && document.activeElement.name;
  state.carry = false;
  const shown = state.notice;
  state.notice = null;
  ctx.show(
    h("h1", {}, title(kind, flow)),
    shown ? h("div", { class: "messages", role: "alert" }, message(shown)) : null,
    kind === "verification" && flow.state === "sent_email" ? codeSentTo(state, flow, view.form) : null,
    view.form,
    nav(links(kind, flow, ctx.query)),
  );
  view.scriptsLoaded = loadScripts(view.scripts).then(() => view.onload.forEach((name) => callHelper(name)));
  performance.measure("flow-render", "flow-json");
  // Focus in the next frame's own style pass: focusing now would force one before the form shows.
  // A first-paint field the user was in hands its focus to the same field of Kratos's form.
  const same = early && [...view.form.elements].find((el) => el.name === early && el.type !== "hidden");
  window.requestAnimationFrame(() => (same ? same.focus() : focusFirstField(view.form, state.lastGroup)));
}

async function submit(state, flow, body, form) {
  if (state.busy) return;
  if (new URL(flow.ui.action).origin === window.location.origin) return state.ctx.go(flow.ui.action);
  state.busy = true;
  state.typed = body;
  if (state.kind === "verification" && body.email) rememberAddress(flow.id, body.email);
  form.setAttribute("aria-busy", "true");
  try {
    const res = await send(flow.ui.action, body);
    // A server fault keeps the form and what was typed; the button is the retry.
    if (res.status >= 500) return formAlert(form, serverError((res.data && res.data.error) || {}));
    await handle(state, res);
  } catch (error) {
    if (!(error instanceof Unreachable)) throw error;
    formAlert(form, { message: failureText(error) });
  } finally {
    state.busy = false;
    form.removeAttribute("aria-busy");
  }
}

// Where the verification code went, kept per flow for this tab (never in the URL).
const ADDRESS_KEY = "verification-address:";
function rememberAddress(flowId, address) {
  try {
    if (address) window.sessionStorage.setItem(ADDRESS_KEY + flowId, address);
  } catch {
    // Storage off (private modes, policies): the page then offers to send a code again instead.
  }
}

function rememberedAddress(flowId) {
  try {
    return window.sessionStorage.getItem(ADDRESS_KEY + flowId);
  } catch {
    return null;
  }
}

// Verification names where the code went (flow-extras.js draws it) and offers to send another.
function codeSentTo(state, flow, form) {
  const node = (name, type) => flow.ui.nodes.find((n) => n.attributes && n.attributes.name === name && (!type || n.attributes.type === type));
  // After a resend Kratos adds its own "Resend code" button, which carries the address.
  const own = node("email", "submit");
  const address = rememberedAddress(flow.id) || (own && text(own.attributes.value));
  const csrf = node("csrf_token");
  const resend = () => submit(state, flow, { csrf_token: csrf && csrf.attributes.value, method: "code", email: address }, form);
  return extras.sentTo(address, own ? null : resend);
}

function formAlert(form, error) {
  const box = form.querySelector(".messages");
  box.replaceChildren(message({ type: "error", text: error.message }), reference(error));
  box.setAttribute("role", "alert");
  box.setAttribute("tabindex", "-1");
  box.focus();
}

// Kratos's internal error text stays out of the page; its reference id is what support needs.
function serverError(error) {
  return { message: notice(NOTICES.server), ref: error.id || error.request || null };
}

const reference = (error) => (error.ref ? h("p", { class: "detail" }, t("supportRef", { ref: text(error.ref) })) : null);

// Non-secret values the user typed, put into the same fields of the new flow.
function carryTyped(form, body) {
  const values = new Map();
  const walk = (obj, prefix) => {
    for (const [key, value] of Object.entries(obj || {})) {
      if (value && typeof value === "object") walk(value, `${prefix}${key}.`);
      else values.set(`${prefix}${key}`, value);
    }
  };
  walk(body, "");
  for (const el of form.querySelectorAll("input[name]")) {
    if (!CARRIED.test(el.name) || !values.has(el.name) || ["password", "hidden"].includes(el.type)) continue;
    if (el.type === "checkbox") el.checked = values.get(el.name) === true;
    else if (!el.value) el.value = String(values.get(el.name));
  }
}

// What the user typed into the page's first-paint form before the flow arrived.
function skeletonValues() {
  const fields = [...document.querySelectorAll("[data-skeleton] input[name]")];
  const typed = fields.filter((el) => (el.type === "checkbox" ? el.checked : el.value));
  return Object.fromEntries(typed.map((el) => [el.name, el.type === "checkbox" || el.value]));
}

// A signed-in user: login follows return_to (Kratos checks it is allowed), sign-up says so.
function signedIn(state) {
  const { ctx, kind } = state;
  const returnTo = ctx.query.get("return_to");
  if (kind === "login" && returnTo) return window.location.assign(kratosUrl("self-service/login/browser", { return_to: returnTo }));
  if (kind !== "registration") return ctx.go("/");
  ctx.show(
    h("h1", {}, t("alreadySignedIn")),
    h("p", {}, t("logOutFirst")),
    nav([["/logout", t("logOut")], ["/", t("home")]]),
  );
}

export function nav(items) {
  return h("nav", { class: "links" }, items.map(([href, label]) => h("a", { href }, label)));
}

// A problem page's words are not among the login page's: they come first (if they can).
export async function showProblem(state, error) {
  await loadAllOrNot();
  state.ctx.show(
    h("h1", {}, t("problem")),
    h("div", { class: "messages", role: "alert" },
      message({ type: "error", text: error.message || error.reason || t("notCompleted") }),
      error.reason && error.message ? h("p", { class: "detail" }, text(error.reason)) : null,
      reference(error)),
    nav([[window.location.pathname.replace(/\/+$/, "") || "/", t("startAgain")], ["/", t("home")]]),
  );
}

export function showUnreachable(state, retry, error) {
  const button = h("button", { type: "button", class: "primary", onclick: () => { state.ctx.loading(); retry(); } }, t("tryAgain"));
  state.ctx.show(
    h("h1", {}, t(error instanceof TimedOut ? "notAnswering" : "cannotReach")),
    h("div", { class: "messages", role: "alert" }, message({ type: "error", text: failureText(error) })),
    h("div", { class: "actions" }, button),
  );
  button.focus();
}

// Kratos's WebAuthn helper, once per page, with the integrity and CORS mode it asks for.
const loadedScripts = new Map();
function loadScripts(scripts) {
  return Promise.all(
    scripts.map((a) => {
      if (!loadedScripts.has(a.src)) {
        loadedScripts.set(a.src, new Promise((resolve) => {
          const el = document.createElement("script");
          el.src = a.src;
          el.async = true;
          if (a.integrity) el.integrity = a.integrity;
          el.crossOrigin = a.crossorigin || "anonymous";
          if (a.referrerpolicy) el.referrerPolicy = a.referrerpolicy;
          if (a.nonce) el.nonce = a.nonce;
          if (a.id) el.id = a.id;
          el.addEventListener("load", resolve);
          el.addEventListener("error", resolve);
          // A helper that never arrives must not leave the passkey button waiting forever.
          setTimeout(resolve, TIMEOUT_MS);
          document.head.append(el);
        }));
      }
      return loadedScripts.get(a.src);
    }),
  );
}

function callHelper(name) {
  const fn = /^ory[A-Za-z]+$/.test(name) ? window[name] : null;
  if (typeof fn !== "function") return false;
  fn();
  return true;
}

async function runTrigger(name, ready, ctx) {
  await ready;
  if (!callHelper(name)) {
    await loadAllOrNot();
    const box = document.querySelector("form .messages");
    if (box) box.replaceChildren(message({ type: "error", text: t("noWebAuthn") }));
  }
  return ctx;
}
