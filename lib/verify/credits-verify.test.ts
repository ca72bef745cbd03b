// Verification of keys scoped to customers and holding credits, through the endpoint's core.
import { describe, expect, it } from "vitest";
import { answerVerify } from "./endpoint";
import { makeTeam } from "@/test/factories";
import { createKey } from "@/lib/keys/lifecycle";
import { createCustomer, updateCustomer } from "@/lib/customers/customers";

type Answer = { status: number; json: { valid: boolean; code: string; customer?: unknown; credits?: { remaining: number } } };
async function verify(body: Record<string, unknown>): Promise<Answer> {
  const out = await answerVerify({ body: JSON.stringify(body), contentType: "application/json", clientIp: "192.0.2.80", authorization: null });
  return { status: out.status, json: JSON.parse(out.body) };
}

describe("verification with customers and credits", () => {
  it("names the key's customer in every answer", async () => {
    const { ctx } = await makeTeam();
    const owner = await ctx("owner");
    const acme = await createCustomer(owner, { externalId: "acme-1", name: "Acme", metadata: { plan: "pro" } });
    const { token } = await createKey(owner, { name: "scoped", customerId: acme.id });
    expect((await verify({ key: token })).json).toMatchObject({ valid: true, customer: { id: acme.id, externalId: "acme-1", name: "Acme", metadata: { plan: "pro" } } });
    // A renamed customer shows in the next answer (the cached key is reloaded).
    await updateCustomer(owner, acme.id, { name: "Acme Corp" });
    expect((await verify({ key: token })).json).toMatchObject({ customer: { name: "Acme Corp" } });
    const plain = await createKey(owner, { name: "plain" });
    expect((await verify({ key: plain.token })).json).toMatchObject({ valid: true, customer: null });
  });

  it("takes each request's cost, answers USAGE_EXCEEDED when too few are left, and cost 0 only checks", async () => {
    const { ctx } = await makeTeam();
    const { token } = await createKey(await ctx("owner"), { name: "metered", credits: { remaining: 3 } });
    expect((await verify({ key: token })).json).toMatchObject({ valid: true, code: "VALID", credits: { remaining: 2 } });
    expect((await verify({ key: token, cost: 0 })).json).toMatchObject({ valid: true, credits: { remaining: 2 } });
    expect((await verify({ key: token, cost: 3 })).json).toMatchObject({ valid: false, code: "USAGE_EXCEEDED", credits: { remaining: 2 } });
    expect((await verify({ key: token, cost: 2 })).json).toMatchObject({ valid: true, credits: { remaining: 0 } });
    expect((await verify({ key: token })).json).toMatchObject({ valid: false, code: "USAGE_EXCEEDED" });
    expect((await verify({ key: token, cost: -1 })).status).toBe(400);
  });

  it("a customer's credits are shared by its keys; a key's own credits win", async () => {
    const { ctx } = await makeTeam();
    const owner = await ctx("owner");
    const acme = await createCustomer(owner, { externalId: "acme", name: "Acme", credits: { remaining: 5 } });
    const a = await createKey(owner, { name: "a", customerId: acme.id });
    const b = await createKey(owner, { name: "b", customerId: acme.id });
    const own = await createKey(owner, { name: "own", customerId: acme.id, credits: { remaining: 1 } });
    const codes: string[] = [];
    for (let i = 0; i < 4; i++) for (const t of [a.token, b.token]) codes.push((await verify({ key: t })).json.code);
    expect(codes.filter((c) => c === "VALID")).toHaveLength(5);
    expect(codes.slice(5).every((c) => c === "USAGE_EXCEEDED")).toBe(true);
    expect((await verify({ key: own.token })).json).toMatchObject({ valid: true, credits: { remaining: 0 } });
  });

  it("a request the rate limit refuses takes no credits", async () => {
    const { ctx } = await makeTeam();
    const { token } = await createKey(await ctx("owner"), { name: "both", credits: { remaining: 10 }, rateLimit: { limit: 2, windowSeconds: 3600 } });
    expect((await verify({ key: token })).json.code).toBe("VALID");
    expect((await verify({ key: token })).json.code).toBe("VALID");
    expect((await verify({ key: token })).json).toMatchObject({ code: "RATE_LIMITED", credits: { remaining: 8 } });
    expect((await verify({ key: token, cost: 0 })).json.credits).toEqual({ remaining: 8 });
  });

  it("concurrent verifications never get more valid answers than there are credits", async () => {
    const { ctx } = await makeTeam();
    const { token } = await createKey(await ctx("owner"), { name: "raced", credits: { remaining: 25 } });
    const answers = await Promise.all(Array.from({ length: 80 }, () => verify({ key: token })));
    expect(answers.filter((a) => a.json.valid)).toHaveLength(25);
    expect(answers.filter((a) => a.json.code === "USAGE_EXCEEDED")).toHaveLength(55);
  });
});
