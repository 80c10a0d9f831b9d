// The one inline script of a page (admitted by its hash in the CSP): before the first paint it
// applies the kept theme, picks the locale (kept choice, else the browser's preferences: the
// app's own negotiate()), sets <html lang dir> and puts the page's built-in strings (data-t:
// skip link, footer, first-paint form) into that language. The app reads the choice back from
// <html lang>.
import { createHash } from "node:crypto";
import { minify } from "terser";
import locales from "../locales.json" with { type: "json" };
import { negotiate } from "../src/negotiate.js";

// catalogues: {code: the locale's login catalogue}.
export function bootScript(keys, catalogues) {
  const dirs = Object.fromEntries(Object.entries(locales.locales).map(([code, l]) => [code, l.dir]));
  // English is what the page was built with: only the other locales' words for this page's keys.
  const strings = Object.fromEntries(Object.keys(catalogues).filter((code) => code !== locales.default)
    .map((code) => [code, Object.fromEntries(keys.map((k) => [k, catalogues[code][k]]))]));
  return (
    `(function(){var D=${JSON.stringify(dirs)},T=${JSON.stringify(strings)},k,e=document.documentElement;` +
    // The kept theme too (src/theme.js), so a page never paints in the other one first.
    'try{k=localStorage.getItem("locale");var m=localStorage.getItem("theme");' +
    'if(m=="light"||m=="dark")e.dataset.theme=m}catch(x){}' +
    `var l=(${negotiate.toString().replace(/\n\s*/g, "")})(k,navigator.languages||[navigator.language],Object.keys(D)),s=T[l]||{};` +
    'e.lang=l;e.dir=D[l];' +
    'document.querySelectorAll("[data-t]").forEach(function(n){var v=s[n.getAttribute("data-t")];if(v)n.textContent=v})})()'
  );
}

// The page's script goes last in <body> (its data-t elements exist by then), its hash into script-src.
export async function withBoot(html, catalogues) {
  const keys = [...new Set([...html.matchAll(/data-t="(\w+)"/g)].map((m) => m[1]))];
  const script = (await minify(bootScript(keys, catalogues), { compress: { passes: 2 } })).code;
  const hash = createHash("sha256").update(script).digest("base64");
  return html
    .replace(/(script-src 'self'[^;"]*)/, (csp) => `${csp} 'sha256-${hash}'`)
    .replace("</body>", () => `<script>${script}</script>\n</body>`);
}
