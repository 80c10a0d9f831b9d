// History-API router: a path picks a page; same-origin links and Kratos flow URLs stay in the app.
import { kratosBase, kratosOrigin } from "./config.js";
import { h } from "./dom.js";
import { flowPage } from "./flow.js";
import { loadAll, t } from "./i18n.js";
// The route list shared with the Kratos config and the site build (one source: routes.json).
import routes from "../routes.json" with { type: "json" };

// Pages other than the flows load on first use, so /login carries only what a flow needs. A chunk
// that cannot be fetched (offline, or replaced by a newer deploy) offers a fresh page load.
const chunkFailed = (ctx) =>
  ctx.show(h("h1", {}, t("chunkFailed")), h("p", {}, t("chunkFailedHint")),
    h("button", { type: "button", class: "primary", onclick: () => window.location.reload() }, t("tryAgain")));
const later = (load, name) => (ctx) => load().then((module) => module[name](ctx), () => chunkFailed(ctx));
const fromPages = (name) => later(() => import(("./pages.js")), name);
const [home, notFound] = [fromPages("home"), fromPages("notFound")];
const PAGES = { logout: fromPages("logout"), error: fromPages("errorPage"), sessions: later(() => import(("./sessions.js")), "sessions") };
const ROUTES = Object.fromEntries([
  ["/", home],
  ...routes.flows.map((flow) => [`/${flow}`, flowPage(flow)]),
  ...routes.pages.map((page) => [`/${page}`, PAGES[page]]),
  ...Object.entries(routes.aliases).map(([alias, to]) => [`/${alias}`, () => navigate(`/${to}${window.location.search}`, { replace: true })]),
]);
const FLOW_PATHS = new Set(routes.flows.map((flow) => `/${flow}`));
const FLOW_INIT = new RegExp(`^(${routes.flows.join("|")})/browser$`);

let generation = 0;

const main = () => document.getElementById("app");

// Where a URL should take the user: a route of this app, or a real page load elsewhere.
export function go(target) {
  const url = new URL(String(target), window.location.href);
  if (url.origin === window.location.origin) return navigate(url.pathname + url.search + url.hash);
  // Kratos's "start a browser flow" URL becomes our own route: no full reload, same parameters.
  const prefix = new URL("self-service/", kratosBase).pathname;
  if (url.origin === kratosOrigin && url.pathname.startsWith(prefix)) {
    const match = FLOW_INIT.exec(url.pathname.slice(prefix.length));
    if (match) return navigate(`/${match[1]}${url.search}`);
  }
  if (url.protocol === "https:" || url.protocol === "http:") window.location.assign(url.href);
  return undefined;
}

export function navigate(path, { replace = false } = {}) {
  window.history[replace ? "replaceState" : "pushState"](null, "", path);
  return render();
}

export function render() {
  const current = ++generation;
  const path = window.location.pathname.replace(/\/+$/, "") || "/";
  const page = Object.hasOwn(ROUTES, path) ? ROUTES[path] : notFound;
  const ctx = {
    query: new URLSearchParams(window.location.search),
    go,
    // A page that finished after the user moved on must not draw over the new page.
    show: (...children) => {
      if (current !== generation) return;
      main().replaceChildren(...children.filter(Boolean));
      main().removeAttribute("aria-busy");
      const heading = main().querySelector("h1");
      // The product name is the one the build put into the page's header (the stack's brand).
      const brand = document.querySelector("header.brand span");
      if (heading) document.title = brand ? `${heading.textContent} · ${brand.textContent}` : heading.textContent;
    },
    loading: () => showLoading(),
  };
  // The page's own first-paint form (login.html) stays, typed into, until the flow replaces it.
  const skeleton = main().querySelector("[data-skeleton]");
  if (skeleton && `/${skeleton.getAttribute("data-skeleton")}` === path) main().setAttribute("aria-busy", "true");
  else showLoading();
  // Flow pages fetch their flow while their words arrive (src/flow.js waits for them to draw);
  // other pages need the whole catalogue first.
  if (FLOW_PATHS.has(path)) return Promise.resolve(page(ctx));
  return loadAll().then(() => page(ctx), () => chunkFailed(ctx));
}

function showLoading() {
  main().setAttribute("aria-busy", "true");
  // Before the catalogue is in, empty: useLocale fills data-t elements when it arrives.
  main().replaceChildren(h("p", { class: "loading", "data-t": "loading" }, t("loading", null, "")));
}

function onClick(event) {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const link = event.target.closest && event.target.closest("a[href]");
  if (!link || link.target || link.hasAttribute("download")) return;
  const url = new URL(link.href, window.location.href);
  if (url.origin !== window.location.origin) return;
  event.preventDefault();
  navigate(url.pathname + url.search + url.hash);
}

export function start() {
  document.addEventListener("click", onClick);
  window.addEventListener("popstate", () => render());
  return render();
}
