// The node renderer on flow JSON recorded from the real Kratos (the version tools/kratos-build pins).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { browser, fixture, flowFixtures, HOSTILE, poison } from "./helpers.js";

const { collectBody, orderGroups, renderFlowForm } = await import("../src/render.js");

function render(name, kind = name.split("/").pop().split(".")[0], flow = fixture(name).body) {
  const env = browser(`/${kind}`);
  const submits = [];
  const view = renderFlowForm(flow, { kind, onSubmit: (body) => submits.push(body), runTrigger: () => {} });
  env.main.append(view.form);
  return { ...env, view, form: view.form, flow, submits };
}

const inputNamed = (form, name) => form.querySelector(`[name="${name}"]`);
const order = (form, selector) => [...form.querySelectorAll(selector)].map((el) => el.getAttribute("name") + "=" + el.value);
const kindOf = (name) => name.split("/").pop().split(".")[0];

describe("every recorded flow", () => {
  for (const name of flowFixtures()) {
    it(`${name}: renders each input node once, as a real POST form to ui.action`, () => {
      const { form, flow } = render(name, kindOf(name));
      assert.equal(form.tagName, "FORM");
      assert.equal(form.getAttribute("action"), flow.ui.action);
      assert.equal(form.getAttribute("method"), flow.ui.method);
      const inputs = flow.ui.nodes.filter((n) => n.type === "input");
      assert.equal(form.querySelectorAll("input[name], button[name]").length, inputs.length);
      assert.equal(inputNamed(form, "csrf_token").type, "hidden");
      assert.equal(inputNamed(form, "csrf_token").value, flow.ui.nodes.find((n) => n.attributes.name === "csrf_token").attributes.value);
      // Every visible field has a label bound to it.
      for (const el of form.querySelectorAll("input:not([type=hidden])")) {
        assert.ok(el.id && form.querySelector(`label[for="${el.id}"]`), `label for ${el.name}`);
      }
      for (const m of flow.ui.messages || []) assert.ok(form.textContent.includes(m.text), m.text);
    });

    it(`${name}: hostile labels, messages and values stay text`, () => {
      const { form, document } = render(name, kindOf(name), poison(fixture(name).body));
      assert.equal(document.querySelectorAll("script").length, 0);
      for (const img of form.querySelectorAll("img")) assert.match(img.getAttribute("src"), /^data:image\/png;base64,/);
      assert.ok(!form.querySelector("[onerror], [onclick], [onload]"));
      const labelled = form.querySelectorAll("label, .msg, button, code, p");
      assert.ok([...labelled].some((el) => el.textContent.includes(HOSTILE)), "hostile text shown literally");
      for (const el of form.querySelectorAll("input:not([type=hidden]):not([type=password]):not([type=checkbox])")) {
        if (el.name !== "csrf_token") assert.equal(el.value, HOSTILE);
      }
    });
  }
});

describe("recorded hostile strings from Kratos", () => {
  it("a validation message echoing a hostile email is text", () => {
    const { form } = render("registration.profile.invalid");
    const msg = form.querySelector(".field-messages .msg-error");
    assert.ok(msg.textContent.includes("<img src=x onerror=alert(1)>"));
    assert.equal(form.querySelectorAll("img, script").length, 0);
    const email = inputNamed(form, "traits.email");
    assert.equal(email.getAttribute("aria-invalid"), "true");
    assert.equal(email.getAttribute("aria-describedby"), msg.parentElement.id);
  });

  it("a hostile identity-schema title is a label's text", () => {
    const { form } = render("all-methods/settings.browser", "settings");
    const first = inputNamed(form, "traits.name.first");
    assert.equal(form.querySelector(`label[for="${first.id}"]`).firstChild.textContent, HOSTILE);
    assert.equal(first.value, HOSTILE);
  });
});

describe("grouping and order", () => {
  it("puts the identifier before the password and the password button first", () => {
    const { form } = render("login.browser");
    assert.deepEqual(order(form, "input:not([type=hidden]), button:not(.toggle)").map((s) => s.split("=")[0]), ["identifier", "password", "method"]);
    assert.equal(form.querySelector("button:not(.toggle)").className, "primary");
  });

  it("registration profile step: the only button is the main one and checks required fields", () => {
    const { form, submits } = render("registration.browser");
    const button = form.querySelector("button[name=method]");
    assert.equal(button.className, "primary");
    button.click();
    assert.equal(submits.length, 0, "empty required email blocks the submit");
  });

  it("a social sign-in button is never the main one and never blocked by empty fields", () => {
    const flow = structuredClone(fixture("registration.browser").body);
    const oidc = { type: "input", group: "oidc", attributes: { name: "provider", type: "submit", value: "fake", disabled: false, node_type: "input" }, messages: [], meta: { label: { id: 1040002, text: "Sign up with fake", type: "info", context: { provider: "fake" } } } };
    flow.ui.nodes.splice(1, 0, oidc);
    const { form, submits } = render("registration.browser", "registration", flow);
    const social = form.querySelector("button[name=provider]");
    assert.equal(social.className, "secondary");
    assert.equal(form.querySelector("button[name=method]").className, "primary");
    social.click();
    assert.equal(submits.length, 1);
    assert.equal(submits[0].provider, "fake");
  });

  it("two-step registration: credential fields first, the Back button last", () => {
    const { form } = render("registration.profile", "registration");
    const visible = order(form, "input:not([type=hidden]), button:not(.toggle)");
    assert.deepEqual(visible, ["password=", "method=password", "screen=previous"]);
    assert.equal(form.querySelector("button[name=screen]").className, "secondary");
  });

  it("all methods on login: fields first, then other ways to sign in", () => {
    const { form } = render("all-methods/login.browser", "login");
    const buttons = [...form.querySelectorAll("button:not(.toggle)")].map((b) => b.textContent);
    assert.equal(buttons[0], "Sign in with password");
    assert.ok(buttons.includes("Send sign in code") && buttons.includes("Sign in with passkey"));
    const groups = orderGroups(fixture("all-methods/login.browser").body.ui.nodes, "login").map(([g]) => g);
    assert.deepEqual(groups.slice(0, 2), ["default", "password"]);
  });

  it("settings keep a titled section per method in a fixed order", () => {
    const { form } = render("settings.lookup.regenerate", "settings");
    const legends = [...form.querySelectorAll("legend")].map((l) => l.textContent);
    assert.deepEqual(legends, ["Profile", "Password", "Authenticator app", "Backup recovery codes"]);
  });
});

describe("settings buttons and password fields", () => {
  it("each settings section's Save says what it does; other buttons keep Kratos's label", () => {
    const { form } = render("settings.browser", "settings");
    const label = (group) => form.querySelector(`fieldset[data-group=${group}] button[type=submit]`).textContent;
    assert.equal(label("profile"), "Save profile");
    assert.equal(label("password"), "Change password");
    assert.equal(label("totp"), "Add authenticator");
    assert.equal(label("lookup_secret"), "Generate new backup recovery codes");
  });

  it("a password field has a Show toggle that switches it to text and back", () => {
    const { form } = render("login.browser", "login");
    const input = inputNamed(form, "password");
    const toggle = form.querySelector(`button.toggle[aria-controls="${input.id}"]`);
    assert.equal(toggle.getAttribute("type"), "button");
    toggle.click();
    assert.equal(input.type, "text");
    assert.equal(toggle.getAttribute("aria-pressed"), "true");
    toggle.click();
    assert.equal(input.type, "password");
    assert.equal(toggle.getAttribute("aria-pressed"), "false");
  });

  it("a new password's minimum length is shown before any error and tied to the field", () => {
    const { form } = render("settings.browser", "settings");
    const input = inputNamed(form, "password");
    const rule = form.querySelector(`#${input.getAttribute("aria-describedby")}`);
    assert.equal(rule.textContent, "At least 8 characters.");
    assert.equal(render("login.browser", "login").form.querySelector(".hint"), null);
  });

  it("typed text keeps its own direction (dir=auto), passwords do not need it", () => {
    const { form } = render("registration.browser", "registration");
    assert.equal(inputNamed(form, "traits.email").getAttribute("dir"), "auto");
  });
});

describe("node types", () => {
  it("TOTP: QR image, secret as code, one-time-code input", () => {
    const { form } = render("settings.browser", "settings");
    const img = form.querySelector("[data-node=totp_qr] img");
    assert.match(img.getAttribute("src"), /^data:image\/png;base64,/);
    assert.equal(img.getAttribute("alt"), "Authenticator app QR code");
    const secret = form.querySelector("[data-node=totp_secret_key] code").textContent;
    assert.match(secret, /^[A-Z2-7]{16,}$/);
    assert.equal(inputNamed(form, "totp_code").getAttribute("autocomplete"), "one-time-code");
  });

  it("lookup secrets: every recovery code listed as text", () => {
    const { form, flow } = render("settings.lookup.regenerate", "settings");
    const node = flow.ui.nodes.find((n) => n.attributes.id === "lookup_secret_codes");
    const codes = [...form.querySelectorAll("[data-node=lookup_secret_codes] li code")].map((c) => c.textContent);
    assert.deepEqual(codes, node.attributes.text.context.secrets.map((s) => s.text));
    assert.equal(codes.length, 12);
  });

  it("lookup secrets: copy puts all codes on the clipboard, download saves them as a text file", async () => {
    const { form, flow, window } = render("settings.lookup.regenerate", "settings");
    const all = flow.ui.nodes.find((n) => n.attributes.id === "lookup_secret_codes").attributes.text.context.secrets.map((s) => s.text).join("\n");
    const copied = [];
    Object.defineProperty(window.navigator, "clipboard", { value: { writeText: async (t) => copied.push(t) }, configurable: true });
    globalThis.navigator = window.navigator;
    const copy = [...form.querySelectorAll(".codes button")].find((b) => b.textContent === "Copy codes");
    copy.click();
    await new Promise((r) => setTimeout(r, 0));
    assert.deepEqual(copied, [all]);
    assert.equal(copy.textContent, "Copied");
    const download = form.querySelector(".codes a[download='backup-codes.txt']");
    assert.match(download.getAttribute("href"), /^blob:/);
    assert.equal(copy.getAttribute("type"), "button", "never submits the form");
  });

  it("a link node (verification 'Continue') is a real link", () => {
    const { form } = render("verification.passed");
    const a = form.querySelector("a[data-node=continue]");
    assert.equal(a.getAttribute("href"), "http://ui.test/");
    assert.equal(a.textContent, "Continue");
    assert.ok(form.querySelector(".msg-success"));
  });

  it("script nodes are loaded later from Kratos with integrity, never inline", () => {
    const { view, form } = render("all-methods/settings.browser", "settings");
    assert.equal(form.querySelectorAll("script").length, 0);
    assert.equal(view.scripts.length, 1);
    assert.equal(view.scripts[0].src, "http://kratos.test/.well-known/ory/webauthn.js");
    assert.match(view.scripts[0].integrity, /^sha512-/);
    assert.equal(view.scripts[0].crossorigin, "anonymous");
  });

  it("WebAuthn and passkey buttons call Kratos's trigger by name, as type=button", () => {
    const triggered = [];
    const env = browser("/settings");
    const view = renderFlowForm(fixture("all-methods/settings.browser").body, {
      kind: "settings", onSubmit: () => assert.fail("no submit"), runTrigger: (name) => triggered.push(name),
    });
    env.main.append(view.form);
    const key = inputNamed(view.form, "webauthn_register_trigger");
    assert.equal(key.type, "button");
    assert.ok(key.value.startsWith('{"publicKey"'), "options stay on the button for Kratos's helper");
    key.click();
    inputNamed(view.form, "passkey_register_trigger").click();
    assert.deepEqual(triggered, ["oryWebAuthnRegistration", "oryPasskeySettingsRegistration"]);
    assert.ok(!view.form.querySelector("[onclick]"));
  });

  it("passkey login registers its on-load trigger", () => {
    const { view } = render("all-methods/login.browser", "login");
    assert.deepEqual(view.onload, ["oryPasskeyLoginAutocompleteInit"]);
  });

  it("required fields carry the attribute and a visible marker", () => {
    const { form } = render("registration.browser");
    const email = inputNamed(form, "traits.email");
    assert.equal(email.required, true);
    assert.ok(form.querySelector(`label[for="${email.id}"] .required`));
    assert.equal(inputNamed(form, "traits.name.first").required, false);
  });

  it("autocomplete: Kratos's value, else a default per type and flow", () => {
    assert.equal(inputNamed(render("login.browser").form, "password").getAttribute("autocomplete"), "current-password");
    assert.equal(inputNamed(render("login.browser").form, "identifier").getAttribute("autocomplete"), "username");
    assert.equal(inputNamed(render("registration.profile").form, "password").getAttribute("autocomplete"), "new-password");
    assert.equal(inputNamed(render("recovery.browser").form, "email").getAttribute("autocomplete"), "email");
    assert.equal(inputNamed(render("recovery.sent").form, "code").getAttribute("autocomplete"), "one-time-code");
    assert.equal(inputNamed(render("recovery.sent").form, "code").getAttribute("inputmode"), "numeric");
  });

  it("flow and node messages are styled by type", () => {
    assert.ok(render("login.password.invalid").form.querySelector(".messages[role=alert] .msg-error"));
    assert.ok(render("recovery.sent").form.querySelector(".messages[role=status] .msg-info"));
    assert.ok(render("settings.password.success", "settings").form.querySelector(".msg-success"));
    assert.ok(render("settings.totp.invalid", "settings").form.querySelector(".field-messages .msg-error"));
  });

  it("refuses a flow whose action is not on the Kratos origin", () => {
    const flow = structuredClone(fixture("login.browser").body);
    flow.ui.action = "https://evil.example.net/steal";
    browser("/login");
    assert.throws(() => renderFlowForm(flow, { kind: "login", onSubmit() {} }), /sign-in service/);
  });

  it("drops javascript: links and non-image sources", () => {
    const flow = structuredClone(fixture("verification.passed").body);
    flow.ui.nodes.find((n) => n.type === "a").attributes.href = "javascript:alert(1)";
    flow.ui.nodes.push({ type: "img", group: "default", attributes: { id: "x", src: "javascript:alert(1)", node_type: "img" }, messages: [], meta: {} });
    flow.ui.nodes.push({ type: "script", group: "default", attributes: { id: "s", src: "https://evil.example.net/x.js", node_type: "script" }, messages: [], meta: {} });
    const { form, view } = render("verification.passed", "verification", flow);
    assert.equal(form.querySelectorAll("a, img").length, 0);
    assert.equal(view.scripts.length, 0);
  });
});

describe("submitting", () => {
  it("login sends identifier, password, csrf_token and the clicked button's name/value", () => {
    const { form, submits } = render("login.browser");
    inputNamed(form, "identifier").value = "ada@example.com";
    inputNamed(form, "password").value = "secret-pass";
    form.querySelector("button[name=method]").click();
    assert.deepEqual(submits, [{
      csrf_token: inputNamed(form, "csrf_token").value, identifier: "ada@example.com", password: "secret-pass", method: "password",
    }]);
  });

  it("a required empty field blocks the submit of its own group only", () => {
    const { form, submits } = render("login.browser");
    form.querySelector("button[name=method]").click();
    assert.equal(submits.length, 0);
    assert.equal(form.ownerDocument.activeElement, inputNamed(form, "identifier"));
  });

  it("registration profile step nests traits and leaves out empty optional ones", () => {
    const { form, submits } = render("registration.browser");
    inputNamed(form, "traits.email").value = "ada@example.com";
    inputNamed(form, "traits.name.first").value = "Ada";
    form.querySelector("button[name=method]").click();
    assert.deepEqual(submits[0], { traits: { email: "ada@example.com", name: { first: "Ada" } }, csrf_token: inputNamed(form, "csrf_token").value, method: "profile" });
  });

  it("registration credential step carries the hidden traits; Back sends screen=previous", () => {
    const { form, submits } = render("registration.profile");
    inputNamed(form, "password").value = "a-long-password";
    form.querySelector("button[value=password]").click();
    form.querySelector("button[name=screen]").click();
    assert.equal(submits[0].method, "password");
    assert.equal(submits[0].password, "a-long-password");
    assert.equal(submits[0].traits.email, "ada@example.com");
    assert.equal(submits[1].screen, "previous");
    assert.equal(submits[1].password, undefined, "Back does not send the password group");
  });

  it("settings: each section submits only its own fields", () => {
    const { form, submits } = render("settings.browser", "settings");
    form.querySelector("fieldset[data-group=profile] button[name=method]").click();
    assert.deepEqual(Object.keys(submits[0]).sort(), ["csrf_token", "method", "traits"]);
    assert.equal(submits[0].traits.name.first, HOSTILE);
    inputNamed(form, "password").value = "new-password-123";
    form.querySelector("fieldset[data-group=password] button[name=method]").click();
    assert.deepEqual(submits[1], { csrf_token: submits[0].csrf_token, password: "new-password-123", method: "password" });
    form.querySelector("button[name=lookup_secret_regenerate]").click();
    assert.equal(submits[2].lookup_secret_regenerate, "true", "the value exactly as Kratos sent it");
    assert.equal(submits[2].method, undefined);
  });

  it("recovery: Resend sends the email button's value, Continue the code", () => {
    const { form, submits } = render("recovery.sent");
    form.querySelector("button[name=email]").click();
    assert.equal(submits[0].email, "ada@example.com");
    assert.equal(submits[0].method, "code");
    inputNamed(form, "code").value = "123456";
    form.querySelector("button[name=method]").click();
    assert.deepEqual(submits[1], { csrf_token: submits[0].csrf_token, code: "123456", method: "code" });
  });

  it("Enter in a field presses its own section's button", () => {
    const { form, submits, window } = render("settings.browser", "settings");
    const password = inputNamed(form, "password");
    password.value = "new-password-123";
    password.dispatchEvent(new window.KeyboardEvent("keydown", { key: "Enter", bubbles: true, cancelable: true }));
    assert.equal(submits[0].method, "password");
  });

  it("checkbox and number values are typed", () => {
    const flow = structuredClone(fixture("registration.browser").body);
    flow.ui.nodes.unshift(
      { type: "input", group: "default", attributes: { name: "traits.newsletter", type: "checkbox", value: true, node_type: "input" }, messages: [], meta: { label: { text: "News" } } },
      { type: "input", group: "default", attributes: { name: "traits.age", type: "number", node_type: "input" }, messages: [], meta: { label: { text: "Age" } } },
    );
    const { form } = render("registration.browser", "registration", flow);
    inputNamed(form, "traits.age").value = "42";
    inputNamed(form, "traits.email").value = "a@b.c";
    const body = collectBody(form, form.querySelector("button[name=method]"));
    assert.equal(body.traits.newsletter, true);
    assert.equal(body.traits.age, 42);
  });

  it("names cannot pollute object prototypes", () => {
    const flow = structuredClone(fixture("registration.browser").body);
    flow.ui.nodes.unshift({ type: "input", group: "default", attributes: { name: "__proto__.polluted", type: "hidden", value: "yes", node_type: "input" }, messages: [], meta: {} });
    const { form } = render("registration.browser", "registration", flow);
    const body = collectBody(form, form.querySelector("button[name=method]"));
    assert.equal(({}).polluted, undefined);
    assert.equal(body.polluted, undefined);
  });
});
