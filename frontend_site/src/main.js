// Entry point: refuse to run inside another site's frame, undo the GitHub Pages 404 redirect, start.
import "./style.css";
import { framedByOtherSite, refuseFrame } from "./frame.js";
import { start } from "./router.js";
import { restoreRoute } from "./spa-route.js";
import { themeSwitcher } from "./theme.js";

if (framedByOtherSite(window)) {
  refuseFrame(window);
} else {
  restoreRoute(window.location, window.history);
  themeSwitcher(window);
  start();
}
