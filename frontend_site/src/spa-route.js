// GitHub Pages fallback: 404.html (fallback.js) sends unknown paths to "/?route=<path+query+hash>".
export const ROUTE_PARAM = "route";

// Run before the router: put the original path back in the address bar, same origin only.
export function restoreRoute(location, history) {
  if (location.pathname !== "/") return false;
  const query = new URLSearchParams(location.search);
  const route = query.get(ROUTE_PARAM);
  if (route === null || [...query.keys()].length !== 1) return false;
  const url = new URL(route, location.origin);
  if (!route.startsWith("/") || url.origin !== location.origin) return false;
  history.replaceState(null, "", url.pathname + url.search + url.hash);
  return true;
}
