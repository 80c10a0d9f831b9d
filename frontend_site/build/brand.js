// The stack's brand, put into every page at build time: title, favicon, logo, colours and links.
// Values come checked from stack_settings (contrast, files, links); this only re-checks shapes.
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import en from "./english.js";
import { SiteConfigError } from "./site-config.js";

const REPO = join(import.meta.dirname, "..", "..");
const COLOUR = /^#[0-9a-f]{6}$/i;
// Link labels are catalogue keys (data-t): the page shows them in the chosen language.
const LINKS = [["supportUrl", "support"], ["termsUrl", "terms"], ["privacyUrl", "privacy"]];
const escape = (value) => String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function fail(key, value, fix) {
  throw new SiteConfigError(`brand.${key} = ${JSON.stringify(value)} ${fix}`);
}

export function parseBrand(brand) {
  if (!brand || typeof brand !== "object") fail("", brand, "is missing. Fix: build from `python -m stack_settings ui-build-config`.");
  if (!String(brand.productName || "").trim()) fail("productName", brand.productName, "is empty. Fix: set brand.productName in the stack settings.");
  for (const key of ["primaryColor", "onPrimaryColor"]) {
    if (!COLOUR.test(brand[key] || "")) fail(key, brand[key], "is not #rrggbb. Fix: set brand.primaryColor in the stack settings.");
  }
  for (const [key] of LINKS) {
    if (brand[key] != null && !/^(https:\/\/|mailto:)/.test(brand[key])) fail(key, brand[key], "is not an https: or mailto: link. Fix: check the stack settings.");
  }
  for (const key of ["logo", "favicon"]) {
    const value = brand[key];
    if (value != null && !value.startsWith("https://") && (value.startsWith("/") || value.split("/").includes(".."))) {
      fail(key, value, "is neither https nor a repository path. Fix: check the stack settings.");
    }
  }
  return brand;
}

// A repository file becomes /brand/<name> in the site; an https URL stays as it is.
const assetUrl = (value) => (value.startsWith("https://") ? value : `/brand/${basename(value)}`);

export function brandFiles(brand) {
  return ["logo", "favicon"]
    .map((key) => brand[key])
    .filter((value) => value && !value.startsWith("https://"))
    .map((value) => ({ fileName: `brand/${basename(value)}`, source: readFileSync(join(REPO, value)) }));
}

// Origins of https logo or favicon, for the CSP's img-src.
export const brandOrigins = (brand) =>
  [brand.logo, brand.favicon].filter((v) => v && v.startsWith("https://")).map((v) => new URL(v).origin);

export const brandCss = (brand) => `:root{--brand:${brand.primaryColor};--on-brand:${brand.onPrimaryColor}}`;

export function withBrand(html, brand) {
  const name = escape(brand.productName);
  const logo = brand.logo ? `<img src="${escape(assetUrl(brand.logo))}" alt="" height="32">` : "";
  const links = LINKS.filter(([key]) => brand[key]).map(([key, label]) => `<a href="${escape(brand[key])}" data-t="${label}">${en[label]}</a>`);
  return html
    .replace("<title>Account</title>", `<title>${name}</title>`)
    .replace('<link rel="icon" href="data:,">', `<link rel="icon" href="${escape(assetUrl(brand.favicon))}">`)
    .replace('<main id="app"', `<header class="brand">${logo}<span>${name}</span></header><main id="app"`)
    .replace("</main>", links.length ? `</main><footer class="brand-links">${links.join("")}</footer>` : "</main>");
}
