// Loaded by 404.html only: carry the requested path, query and hash into the app, where
// spa-route.js restores them. Self-contained so the login page loads no shared chunk.
const { pathname, search, hash } = window.location;
window.location.replace(`/?${new URLSearchParams({ route: pathname + search + hash })}`);
