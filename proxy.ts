// Next.js proxy (runs before every page): a fresh CSP nonce per request, passed to the render
// through the request's own CSP header (Next.js stamps it on its scripts) and `x-nonce`.
import { NextResponse, type NextRequest } from "next/server";
import { contentSecurityPolicy, strictTransportSecurity } from "@/lib/http/security-headers";

export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const csp = contentSecurityPolicy(nonce, process.env.NODE_ENV !== "production");
  const headers = new Headers(request.headers);
  headers.set("x-nonce", nonce);
  headers.set("Content-Security-Policy", csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("Content-Security-Policy", csp);
  const hsts = strictTransportSecurity(process.env.AUTH_URL);
  if (hsts) response.headers.set("Strict-Transport-Security", hsts);
  return response;
}

export const config = {
  // Pages only: the API answers JSON (its headers come from next.config.ts), static files carry no script.
  matcher: [{ source: "/((?!api/|_next/static|_next/image|favicon.ico).*)", missing: [{ type: "header", key: "next-router-prefetch" }] }],
};
