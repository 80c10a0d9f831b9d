// routes.json is the one route list: the router serves each entry and the flow controller knows each flow.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { browser, kratos, until } from "./helpers.js";

const routes = JSON.parse(readFileSync(new URL("../routes.json", import.meta.url), "utf8"));
const { FLOW_PARAMS } = await import("../src/flow.js");
const { start } = await import("../src/router.js");

describe("routes.json", () => {
  it("names exactly the flows the controller knows how to create", () => {
    assert.deepEqual(Object.keys(FLOW_PARAMS).sort(), [...routes.flows].sort());
  });

  for (const page of [...routes.flows, ...routes.pages]) {
    it(`/${page} is a page of the app, not the not-found page`, async () => {
      const { window, document } = browser(`/${page}`);
      kratos(window, []); // every Kratos call fails: the page draws its own answer, offline
      await start();
      await until(() => !document.getElementById("app").hasAttribute("aria-busy"), "a drawn page");
      assert.notEqual(document.querySelector("h1")?.textContent, "Page not found");
    });
  }
});
