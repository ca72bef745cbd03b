// Door 2 of POST /api/v1/keys/verify: answered straight from node:http, before Next is involved.
import type { IncomingMessage, ServerResponse } from "node:http";
import { MAX_VERIFY_BODY_BYTES } from "./request";
import { answerVerify, type RawVerifyAnswer } from "./endpoint";
import { observeVerify } from "./metrics";
import { requestIdFrom } from "../log";

export const VERIFY_PATH = "/api/v1/keys/verify";

export function isVerifyRequest(req: IncomingMessage): boolean {
  if (req.method !== "POST" || !req.url) return false;
  const q = req.url.indexOf("?");
  return (q === -1 ? req.url : req.url.slice(0, q)) === VERIFY_PATH;
}

export function handleVerify(req: IncomingMessage, res: ServerResponse, clientIp: string): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  req.on("data", (c: Buffer) => {
    size += c.length;
    if (size > MAX_VERIFY_BODY_BYTES) tooLarge = true;
    else chunks.push(c);
  });
  req.on("error", () => res.destroy());
  req.on("end", () => {
    const started = performance.now();
    // A request id only when the caller sends one (echoed, and named in any log of this request).
    const rid = req.headers["x-request-id"];
    const requestId = rid === undefined ? undefined : requestIdFrom(rid, () => "") || undefined;
    const out = answerVerify({
      requestId,
      body: tooLarge ? "" : Buffer.concat(chunks).toString("utf8"),
      tooLarge,
      contentType: req.headers["content-type"] ?? null,
      clientIp,
      authorization: req.headers.authorization ?? null,
    });
    // A cached key is answered in this same tick; anything that waits answers when it settles.
    if (out instanceof Promise) void out.then((o) => send(res, o, started, requestId));
    else send(res, out, started, requestId);
  });
}

function send(res: ServerResponse, out: RawVerifyAnswer, started: number, requestId: string | undefined): void {
  out.headers["Content-Length"] = String(Buffer.byteLength(out.body));
  if (requestId) out.headers["X-Request-Id"] = requestId;
  res.writeHead(out.status, out.headers);
  res.end(out.body);
  observeVerify(out.outcome ?? "unavailable", (performance.now() - started) / 1000);
}
