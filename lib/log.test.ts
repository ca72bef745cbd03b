import { describe, expect, it } from "vitest";
import { Writable } from "node:stream";
import { createLogger, requestIdFrom } from "./log";

describe("logs", () => {
  it("take the caller's request id only when it is a sane token", () => {
    const make = () => "generated";
    expect(requestIdFrom("abc-123_x.y", make)).toBe("abc-123_x.y");
    expect(requestIdFrom(["first", "second"], make)).toBe("first");
    for (const bad of [undefined, "", "has space", "x".repeat(65), "line\nbreak", "sk_prod_<script>"]) expect(requestIdFrom(bad, make)).toBe("generated");
  });

  it("redact tokens, hashes and Authorization headers should one reach a log line", () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (c, _e, done) => (lines.push(String(c)), done()) });
    const logger = createLogger(sink);
    logger.info({ token: "sk_prod_secret", req: { authorization: "Bearer sk_prod_secret" }, hash: "abc", key: "sk_prod_secret" }, "request");
    expect(lines.join("")).not.toContain("sk_prod_secret");
    expect(lines.join("")).toContain("[redacted]");
    expect(JSON.parse(lines[0])).toMatchObject({ level: "info", name: "latchkey", msg: "request" });
  });
});
