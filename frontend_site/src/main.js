// Entry point: undo the GitHub Pages 404 redirect, then start the router.
import "./style.css";
import { start } from "./router.js";
import { restoreRoute } from "./spa-route.js";

restoreRoute(window.location, window.history);
start();
