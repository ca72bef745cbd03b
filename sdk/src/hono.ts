// @latchkey/sdk/hono: Hono middleware that protects routes with Latchkey.
import type { Context, MiddlewareHandler } from "hono";
import { bearerKey, protectRequest, type ProtectOptions } from "./protect.js";
import type { VerifyResult } from "./types.js";

export type { ProtectOptions } from "./protect.js";

declare module "hono" {
  interface ContextVariableMap {
    /** Set by @latchkey/sdk/hono for requests it let through. */
    latchkey: VerifyResult;
  }
}

/** `app.use("/v1/*", protect({ permissions: ["customers:read"] }))`; the answer is `c.get("latchkey")`. */
export function protect(options: ProtectOptions<Context> = {}): MiddlewareHandler {
  return async (c, next) => {
    const key = options.getKey ? await options.getKey(c) : bearerKey(c.req.header("authorization"));
    const outcome = await protectRequest({ key, method: c.req.method, path: c.req.path, ip: () => options.getIp?.(c) }, options);
    if (!outcome.ok) return new Response(JSON.stringify(outcome.denial.problem), { status: outcome.denial.status, headers: outcome.denial.headers });
    c.set("latchkey", outcome.answer);
    await next();
  };
}
