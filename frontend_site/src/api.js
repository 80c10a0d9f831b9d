// Kratos public API over fetch: cookies included, JSON both ways, every answer returned as data.
import { kratosUrl } from "./config.js";

const JSON_TYPE = "application/json";

// Thrown when Kratos cannot be reached at all (offline, DNS, CORS, proxy error page).
export class Unreachable extends Error {}

export async function send(url, body) {
  let res;
  try {
    res = await window.fetch(url, {
      method: body ? "POST" : "GET",
      credentials: "include",
      headers: body ? { Accept: JSON_TYPE, "Content-Type": JSON_TYPE } : { Accept: JSON_TYPE },
      body: body ? JSON.stringify(body) : undefined,
    });
  } catch (error) {
    throw new Unreachable(String((error && error.message) || error));
  }
  let data = null;
  try {
    const raw = await res.text();
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
export const whoami = () => send(kratosUrl("sessions/whoami"));
export const createLogout = (params) => send(kratosUrl("self-service/logout/browser", params));
export const getError = (id) => send(kratosUrl("self-service/errors", { id }));
