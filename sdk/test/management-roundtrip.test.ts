// The generated management client against Latchkey's real REST operations (lib/ops registry served by
// restRoute behind node:http): create, list, roll with grace, revoke, and verify the old and new tokens.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REST_OPERATIONS } from "@/lib/ops/registry";
import { restRoute } from "@/lib/api/with-api-key";
import { answerVerify } from "@/lib/verify/endpoint";
import { createKey } from "@/lib/keys/lifecycle";
import { makeTeam } from "@/test/factories";
import { Latchkey } from "../src/index.js";
import { listen, type Listening } from "./listen.js";

let server: Listening;
beforeAll(async () => {
  const routes = REST_OPERATIONS.map((op) => ({
    method: op.rest!.method,
    pattern: new RegExp("^" + op.rest!.path.replace(/\{(\w+)\}/g, "(?<$1>[^/]+)") + "$"),
    handler: restRoute(op),
  }));
  server = await listen((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", async () => {
      const url = new URL(req.url!, "http://127.0.0.1");
      if (url.pathname === "/api/v1/keys/verify") {
        const out = await answerVerify({ body, contentType: req.headers["content-type"] ?? null, clientIp: "127.0.0.1", authorization: req.headers.authorization ?? null });
        res.writeHead(out.status, out.headers).end(out.body);
        return;
      }
      const route = routes.find((r) => r.method === req.method && r.pattern.test(url.pathname));
      if (!route) return void res.writeHead(404).end();
      const params = url.pathname.match(route.pattern)!.groups ?? {};
      const headers = new Headers(Object.entries(req.headers).flatMap(([k, v]) => (typeof v === "string" ? [[k, v] as [string, string]] : [])));
      const out = await route.handler(new Request(url, { method: req.method, headers, body: body || undefined }), { params: Promise.resolve(params) });
      res.writeHead(out.status, Object.fromEntries(out.headers)).end(await out.text());
    });
  });
});
afterAll(() => server.close());

describe("generated management client round trip", () => {
  it("create, list, roll with grace, revoke; both tokens verify during the grace, neither after revoking", async () => {
    const { ctx } = await makeTeam();
    const { token: root } = await createKey(await ctx("owner"), { name: "sdk root", permissions: ["keys:read", "keys:write", "keys:verify"] });
    const latchkey = new Latchkey({ baseUrl: server.url, rootKey: root });

    const created = await latchkey.api.createKey({ body: { name: "made by the sdk", permissions: ["keys:read"] } });
    expect(created.response?.status).toBe(201);
    const id = created.data!.key.id;
    const first = created.data!.token!;

    const listed = await latchkey.api.listKeys({ query: { q: "made by the sdk" } });
    expect(listed.data!.data.map((k) => k.id)).toEqual([id]);

    const rolled = await latchkey.api.rollKey({ path: { id }, body: { grace: "1h" } });
    expect(rolled.response?.status).toBe(200);
    const second = rolled.data!.token!;
    expect(second).not.toBe(first);
    expect(await latchkey.verifyKey({ key: first })).toMatchObject({ valid: true, keyId: id });
    expect(await latchkey.verifyKey({ key: second })).toMatchObject({ valid: true, keyId: id });

    const revoked = await latchkey.api.revokeKey({ path: { id } });
    expect(revoked.error).toBeUndefined();
    expect((await latchkey.verifyKey({ key: second })).code).toBe("REVOKED");
    // Revoking ends the old token's grace too (Latchkey no longer knows it).
    expect(await latchkey.verifyKey({ key: first })).toMatchObject({ valid: false });

    const missing = await latchkey.api.getKey({ path: { id: "key_doesnotexist" } });
    expect(missing.response?.status).toBe(404);
    expect(missing.error).toMatchObject({ status: 404 });
  });
});
