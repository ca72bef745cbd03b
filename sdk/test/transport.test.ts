// verifyKey's transport on Node: node:http with kept-alive connections; a caller's fetch when given.
import type { Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { Latchkey } from "../src/index.js";
import { listen, type Listening } from "./listen.js";

const VALID = { valid: true, code: "VALID", keyId: "key_1" };
const KEY = "sk_prod_0123456789abcdefghijklmnop";
let fake: Listening | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

/** A fake Latchkey that counts connections, and per connection the requests it carried. */
async function countingLatchkey(onRequest: (nthOnSocket: number, socket: Socket) => "answer" | "drop" = () => "answer") {
  const perSocket = new Map<Socket, number>();
  fake = await listen((req, res) => {
    req.resume();
    req.on("end", () => {
      const n = (perSocket.get(req.socket) ?? 0) + 1;
      perSocket.set(req.socket, n);
      if (onRequest(n, req.socket) === "drop") return void req.socket.destroy();
      const body = JSON.stringify(VALID);
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body), RateLimit: '"default";r=9;t=30' });
      res.end(body);
    });
  });
  return { url: fake.url, connections: () => perSocket.size, requests: () => [...perSocket.values()].reduce((a, b) => a + b, 0) };
}

describe("verifyKey's transport", () => {
  it("on Node, sequential calls share one kept-alive connection and read the answer's headers", async () => {
    const lk = await countingLatchkey();
    const latchkey = new Latchkey({ baseUrl: lk.url });
    for (let i = 0; i < 5; i++) expect(await latchkey.verifyKey({ key: KEY })).toMatchObject({ ...VALID, rateLimitHeaders: { RateLimit: '"default";r=9;t=30' } });
    expect([lk.requests(), lk.connections()]).toEqual([5, 1]);
  });

  it("a kept-alive connection the server drops as it is reused costs no retry: the call is sent again on a new one", async () => {
    // Every connection's second request is dropped unanswered, as a server closing an idle connection would.
    const lk = await countingLatchkey((n) => (n === 2 ? "drop" : "answer"));
    const latchkey = new Latchkey({ baseUrl: lk.url, retries: 0 });
    expect(await latchkey.verifyKey({ key: KEY })).toMatchObject(VALID);
    expect(await latchkey.verifyKey({ key: KEY })).toMatchObject(VALID); // dropped on the old connection, answered on a new one
    expect([lk.requests(), lk.connections()]).toEqual([3, 2]);
  });

  it("an answer that stalls halfway ends with the time budget, as unavailable", async () => {
    fake = await listen((req, res) => {
      req.resume();
      req.on("end", () => {
        res.writeHead(200, { "content-type": "application/json", "content-length": "100" });
        res.write('{"valid":true,'); // and nothing more
      });
    });
    const answer = await new Latchkey({ baseUrl: fake.url, retries: 0, timeoutMs: 300 }).verifyKey({ key: KEY });
    expect(answer).toMatchObject({ valid: false, code: "UNAVAILABLE", decision: "fail-closed" });
    expect((answer as { error?: Error }).error?.message).toContain("did not answer within 300 ms");
  });

  it("uses the caller's fetch when one is given", async () => {
    const lk = await countingLatchkey();
    const seen: string[] = [];
    const latchkey = new Latchkey({ baseUrl: lk.url, fetch: (input, init) => (seen.push(String(input)), fetch(input, init)) });
    expect(await latchkey.verifyKey({ key: KEY })).toMatchObject(VALID);
    expect(seen).toEqual([`${lk.url}/api/v1/keys/verify`]);
  });
});
