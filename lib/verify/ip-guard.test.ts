import { beforeEach, describe, expect, it } from "vitest";
import { createKey } from "@/lib/keys/lifecycle";
import { generateToken } from "@/lib/keys/token";
import { makeTeam } from "@/test/factories";
import { answerVerify, type RawVerifyAnswer } from "./endpoint";
import { chargeFailure, resetIpGuard } from "./ip-guard";
import { env } from "../env";

const call = (key: string, clientIp: string, authorization: string | null = null) =>
  answerVerify({ body: JSON.stringify({ key }), contentType: "application/json", clientIp, authorization });
const code = (a: RawVerifyAnswer) => (a.status === 200 ? (JSON.parse(a.body) as { code: string }).code : a.status);

beforeEach(() => resetIpGuard());

describe("self-protection against guessing", () => {
  it("a token bucket per address: refuses past the budget, refills, other addresses unaffected", () => {
    const t = 1_000_000;
    let allowed = 0;
    for (let i = 0; i < 10; i++) if (chargeFailure("198.18.0.1", 5, t)) allowed++;
    expect(allowed).toBe(5);
    expect(chargeFailure("198.18.0.1", 5, t + 1000)).toBe(true);
    expect(chargeFailure("198.18.1.1", 5, t)).toBe(true);
    expect(chargeFailure("198.18.0.1", 0, t)).toBe(true); // 0 turns the guard off
  });

  it("an address guessing 10,000 well-formed tokens gets 429, while valid keys from it keep answering VALID", async () => {
    const { ctx } = await makeTeam();
    const { token } = await createKey(await ctx("owner"), { name: "real" });
    const ip = "203.0.113.99";
    const budget = env().VERIFY_MAX_FAILURES_PER_IP;
    const counts: Record<string, number> = {};
    let refused: RawVerifyAnswer | undefined;
    const started = Date.now();
    for (let round = 0; round < 20; round++) {
      const answers = await Promise.all([
        ...Array.from({ length: 500 }, () => call(generateToken("secret", "production"), ip)),
        ...Array.from({ length: 50 }, () => call(token, ip)),
        call("sk_prod_not-even-well-formed", ip),
      ]);
      for (const a of answers) {
        counts[code(a)] = (counts[code(a)] ?? 0) + 1;
        if (a.status === 429) refused = a;
      }
    }
    const seconds = (Date.now() - started) / 1000;
    expect(counts.VALID).toBe(1000); // never refused, never charged
    // At most one second's burst plus the refill over the run got an answer; the rest were refused.
    expect((counts.NOT_FOUND ?? 0) + (counts.MALFORMED ?? 0)).toBeLessThanOrEqual(Math.ceil(budget * (1 + seconds)));
    expect(counts[429]).toBe(10_020 - (counts.NOT_FOUND ?? 0) - (counts.MALFORMED ?? 0));
    expect(refused).toMatchObject({ status: 429, headers: { "Content-Type": "application/problem+json", "Retry-After": "1" } });
    expect(code(await call(generateToken("secret", "production"), "203.0.113.100"))).toBe("NOT_FOUND"); // another address
  });

  it("a caller with a verifier key is never throttled, even when all it sends is unknown keys", async () => {
    const { ctx } = await makeTeam();
    const { token: verifier } = await createKey(await ctx("owner"), { name: "gateway", permissions: ["keys:verify"] });
    const ip = "203.0.113.98";
    const budget = env().VERIFY_MAX_FAILURES_PER_IP;
    const answers = await Promise.all(
      Array.from({ length: budget * 5 }, (_, i) => call(i % 10 ? generateToken("secret", "production") : "sk_prod_bad", ip, `Bearer ${verifier}`)),
    );
    expect(answers.every((a) => a.status === 200)).toBe(true);
    // Without the verifier key the same address is refused past its budget.
    const plain = await Promise.all(Array.from({ length: budget * 3 }, () => call(generateToken("secret", "production"), ip)));
    expect(plain.some((a) => a.status === 429)).toBe(true);
    // A bearer token that is not a verifier key gives no exemption.
    const { token: weak } = await createKey(await ctx("owner"), { name: "no verify" });
    const withWeak = await Promise.all(Array.from({ length: budget * 3 }, () => call(generateToken("secret", "production"), ip, `Bearer ${weak}`)));
    expect(withWeak.some((a) => a.status === 429)).toBe(true);
  });
});
