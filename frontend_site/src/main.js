// Entry point: refuse to run inside another site's frame, undo the GitHub Pages 404 redirect, start.
import "./style.css";
import { framedByOtherSite } from "./frame.js";
import { chooseLocale, loadAllOrNot, useLocale } from "./i18n.js";
import { languageSwitcher } from "./language.js";
import { render, start } from "./router.js";
import { restoreRoute } from "./spa-route.js";
import { themeSwitcher } from "./theme.js";

// The catalogue loads while the page asks Kratos for its flow; nothing is drawn before it is in.
const ready = useLocale(window, chooseLocale(window));
if (framedByOtherSite(window)) {
  Promise.all([import(("./refuse-frame.js")), ready.then(loadAllOrNot)]).then(([m]) => m.refuseFrame(window));
} else {
  restoreRoute(window.location, window.history);
  start();
  ready.then(() => {
    themeSwitcher(window);
    languageSwitcher(window, render);
  });
}
