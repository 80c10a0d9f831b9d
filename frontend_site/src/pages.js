// The pages that are not self-service flows: home (session summary), logout, error, not found.
import { send, Unreachable } from "./api.js";
import { kratosUrl } from "./config.js";
import { h, text } from "./dom.js";
import { locale, t } from "./i18n.js";
import { nav, showProblem, showUnreachable } from "./flow.js";
import { message } from "./render.js";

// Requests only these pages make (kept out of the login page's code).
export const whoami = () => send(kratosUrl("sessions/whoami"));
// The identity schema: titles and order of the traits the home page shows.
export const getSchema = (id) => send(kratosUrl(`schemas/${encodeURIComponent(id)}`));
export const createLogout = (params) => send(kratosUrl("self-service/logout/browser", params));
export const getError = (id) => send(kratosUrl("self-service/errors", { id }));

// Run a request; on a network failure show the retry page instead of throwing.
export async function attempt(ctx, request, retry) {
  try {
    return await request();
  } catch (error) {
    if (!(error instanceof Unreachable)) throw error;
    showUnreachable({ ctx }, retry, error);
    return null;
  }
}

// Traits in the schema's order under its titles (nested ones flattened); keys the schema does not
// know follow under their own name. Values are text in a <bdi>, so they cannot reorder the page.
function traitRows(traits, schema, prefix = "") {
  const props = (schema && schema.properties) || {};
  const values = traits || {};
  const keys = [...Object.keys(props).filter((k) => k in values), ...Object.keys(values).filter((k) => !(k in props))];
  return keys.flatMap((key) => {
    const value = values[key];
    const sub = props[key] || {};
    return value && typeof value === "object" && !Array.isArray(value)
      ? traitRows(value, sub, `${prefix}${key}.`)
      : [h("dt", {}, text(sub.title || `${prefix}${key}`)), h("dd", {}, h("bdi", {}, Array.isArray(value) ? value.map(text).join(", ") : text(value)))];
  });
}

// The traits part of the identity schema, or null when it cannot be had (rows fall back to keys).
async function traitsSchema(id) {
  try {
    const res = await getSchema(id);
    return (res.status === 200 && res.data && res.data.properties && res.data.properties.traits) || null;
  } catch {
    return null;
  }
}

export const when = (iso) => {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? text(iso) : date.toLocaleString(locale());
};

export async function home(ctx) {
  const res = await attempt(ctx, whoami, () => home(ctx));
  if (!res) return;
  const { status, data } = res;
  if (status === 200 && data && data.identity) {
    const identity = data.identity;
    const schema = await traitsSchema(identity.schema_id);
    const unverified = (identity.verifiable_addresses || []).filter((a) => !a.verified);
    const methods = (data.authentication_methods || []).map((m) => text(m.method)).join(", ");
    ctx.show(
      h("h1", {}, t("welcomeBack")),
      h("section", { class: "card", "aria-labelledby": "traits-title" },
        h("h2", { id: "traits-title" }, t("yourProfile")),
        h("dl", { class: "traits" }, traitRows(identity.traits, schema))),
      h("section", { class: "card", "aria-labelledby": "session-title" },
        h("h2", { id: "session-title" }, t("thisSession")),
        h("dl", { class: "traits" },
          h("dt", {}, t("signedInAt")), h("dd", {}, when(data.authenticated_at)),
          h("dt", {}, t("expires")), h("dd", {}, when(data.expires_at)),
          h("dt", {}, t("aal")), h("dd", {}, text(data.authenticator_assurance_level)),
          h("dt", {}, t("methods")), h("dd", {}, methods))),
      unverified.length
        ? h("div", { class: "messages", role: "status" },
            h("p", { class: "msg msg-info" }, t("notVerified"), h("bdi", {}, unverified.map((a) => text(a.value)).join(", "))))
        : null,
      nav([["/settings", t("accountSettings")], ["/sessions", t("yourSessions")], ...(unverified.length ? [["/verification", t("verifyEmail")]] : []), ["/logout", t("logOut")]]),
    );
    return;
  }
  // A second factor is still missing: finish signing in first.
  const redirect = data && data.redirect_browser_to;
  if (status === 403 && redirect) return ctx.go(redirect);
  ctx.show(
    h("h1", {}, t("welcome")),
    h("p", {}, t("notSignedIn")),
    nav([["/login", t("signIn")], ["/registration", t("createAccount")], ["/recovery", t("recoverAccount")]]),
  );
}

// Logging out is a choice the user confirms: nothing is asked of Kratos before that.
export function logout(ctx) {
  const confirm = h("button", { type: "button", class: "primary", onclick: () => { ctx.loading(); endSession(ctx); } }, t("logOut"));
  ctx.show(h("h1", {}, t("logOutQuestion")), h("p", {}, t("logOutHint")),
    h("div", { class: "actions" }, confirm), nav([["/", t("cancel")]]));
  confirm.focus();
}

async function endSession(ctx) {
  const res = await attempt(ctx, () => createLogout(), () => endSession(ctx));
  if (!res) return;
  if (res.status === 200 && res.data && res.data.logout_url) {
    const done = await attempt(ctx, () => send(res.data.logout_url), () => endSession(ctx));
    if (!done) return;
    if (done.status >= 400) return showProblem({ ctx }, (done.data && done.data.error) || {});
  }
  // No session (401) means there is nothing to end.
  return ctx.go("/");
}

export async function errorPage(ctx) {
  const id = ctx.query.get("id");
  const res = id ? await attempt(ctx, () => getError(id), () => errorPage(ctx)) : { status: 404 };
  if (!res) return;
  const error = (res.status === 200 && res.data && res.data.error) || null;
  ctx.show(
    h("h1", {}, t("problem")),
    h("div", { class: "messages", role: "alert" },
      message({ type: "error", text: error ? error.message || error.reason || t("unknownError") : t("noErrorReport") })),
    error && error.reason && error.message ? h("p", { class: "detail" }, text(error.reason)) : null,
    error ? h("p", { class: "detail" }, `${t("errorCode", { code: text(error.code) })}${error.status ? ` ${text(error.status)}` : ""}${id ? ` · ${t("errorRef", { ref: text(id) })}` : ""}`) : null,
    nav([["/", t("home")], ["/login", t("signIn")]]),
  );
}

export function notFound(ctx) {
  ctx.show(h("h1", {}, t("notFound")), h("p", {}, t("notFoundHint")), nav([["/", t("home")]]));
}
