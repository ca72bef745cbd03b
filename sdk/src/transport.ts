// Owns how verifyKey reaches Latchkey. On Node: node:http(s) with a keep-alive agent, because Node 20's
// fetch (undici) costs a protected route about half a millisecond of CPU per call. Elsewhere (edge
// runtimes, browsers: no process.getBuiltinModule), or when the caller passes its own `fetch`: fetch.
import type * as Http from "node:http";

export type VerifyResponse = { status: number; header(name: string): string | null; text: string };
/** One POST of a JSON body; rejects on a network error or when `signal` aborts (as fetch does). */
export type Transport = (url: string, headers: Record<string, string>, body: string, signal: AbortSignal) => Promise<VerifyResponse>;

export function fetchTransport(fetchImpl: typeof fetch): Transport {
  return async (url, headers, body, signal) => {
    const res = await fetchImpl(url, { method: "POST", headers, body, signal });
    const text = await res.text();
    return { status: res.status, header: (name) => res.headers.get(name), text };
  };
}

type Builtins = { getBuiltinModule?: (id: string) => unknown };

/** node:http(s) when this runtime is Node (process.getBuiltinModule, Node ≥ 20.16), else null. */
export function nodeTransport(baseUrl: string): Transport | null {
  const getBuiltin = (globalThis as { process?: Builtins }).process?.getBuiltinModule;
  if (typeof getBuiltin !== "function") return null;
  const http = getBuiltin(baseUrl.startsWith("https:") ? "node:https" : "node:http") as typeof Http | undefined;
  if (!http?.request) return null;
  // Idle connections are kept for reuse (unreferenced: they never hold the process open); the agent
  // follows the server's Keep-Alive hint to drop them before the server does.
  const agent = new http.Agent({ keepAlive: true });

  const send = (url: string, headers: Record<string, string>, body: string, signal: AbortSignal, retried: boolean): Promise<VerifyResponse> =>
    new Promise((resolve, reject) => {
      const req = http.request(url, { method: "POST", headers: { ...headers, "content-length": String(Buffer.byteLength(body)) }, agent, signal }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", reject);
        // Cut off mid-answer (the time budget's abort, a dropped connection): never left pending.
        res.on("close", () => {
          if (!res.complete) reject(new Error("the connection closed before Latchkey's answer was complete"));
        });
        res.on("end", () => {
          const received = res.headers;
          resolve({
            status: res.statusCode ?? 0,
            header: (name) => {
              const v = received[name.toLowerCase()];
              return v === undefined ? null : Array.isArray(v) ? v.join(", ") : v;
            },
            text: Buffer.concat(chunks).toString("utf8"),
          });
        });
      });
      req.on("error", (e: NodeJS.ErrnoException) => {
        // A kept-alive connection the server closed just as it was reused: the request never reached
        // Latchkey, so it is sent again at once on a new connection (what Node's docs advise), once.
        if (req.reusedSocket && e.code === "ECONNRESET" && !retried && !signal.aborted) send(url, headers, body, signal, true).then(resolve, reject);
        else reject(e);
      });
      req.end(body);
    });

  return (url, headers, body, signal) => send(url, headers, body, signal, false);
}
