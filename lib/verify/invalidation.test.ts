import { afterAll, describe, expect, it } from "vitest";
import postgres from "postgres";
import { dbKind } from "@/lib/db";
import { createKey } from "@/lib/keys/lifecycle";
import { CHANNEL, listenerState, startInvalidationListener, stopInvalidationListener } from "./invalidation";
import { verifyKey } from "./verify";
import { makeTeam } from "@/test/factories";

const onPostgres = Boolean(process.env.DATABASE_URL);

describe.skipIf(!onPostgres)("invalidation across instances (PostgreSQL LISTEN/NOTIFY)", () => {
  const other = onPostgres ? postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} }) : null;
  afterAll(async () => {
    await stopInvalidationListener();
    await other?.end();
  });

  it("a key revoked by another instance reads REVOKED here within 1 s", async () => {
    expect(dbKind()).toBe("postgres");
    await startInvalidationListener();
    expect(listenerState()).toBe("listening");
    const { ctx } = await makeTeam();
    const { key, token } = await createKey(await ctx("owner"), { name: "shared" });
    expect((await verifyKey({ request: { key: token }, clientIp: null })).body.code).toBe("VALID"); // cached here

    // "Another instance": its own connection changes the key and notifies, as publishKeyChange does there.
    await other!`update api_key set status = 'revoked', revoked_at = now() where id = ${key.id}`;
    await other!`select pg_notify(${CHANNEL}, ${JSON.stringify({ keyIds: [key.id] })})`;

    const started = Date.now();
    let code = "";
    while (Date.now() - started < 1000) {
      code = (await verifyKey({ request: { key: token }, clientIp: null })).body.code;
      if (code === "REVOKED") break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(code).toBe("REVOKED");
  });
});
