import { describe, expect, it } from "vitest";
import { safeCallbackUrl } from "./redirect";

describe("safeCallbackUrl", () => {
  it("keeps same-origin paths with their query and hash", () => {
    expect(safeCallbackUrl("/orgs/acme/settings?tab=1#x")).toBe("/orgs/acme/settings?tab=1#x");
    expect(safeCallbackUrl("/invite/inv_abc")).toBe("/invite/inv_abc");
  });

  it.each([
    "https://evil.example/",
    "//evil.example/path",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    "/%0d%0aSet-Cookie:x",
    "/\tevil",
    "",
    42,
    undefined,
  ])("refuses %s", (value) => {
    const out = safeCallbackUrl(value);
    expect(out.startsWith("/")).toBe(true);
    expect(out.startsWith("//")).toBe(false);
    expect(new URL(out, "http://app.local").origin).toBe("http://app.local");
  });

  it("falls back to the given default", () => {
    expect(safeCallbackUrl("https://evil.example", "/home")).toBe("/home");
  });
});
