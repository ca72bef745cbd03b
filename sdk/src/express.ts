// @latchkey/sdk/express: Express middleware (4 and 5) that protects routes with Latchkey.
import type { NextFunction, Request, RequestHandler, Response } from "express";
import { bearerKey, pathOf, protectRequest, type ProtectOptions } from "./protect.js";
import type { VerifyResult } from "./types.js";

export type { ProtectOptions } from "./protect.js";

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Express's own way to add request fields
  namespace Express {
    interface Request {
      /** Set by @latchkey/sdk/express for requests it let through. */
      latchkey?: VerifyResult;
    }
  }
}

/** `app.get("/v1/customers", protect({ permissions: ["customers:read"] }), handler)`; the answer is on `req.latchkey`. */
export function protect(options: ProtectOptions<Request> = {}): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    void (async () => {
      const key = options.getKey ? await options.getKey(req) : bearerKey(req.headers.authorization);
      const ip = () => (options.getIp ? options.getIp(req) : req.ip);
      const outcome = await protectRequest({ key, method: req.method, path: pathOf(req.originalUrl || req.url), ip }, options);
      if (!outcome.ok) {
        res.status(outcome.denial.status).set(outcome.denial.headers).send(JSON.stringify(outcome.denial.problem));
        return;
      }
      req.latchkey = outcome.answer;
      next();
    })().catch(next);
  };
}
