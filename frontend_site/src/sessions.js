// The sessions page: where and when the user is signed in; end one session or all the others.
import { send } from "./api.js";
import { kratosUrl } from "./config.js";
import { h, text } from "./dom.js";
import { t } from "./i18n.js";
import { nav, showProblem } from "./flow.js";
import { attempt, when, whoami } from "./pages.js";

// The signed-in user's other sessions, and ending one or all of them.
export const listSessions = () => send(kratosUrl("sessions"));
export const endSession = (id) => send(kratosUrl(`sessions/${encodeURIComponent(id)}`), null, "DELETE");
export const endOtherSessions = () => send(kratosUrl("sessions"), null, "DELETE");
import { message } from "./render.js";

const device = (session) => {
  const d = (session.devices || [])[0] || {};
  return [d.user_agent, d.ip_address, d.location].filter(Boolean).map(text).join(" · ") || t("unknownDevice");
};

function row(session, current, onEnd) {
  return h("li", { class: "session", "data-session": session.id },
    h("p", {}, h("strong", {}, device(session)), current ? h("span", { class: "badge" }, t("thisDevice")) : null),
    h("p", { class: "detail" }, t("sessionTimes", { at: when(session.authenticated_at), until: when(session.expires_at) })),
    current ? null : h("button", { type: "button", class: "secondary", onclick: () => onEnd(session) }, t("endSession")));
}

export async function sessions(ctx, notice) {
  const me = await attempt(ctx, whoami, () => sessions(ctx));
  if (!me) return;
  if (me.status === 401) return ctx.go(`/login?${new URLSearchParams({ return_to: window.location.href })}`);
  if (me.status === 403 && me.data && me.data.redirect_browser_to) return ctx.go(me.data.redirect_browser_to);
  const others = await attempt(ctx, listSessions, () => sessions(ctx));
  if (!others) return;
  if (me.status !== 200 || others.status !== 200) return showProblem({ ctx }, ((others.data || me.data) || {}).error || {});
  const list = Array.isArray(others.data) ? others.data : [];
  const act = async (request, done) => {
    const res = await attempt(ctx, request, () => sessions(ctx));
    if (!res) return;
    if (res.status >= 400) return showProblem({ ctx }, (res.data && res.data.error) || {});
    return sessions(ctx, done);
  };
  const endOne = (s) => act(() => endSession(s.id), t("sessionEnded"));
  ctx.show(
    h("h1", {}, t("yourSessions")),
    notice ? h("div", { class: "messages", role: "status" }, message({ type: "success", text: notice })) : null,
    h("ul", { class: "sessions" }, row(me.data, true), list.map((s) => row(s, false, endOne))),
    list.length
      ? h("div", { class: "actions" }, h("button", { type: "button", class: "primary", onclick: () => act(endOtherSessions, t("othersEnded")) }, t("endOthers")))
      : h("p", { class: "detail" }, t("nowhereElse")),
    nav([["/", t("home")], ["/settings", t("accountSettings")]]),
  );
}
