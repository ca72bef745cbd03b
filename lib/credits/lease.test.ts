// Credits taken through leases: exact answers on one instance, one row update per block, an edit
// voids what was leased, and unused credits go back to the row.
import { beforeEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { apiKeys, getDb } from "@/lib/db";
import { makeTeam } from "@/test/factories";
import { createKey, patchKey } from "@/lib/keys/lifecycle";
import { answerVerify } from "@/lib/verify/endpoint";
import { forgetLeases, LEASE_SHARE, returnLeases } from "./lease";

async function verify(body: Record<string, unknown>) {
  const out = await answerVerify({ body: JSON.stringify(body), contentType: "application/json", clientIp: "192.0.2.91", authorization: null });
  return JSON.parse(out.body) as { valid: boolean; code: string; credits?: { remaining: number } };
}
const rowRemaining = async (id: string) => (await getDb().select({ r: apiKeys.creditsRemaining }).from(apiKeys).where(eq(apiKeys.id, id)))[0].r;

beforeEach(() => forgetLeases());

describe("credit leases", () => {
  it("answers from a block taken from the row: exact remaining, one row update per block", async () => {
    const { ctx } = await makeTeam();
    const { key, token } = await createKey(await ctx("owner"), { name: "busy", credits: { remaining: 10_000 } });
    const block = 10_000 * LEASE_SHARE;
    const answers = [];
    for (let i = 0; i < 50; i++) answers.push((await verify({ key: token })).credits?.remaining);
    expect(answers).toEqual(Array.from({ length: 50 }, (_, i) => 10_000 - 1 - i));
    // The row gave one block to this instance; the 49 later answers came from it.
    expect(await rowRemaining(key.id)).toBe(10_000 - block);
    // Given back when idle (or on shutdown): the row holds exactly what was not answered.
    await returnLeases(true);
    expect(await rowRemaining(key.id)).toBe(10_000 - 50);
  });

  it("an edit of the credits voids what was leased before it; the new value is what counts", async () => {
    const { ctx } = await makeTeam();
    const owner = await ctx("owner");
    const { key, token } = await createKey(owner, { name: "edited", credits: { remaining: 5000 } });
    expect((await verify({ key: token })).credits).toEqual({ remaining: 4999 });
    await patchKey(owner, key.id, { credits: { remaining: 3 } });
    const codes = [];
    for (let i = 0; i < 5; i++) codes.push((await verify({ key: token })).code);
    expect(codes).toEqual(["VALID", "VALID", "VALID", "USAGE_EXCEEDED", "USAGE_EXCEEDED"]);
    // The voided lease is not given back over the new value.
    await returnLeases(true);
    expect(await rowRemaining(key.id)).toBe(0);
  });

  it("a cost larger than the lease takes a bigger block; a cost larger than what is left takes nothing", async () => {
    const { ctx } = await makeTeam();
    const { key, token } = await createKey(await ctx("owner"), { name: "costly", credits: { remaining: 1000 } });
    expect((await verify({ key: token, cost: 400 })).credits).toEqual({ remaining: 600 });
    expect(await verify({ key: token, cost: 601 })).toMatchObject({ code: "USAGE_EXCEEDED", credits: { remaining: 600 } });
    expect((await verify({ key: token, cost: 600 })).credits).toEqual({ remaining: 0 });
    expect(await rowRemaining(key.id)).toBe(0);
  });

  it("tops a busy lease up ahead: requests keep answering from it while the next block is taken, and stay exact", async () => {
    const { ctx } = await makeTeam();
    const { key, token } = await createKey(await ctx("owner"), { name: "hot", credits: { remaining: 10_000 } });
    const block = 10_000 * LEASE_SHARE;
    const call = () => answerVerify({ body: JSON.stringify({ key: token }), contentType: "application/json", clientIp: "192.0.2.91", authorization: null });
    // Three quarters of the first block: the last of these starts the top-up.
    for (let i = 0; i < block * 0.76; i++) await call();
    // While the next block is being taken, the lease still answers at once (no promise to wait on).
    const during = call();
    expect(during).not.toBeInstanceOf(Promise);
    const remainings: number[] = [];
    let waited = 0;
    for (let i = 0; i < 150; i++) {
      await new Promise((r) => setTimeout(r, 1)); // requests arrive over the network, not in one tick
      const out = call();
      if (out instanceof Promise) waited++;
      remainings.push((JSON.parse((await out).body) as { credits: { remaining: number } }).credits.remaining);
    }
    // The first block ran out within these 150: the next one was already there.
    expect(waited).toBe(0);
    const answered = Math.ceil(block * 0.76) + 1 + 150;
    expect(remainings.at(-1)).toBe(10_000 - answered);
    expect(new Set(remainings).size).toBe(150); // one credit each, never the same remaining twice
    await returnLeases(true);
    expect(await rowRemaining(key.id)).toBe(10_000 - answered);
  });
});
