// Reads the UI build config (JSON from `python -m stack_settings ui-build-config` or a file)
// and derives what the build bakes in: the Kratos URL and the Content-Security-Policy.

import { brandOrigins, parseBrand } from "./brand.js";

export class SiteConfigError extends Error {}

function absoluteUrl(value, key) {
  let url;
  try {
    url = new URL(value);
  } catch {
    throw new SiteConfigError(`${key} = ${JSON.stringify(value)} is not an absolute URL. Fix: check the stack settings.`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new SiteConfigError(`${key} = ${JSON.stringify(value)} must be http(s). Fix: check the stack settings.`);
  }
  return url;
}

export function parseSiteConfig(raw) {
  if (!raw) {
    throw new SiteConfigError(
      "SITE_CONFIG is not set. Fix: build with `scripts/build-site --stack <name> --out DIR` " +
        "(or --config FILE), which passes the UI build config to Vite.",
    );
  }
  let data;
  try {
    data = JSON.parse(raw);
  } catch {
    throw new SiteConfigError(`SITE_CONFIG is not JSON: ${raw.slice(0, 80)}`);
  }
  const kratos = absoluteUrl(data.kratosPublicUrl, "kratosPublicUrl");
  const ui = absoluteUrl(data.uiOrigin, "uiOrigin");
  const domain = data.customDomain ?? null;
  if (domain !== null && !/^[a-z0-9.-]+$/i.test(domain)) {
    throw new SiteConfigError(`customDomain = ${JSON.stringify(domain)} is not a host name.`);
  }
  const base = kratos.href.endsWith("/") ? kratos.href : `${kratos.href}/`;
  const minLength = data.passwordMinLength;
  if (!Number.isInteger(minLength) || minLength < 1) {
    throw new SiteConfigError(`passwordMinLength = ${JSON.stringify(minLength)} is not a positive whole number. Fix: build from \`python -m stack_settings ui-build-config\`.`);
  }
  const brand = parseBrand(data.brand);
  const registrationFields = parseFields(data.registrationFields ?? null);
  return { kratosPublicUrl: base, kratosOrigin: kratos.origin, uiOrigin: ui.origin, customDomain: domain, passwordMinLength: minLength, brand, registrationFields };
}

// The fields of Kratos's first registration form (stack_settings/ui_build.py), or null.
const FIELD_TYPES = new Set(["text", "email", "tel", "checkbox"]);
function parseFields(fields) {
  if (fields === null) return null;
  const valid = (f) =>
    f && /^traits(\.\w+)+$/.test(f.name) && FIELD_TYPES.has(f.type) && typeof f.label === "string" && typeof f.required === "boolean";
  if (!Array.isArray(fields) || !fields.every(valid)) {
    throw new SiteConfigError(`registrationFields = ${JSON.stringify(fields).slice(0, 120)} is not a list of {name, type, label, required}.`);
  }
  return fields.map(({ name, type, label, required }) => ({ name, type, label, required }));
}

// Written next to the built site (stack_settings/ui_build.py names the same file).
export const SITE_CONFIG_FILE = "site-config.json";

// The config as baked in, in the shape the stack's uiBuild output has.
export function builtConfig(site) {
  const { kratosPublicUrl, uiOrigin, customDomain, passwordMinLength, brand, registrationFields } = site;
  return { kratosPublicUrl, uiOrigin, customDomain, passwordMinLength, brand, registrationFields };
}

// Only this site and Kratos: API calls, Kratos's WebAuthn helper script and the forms it submits.
export function contentSecurityPolicy(site) {
  const k = site.kratosOrigin;
  return [
    "default-src 'none'",
    `script-src 'self' ${k}`,
    "style-src 'self'",
    ["img-src 'self' data:", ...new Set(brandOrigins(site.brand))].join(" "),
    `connect-src 'self' ${k}`,
    `form-action 'self' ${k}`,
    "base-uri 'none'",
    "object-src 'none'",
  ].join("; ");
}
