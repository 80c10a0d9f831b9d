// Static guarantees: no HTML sinks anywhere, and a production build that only talks to Kratos.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { withSkeleton } from "../build/first-paint.js";
import { contentSecurityPolicy, parseSiteConfig } from "../build/site-config.js";

const SITE = join(dirname(fileURLToPath(import.meta.url)), "..");
const SINKS = /\b(innerHTML|outerHTML|insertAdjacentHTML|document\.write(ln)?|eval\s*\(|new Function\b|setHTMLUnsafe|parseFromString|createContextualFragment)/;
const BRAND = {
  productName: "Example & Co", logo: "https://cdn.example.net/logo.svg", favicon: "frontend_site/brand/favicon.svg",
  primaryColor: "#0b5cad", onPrimaryColor: "#ffffff", supportUrl: "mailto:help@example.com", termsUrl: "https://example.com/terms", privacyUrl: null,
};
const FIELDS = [
  { name: "traits.email", type: "email", label: "E-Mail", required: true },
  { name: "traits.name.first", type: "text", label: '<img src=x onerror="alert(1)">', required: false },
  { name: "traits.newsletter", type: "checkbox", label: "News & offers", required: false },
];
const CONFIG = { kratosPublicUrl: "https://auth.example.com/", uiOrigin: "https://ui.example.com", customDomain: "ui.example.com", registrationFields: FIELDS,
  passwordMinLength: 10, brand: BRAND };

const files = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));

describe("source", () => {
  it("never writes HTML from strings", () => {
    const sources = files(join(SITE, "src")).filter((f) => f.endsWith(".js"));
    assert.ok(sources.length >= 8);
    for (const file of sources) assert.doesNotMatch(readFileSync(file, "utf8"), SINKS, file);
  });

  it("index.html and 404.html have no inline script", () => {
    for (const page of ["index.html", "404.html"]) {
      const html = readFileSync(join(SITE, page), "utf8");
      for (const tag of html.match(/<script\b[^>]*>/g) || []) assert.match(tag, /\bsrc=/, `${page}: ${tag}`);
    }
  });
});

describe("site config", () => {
  it("CSP allows only self and the Kratos origin", () => {
    const csp = contentSecurityPolicy(parseSiteConfig(JSON.stringify(CONFIG)));
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self' https:\/\/auth\.example\.com(;|$)/);
    assert.match(csp, /connect-src 'self' https:\/\/auth\.example\.com(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
  });

  it("refuses missing or bad settings with the fix in the message", () => {
    assert.throws(() => parseSiteConfig(undefined), /scripts\/build-site/);
    assert.throws(() => parseSiteConfig(JSON.stringify({ ...CONFIG, kratosPublicUrl: "javascript:alert(1)" })), /kratosPublicUrl/);
    assert.throws(() => parseSiteConfig(JSON.stringify({ ...CONFIG, customDomain: "a/b" })), /customDomain/);
    assert.throws(() => parseSiteConfig(JSON.stringify({ ...CONFIG, passwordMinLength: "8" })), /passwordMinLength = "8".*Fix/);
    assert.throws(() => parseSiteConfig(JSON.stringify({ ...CONFIG, brand: { ...BRAND, primaryColor: "red" } })), /brand\.primaryColor = "red".*Fix/);
    assert.throws(() => parseSiteConfig(JSON.stringify({ ...CONFIG, brand: { ...BRAND, termsUrl: "javascript:x" } })), /brand\.termsUrl.*Fix/);
    const badField = { ...FIELDS[0], name: 'traits.x"><script>' };
    assert.throws(() => parseSiteConfig(JSON.stringify({ ...CONFIG, registrationFields: [badField] })), /registrationFields/);
  });

  it("an https logo's origin, and only that, joins img-src", () => {
    assert.match(contentSecurityPolicy(parseSiteConfig(JSON.stringify(CONFIG))), /img-src 'self' data: https:\/\/cdn\.example\.net;/);
  });
});

describe("production build", () => {
  let out;
  before(() => {
    out = mkdtempSync(join(tmpdir(), "site-"));
    const vite = join(SITE, "node_modules", ".bin", "vite");
    const res = spawnSync(vite, ["build", "--logLevel", "error"], {
      cwd: SITE, env: { ...process.env, SITE_CONFIG: JSON.stringify(CONFIG), SITE_OUT: out }, encoding: "utf8",
    });
    assert.equal(res.status, 0, res.stderr);
  });
  after(() => rmSync(out, { recursive: true, force: true }));

  it("bundle has no HTML sinks and names no host but Kratos", () => {
    for (const file of files(out).filter((f) => /\.(js|css|html)$/.test(f))) {
      const body = readFileSync(file, "utf8");
      assert.doesNotMatch(body, SINKS, file);
      const hosts = new Set([...body.matchAll(/https?:\/\/([a-z0-9.-]+)/gi)].map((m) => m[1]));
      // Kratos, SVG's namespace, and the brand's own logo and links.
      const allowed = ["auth.example.com", "www.w3.org", "cdn.example.net", "example.com"];
      for (const host of hosts) assert.ok(allowed.includes(host), `${file} names ${host}`);
    }
  });

  it("pages carry the CSP meta tag; their one inline script (the pre-paint locale) is admitted by its hash", () => {
    for (const page of ["index.html", "login.html", "404.html"]) {
      const html = readFileSync(join(out, page), "utf8");
      assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self' https:\/\/auth\.example\.com( 'sha256-[\w+/=]+')?;/);
      const inline = [...html.matchAll(/<script>(.*?)<\/script>/gs)].map((m) => m[1]);
      assert.equal(inline.length, page === "404.html" ? 0 : 1, page);
      for (const script of inline) assert.ok(html.includes(`'sha256-${createHash("sha256").update(script).digest("base64")}'`), page);
      for (const tag of html.match(/<script\b[^>]*src=[^>]*>/g) || []) assert.match(tag, /src="\/assets\//);
    }
  });

  it("the stylesheet is inline, admitted by its hash alone, and no page links one", () => {
    for (const page of ["index.html", "login.html", "settings.html"]) {
      const html = readFileSync(join(out, page), "utf8");
      const css = html.match(/<style>([^<]*)<\/style>/)[1];
      const hash = createHash("sha256").update(css).digest("base64");
      assert.ok(html.includes(`style-src 'self' 'sha256-${hash}'`), page);
      assert.doesNotMatch(html, /rel="stylesheet"|unsafe-inline/);
    }
  });

  it("login.html can be typed into before any script runs; other pages show no form", () => {
    const login = readFileSync(join(out, "login.html"), "utf8");
    assert.match(login, /data-skeleton="login".*<input id="skeleton-identifier" name="identifier"[^>]*autofocus/);
    assert.doesNotMatch(login, /<form/, "nothing to submit before the flow exists");
    for (const page of ["index.html", "settings.html"]) {
      assert.doesNotMatch(readFileSync(join(out, page), "utf8"), /data-skeleton/, page);
    }
  });

  it("registration.html carries the schema's trait fields as text, no password, no form", () => {
    const html = readFileSync(join(out, "registration.html"), "utf8");
    const names = [...html.matchAll(/<input id="skeleton-[\w-]+" name="([\w.]+)"/g)].map((m) => m[1]);
    assert.deepEqual(names, ["traits.email", "traits.name.first", "traits.newsletter"]);
    assert.match(html, /name="traits\.email" type="email" autocomplete="email" autofocus>/);
    assert.match(html, /&lt;img src=x onerror=&quot;alert\(1\)&quot;&gt;/);
    // The brand's logo is the only image; the hostile label above stayed text.
    assert.doesNotMatch(html.replace('<img src="https://cdn.example.net/logo.svg" alt="" height="32">', ""), /<img|<form|type="password"/);
    assert.match(html, /<input[^>]*name="traits\.newsletter" type="checkbox" value="true">[^]*News &amp; offers/);
  });

  it("without sign-up, registration.html has no fields", () => {
    const page = withSkeleton("<main id=\"app\" tabindex=\"-1\"></main>", "registration", parseSiteConfig(JSON.stringify({ ...CONFIG, registrationFields: null })));
    assert.doesNotMatch(page, /data-skeleton/);
  });

  it("route pages preconnect to Kratos, the one other origin they talk to", () => {
    const html = readFileSync(join(out, "login.html"), "utf8");
    assert.match(html, /<link rel="preconnect" href="https:\/\/auth\.example\.com" crossorigin="use-credentials">/);
  });

  it("writes CNAME with the custom domain and the 404 fallback", () => {
    assert.equal(readFileSync(join(out, "CNAME"), "utf8").trim(), "ui.example.com");
    assert.match(readFileSync(join(out, "404.html"), "utf8"), /src="\/assets\/404-[\w-]+\.js"/);
  });

  it("gives every page Kratos sends browsers to its own copy of index.html (login's and registration's with their fields)", () => {
    const index = readFileSync(join(out, "index.html"), "utf8");
    for (const page of ["login", "registration", "verification", "recovery", "settings", "sessions", "logout", "error"]) {
      const strip = (html) => html.replace(/<script>.*?<\/script>\n/s, "").replace(/ 'sha256-[\w+/=]+';/, ";");
      assert.equal(strip(readFileSync(join(out, `${page}.html`), "utf8")), strip(withSkeleton(index, page, CONFIG)), page);
    }
  });

  it("brands every page: name, favicon file, logo, links, colours in the hashed stylesheet", () => {
    const html = readFileSync(join(out, "login.html"), "utf8");
    assert.match(html, /<title>Example &#38; Co<\/title>/);
    assert.match(html, /<link rel="icon" href="\/brand\/favicon\.svg">/);
    assert.ok(readFileSync(join(out, "brand", "favicon.svg"), "utf8").startsWith("<svg"));
    assert.match(html, /<header class="brand"><img src="https:\/\/cdn\.example\.net\/logo\.svg" alt="" height="32"><span>Example &#38; Co<\/span><\/header>/);
    assert.match(html, /<footer class="brand-links"><a href="mailto:help@example\.com" data-t="support">Support<\/a><a href="https:\/\/example\.com\/terms" data-t="terms">Terms<\/a><\/footer>/);
    assert.match(html, /<style>:root\{--brand:#0b5cad;--on-brand:#ffffff\}/);
    assert.deepEqual(JSON.parse(readFileSync(join(out, "site-config.json"), "utf8")), CONFIG);
  });

  it("bakes in the Kratos URL from the settings", () => {
    const js = files(out).filter((f) => f.endsWith(".js")).map((f) => readFileSync(f, "utf8")).join("\n");
    assert.ok(js.includes("https://auth.example.com/"));
  });
});
