// What a verify-only instance (LATCHKEY_ROLE=verify) answers besides verification and /metrics:
// its health, and a 404 naming what it serves for everything else (the console lives elsewhere).
import type { IncomingMessage, ServerResponse } from "node:http";
import { healthHttpStatus, healthReport } from "../health";
import { problemBody } from "../api/problem";

export async function answerVerifyOnly(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? "/").split("?")[0];
  if (path === "/api/health" && (req.method === "GET" || req.method === "HEAD")) {
    const report = await healthReport();
    const body = JSON.stringify(report);
    res.writeHead(healthHttpStatus(report), { "Content-Type": "application/json", "Cache-Control": "no-store", "Content-Length": Buffer.byteLength(body) });
    res.end(req.method === "HEAD" ? undefined : body);
    return;
  }
  const body = JSON.stringify(
    problemBody("not-found", "This Latchkey instance only verifies keys (LATCHKEY_ROLE=verify): POST /api/v1/keys/verify, GET /api/health and GET /metrics. The console and the management API are served by the instances started without LATCHKEY_ROLE."),
  );
  res.writeHead(404, { "Content-Type": "application/problem+json", "Cache-Control": "no-store", "Content-Length": Buffer.byteLength(body) });
  res.end(body);
}
