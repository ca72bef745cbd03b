// Owns POST /api/v1/keys/verify as plain data in, plain data out, so both doors (Next's route
// handler and server.ts's fast path) give byte-for-byte the same answers.
import { MAX_VERIFY_BODY_BYTES, parseVerifyBody } from "./request";
import { verifyKey, type VerifyOutcome } from "./verify";
import type { MaybePromise } from "../maybe-promise";
import { ipAllowed } from "./ip-guard";
import { env } from "../env";
import { translateError } from "../error-translator";
import { PROBLEMS, problemBody, problemForError, type ApiProblem, type ProblemType } from "../api/problem";

export type RawVerifyCall = { body: string; contentType: string | null; clientIp: string | null; authorization: string | null; tooLarge?: boolean };
export type RawVerifyAnswer = { status: number; headers: Record<string, string>; body: string };

/** A problem answer with the same documented types as the management API (lib/api/problem.ts). */
function problem(type: ProblemType, detail: string, extra: Partial<ApiProblem> = {}, headers: Record<string, string> = {}): RawVerifyAnswer {
  return {
    status: PROBLEMS[type].status,
    headers: { "Content-Type": "application/problem+json", "Cache-Control": "no-store", ...headers },
    body: JSON.stringify(problemBody(type, detail, extra)),
  };
}

/** An error while verifying, through the one error translator (an outage is a 503 with Retry-After). */
const failed = (e: unknown): RawVerifyAnswer => {
  const t = translateError(e, "verification");
  const p = problemForError(t);
  return problem(p.type, t.kind === "unavailable" ? "Latchkey cannot verify keys right now (its database is unreachable). Retry shortly." : t.message, p.extra, p.headers);
};

const toAnswer = (out: VerifyOutcome): RawVerifyAnswer => ({
  status: out.status,
  headers: { "Content-Type": "application/json", "Cache-Control": "no-store", ...out.headers },
  body: out.json ?? JSON.stringify(out.body),
});

/** The answer; synchronous when verification is (a cached key), a promise otherwise. */
export function answerVerify(call: RawVerifyCall): MaybePromise<RawVerifyAnswer> {
  try {
    if (!ipAllowed(call.clientIp ?? "unknown", env().VERIFY_MAX_RPS_PER_IP, Date.now())) {
      return problem("too-many-requests", "This address is sending verification requests too fast. Slow down and retry.", {}, { "Retry-After": "1" });
    }
    if (call.tooLarge || Buffer.byteLength(call.body) > MAX_VERIFY_BODY_BYTES) {
      return problem("invalid-request", `The body must be at most ${MAX_VERIFY_BODY_BYTES} bytes.`);
    }
    const parsed = parseVerifyBody(call.body, call.contentType);
    if (!parsed.ok) return problem("invalid-request", parsed.problem.detail, parsed.problem.field ? { field: parsed.problem.field } : {});
    const out = verifyKey({ request: parsed.value, clientIp: call.clientIp, authorization: call.authorization });
    return out instanceof Promise ? out.then(toAnswer, failed) : toAnswer(out);
  } catch (e) {
    return failed(e);
  }
}
