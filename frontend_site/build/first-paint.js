// What a route page shows before any script runs: the stylesheet inline (allowed by its hash in
// the CSP) and, for /login, the identifier field, so the user can type while the flow loads.
import { createHash } from "node:crypto";

// The app adopts this field's value and focus when Kratos's login form arrives (src/flow.js).
const SKELETONS = {
  login:
    '<h1>Sign in</h1><div class="flow" data-skeleton="login"><div class="field">' +
    '<label for="skeleton-identifier">Email</label>' +
    '<input id="skeleton-identifier" name="identifier" type="text" autocomplete="username" autofocus></div>' +
    '<div class="actions"><button type="button" class="primary" disabled>Sign in</button></div></div>',
};

// One <link rel=stylesheet> becomes a <style>, and the CSP admits exactly that text.
export function inlineStylesheet(html, href, css) {
  const link = new RegExp(`<link rel="stylesheet"[^>]*href="${href}"[^>]*>`);
  if (!link.test(html)) throw new Error(`no stylesheet link to ${href} in the page`);
  const hash = createHash("sha256").update(css).digest("base64");
  return html
    .replace(link, () => `<style>${css}</style>`)
    .replace("style-src 'self'", `style-src 'self' 'sha256-${hash}'`);
}

export function withSkeleton(html, page) {
  const skeleton = SKELETONS[page];
  return skeleton ? html.replace('<main id="app" tabindex="-1">', `<main id="app" tabindex="-1">${skeleton}`) : html;
}
