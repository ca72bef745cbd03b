import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, strictTransportSecurity } from "./security-headers";

describe("security headers", () => {
  it("scripts run only with the page's nonce (no unsafe-inline for scripts), and the console is never framed", () => {
    const csp = contentSecurityPolicy("abc123");
    expect(csp).toContain("script-src 'self' 'nonce-abc123' 'strict-dynamic'");
    expect(csp.split("; ").find((d) => d.startsWith("script-src"))).not.toContain("unsafe-inline");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(contentSecurityPolicy("abc123")).not.toContain("unsafe-eval");
  });

  it("asks browsers for HTTPS only when the console's URL is https", () => {
    expect(strictTransportSecurity("https://keys.example.com")).toMatch(/^max-age=\d+; includeSubDomains$/);
    expect(strictTransportSecurity("http://localhost:3000")).toBeNull();
    expect(strictTransportSecurity(undefined)).toBeNull();
  });
});
