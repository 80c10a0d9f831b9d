// Build-time settings: Vite's `define` bakes in the Kratos public URL of the stack being built.
/* global __KRATOS_PUBLIC_URL__, __PASSWORD_MIN_LENGTH__ */
export const kratosBase = __KRATOS_PUBLIC_URL__;
export const kratosOrigin = new URL(kratosBase).origin;

export function kratosUrl(path, params) {
  const url = new URL(path, kratosBase);
  for (const [key, value] of Object.entries(params || {})) {
    if (value != null && value !== "") url.searchParams.set(key, value);
  }
  return url.href;
}
// Kratos's minimum password length, from the rendered config: shown before the first error.
export const passwordMinLength = __PASSWORD_MIN_LENGTH__;
