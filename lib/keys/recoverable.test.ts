import { afterEach, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { apiKeys, auditEvents, getDb } from "@/lib/db";
import { ConflictError, ForbiddenError, ReauthRequiredError } from "@/lib/errors";
import { resolveOrgContext } from "@/lib/orgs/organizations";
import { createKey, rollKey } from "./lifecycle";
import { updateKeyPolicy } from "./policy";
import { anyOrganizationRecoverable, revealKey } from "./recoverable";
import { parseEncryptionKey } from "./encryption-key";
import { toKeyView } from "./view";
import { getKey } from "./queries";
import { actorOf, makeTeam } from "@/test/factories";

const on = { requireExpiry: false, maxLifetimeDays: null, defaultGrace: "12h", recoverable: true };

describe("recoverable keys", () => {
  afterEach(() => {
    delete process.env.LATCHKEY_ENCRYPTION_KEY;
  });

  it("off by default: keys are not recoverable and cannot be revealed", async () => {
    const { ctx } = await makeTeam();
    const c = await ctx("owner");
    expect(c.org.keyRecoverable).toBe(false);
    const { key } = await createKey(c, { name: "plain" });
    expect(key.tokenSealed).toBeNull();
    expect(toKeyView(c.membership, await getKey(c, key.id)).recoverable).toBe(false);
    await expect(revealKey(c, { keyId: key.id })).rejects.toThrow(/cannot be recovered/);
  });

  it("when on, new secret tokens are stored encrypted (never in clear) and revealed after re-auth, audited", async () => {
    const { org, people, ctx } = await makeTeam();
    await updateKeyPolicy(await ctx("owner"), on);
    const c = await ctx("owner");
    const { key, token } = await createKey(c, { name: "recoverable" });
    expect(key.tokenSealed).toMatch(/^v1\./);
    expect(key.tokenSealed).not.toContain(token);
    expect(toKeyView(c.membership, await getKey(c, key.id)).recoverable).toBe(true);
    const { key: pub } = await createKey(c, { name: "pub", type: "public" });
    expect(pub.tokenSealed).toBeNull();

    const stale = await resolveOrgContext(actorOf(people.owner, null), org.slug);
    await expect(revealKey(stale, { keyId: key.id })).rejects.toBeInstanceOf(ReauthRequiredError);
    expect(await revealKey(c, { keyId: key.id })).toEqual({ token });
    const events = await getDb()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.organizationId, org.id), eq(auditEvents.action, "key.revealed")));
    expect(events).toHaveLength(1);
    expect(JSON.stringify(events[0])).not.toContain(token);

    // Members reveal only keys they own; viewers none.
    await expect(revealKey(await ctx("member"), { keyId: key.id })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(revealKey(await ctx("viewer"), { keyId: key.id })).rejects.toBeInstanceOf(ForbiddenError);

    // A roll stores the new token, and the old one is no longer what is revealed.
    const rolled = await rollKey(c, { keyId: key.id, grace: "now" });
    expect(await revealKey(c, { keyId: key.id })).toEqual({ token: rolled.token });
  });

  it("a ciphertext copied to another key does not decrypt", async () => {
    const { ctx } = await makeTeam();
    await updateKeyPolicy(await ctx("owner"), on);
    const c = await ctx("owner");
    const a = await createKey(c, { name: "a" });
    const b = await createKey(c, { name: "b" });
    await getDb().update(apiKeys).set({ tokenSealed: a.key.tokenSealed }).where(eq(apiKeys.id, b.key.id));
    await expect(revealKey(c, { keyId: b.key.id })).rejects.toThrow();
  });

  it("turning it off deletes the stored tokens; keys created while off stay unrecoverable", async () => {
    const { ctx } = await makeTeam();
    await updateKeyPolicy(await ctx("owner"), on);
    // Start-up then requires LATCHKEY_ENCRYPTION_KEY on PostgreSQL (server.ts).
    expect(await anyOrganizationRecoverable()).toBe(true);
    const { key } = await createKey(await ctx("owner"), { name: "k" });
    await updateKeyPolicy(await ctx("owner"), { ...on, recoverable: false });
    const [row] = await getDb().select().from(apiKeys).where(eq(apiKeys.id, key.id));
    expect(row.tokenSealed).toBeNull();
    await expect(revealKey(await ctx("owner"), { keyId: key.id })).rejects.toBeInstanceOf(ConflictError);
    // Saving the policy without the field leaves the setting as it is.
    await updateKeyPolicy(await ctx("owner"), on);
    await updateKeyPolicy(await ctx("owner"), { requireExpiry: false });
    expect((await ctx("owner")).org.keyRecoverable).toBe(true);
  });

  it("LATCHKEY_ENCRYPTION_KEY must be 32 bytes", () => {
    expect(parseEncryptionKey(undefined)).toBeNull();
    expect(parseEncryptionKey(Buffer.alloc(32, 1).toString("base64"))).toHaveLength(32);
    expect(parseEncryptionKey("ab".repeat(32))).toHaveLength(32);
    expect(() => parseEncryptionKey("c2hvcnQ=")).toThrow(/32 bytes/);
  });
});
