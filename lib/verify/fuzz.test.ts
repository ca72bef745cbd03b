import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerVerify } from "./endpoint";
import { generateToken } from "@/lib/keys/token";
import { makeTeam } from "@/test/factories";
import { createKey } from "@/lib/keys/lifecycle";

// A small deterministic PRNG, so a failure can be replayed from its seed.
function rng(seed: number) {
  return () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
}

describe("verify endpoint fuzz", () => {
  const rejections: unknown[] = [];
  const onRejection = (e: unknown) => rejections.push(e);
  beforeAll(() => void process.on("unhandledRejection", onRejection));
  afterAll(() => void process.off("unhandledRejection", onRejection));

  it("10,000 random bodies and headers: never a 5xx, always JSON, no unhandled rejection", async () => {
    const { ctx } = await makeTeam();
    const { token } = await createKey(await ctx("owner"), { name: "fuzz target", rules: "allow GET /x/**", ipAllowlist: "10.0.0.0/8" });
    const rand = rng(20261122);
    const pick = <T,>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];
    const junk = (): unknown =>
      pick<() => unknown>([
        () => null,
        () => rand() * 1e6,
        () => -0,
        () => true,
        () => "x".repeat(Math.floor(rand() * 300)),
        () => "\u0000\ud800💥",
        () => [junk(), junk()],
        () => ({ [String(rand())]: junk() }),
        () => token,
        () => generateToken("public", "staging"),
        () => token.slice(0, -1) + "A",
        () => "sk_prod_",
      ])();
    const fields = ["key", "environment", "permissions", "method", "path", "ip", "__proto__", "constructor"];
    const texts = () =>
      pick<() => string>([
        () => JSON.stringify(Object.fromEntries(fields.filter(() => rand() < 0.5).map((f) => [f, junk()]))),
        () => JSON.stringify({ key: token, environment: pick(["production", "staging", "x", 1]), permissions: pick([["a:b"], "a", [1], []]), method: pick(["GET", "get", "G E T", 7]), path: pick(["/x/1", "x", "/" + "y".repeat(3000)]) }),
        () => JSON.stringify(junk()),
        () => String.fromCharCode(...Array.from({ length: Math.floor(rand() * 64) }, () => Math.floor(rand() * 256))),
        () => "{" + "\"a\":".repeat(50),
        () => "",
      ])();
    for (let i = 0; i < 10_000; i++) {
      const out = await answerVerify({
        body: texts(),
        contentType: pick(["application/json", "application/json; charset=utf-8", "text/plain", null, "APPLICATION/JSON", ""]),
        clientIp: pick(["10.1.2.3", "::1", "not-an-ip", null, "203.0.113.9"]),
        authorization: pick([null, "", "Bearer", `Bearer ${token}`, "Bearer sk_prod_nope", "Basic abc", `Bearer ${"z".repeat(1000)}`]),
      });
      expect(out.status, `iteration ${i}`).toBeLessThan(500);
      expect(() => JSON.parse(out.body), `iteration ${i}`).not.toThrow();
    }
    await new Promise((r) => setTimeout(r, 50));
    expect(rejections).toEqual([]);
  }, 120_000);
});
