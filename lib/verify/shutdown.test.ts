import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { createKey } from "@/lib/keys/lifecycle";
import { CLIENT_IP_HEADER } from "@/lib/client-ip";
import { handleVerify } from "./node-door";
import { startUsageFlusher, stopUsageFlusher } from "./usage";
import { listRequestLog } from "./usage-queries";
import { makeTeam } from "@/test/factories";

describe("shutdown under load", () => {
  it("loses no request-log entry: server.close() lets in-flight verifications finish, then the buffer is flushed", async () => {
    const { ctx } = await makeTeam();
    const { key, token } = await createKey(await ctx("owner"), { name: "busy" });
    const server = http.createServer((req, res) => handleVerify(req, res, String(req.headers[CLIENT_IP_HEADER] ?? "")));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/keys/verify`;
    startUsageFlusher();

    const answered: number[] = [];
    const fire = () =>
      fetch(url, { method: "POST", headers: { "content-type": "application/json", [CLIENT_IP_HEADER]: "192.0.2.9" }, body: JSON.stringify({ key: token }) })
        .then(async (r) => {
          if (r.status === 200 && (await r.json()).code === "VALID") answered.push(1);
        })
        .catch(() => undefined); // requests arriving after close are refused: they were never answered
    const inFlight = Array.from({ length: 400 }, fire);
    while (answered.length < 50) await new Promise((r) => setTimeout(r, 1)); // mid-load

    // The same order as server.ts on SIGTERM: stop accepting, finish in-flight, flush, then close.
    await new Promise<void>((r) => {
      server.close(() => r());
      server.closeIdleConnections();
    });
    await Promise.all(inFlight);
    await stopUsageFlusher();

    expect(answered.length).toBeGreaterThanOrEqual(50);
    const { total } = await listRequestLog(key.id, { page: 1, perPage: 1 });
    expect(total).toBe(answered.length);
  }, 30_000);
});
