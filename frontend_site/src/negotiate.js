// Which supported locale to show: the kept choice, else the browser's first preference we have
// (a regional tag such as de-AT counts as its language), else the first supported one.
// Self-contained on purpose: the build also inlines it as the pre-paint script (build/boot.js).
export function negotiate(kept, preferred, supported) {
  if (supported.indexOf(kept) >= 0) return kept;
  for (var i = 0; i < preferred.length; i++) {
    var tag = String(preferred[i]).toLowerCase();
    if (supported.indexOf(tag) >= 0) return tag;
    if (supported.indexOf(tag.split("-")[0]) >= 0) return tag.split("-")[0];
  }
  return supported[0];
}
