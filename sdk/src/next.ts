// @latchkey/sdk/next: protect a Next.js route handler (or any Fetch API handler) with Latchkey.
import { bearerKey, protectRequest, type Denial, type ProtectOptions } from "./protect.js";
import type { VerifyResult } from "./types.js";

export type { ProtectOptions } from "./protect.js";
export type LatchkeyRequest<R extends Request = Request> = R & { latchkey: VerifyResult };

export const problemResponse = (denial: Denial) => new Response(JSON.stringify(denial.problem), { status: denial.status, headers: denial.headers });

/**
 * `export const GET = withLatchkey(async (req) => Response.json(req.latchkey), { permissions: ["customers:read"] })`
 * The handler runs only for a valid key (or a fail-open answer), with the answer on `req.latchkey`.
 */
export function withLatchkey<R extends Request, Ctx = unknown>(
  handler: (req: LatchkeyRequest<R>, ctx: Ctx) => Response | Promise<Response>,
  options: ProtectOptions<R> = {},
): (req: R, ctx: Ctx) => Promise<Response> {
  return async (req, ctx) => {
    const key = options.getKey ? await options.getKey(req) : bearerKey(req.headers.get("authorization"));
    const outcome = await protectRequest({ key, method: req.method, path: new URL(req.url).pathname, ip: () => options.getIp?.(req) }, options);
    if (!outcome.ok) return problemResponse(outcome.denial);
    return handler(Object.assign(req, { latchkey: outcome.answer }), ctx);
  };
}
