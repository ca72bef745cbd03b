// Owns turning any error into what a caller is told, once for every door (REST, server actions,
// verification): domain errors keep their meaning, a database refusing a value is the caller's bad
// input (400), only a real outage is "unavailable, retry" (503), and anything else is a 500 that is
// logged with a request id and shown without internals.
import { randomBytes } from "node:crypto";
import { ConflictError, DomainError, ForbiddenError, NotFoundError, RateLimitError, ValidationError, type FieldErrors } from "./errors";

export type ErrorKind = "invalid" | "not_found" | "forbidden" | "conflict" | "rate_limited" | "unavailable" | "internal";

export type TranslatedError = {
  kind: ErrorKind;
  status: 400 | 403 | 404 | 409 | 429 | 500 | 503;
  message: string;
  fieldErrors?: FieldErrors;
  retryAfterSeconds?: number;
  /** Set for internal errors: the id under which the error was logged. */
  requestId?: string;
};

const STATUS: Record<ErrorKind, TranslatedError["status"]> = { invalid: 400, not_found: 404, forbidden: 403, conflict: 409, rate_limited: 429, unavailable: 503, internal: 500 };

// Node's and postgres.js's names for a connection that failed or went away.
const OUTAGE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
]);

/** The error and its causes (drizzle wraps the driver's error in `cause`). */
function* chain(e: unknown): Generator<{ code?: unknown; message?: unknown }> {
  let cur: unknown = e;
  for (let i = 0; i < 5 && cur && typeof cur === "object"; i++) {
    yield cur as { code?: unknown; message?: unknown };
    cur = (cur as { cause?: unknown }).cause;
  }
}

/** The SQLSTATE of a database error anywhere in the chain. */
export function sqlState(e: unknown): string | undefined {
  for (const c of chain(e)) if (typeof c.code === "string" && /^[0-9A-Z]{5}$/.test(c.code)) return c.code;
  return undefined;
}

/** Whether the error means the database (or the network to it) is unavailable right now. */
export function isOutage(e: unknown): boolean {
  for (const c of chain(e)) {
    if (typeof c.code === "string" && OUTAGE_CODES.has(c.code)) return true;
    if (typeof c.message === "string" && /PGlite is closed|connection (?:terminated|refused)|Connection terminated/i.test(c.message)) return true;
  }
  const state = sqlState(e);
  // 08: connection exception; 53: insufficient resources; 57P01-03: shutdown / cannot connect now;
  // 40001/40P01: serialization failure / deadlock (the same request can succeed when retried).
  return !!state && (state.startsWith("08") || state.startsWith("53") || /^57P0[123]$/.test(state) || state === "40001" || state === "40P01");
}

function translateDatabase(state: string): Pick<TranslatedError, "kind" | "message"> | null {
  // 22: data exception (a NUL byte 22021, an unsupported \u0000 in JSON 22P05, bad text 22P02,
  // a value too long 22001, out of range 22003, a bad date 22007/22008…): the input can never be stored.
  if (state.startsWith("22")) return { kind: "invalid", message: "The request contains a value Latchkey cannot store (for example a NUL character or a number out of range)." };
  if (state === "23505") return { kind: "conflict", message: "This conflicts with an existing record (a name or id that must be unique)." };
  if (state === "23503") return { kind: "conflict", message: "This refers to a record that does not exist any more, or is still referred to." };
  if (state === "23502" || state === "23514" || state === "54000") return { kind: "invalid", message: "The request contains a value Latchkey cannot store." };
  return null;
}

/** What to tell the caller about `e` (internal errors are logged here, with their request id). */
export function translateError(e: unknown, context = "request"): TranslatedError {
  if (e instanceof DomainError) {
    const kind: ErrorKind =
      e instanceof ValidationError ? "invalid" : e instanceof NotFoundError ? "not_found" : e instanceof ForbiddenError ? "forbidden" : e instanceof RateLimitError ? "rate_limited" : e instanceof ConflictError ? "conflict" : "invalid";
    return {
      kind,
      status: STATUS[kind],
      message: e instanceof NotFoundError ? e.message || "Not found" : e.message,
      ...(e.fieldErrors ? { fieldErrors: e.fieldErrors } : {}),
      ...(e instanceof RateLimitError ? { retryAfterSeconds: e.retryAfterSeconds } : {}),
    };
  }
  if (isOutage(e)) {
    console.error(`[latchkey] ${context} failed: database unavailable (${describe(e)})`);
    return { kind: "unavailable", status: 503, message: "Latchkey cannot reach its database right now. Nothing was changed; retry shortly.", retryAfterSeconds: 5 };
  }
  const state = sqlState(e);
  const db = state ? translateDatabase(state) : null;
  if (db) return { ...db, status: STATUS[db.kind] };
  const requestId = randomBytes(6).toString("hex");
  console.error(`[latchkey] ${context} failed with an unexpected error (request id ${requestId})`, e);
  return { kind: "internal", status: 500, message: `Something went wrong on our side (request id ${requestId}). Nothing was changed.`, requestId };
}

/** A one-line description for logs: the error's code and message, never its stack or parameters. */
function describe(e: unknown): string {
  for (const c of chain(e)) if (typeof c.code === "string") return `${c.code}${typeof c.message === "string" ? `: ${c.message}` : ""}`;
  return e instanceof Error ? e.message : String(e);
}

/** Whether a write failed on a unique index (a duplicate name, an id taken meanwhile). */
export const isUniqueViolation = (e: unknown) => sqlState(e) === "23505";
