// Owns the process: validates the environment, migrates, serves Next on one port, shuts down cleanly.
import { returnLeases } from "./lib/credits/lease";
import http from "node:http";
import { randomUUID } from "node:crypto";
import { env, EnvError } from "./lib/env";
import { closeDb, dbKind } from "./lib/db";
import { DataDirLockedError } from "./lib/db/lock";
import { migrateDatabase } from "./lib/db/migrate";
import { loadOrCreateAuthSecret } from "./lib/auth/secret";
import { loadOrCreateEncryptionKey } from "./lib/keys/encryption-key";
import { anyOrganizationRecoverable } from "./lib/keys/recoverable";
import { CLIENT_IP_HEADER } from "./lib/client-ip";
import { startHourlyJobs } from "./lib/jobs";
import { handleVerify, isVerifyRequest } from "./lib/verify/node-door";
import { handleMetrics, isMetricsRequest } from "./lib/verify/metrics";
import { startInvalidationListener, stopInvalidationListener } from "./lib/verify/invalidation";
import { startUsageFlusher, stopUsageFlusher, usageStats } from "./lib/verify/usage";
import { rateLimiter } from "./lib/verify/rate-limit";
import { log, requestIdFrom } from "./lib/log";
import { answerVerifyOnly } from "./lib/verify/verify-only";

const dev = process.argv.includes("--dev");
const SHUTDOWN_DEADLINE_MS = 25_000;

function fail(message: string): never {
  console.error(`\n[latchkey] ${message}\n`);
  process.exit(1);
}

function clientAddress(req: http.IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = req.headers["x-forwarded-for"];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(",")[0]?.trim();
    if (first) return first;
  }
  const raw = req.socket.remoteAddress ?? "";
  return raw.startsWith("::ffff:") ? raw.slice(7) : raw;
}

/**
 * LATCHKEY_ENCRYPTION_KEY (recoverable keys): generated into DATA_DIR for the embedded default;
 * on PostgreSQL it must be given once any organization has turned recoverable keys on.
 */
async function ensureEncryptionKey(config: { DATABASE_URL?: string; DATA_DIR: string }) {
  if (process.env.LATCHKEY_ENCRYPTION_KEY) return;
  if (!config.DATABASE_URL && !config.DATA_DIR.startsWith("memory://")) {
    const { file, created, key } = loadOrCreateEncryptionKey(config.DATA_DIR);
    process.env.LATCHKEY_ENCRYPTION_KEY = key;
    console.log(`[latchkey] ${created ? "Generated a new LATCHKEY_ENCRYPTION_KEY and stored it in" : "Using the LATCHKEY_ENCRYPTION_KEY stored in"} ${file}`);
    return;
  }
  if (await anyOrganizationRecoverable()) {
    fail("LATCHKEY_ENCRYPTION_KEY is required: an organization has recoverable keys turned on (set the key it was started with; `openssl rand -base64 32` for a new one).");
  }
}

async function main() {
  let config;
  try {
    config = env();
  } catch (e) {
    if (e instanceof EnvError) fail(e.message);
    throw e;
  }
  const verifyOnly = config.LATCHKEY_ROLE === "verify";
  if (!process.env.AUTH_SECRET && !verifyOnly) {
    const { file, created, secret } = loadOrCreateAuthSecret(config.DATA_DIR);
    process.env.AUTH_SECRET = secret;
    log().info(`${created ? "Generated a new AUTH_SECRET and stored it in" : "Using the AUTH_SECRET stored in"} ${file}`);
  }

  try {
    await migrateDatabase();
  } catch (e) {
    if (e instanceof DataDirLockedError) fail(e.message);
    fail(`Could not prepare the database: ${(e as Error).message}`);
  }
  // A verify-only instance never reveals a recoverable key: it needs no encryption key.
  if (!verifyOnly) await ensureEncryptionKey(config);
  log().info(`database ready (${dbKind() === "postgres" ? "PostgreSQL" : `embedded PGlite in ${config.DATA_DIR}`})`);

  // LATCHKEY_ROLE=verify: Next.js is never loaded, so nothing it turns on for the process (Node 20's
  // AsyncLocalStorage hooks, once it has rendered a page) slows verification down.
  const next = verifyOnly ? null : (await import("next")).default;
  const app = next ? next({ dev, dir: process.cwd(), hostname: config.HOST, port: config.PORT }) : null;
  const handle = app ? app.getRequestHandler() : answerVerifyOnly;
  await app?.prepare();

  await startInvalidationListener();
  startUsageFlusher();
  rateLimiter(); // connect to Redis now, not on the first rate-limited request

  const server = http.createServer((req, res) => {
    const ip = clientAddress(req, config.TRUST_PROXY);
    // The hot path: verification is answered here, without Next's request pipeline.
    if (isVerifyRequest(req)) return handleVerify(req, res, ip);
    if (isMetricsRequest(req)) return handleMetrics(req, res);
    // Only this server decides the client address; a header sent by the client is overwritten.
    req.headers[CLIENT_IP_HEADER] = ip;
    // Console and API requests carry a request id (the caller's X-Request-Id, or a new one) into the
    // logs and back in the response. Logged: method, path without the query, status, time; nothing else.
    const reqId = requestIdFrom(req.headers["x-request-id"], randomUUID);
    req.headers["x-request-id"] = reqId;
    res.setHeader("X-Request-Id", reqId);
    const started = performance.now();
    res.on("finish", () => {
      const path = (req.url ?? "").split("?")[0];
      const line = { reqId, method: req.method, path, status: res.statusCode, ms: Math.round((performance.now() - started) * 10) / 10 };
      if (path.startsWith("/_next/")) log().debug(line, "request");
      else log().info(line, "request");
    });
    handle(req, res).catch((e) => {
      log().error({ reqId, err: e }, "request failed");
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    });
  });
  server.keepAliveTimeout = 65_000;
  server.listen(config.PORT, config.HOST, () => {
    const shown = config.HOST === "0.0.0.0" || config.HOST === "::" ? "localhost" : config.HOST;
    log().info(`ready on http://${shown}:${config.PORT}${dev ? " (development)" : ""}${verifyOnly ? " (verify-only: POST /api/v1/keys/verify, GET /api/health, GET /metrics)" : ""}`);
  });

  const stopJobs = startHourlyJobs();

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    stopJobs();
    log().info(`${signal}: finishing in-flight requests`);
    // Whatever waits on an unreachable database (the last usage write, closing the pool) must
    // not keep the process alive forever: past this deadline it exits non-zero and says so.
    setTimeout(() => {
      log().error(`shutdown did not finish within ${SHUTDOWN_DEADLINE_MS / 1000} s (is the database reachable?); exiting with ${usageStats().buffered} usage entries unwritten`);
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    const forceTimer = setTimeout(() => server.closeAllConnections(), 10_000);
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
    clearTimeout(forceTimer);
    await app?.close?.();
    await stopUsageFlusher(); // in-flight verifications have finished: write every buffered entry
    await returnLeases(true).catch((e: unknown) => log().warn(`could not give unused credits back: ${(e as Error).message}`));
    await stopInvalidationListener();
    await rateLimiter().close();
    await closeDb();
    log().info("stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

main().catch((e) => fail((e as Error).stack ?? String(e)));
