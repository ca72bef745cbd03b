import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { apiKeys, getDb } from "@/lib/db";
import { listAuditTrail } from "@/lib/audit/audit";
import { ForbiddenError, NotFoundError } from "@/lib/errors";
import { answerVerify } from "@/lib/verify/endpoint";
import { flushUsage } from "@/lib/verify/usage";
import { makeTeam } from "@/test/factories";
import { createKey } from "./lifecycle";
import { addPermission } from "./permissions";
import { keyPermissionUsage, removeUnusedPermissions } from "./permission-usage";

const verify = (body: unknown) => answerVerify({ body: JSON.stringify(body), contentType: "application/json", clientIp: "192.0.2.5", authorization: null });

describe("least privilege", () => {
  it("shows which granted permissions verifications named in the last 30 days, and removes the unused ones (audited, role-checked)", async () => {
    const { ctx } = await makeTeam();
    const owner = await ctx("owner");
    for (const name of ["customers:read", "customers:write"]) await addPermission(owner, { name });
    const { key, token } = await createKey(owner, { name: "billing", permissions: ["customers:read", "customers:write", "keys:read"] });
    await verify({ key: token, permissions: ["customers:read"] });
    await verify({ key: token, permissions: ["customers:read", "customers:read"] });
    await verify({ key: token, permissions: ["audit:read"] }); // not granted: refused, and not listed
    await verify({ key: token });
    await flushUsage();

    const { permissions: usage, daysCounted } = await keyPermissionUsage(await ctx("viewer"), key.id);
    expect(daysCounted).toBe(0); // a new key: counting began at its creation
    expect(usage.map((u) => [u.permission, u.verifications, u.lastUsedAt !== null])).toEqual([
      ["customers:read", 2, true],
      ["customers:write", 0, false],
      ["keys:read", 0, false],
    ]);

    await expect(removeUnusedPermissions(await ctx("viewer"), { keyId: key.id, permissions: ["keys:read"] })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(removeUnusedPermissions(await ctx("member"), { keyId: key.id, permissions: ["keys:read"] })).rejects.toBeInstanceOf(ForbiddenError);
    const stranger = await makeTeam();
    await expect(removeUnusedPermissions(await stranger.ctx("owner"), { keyId: key.id, permissions: ["keys:read"] })).rejects.toBeInstanceOf(NotFoundError);

    // A used permission named by mistake (or used since the page was shown) is kept.
    const removed = await removeUnusedPermissions(await ctx("admin"), { keyId: key.id, permissions: ["customers:write", "keys:read", "customers:read"] });
    expect(removed).toEqual(["customers:write", "keys:read"]);
    const [after] = await getDb().select().from(apiKeys).where(eq(apiKeys.id, key.id));
    expect(after.permissions).toEqual(["customers:read"]);
    const audit = await listAuditTrail(owner, key.id);
    const event = audit.rows.find((r) => r.action === "key.permissions_removed");
    expect(event?.after).toMatchObject({ permissions: ["customers:read"], removed: ["customers:write", "keys:read"] });
    // The key's verifications follow at once.
    expect(JSON.parse(String((await verify({ key: token, permissions: ["keys:read"] })).body))).toMatchObject({ code: "INSUFFICIENT_PERMISSIONS" });
  });
});
