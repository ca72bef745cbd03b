// Owns the console's security headers: a per-request nonce Content-Security-Policy (scripts run
// only with the nonce Next.js stamps on its own), no framing (clickjacking "Revoke"), and the
// referrer, MIME-sniffing and browser-feature policies. Web-standard only: proxy.ts applies them.

/** The Content-Security-Policy for a page rendered with `nonce`. */
export function contentSecurityPolicy(nonce: string, dev = false): string {
  return [
    "default-src 'self'",
    // 'strict-dynamic': scripts loaded by a nonce'd script are trusted; nothing else runs.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // React and the charts set style attributes, which a nonce cannot cover.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${dev ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    // Sign-in with GitHub or Google continues on their pages.
    "form-action 'self' https://github.com https://accounts.google.com",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** Headers every response of the console carries (the CSP is added per page, with its nonce). */
export const SECURITY_HEADERS: Record<string, string> = {
  "X-Frame-Options": "DENY",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
  "Cross-Origin-Opener-Policy": "same-origin",
};

/** HSTS when the console's public URL is https (never on plain http, where it would be ignored or lock out a dev setup). */
export function strictTransportSecurity(authUrl: string | undefined): string | null {
  return authUrl?.startsWith("https://") ? "max-age=63072000; includeSubDomains" : null;
}
