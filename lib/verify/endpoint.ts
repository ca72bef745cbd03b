// Owns POST /api/v1/keys/verify as plain data in, plain data out, so both doors (Next's route
// handler and server.ts's fast path) give byte-for-byte the same answers.
import { MAX_VERIFY_BODY_BYTES, parseVerifyBody } from "./request";
import { verifyKey, type VerifyResult } from "./verify";
import type { MaybePromise } from "../maybe-promise";
import type { VerifyCode } from "./codes";
import { chargeFailure } from "./ip-guard";
import { env } from "../env";
import { log } from "../log";

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

function problem(status: number, title: string, detail: string, field?: string): RawVerifyAnswer {
  return {
    outcome: status === 400 ? "bad_request" : status === 429 ? "too_many_failures" : "unavailable",
    status,
    headers: { "Content-Type": "application/problem+json", "Cache-Control": "no-store" },
    body: JSON.stringify({ type: "about:blank", title, status, detail, ...(field ? { field } : {}) }),
  };
}

const unavailable = (e: unknown, reqId?: string): RawVerifyAnswer => {
  log().error({ reqId, err: e }, "verify failed");
  return problem(503, "Verification unavailable", "Latchkey could not verify the key right now. Retry shortly.");
};

const guessing = (): RawVerifyAnswer => {
  const p = problem(429, "Too many failed verifications", "This address sent too many unknown or malformed keys. Slow down and retry; valid keys keep answering.");
  return { ...p, headers: { ...p.headers, "Retry-After": "1" } };
};

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
      return problem(400, "Request too large", `The body must be at most ${MAX_VERIFY_BODY_BYTES} bytes.`);
    }
    const parsed = parseVerifyBody(call.body, call.contentType);
    if (!parsed.ok) return problem(400, parsed.problem.title, parsed.problem.detail, parsed.problem.field);
    const out = verifyKey({ request: parsed.value, clientIp: call.clientIp, authorization: call.authorization });
    return out instanceof Promise ? out.then(
          (o) => toAnswer(o, call.clientIp),
          (e: unknown) => unavailable(e, call.requestId),
        ) : toAnswer(out, call.clientIp);
  } catch (e) {
    return unavailable(e, call.requestId);
  }
}
