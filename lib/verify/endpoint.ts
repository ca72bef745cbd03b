// Owns POST /api/v1/keys/verify as plain data in, plain data out, so both doors (Next's route
// handler and server.ts's fast path) give byte-for-byte the same answers.
import { MAX_VERIFY_BODY_BYTES, parseVerifyBody } from "./request";
import { verifyKey, type VerifyResult } from "./verify";
import type { MaybePromise } from "../maybe-promise";
import type { VerifyCode } from "./codes";
import { chargeFailure } from "./ip-guard";
import { env } from "../env";
import { translateError } from "../error-translator";
import { PROBLEMS, problemBody, problemForError, type ApiProblem, type ProblemType } from "../api/problem";

export type RawVerifyCall = {
  body: string;
  contentType: string | null;
  clientIp: string | null;
  authorization: string | null;
  tooLarge?: boolean;
  /** The caller's X-Request-Id, if any: named in the logs of this request. */
  requestId?: string;
};
/** What a verify answer was, for /metrics: its code, or why there was none. */
export type VerifyOutcomeLabel = VerifyCode | "bad_request" | "too_many_failures" | "unavailable";
export type RawVerifyAnswer = { status: number; headers: Record<string, string>; body: string; outcome?: VerifyOutcomeLabel };

/** A problem answer with the same documented types as the management API (lib/api/problem.ts). */
function problem(type: ProblemType, detail: string, extra: Partial<ApiProblem> = {}, headers: Record<string, string> = {}): RawVerifyAnswer {
  return {
    outcome: type === "invalid-request" ? "bad_request" : type === "too-many-requests" ? "too_many_failures" : "unavailable",
    status: PROBLEMS[type].status,
    headers: { "Content-Type": "application/problem+json", "Cache-Control": "no-store", ...headers },
    body: JSON.stringify(problemBody(type, detail, extra)),
  };
}

/** An error while verifying, through the one error translator (an outage is a 503 with Retry-After). */
const failed = (e: unknown, reqId?: string): RawVerifyAnswer => {
  const t = translateError(e, `verification${reqId ? ` (request ${reqId})` : ""}`);
  const p = problemForError(t);
  return problem(p.type, t.kind === "unavailable" ? "Latchkey cannot verify keys right now (its database is unreachable). Retry shortly." : t.message, p.extra, p.headers);
};

const guessing = (): RawVerifyAnswer =>
  problem("too-many-requests", "This address sent too many unknown or malformed keys. Slow down and retry; valid keys keep answering.", {}, { "Retry-After": "1" });

/** The 200 answer, or 429 when it is one failed lookup too many for this address (verifier-key callers are exempt). */
function toAnswer(out: VerifyResult, clientIp: string | null): RawVerifyAnswer {
  const code = out.code;
  if ((code === "NOT_FOUND" || code === "MALFORMED") && !out.byVerifier && !chargeFailure(clientIp ?? "unknown", env().VERIFY_MAX_FAILURES_PER_IP, Date.now())) {
    return guessing();
  }
  return {
    outcome: code,
    status: out.status,
    headers: { "Content-Type": "application/json", "Cache-Control": "no-store", ...out.headers },
    body: out.json,
  };
}

/** The answer; synchronous when verification is (a cached key), a promise otherwise. */
export function answerVerify(call: RawVerifyCall): MaybePromise<RawVerifyAnswer> {
  try {
    if (call.tooLarge || Buffer.byteLength(call.body) > MAX_VERIFY_BODY_BYTES) {
      return problem("invalid-request", `The body must be at most ${MAX_VERIFY_BODY_BYTES} bytes.`);
    }
    const parsed = parseVerifyBody(call.body, call.contentType);
    if (!parsed.ok) return problem("invalid-request", parsed.problem.detail, parsed.problem.field ? { field: parsed.problem.field } : {});
    const out = verifyKey({ request: parsed.value, clientIp: call.clientIp, authorization: call.authorization });
    return out instanceof Promise ? out.then(
          (o) => toAnswer(o, call.clientIp),
          (e: unknown) => failed(e, call.requestId),
        ) : toAnswer(out, call.clientIp);
  } catch (e) {
    return failed(e, call.requestId);
  }
}
