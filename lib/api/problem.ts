// Owns the management API's errors: application/problem+json (RFC 9457) with one stable `type`
// per kind of error, documented on /docs/api (the type is a link to its section there).
import { z } from "zod";
import type { TranslatedError } from "../error-translator";

export const PROBLEMS = {
  unauthorized: { status: 401, title: "Missing or invalid API key" },
  forbidden: { status: 403, title: "Not allowed" },
  "not-found": { status: 404, title: "Not found" },
  "invalid-request": { status: 400, title: "Invalid request" },
  conflict: { status: 409, title: "Conflict" },
  "idempotency-key-reused": { status: 409, title: "Idempotency key reused with a different request" },
  "idempotency-key-in-use": { status: 409, title: "A request with this idempotency key is still in progress" },
  "rate-limited": { status: 429, title: "Rate limit exceeded" },
  "too-many-requests": { status: 429, title: "Too many requests" },
  internal: { status: 500, title: "Internal error" },
  unavailable: { status: 503, title: "Temporarily unavailable" },
} as const;
export type ProblemType = keyof typeof PROBLEMS;

export const PROBLEM_DESCRIPTIONS: Record<ProblemType, string> = {
  unauthorized:
    "No `Authorization: Bearer <key>` header, or the key is malformed, unknown, revoked, expired, suspended, or its owner left the organization. `code` says which. Answered with `WWW-Authenticate: Bearer`.",
  forbidden:
    "The key is valid but may not do this: it lacks the route's permission (`keys:read`, `keys:write`, `audit:read`), it is a public key (read only), the request comes from an address outside its IP allowlist, its rules deny this method and path, or its owner's role does not allow the change. `code` says which.",
  "not-found": "No such resource in the key's organization (a key of another organization reads the same).",
  "invalid-request": "The body or query is invalid: `detail` names the first field, `errors` lists every field's messages.",
  conflict: "The change conflicts with the resource's state (for example, editing a revoked key).",
  "idempotency-key-reused": "This `Idempotency-Key` was used by the same API key in the last 24 h for a different request. Use a new key for a new request.",
  "idempotency-key-in-use": "The first request with this `Idempotency-Key` has not finished yet. Retry after `Retry-After` seconds to get its response.",
  "rate-limited": "The API key is over its own rate limit. Retry after `Retry-After` seconds; `RateLimit` and `RateLimit-Policy` describe the window.",
  "too-many-requests": "Verification only: this client address sent too many unknown or malformed keys (`VERIFY_MAX_FAILURES_PER_IP` a second). Valid keys and callers with a verifier key are never refused. Retry after `Retry-After` seconds.",
  internal: "Something failed on Latchkey's side that retrying will not fix by itself. `requestId` names the error in the server's log; nothing was changed.",
  unavailable: "Latchkey cannot reach its database right now. Retry after `Retry-After` seconds; nothing was changed.",
};

export const problemTypeUri = (type: ProblemType) => `/docs/api#problem-${type}`;

/** A problem document (RFC 9457) of one of the types above. */
export function problemBody(type: ProblemType, detail: string, extra: Partial<ApiProblem> = {}): ApiProblem {
  const { status, title } = PROBLEMS[type];
  return { type: problemTypeUri(type), title, status, detail, ...extra };
}

/** The problem type and extras for a translated error (the one error translator's REST face). */
export function problemForError(t: TranslatedError): { type: ProblemType; extra: Partial<ApiProblem>; headers: Record<string, string> } {
  const retry: Record<string, string> = t.retryAfterSeconds ? { "Retry-After": String(t.retryAfterSeconds) } : {};
  switch (t.kind) {
    case "invalid": {
      const field = Object.keys(t.fieldErrors ?? {}).find((f) => f !== "_form");
      return { type: "invalid-request", extra: { ...(field ? { field } : {}), ...(t.fieldErrors ? { errors: t.fieldErrors } : {}) }, headers: {} };
    }
    case "not_found":
      return { type: "not-found", extra: {}, headers: {} };
    case "forbidden":
      return { type: "forbidden", extra: { code: "ROLE_NOT_ALLOWED" }, headers: {} };
    case "conflict":
      return { type: "conflict", extra: {}, headers: {} };
    case "rate_limited":
      return { type: "rate-limited", extra: {}, headers: retry };
    case "unavailable":
      return { type: "unavailable", extra: {}, headers: retry };
    default:
      return { type: "internal", extra: t.requestId ? { requestId: t.requestId } : {}, headers: {} };
  }
}

export const apiProblemSchema = z
  .object({
    type: z.string().describe("Stable identifier of the kind of error: `/docs/api#problem-<name>`."),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().describe("What went wrong and what to do about it. Never contains a secret."),
    code: z.string().optional().describe("For 401/403 from key checks: the verification code (e.g. REVOKED, INSUFFICIENT_PERMISSIONS)."),
    field: z.string().optional().describe("The first field at fault."),
    errors: z.record(z.string(), z.array(z.string())).optional().describe("Every field at fault, with its messages."),
    requestId: z.string().optional().describe("For 500: the id under which the error was logged."),
  })
  .describe("application/problem+json (RFC 9457).");
export type ApiProblem = z.infer<typeof apiProblemSchema>;

export class ApiProblemError extends Error {
  constructor(
    readonly problemType: ProblemType,
    readonly detail: string,
    readonly extra: Partial<Pick<ApiProblem, "code" | "field" | "errors" | "requestId">> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }
}
