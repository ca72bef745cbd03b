import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { apiKeys, getDb } from "@/lib/db";
import { makeTeam } from "@/test/factories";
import { createKey, updateKey } from "@/lib/keys/lifecycle";
import { createCustomer, getCustomer } from "@/lib/customers/customers";
import { consumeCredits, creditsOf } from "./credits";
import { nextRefillAt } from "./credit-names";

describe("credits", () => {
  it("never grants more than there are, however many verifications race for them", async () => {
    const { ctx } = await makeTeam();
    const { key } = await createKey(await ctx("owner"), { name: "metered", credits: { remaining: 20 } });
    const holder = { kind: "key" as const, id: key.id, refillInterval: null, refillDay: null };
    const now = new Date();
    const outcomes = await Promise.all(Array.from({ length: 60 }, () => consumeCredits(holder, 1, now)));
    expect(outcomes.filter((o) => o.allowed)).toHaveLength(20);
    const [row] = await getDb().select().from(apiKeys).where(eq(apiKeys.id, key.id));
    expect(row.creditsRemaining).toBe(0);
    // A cost larger than what is left takes nothing; cost 0 only checks.
    expect(await consumeCredits(holder, 1, now)).toEqual({ allowed: false, remaining: 0 });
    expect((await consumeCredits(holder, 0, now)).allowed).toBe(false);
  });

  it("a cost bigger than the remaining credits is refused and takes nothing", async () => {
    const { ctx } = await makeTeam();
    const { key } = await createKey(await ctx("owner"), { name: "metered", credits: { remaining: 5 } });
    const holder = { kind: "key" as const, id: key.id, refillInterval: null, refillDay: null };
    expect(await consumeCredits(holder, 6, new Date())).toEqual({ allowed: false, remaining: 5 });
    expect(await consumeCredits(holder, 5, new Date())).toEqual({ allowed: true, remaining: 0 });
  });

  it("refills once, lazily, at the first verification after the boundary", async () => {
    const { ctx } = await makeTeam();
    const owner = await ctx("owner");
    const c = await createCustomer(owner, { externalId: "acme", name: "Acme", credits: { remaining: 1, refill: { amount: 10, interval: "daily" } } });
    const holder = { kind: "customer" as const, id: c.id, refillInterval: "daily" as const, refillDay: null };
    const today = new Date();
    expect((await consumeCredits(holder, 1, today)).allowed).toBe(true);
    expect((await consumeCredits(holder, 1, today)).allowed).toBe(false);
    const tomorrow = new Date(nextRefillAt("daily", null, today).getTime() + 60_000);
    // Concurrent first verifications after midnight: one refill, then 10 credits in all.
    const after = await Promise.all(Array.from({ length: 15 }, () => consumeCredits(holder, 1, tomorrow)));
    expect(after.filter((o) => o.allowed)).toHaveLength(10);
    expect(creditsOf(await getCustomer(owner, c.id), tomorrow)?.remaining).toBe(0);
  });

  it("monthly refills fall on the chosen day, or the month's last day when it is shorter", () => {
    expect(nextRefillAt("monthly", 31, new Date("2026-02-10T12:00:00Z")).toISOString()).toBe("2026-02-28T00:00:00.000Z");
    expect(nextRefillAt("monthly", 15, new Date("2026-11-15T00:00:00Z")).toISOString()).toBe("2026-12-15T00:00:00.000Z");
    expect(nextRefillAt("daily", null, new Date("2026-12-31T23:59:00Z")).toISOString()).toBe("2027-01-01T00:00:00.000Z");
  });

  it("editing a key keeps its credits unless the form changes them", async () => {
    const { ctx } = await makeTeam();
    const owner = await ctx("owner");
    const { key } = await createKey(owner, { name: "metered", credits: { remaining: 7, lowThreshold: 2 } });
    await consumeCredits({ kind: "key", id: key.id, refillInterval: null, refillDay: null }, 3, new Date());
    const row = async () => (await getDb().select().from(apiKeys).where(eq(apiKeys.id, key.id)))[0];
    await updateKey(owner, { keyId: key.id, name: "metered renamed", credits: { remaining: 4, lowThreshold: 2 } });
    expect((await row()).creditsRemaining).toBe(4);
    await expect(createKey(owner, { name: "bad", credits: { remaining: -1 } })).rejects.toMatchObject({ fieldErrors: { "credits.remaining": [expect.any(String)] } });
  });
});
