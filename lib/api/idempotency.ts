// Owns Idempotency-Key for the management API's POST routes: the same key and request from the same
// API key within 24 h gets the first response again (a token in it is never stored: the replay says
// `"token": null, "tokenShown": true`); the same key with a different request is a 409; concurrent
// duplicates run once (the primary key decides which one runs, the others wait for its response).
import { createHash } from "node:crypto";
import { and, eq, lt } from "drizzle-orm";
import { getDb, idempotencyRecords } from "../db";
import { ApiProblemError } from "./problem";

export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;
export const IDEMPOTENCY_HEADER = "Idempotency-Key";
const WAIT_FOR_FIRST_MS = 10_000;
const POLL_MS = 50;
const ABANDONED_AFTER_MS = 60_000;

export type ApiResult = { status: number; body: unknown; headers?: Record<string, string> };

/** Stable JSON: object keys sorted, so `{"a":1,"b":2}` and `{"b":2,"a":1}` are the same request. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

export function requestFingerprint(method: string, path: string, body: unknown): string {
  return createHash("sha256").update(`${method} ${path}\n${canonical(body ?? null)}`).digest("hex");
}

export function validIdempotencyKey(raw: string): boolean {
  return raw.length >= 1 && raw.length <= 255 && /^[\x21-\x7e]+$/.test(raw);
}

/** What is stored of a response: everything but a token. */
function forReplay(body: unknown): unknown {
  if (body && typeof body === "object" && "token" in body && typeof (body as { token: unknown }).token === "string") {
    return { ...body, token: null, tokenShown: true };
  }
  return body;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs `run` once per (API key, idempotency key). Returns its result, or the stored result of the
 * first request with `replayed: true`.
 */
export async function idempotent(apiKeyId: string, idempotencyKey: string, fingerprint: string, run: () => Promise<ApiResult>): Promise<ApiResult & { replayed: boolean }> {
  const db = getDb();
  const id = and(eq(idempotencyRecords.apiKeyId, apiKeyId), eq(idempotencyRecords.idempotencyKey, idempotencyKey));
  // A record older than 24 h no longer counts.
  await db.delete(idempotencyRecords).where(and(id, lt(idempotencyRecords.createdAt, new Date(Date.now() - IDEMPOTENCY_TTL_MS))));
  const claimed = await db
    .insert(idempotencyRecords)
    .values({ apiKeyId, idempotencyKey, requestHash: fingerprint })
    .onConflictDoNothing()
    .returning({ k: idempotencyRecords.idempotencyKey });

  if (claimed.length) {
    let result: ApiResult;
    try {
      result = await run();
    } catch (e) {
      await db.delete(idempotencyRecords).where(id); // nothing to replay: a retry runs again
      throw e;
    }
    if (result.status >= 500) await db.delete(idempotencyRecords).where(id);
    else await db.update(idempotencyRecords).set({ responseStatus: result.status, responseBody: forReplay(result.body) }).where(id);
    return { ...result, replayed: false };
  }

  const until = Date.now() + WAIT_FOR_FIRST_MS;
  for (;;) {
    const [rec] = await db.select().from(idempotencyRecords).where(id).limit(1);
    if (!rec) return idempotent(apiKeyId, idempotencyKey, fingerprint, run); // the first attempt failed and let go
    if (rec.requestHash !== fingerprint) {
      throw new ApiProblemError("idempotency-key-reused", `This Idempotency-Key was already used for a different request in the last 24 hours. Use a new key for a new request.`, { field: IDEMPOTENCY_HEADER });
    }
    if (rec.responseStatus !== null) return { status: rec.responseStatus, body: rec.responseBody, replayed: true };
    if (Date.now() - rec.createdAt.getTime() > ABANDONED_AFTER_MS) {
      // The instance running the first request died before answering: let this one run instead.
      await db.delete(idempotencyRecords).where(and(id, eq(idempotencyRecords.createdAt, rec.createdAt)));
      continue;
    }
    if (Date.now() >= until) {
      throw new ApiProblemError("idempotency-key-in-use", "The first request with this Idempotency-Key is still running. Retry shortly to get its response.", {}, { "Retry-After": "1" });
    }
    await sleep(POLL_MS);
  }
}

export async function purgeIdempotencyRecords(now = new Date()): Promise<number> {
  const rows = await getDb()
    .delete(idempotencyRecords)
    .where(lt(idempotencyRecords.createdAt, new Date(now.getTime() - IDEMPOTENCY_TTL_MS)))
    .returning({ k: idempotencyRecords.idempotencyKey });
  return rows.length;
}
