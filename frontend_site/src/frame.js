// GitHub Pages cannot send X-Frame-Options or frame-ancestors, so the app checks who frames it
// (src/refuse-frame.js, loaded only then, draws the page that refuses).

export function framedByOtherSite(win) {
  if (win.top === win.self) return false;
  try {
    return win.top.location.origin !== win.location.origin;
  } catch {
    // Reading a foreign top window's location throws: another site framed us.
    return true;
  }
}
