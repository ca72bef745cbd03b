// Owns callbackUrl sanitising: only same-origin relative paths survive, so sign-in cannot redirect off-site.
export function safeCallbackUrl(value: unknown, fallback = "/"): string {
  if (typeof value !== "string" || value.length === 0 || value.length > 2048) return fallback;
  // Must be a path on this origin: "/x" but not "//host", "/\host" or anything with a scheme.
  if (!value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return fallback;
  if (/[\u0000-\u001f\\]/.test(value)) return fallback;
  try {
    const url = new URL(value, "http://latchkey.invalid");
    if (url.origin !== "http://latchkey.invalid") return fallback;
    return url.pathname + url.search + url.hash;
  } catch {
    return fallback;
  }
}
