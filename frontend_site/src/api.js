// Kratos public API over fetch: cookies included, JSON both ways, every answer returned as data.
import { kratosUrl } from "./config.js";

const JSON_TYPE = "application/json";
// A request that takes longer than this is given up, so no page waits forever.
export const TIMEOUT_MS = 15_000;

// Thrown when Kratos cannot be reached at all (offline, DNS, CORS, proxy error page).
export class Unreachable extends Error {}
// Thrown when Kratos did not answer within TIMEOUT_MS.
export class TimedOut extends Unreachable {}

export async function send(url, body, method = body ? "POST" : "GET") {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), TIMEOUT_MS);
  let res;
  let raw;
  try {
    res = await window.fetch(url, {
      method,
      credentials: "include",
      headers: body ? { Accept: JSON_TYPE, "Content-Type": JSON_TYPE } : { Accept: JSON_TYPE },
      body: body ? JSON.stringify(body) : undefined,
      signal: abort.signal,
    });
    raw = await res.text();
  } catch (error) {
    if (abort.signal.aborted) throw new TimedOut(`no answer within ${TIMEOUT_MS} ms`);
    throw new Unreachable(String((error && error.message) || error));
  } finally {
    clearTimeout(timer);
  }
  let data = null;
  try {
    data = raw ? JSON.parse(raw) : null;
  } catch {
    data = null;
  }
  // A gateway's HTML error page means Kratos itself is down.
  if (res.status >= 500 && !(data && (data.error || data.ui))) {
    throw new Unreachable(`HTTP ${res.status}`);
  }
  return { status: res.status, data };
}

export const createFlow = (kind, params) => send(kratosUrl(`self-service/${kind}/browser`, params));
export const getFlow = (kind, id) => send(kratosUrl(`self-service/${kind}/flows`, { id }));
