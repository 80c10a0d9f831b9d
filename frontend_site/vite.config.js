// Vite build of the UI for one stack; run it through scripts/build-site.

import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { defineConfig } from "vite";
import { bootScript, withBoot } from "./build/boot.js";
import { brandCss, brandFiles, withBrand } from "./build/brand.js";
import { inlineStylesheet, withSkeleton } from "./build/first-paint.js";
import { SITE_CONFIG_FILE, builtConfig, contentSecurityPolicy, parseSiteConfig } from "./build/site-config.js";

// Pages Kratos sends browsers to get their own copy of index.html: GitHub Pages serves
// /login from login.html with status 200, skipping the 404.html redirect. Aliases
// (e.g. /register) still arrive through 404.html.
const routes = JSON.parse(readFileSync(new URL("./routes.json", import.meta.url), "utf8"));
const locales = JSON.parse(readFileSync(new URL("./locales.json", import.meta.url), "utf8"));
const ROUTE_PAGES = [...routes.flows, ...routes.pages];

// A catalogue module: src/locales/<code>.js (what login shows) or <code>-more.js (the rest).
const LOCALE_MODULE = /\/src\/locales\/(\w+)(-more)?\.js$/;
const loadPart = async (name) => (await import(`./src/locales/${name}.js`)).default;
const loadCatalogues = async (codes) =>
  Object.fromEntries(await Promise.all(codes.map(async (code) => [code, { ...(await loadPart(code)), ...(await loadPart(`${code}-more`)) }])));

function sitePlugin(site) {
  const csp = contentSecurityPolicy(site).replaceAll('"', "&quot;");
  return {
    name: "kratos-site",
    // The connection to Kratos opens while the app loads (TCP + TLS off the critical path).
    transformIndexHtml: (html) => withBrand(html.replaceAll("%SITE_CSP%", csp).replaceAll("%KRATOS_ORIGIN%", site.kratosOrigin), site.brand),
    generateBundle() {
      // GitHub Pages serves the custom domain named in CNAME.
      for (const file of brandFiles(site.brand)) this.emitFile({ type: "asset", ...file });
      if (site.customDomain) this.emitFile({ type: "asset", fileName: "CNAME", source: `${site.customDomain}\n` });
      // The config this build baked in, for the deploy check and the local stack to compare.
      this.emitFile({ type: "asset", fileName: SITE_CONFIG_FILE, source: `${JSON.stringify(builtConfig(site), null, 2)}\n` });
    },
    async writeBundle(options, bundle) {
      // The stylesheet would cost a round trip before the first paint: it goes into the page.
      const css = Object.values(bundle).find((a) => a.type === "asset" && a.fileName.endsWith(".css"));
      const index = join(options.dir, "index.html");
      // The brand's colours go into the one inline stylesheet (and so into its CSP hash).
      const styled = inlineStylesheet(readFileSync(index, "utf8"), `/${css.fileName}`, `${brandCss(site.brand)}${css.source}`);
      // The pre-paint script carries each locale's words (both parts) for the page's built-in strings.
      const catalogues = await loadCatalogues(Object.keys(locales.locales));
      const boot = (page) => withBoot(page, catalogues);
      const html = styled;
      writeFileSync(index, await boot(html));
      rmSync(join(options.dir, css.fileName));
      for (const page of ROUTE_PAGES) writeFileSync(join(options.dir, `${page}.html`), await boot(withSkeleton(html, page, site)));
    },
  };
}

export default defineConfig(() => {
  const site = parseSiteConfig(process.env.SITE_CONFIG);
  return {
    base: "/",
    define: { __KRATOS_PUBLIC_URL__: JSON.stringify(site.kratosPublicUrl), __PASSWORD_MIN_LENGTH__: JSON.stringify(site.passwordMinLength) },
    plugins: [sitePlugin(site)],
    build: {
      outDir: process.env.SITE_OUT || "dist",
      emptyOutDir: true,
      target: "es2022",
      minify: "terser",
      terserOptions: { compress: { passes: 2 } },
      modulePreload: false,
      // Catalogue chunks get a name the size benchmark and the pre-paint script can find.
      rollupOptions: { input: { index: resolve(import.meta.dirname, "index.html"), 404: resolve(import.meta.dirname, "404.html") },
        output: { chunkFileNames: (chunk) => (LOCALE_MODULE.test(chunk.facadeModuleId || "") ? "assets/locale-[name]-[hash].js" : "assets/[name]-[hash].js") } },
      assetsInlineLimit: 0,
    },
  };
});
