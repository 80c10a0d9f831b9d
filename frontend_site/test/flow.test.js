// Router and flow controller against recorded Kratos answers: every response the issue lists.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { browser, fixture, flowUrl, getFlowUrl, HOSTILE, KRATOS, kratos, UI, until } from "./helpers.js";

const { start } = await import("../src/router.js");
const { restoreRoute } = await import("../src/spa-route.js");

const answer = (name) => {
  const { status, body } = fixture(name);
  return { status, body };
};
const path = (window) => window.location.pathname + window.location.search;
const heading = (document) => document.querySelector("h1")?.textContent;

async function open(route, routes) {
  const env = browser(route);
  const calls = kratos(env.window, routes);
  await start();
  return { ...env, calls };
}

function click(document, selector) {
  const el = document.querySelector(selector);
  assert.ok(el, `no element ${selector}`);
  el.click();
}

describe("creating and loading flows", () => {
  it("/login creates a browser flow, passes return_to/refresh/aal through and keeps ?flow= in the URL", async () => {
    const { window, document, calls } = await open("/login?return_to=http%3A%2F%2Fui.test%2Fsettings&aal=aal2&refresh=true&junk=1", [
      ["GET", flowUrl("login"), answer("login.browser.aal2")],
    ]);
    await until(() => document.querySelector("form"), "login form");
    const url = new URL(calls[0].url);
    assert.equal(url.searchParams.get("return_to"), `${UI}/settings`);
    assert.equal(url.searchParams.get("aal"), "aal2");
    assert.equal(url.searchParams.get("refresh"), "true");
    assert.equal(url.searchParams.has("junk"), false);
    assert.equal(calls[0].init.credentials, "include");
    assert.equal(calls[0].init.headers.Accept, "application/json");
    assert.equal(new URL(window.location.href).searchParams.get("flow"), fixture("login.browser.aal2").body.id);
    assert.equal(new URL(window.location.href).searchParams.get("return_to"), `${UI}/settings`);
    assert.equal(heading(document), "Second step: verify it is you");
    await until(() => document.activeElement.name === "totp_code", "focus on the first field (next frame)");
  });

  // A route page's first-paint fields (build/first-paint.js), the flow request held until answered.
  async function firstPaint(kind, names) {
    const env = browser(`/${kind}`);
    env.main.append(env.document.createElement("h1"));
    const skeleton = env.document.createElement("div");
    skeleton.setAttribute("data-skeleton", kind);
    const fields = Object.fromEntries(names.map((name) => [name, Object.assign(env.document.createElement("input"), { name })]));
    skeleton.append(...Object.values(fields));
    env.main.append(skeleton);
    let answer;
    env.window.fetch = () => new Promise((resolve) => { answer = resolve; });
    start();
    await until(() => answer, "the flow request");
    assert.ok(env.document.querySelector("[data-skeleton]"), "no Loading… over the fields");
    assert.equal(env.main.getAttribute("aria-busy"), "true");
    const arrive = async (name) => {
      answer(new Response(JSON.stringify(fixture(name).body), { status: 200 }));
      await until(() => env.document.querySelector("form"));
      assert.equal(env.document.querySelector("[data-skeleton]"), null);
    };
    return { document: env.document, fields, arrive };
  }

  it("login.html's first-paint field stays while the flow loads and its value moves into the form", async () => {
    const { document, fields, arrive } = await firstPaint("login", ["identifier"]);
    fields.identifier.value = "ada@example.com";
    await arrive("login.browser");
    assert.equal(document.querySelector("form [name=identifier]").value, "ada@example.com");
  });

  it("registration.html's first-paint fields hand their values and the focus to Kratos's form", async () => {
    const { document, fields, arrive } = await firstPaint("registration", ["traits.email", "traits.name.last"]);
    fields["traits.email"].value = "ada@example.com";
    fields["traits.name.last"].value = "Lovelace";
    fields["traits.name.last"].focus();
    await arrive("registration.browser");
    assert.equal(document.querySelector("form [name='traits.email']").value, "ada@example.com");
    assert.equal(document.querySelector("form [name='traits.name.last']").value, "Lovelace");
    assert.equal(document.querySelector("form [name='traits.name.first']").value, "");
    await until(() => document.activeElement.name === "traits.name.last", "focus stays in the field the user was in");
  });

  it("?flow= loads that flow instead of creating one", async () => {
    const flow = fixture("recovery.sent").body;
    const { document, calls } = await open(`/recovery?flow=${flow.id}`, [["GET", getFlowUrl("recovery"), { status: 200, body: flow }]]);
    await until(() => document.querySelector("form"));
    assert.equal(calls[0].url, `${getFlowUrl("recovery")}${flow.id}`);
    assert.ok(document.querySelector("input[name=code]"));
  });

  it("an unknown or foreign flow id starts a new flow", async () => {
    const { document, calls } = await open("/login?flow=00000000-0000-0000-0000-000000000000", [
      ["GET", getFlowUrl("login"), { status: 404, body: { error: { code: 404, message: "Unable to locate the resource" } } }],
      ["GET", flowUrl("login"), answer("login.browser")],
    ]);
    await until(() => document.querySelector("form"));
    assert.equal(calls.length, 2);
    assert.ok(document.querySelector(".messages[role=alert] .msg-error"));
  });

  it("/register is an alias of /registration", async () => {
    const { window, document } = await open("/register?return_to=x", [["GET", flowUrl("registration"), answer("registration.browser")]]);
    await until(() => document.querySelector("form"));
    assert.equal(window.location.pathname, "/registration");
    assert.equal(heading(document), "Create an account");
  });

  it("a logged-in user opening /login?return_to= lets Kratos check it and send them there", async () => {
    const { assigned } = await open("/login?return_to=http%3A%2F%2Fui.test%2Fsettings", [
      ["GET", flowUrl("login"), answer("login.browser.session-already-available")],
    ]);
    await until(() => assigned.length);
    const url = new URL(assigned[0]);
    assert.equal(url.origin + url.pathname, flowUrl("login"));
    assert.equal(url.searchParams.get("return_to"), `${UI}/settings`);
  });

  it("a logged-in user opening /registration is told so and offered to log out", async () => {
    const body = { error: { ...fixture("login.browser.session-already-available").body.error } };
    const { document } = await open("/registration", [["GET", flowUrl("registration"), { status: 400, body }]]);
    await until(() => heading(document) === "You are already signed in");
    assert.ok(document.querySelector("a[href='/logout']"));
  });

  it("a logged-in user opening /login goes home (400 session_already_available)", async () => {
    const { window, document } = await open("/login", [
      ["GET", flowUrl("login"), answer("login.browser.session-already-available")],
      ["GET", `${KRATOS}sessions/whoami`, answer("whoami.aal2")],
    ]);
    await until(() => heading(document) === "Welcome back");
    assert.equal(path(window), "/");
  });

  it("settings without a session go to login and come back (401)", async () => {
    const { window, document, calls } = await open("/settings", [
      ["GET", flowUrl("settings"), answer("settings.browser.unauthenticated")],
      ["GET", flowUrl("login"), answer("login.browser")],
    ]);
    await until(() => heading(document) === "Sign in");
    assert.equal(window.location.pathname, "/login");
    assert.equal(new URL(calls[1].url).searchParams.get("return_to"), `${UI}/settings`);
  });

  it("a forbidden return_to says so and offers to continue without it", async () => {
    const { document } = await open("/login?return_to=https%3A%2F%2Fevil.example.net%2F", [
      ["GET", flowUrl("login"), answer("login.browser.return-to-forbidden")],
    ]);
    await until(() => document.querySelector(".msg-error"));
    assert.match(document.querySelector(".msg-error").textContent, /does not allow/);
    assert.equal(document.querySelector("nav a").getAttribute("href"), "/login");
  });

  it("Kratos down: a readable message and a working retry", async () => {
    let up = false;
    const { document } = await open("/login", [
      ["GET", flowUrl("login"), () => (up ? answer("login.browser") : new TypeError("Failed to fetch"))],
    ]);
    await until(() => heading(document) === "Cannot reach the sign-in service");
    assert.equal(document.activeElement.textContent, "Try again");
    up = true;
    click(document, "button");
    await until(() => document.querySelector("form"));
  });

  it("a request with no answer gives up after the timeout and offers retry", async () => {
    const api = await import("../src/api.js");
    const env = browser("/login");
    let tries = 0;
    env.window.fetch = (url, init) => {
      tries += 1;
      if (tries > 1) return Promise.resolve(new Response(JSON.stringify(answer("login.browser").body), { status: 200 }));
      return new Promise((_, reject) => init.signal.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError"))));
    };
    const timers = [];
    const realSetTimeout = globalThis.setTimeout;
    globalThis.setTimeout = (fn, ms) => (ms === api.TIMEOUT_MS ? timers.push(fn) : realSetTimeout(fn, ms));
    try {
      start();
      await until(() => timers.length, "the request timer");
      timers[0]();
    } finally {
      globalThis.setTimeout = realSetTimeout;
    }
    await until(() => heading(env.document) === "The sign-in service is not answering");
    assert.match(env.document.querySelector(".msg-error").textContent, /did not answer in time/);
    click(env.document, "button");
    await until(() => env.document.querySelector("form"));
  });

  it("a WebAuthn helper script that never loads gives up after the timeout and says so", async () => {
    const api = await import("../src/api.js");
    const flow = fixture("all-methods/login.browser").body;
    const env = browser("/login");
    kratos(env.window, [["GET", flowUrl("login"), { status: 200, body: flow }]]);
    const timers = [];
    const realSetTimeout = globalThis.setTimeout;
    globalThis.setTimeout = (fn, ms) => (ms === api.TIMEOUT_MS ? timers.push(fn) : realSetTimeout(fn, ms));
    try {
      start();
      await until(() => env.document.querySelector("[name=passkey_login_trigger]"), "passkey button");
      click(env.document, "[name=passkey_login_trigger]");
      await until(() => timers.length >= 2, "the flow request and the helper script timers");
      timers.forEach((fire) => fire());
    } finally {
      globalThis.setTimeout = realSetTimeout;
    }
    await until(() => /not available/.test(env.document.querySelector("form .messages")?.textContent || ""), "a message instead of waiting");
  });

  it("a 5xx while loading shows a generic message with Kratos's error id, never its text", async () => {
    const { document } = await open("/login", [
      ["GET", flowUrl("login"), { status: 500, body: { error: { code: 500, id: "err-42", message: "sql: password=hunter2", reason: "pq: internal" } } }],
    ]);
    await until(() => document.querySelector(".msg-error"));
    assert.match(document.body.textContent, /Reference for support: err-42/);
    assert.doesNotMatch(document.body.textContent, /hunter2|pq: internal/);
  });

  it("a gateway error page counts as unreachable, not as a flow", async () => {
    const { document } = await open("/recovery", [
      ["GET", flowUrl("recovery"), { status: 502, body: null }],
    ]);
    await until(() => heading(document) === "Cannot reach the sign-in service");
  });
});

describe("submitting and following the answer", () => {
  async function loginPage(submitAnswer, extra = []) {
    const env = await open("/login", [
      ...extra,
      ["GET", flowUrl("login"), answer("login.browser")],
      ["POST", `${KRATOS}self-service/login?flow=`, submitAnswer],
    ]);
    await until(() => env.document.querySelector("form"));
    env.document.querySelector("[name=identifier]").value = "ada@example.com";
    env.document.querySelector("[name=password]").value = "pw-123456789";
    click(env.document, "button[name=method]");
    return env;
  }

  it("posts JSON with csrf_token and the button's value to ui.action", async () => {
    const { calls, document } = await loginPage(answer("login.password.invalid"));
    await until(() => calls.length === 2 && document.querySelector(".messages .msg-error"));
    const post = calls[1];
    assert.equal(post.url, fixture("login.browser").body.ui.action);
    assert.equal(post.init.headers["Content-Type"], "application/json");
    assert.equal(post.init.credentials, "include");
    assert.equal(post.body.method, "password");
    assert.equal(post.body.csrf_token, fixture("login.browser").body.ui.nodes[0].attributes.value);
    // 400 with a flow: rendered again, with Kratos's message.
    assert.match(document.querySelector(".msg-error").textContent, /credentials are invalid/);
  });

  it("login 200: follows continue_with redirect_browser_to", async () => {
    const { window, document } = await loginPage(answer("login.lookup.success"), [["GET", `${KRATOS}sessions/whoami`, answer("whoami.aal2")]]);
    await until(() => heading(document) === "Welcome back");
    assert.equal(path(window), "/");
  });

  it("422 browser_location_change_required to Kratos's aal2 login stays in the app", async () => {
    const { window, calls, document } = await loginPage(answer("login.password.success"), [["GET", `${flowUrl("login")}?aal=aal2`, answer("login.browser.aal2")]]);
    await until(() => document.querySelector("[name=totp_code]"));
    assert.equal(window.location.pathname, "/login");
    assert.equal(new URL(window.location.href).searchParams.get("aal"), "aal2");
    assert.equal(new URL(calls.at(-1).url).searchParams.get("aal"), "aal2");
  });

  it("410 self_service_flow_expired continues with use_flow_id", async () => {
    const expired = answer("login.expired");
    const replacement = { ...fixture("login.password.invalid").body, id: expired.body.use_flow_id };
    const { calls, document, window } = await loginPage(expired, [["GET", getFlowUrl("login"), { status: 200, body: replacement }]]);
    await until(() => calls.length === 3 && document.querySelector("form"));
    assert.equal(calls[2].url, `${getFlowUrl("login")}${expired.body.use_flow_id}`);
    assert.equal(new URL(window.location.href).searchParams.get("flow"), expired.body.use_flow_id);
  });

  it("403 security_csrf_violation starts a new flow, says why and keeps the identifier, not the password", async () => {
    const { calls, document } = await loginPage(answer("login.csrf-violation"));
    await until(() => calls.length === 3 && document.querySelector("form"));
    assert.equal(calls[2].url, flowUrl("login"));
    assert.match(document.querySelector(".messages[role=alert]").textContent, /reset. We kept what you typed/);
    assert.equal(document.querySelector("[name=identifier]").value, "ada@example.com");
    assert.equal(document.querySelector("[name=password]").value, "");
  });

  it("410 expired: the new flow keeps the identifier", async () => {
    const expired = answer("login.expired");
    const replacement = { ...fixture("login.browser").body, id: expired.body.use_flow_id };
    const { document, window } = await loginPage(expired, [["GET", getFlowUrl("login"), { status: 200, body: replacement }]]);
    await until(() => new URL(window.location.href).searchParams.get("flow") === expired.body.use_flow_id, "the new flow");
    assert.equal(document.querySelector("[name=identifier]").value, "ada@example.com");
    assert.match(document.body.textContent, /We kept what you typed/);
  });

  it("a 5xx on submit keeps the form and what was typed, with the error id", async () => {
    const { document } = await loginPage({ status: 503, body: { error: { code: 503, id: "err-7", message: "internal detail" } } });
    await until(() => document.querySelector(".msg-error"));
    assert.match(document.querySelector(".messages").textContent, /had a problem.*Reference for support: err-7/);
    assert.doesNotMatch(document.body.textContent, /internal detail/);
    assert.equal(document.querySelector("[name=identifier]").value, "ada@example.com");
    assert.equal(document.querySelector("[name=password]").value, "pw-123456789");
  });

  it("network error on submit keeps the form and what was typed", async () => {
    const { document } = await loginPage(() => new TypeError("Failed to fetch"));
    await until(() => document.querySelector(".msg-error"));
    assert.match(document.querySelector(".msg-error").textContent, /cannot be reached/);
    assert.equal(document.querySelector("[name=identifier]").value, "ada@example.com");
  });

  it("registration 200 with show_verification_ui opens verification with that flow", async () => {
    const done = answer("registration.success");
    const verification = fixture("verification.flow").body;
    const { window, document, calls } = await open("/registration", [
      ["GET", flowUrl("registration"), answer("registration.profile")],
      ["POST", `${KRATOS}self-service/registration?flow=`, done],
      ["GET", getFlowUrl("verification"), { status: 200, body: verification }],
    ]);
    await until(() => document.querySelector("[name=password]"));
    document.querySelector("[name=password]").value = "pw-123456789";
    click(document, "button[value=password]");
    await until(() => heading(document) === "Verify your email address");
    const id = done.body.continue_with.find((c) => c.action === "show_verification_ui").flow.id;
    assert.equal(path(window), `/verification?flow=${id}`);
    assert.equal(calls.at(-1).url, `${getFlowUrl("verification")}${id}`);
    // Where the code went, and a new code on request.
    assert.match(document.querySelector(".sent-to").textContent, /We sent a code to ada@example\.com/);
    calls.length = 0;
    window.fetch = async (url, init) => {
      calls.push({ url: String(url), body: JSON.parse(init.body) });
      return new Response(JSON.stringify(verification), { status: 200 });
    };
    click(document, ".sent-to button");
    await until(() => calls.length);
    assert.equal(calls[0].url, verification.ui.action);
    assert.deepEqual(Object.keys(calls[0].body).sort(), ["csrf_token", "email", "method"]);
    assert.equal(calls[0].body.email, "ada@example.com");
  });

  it("recovery by code: 422 to the settings UI opens settings in the app", async () => {
    const done = answer("recovery.code.success");
    const { window, document, calls } = await open("/recovery", [
      ["GET", flowUrl("recovery"), answer("recovery.sent")],
      ["POST", `${KRATOS}self-service/recovery?flow=`, done],
      ["GET", getFlowUrl("settings"), answer("settings.browser")],
    ]);
    await until(() => document.querySelector("[name=code]"));
    document.querySelector("[name=code]").value = "123456";
    click(document, "button[name=method]");
    await until(() => heading(document) === "Account settings");
    const target = new URL(done.body.redirect_browser_to);
    assert.equal(window.location.pathname, "/settings");
    assert.equal(calls.at(-1).url, `${getFlowUrl("settings")}${target.searchParams.get("flow")}`);
  });

  it("settings 403 session_aal2_required follows redirect_browser_to into the aal2 login", async () => {
    const { window, document } = await open("/settings?flow=216509ce", [
      ["GET", getFlowUrl("settings"), answer("settings.flow.after-recovery")],
      ["GET", flowUrl("login"), answer("login.browser.aal2")],
    ]);
    await until(() => document.querySelector("[name=totp_code]"));
    const url = new URL(window.location.href);
    assert.equal(url.pathname, "/login");
    assert.equal(url.searchParams.get("aal"), "aal2");
    assert.match(url.searchParams.get("return_to"), /\/settings\?flow=/);
  });

  it("settings 403 session_refresh_required: re-authenticate with refresh=true, then back", async () => {
    const { window, document } = await open("/settings", [
      ["GET", flowUrl("settings"), answer("settings.browser.5")],
      ["POST", `${KRATOS}self-service/settings?flow=`, answer("settings.password.refresh-required")],
      ["GET", flowUrl("login"), answer("login.browser.refresh")],
    ]);
    await until(() => document.querySelector("[name=password]"));
    document.querySelector("[name=password]").value = "new-password-123";
    click(document, "fieldset[data-group=password] button[name=method]");
    await until(() => heading(document) === "Confirm it is you");
    const url = new URL(window.location.href);
    assert.equal(url.searchParams.get("refresh"), "true");
    assert.ok(url.searchParams.get("return_to"));
  });

  it("settings 200 success renders the saved flow with its success message", async () => {
    const { document } = await open("/settings", [
      ["GET", flowUrl("settings"), answer("settings.browser")],
      ["POST", `${KRATOS}self-service/settings?flow=`, answer("settings.profile.success")],
    ]);
    await until(() => document.querySelector("form"));
    click(document, "fieldset[data-group=profile] button[name=method]");
    await until(() => document.querySelector(".msg-success"));
    assert.equal(document.querySelector(".msg-success").textContent, "Your changes have been saved!");
    await until(() => document.activeElement === document.querySelector("form .messages"), "the answer gets focus");
  });

  it("settings saved with a return_to goes back to it", async () => {
    const saved = structuredClone(fixture("settings.profile.success").body);
    saved.return_to = "https://app.example.org/profile";
    saved.continue_with = [{ action: "redirect_browser_to", redirect_browser_to: saved.return_to }];
    const { assigned, document } = await open("/settings?return_to=https%3A%2F%2Fapp.example.org%2Fprofile", [
      ["GET", flowUrl("settings"), answer("settings.browser")],
      ["POST", `${KRATOS}self-service/settings?flow=`, { status: 200, body: saved }],
    ]);
    await until(() => document.querySelector("form"));
    click(document, "fieldset[data-group=profile] button[name=method]");
    await until(() => assigned.length);
    assert.deepEqual(assigned, ["https://app.example.org/profile"]);
  });

  it("verification passed: Continue goes home inside the app", async () => {
    const { window, document } = await open("/verification", [
      ["GET", flowUrl("verification"), answer("verification.passed")],
      ["GET", `${KRATOS}sessions/whoami`, answer("whoami.aal1")],
    ]);
    await until(() => document.querySelector("a[data-node=continue]"));
    click(document, "a[data-node=continue]");
    await until(() => heading(document) === "Welcome back");
    assert.equal(path(window), "/");
  });

  it("recovery submit on an expired flow renders the new flow Kratos redirected fetch to", async () => {
    const { document } = await open("/recovery", [
      ["GET", flowUrl("recovery"), answer("recovery.browser.3")],
      ["POST", `${KRATOS}self-service/recovery?flow=`, answer("recovery.expired")],
    ]);
    await until(() => document.querySelector("[name=email]"));
    document.querySelector("[name=email]").value = "ada@example.com";
    click(document, "button[name=method]");
    await until(() => document.querySelector(".msg-error"));
    assert.match(document.querySelector(".msg-error").textContent, /expired/);
  });

  it("a redirect elsewhere is a real page load", async () => {
    const { assigned } = await open("/settings", [
      ["GET", flowUrl("settings"), { status: 422, body: { error: { id: "browser_location_change_required" }, redirect_browser_to: "https://accounts.example.org/oauth" } }],
    ]);
    await until(() => assigned.length);
    assert.deepEqual(assigned, ["https://accounts.example.org/oauth"]);
  });
});

describe("other pages", () => {
  it("home shows traits as text, never HTML", async () => {
    const { document } = await open("/", [["GET", `${KRATOS}sessions/whoami`, answer("whoami.aal2")]]);
    await until(() => document.querySelector("dl"));
    const dd = [...document.querySelectorAll("dd")].map((d) => d.textContent);
    assert.ok(dd.includes(HOSTILE));
    assert.equal(document.querySelectorAll("img, script").length, 0);
    assert.ok(document.querySelector("a[href='/settings']") && document.querySelector("a[href='/logout']"));
  });

  it("home shows traits by their schema titles in schema order, each value isolated for bidi", async () => {
    const schema = { properties: { traits: { properties: {
      name: { type: "object", properties: { last: { title: "Last name" }, first: { title: "First name" } } },
      email: { title: "E-Mail" },
    } } } };
    const { document } = await open("/", [
      ["GET", `${KRATOS}sessions/whoami`, answer("whoami.aal2")],
      ["GET", `${KRATOS}schemas/customer`, { status: 200, body: schema }],
    ]);
    await until(() => document.querySelector("dt"), "trait rows");
    const terms = [...document.querySelectorAll(".traits")[0].querySelectorAll("dt")].map((d) => d.textContent);
    assert.deepEqual(terms, ["Last name", "First name", "E-Mail"]);
    assert.equal(document.querySelector(".traits dd bdi").textContent, HOSTILE);
  });

  it("home without the schema falls back to the trait keys", async () => {
    const { document } = await open("/", [["GET", `${KRATOS}sessions/whoami`, answer("whoami.aal2")]]);
    await until(() => document.querySelector("dt"), "trait rows");
    const terms = [...document.querySelectorAll(".traits")[0].querySelectorAll("dt")].map((d) => d.textContent);
    assert.deepEqual(terms, ["email", "name.first", "name.last"]);
  });

  it("home without a session links to sign in and sign up", async () => {
    const { document } = await open("/", [["GET", `${KRATOS}sessions/whoami`, answer("whoami.unauthenticated")]]);
    await until(() => document.querySelector("a[href='/login']"));
    assert.ok(document.querySelector("a[href='/registration']"));
  });

  it("home with a missing second factor goes to the aal2 login", async () => {
    const { window, document } = await open("/", [
      ["GET", `${KRATOS}sessions/whoami`, answer("whoami.aal2-required")],
      ["GET", flowUrl("login"), answer("login.browser.aal2")],
    ]);
    await until(() => document.querySelector("[name=totp_code]"));
    assert.equal(path(window).startsWith("/login?aal=aal2"), true);
  });

  it("logout asks first, then fetches the logout URL with Accept JSON and goes home", async () => {
    const logout = answer("logout.browser");
    const { window, document, calls } = await open("/logout", [
      ["GET", `${KRATOS}self-service/logout/browser`, logout],
      ["GET", logout.body.logout_url, answer("logout.perform")],
      ["GET", `${KRATOS}sessions/whoami`, answer("whoami.unauthenticated")],
    ]);
    await until(() => heading(document) === "Log out?");
    assert.equal(calls.length, 0, "nothing asked of Kratos before the user confirms");
    assert.equal(document.activeElement.textContent, "Log out");
    click(document, "button.primary");
    await until(() => heading(document) === "Welcome");
    assert.equal(calls[1].url, logout.body.logout_url);
    assert.equal(calls[1].init.headers.Accept, "application/json");
    assert.equal(path(window), "/");
  });

  it("sessions: lists this and other sessions as text, ends one, ends all others", async () => {
    const me = answer("whoami.aal2");
    const other = { ...me.body, id: "other-1", devices: [{ user_agent: HOSTILE, ip_address: "10.0.0.9" }] };
    let others = [other];
    const { document, calls } = await open("/sessions", [
      ["GET", `${KRATOS}sessions/whoami`, me],
      ["GET", `${KRATOS}sessions`, () => ({ status: 200, body: others })],
      ["DELETE", `${KRATOS}sessions/other-1`, () => { others = []; return { status: 204, body: null }; }],
      ["DELETE", `${KRATOS}sessions`, () => { others = []; return { status: 200, body: { count: 1 } }; }],
    ]);
    await until(() => document.querySelectorAll("li.session").length === 2, "two sessions");
    assert.match(document.querySelector("[data-session=other-1]").textContent, /10\.0\.0\.9/);
    assert.ok(document.querySelector("[data-session=other-1]").textContent.includes(HOSTILE));
    assert.equal(document.querySelectorAll("img, script").length, 0);
    click(document, "[data-session=other-1] button");
    await until(() => document.querySelector(".msg-success"), "ended");
    assert.ok(calls.some((c) => c.method === "DELETE" && c.url === `${KRATOS}sessions/other-1`));
    assert.equal(document.querySelectorAll("li.session").length, 1);
    assert.equal(calls.find((c) => c.method === "DELETE").init.credentials, "include");
    others = [other];
    click(document, "nav a[href='/']");
    await until(() => heading(document) === "Welcome back");
  });

  it("sessions without a session go to login and come back", async () => {
    const { window, calls } = await open("/sessions", [
      ["GET", `${KRATOS}sessions/whoami`, answer("whoami.unauthenticated")],
      ["GET", flowUrl("login"), answer("login.browser")],
    ]);
    await until(() => window.location.pathname === "/login");
    assert.equal(new URL(calls.at(-1).url).searchParams.get("return_to"), `${UI}/sessions`);
  });

  it("refuses to start inside another site's frame", async () => {
    const { framedByOtherSite } = await import("../src/frame.js");
    const { refuseFrame } = await import("../src/refuse-frame.js");
    const { window, document } = browser("/login");
    const foreignTop = { get location() { throw new Error("SecurityError"); } };
    const framed = { top: foreignTop, self: window, location: window.location, document };
    assert.equal(framedByOtherSite(framed), true);
    assert.equal(framedByOtherSite({ top: window, self: window }), false);
    refuseFrame(framed);
    assert.equal(heading(document), "This page cannot be shown inside another site");
    assert.equal(document.querySelector("a").getAttribute("target"), "_top");
    assert.equal(document.querySelector("form"), null);
  });

  it("verification opened without a known address offers to send a code again", async () => {
    const flow = fixture("verification.flow").body;
    const { document } = await open(`/verification?flow=${flow.id}`, [["GET", getFlowUrl("verification"), { status: 200, body: flow }]]);
    await until(() => document.querySelector(".detail a"));
    assert.equal(document.querySelector(".detail a").getAttribute("href"), "/verification");
    assert.equal(document.querySelector(".sent-to"), null);
  });

  it("verification after a resend names the address from Kratos's own resend button, once", async () => {
    const flow = structuredClone(fixture("verification.flow").body);
    flow.ui.nodes.push({ type: "input", group: "code", attributes: { name: "email", type: "submit", value: "grace@example.com", disabled: false, node_type: "input" }, messages: [], meta: { label: { id: 1070008, text: "Resend code", type: "info" } } });
    const { document } = await open(`/verification?flow=${flow.id}`, [["GET", getFlowUrl("verification"), { status: 200, body: flow }]]);
    await until(() => document.querySelector(".sent-to"));
    assert.match(document.querySelector(".sent-to").textContent, /We sent a code to grace@example\.com/);
    assert.equal(document.querySelector(".sent-to button"), null, "Kratos's Resend code button is the one");
  });

  it("/error?id= shows Kratos's error by id", async () => {
    const { document, calls } = await open("/error?id=a6c70397", [["GET", `${KRATOS}self-service/errors?id=`, answer("errors.return-to-forbidden")]]);
    await until(() => document.querySelector(".msg-error"));
    assert.equal(calls[0].url, `${KRATOS}self-service/errors?id=a6c70397`);
    assert.match(document.querySelector(".msg-error").textContent, /malformed/);
    assert.match(document.body.textContent, /evil\.example\.net/);
  });

  it("/error with an unknown id says the report is gone", async () => {
    const { document } = await open("/error?id=nope", [["GET", `${KRATOS}self-service/errors?id=`, answer("errors.unknown")]]);
    await until(() => document.querySelector(".msg-error"));
    assert.match(document.querySelector(".msg-error").textContent, /does not exist/);
  });

  it("unknown paths show not found; links navigate without reloading", async () => {
    const { window, document } = await open("/nope", [["GET", `${KRATOS}sessions/whoami`, answer("whoami.unauthenticated")]]);
    await until(() => heading(document) === "Page not found");
    click(document, "nav a");
    await until(() => heading(document) === "Welcome");
    assert.equal(path(window), "/");
  });
});

describe("GitHub Pages 404 fallback", () => {
  it("404.html's redirect and the app's restore round-trip path, query and hash", async () => {
    const env = browser("/settings?flow=abc&return_to=http%3A%2F%2Fui.test%2F%3Fa%3D1%26b%3D2#top");
    let target;
    env.window.location.replace = (url) => { target = url; };
    await import(`../src/fallback.js?${Date.now()}`);
    assert.match(target, /^\/\?route=/);
    const app = browser(target);
    assert.equal(restoreRoute(app.window.location, app.window.history), true);
    assert.equal(app.window.location.href, "http://ui.test/settings?flow=abc&return_to=http%3A%2F%2Fui.test%2F%3Fa%3D1%26b%3D2#top");
  });

  it("refuses to restore to another origin", () => {
    for (const route of ["//evil.example.net/x", "https://evil.example.net/", "/\\evil.example.net"]) {
      const app = browser(`/?${new URLSearchParams({ route })}`);
      restoreRoute(app.window.location, app.window.history);
      assert.equal(app.window.location.origin, UI);
    }
  });

  it("leaves other query strings alone", () => {
    const app = browser("/?route=/login&x=1");
    assert.equal(restoreRoute(app.window.location, app.window.history), false);
  });
});
