// @latchkey/sdk/fastify: a Fastify preHandler hook that protects routes with Latchkey.
import type { FastifyReply, FastifyRequest } from "fastify";
import { bearerKey, pathOf, protectRequest, type ProtectOptions } from "./protect.js";
import type { VerifyResult } from "./types.js";

export type { ProtectOptions } from "./protect.js";

declare module "fastify" {
  interface FastifyRequest {
    /** Set by @latchkey/sdk/fastify for requests it let through. */
    latchkey?: VerifyResult;
  }
}

/** `app.get("/v1/customers", { preHandler: protect({ permissions: ["customers:read"] }) }, handler)`; the answer is on `request.latchkey`. */
export function protect(options: ProtectOptions<FastifyRequest> = {}) {
  return async function latchkeyPreHandler(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | void> {
    const key = options.getKey ? await options.getKey(request) : bearerKey(request.headers.authorization);
    const ip = () => (options.getIp ? options.getIp(request) : request.ip);
    const outcome = await protectRequest({ key, method: request.method, path: pathOf(request.url), ip }, options);
    if (!outcome.ok) {
      // Returning the reply from an async hook tells Fastify the request is answered.
      return reply.code(outcome.denial.status).headers(outcome.denial.headers).send(JSON.stringify(outcome.denial.problem));
    }
    request.latchkey = outcome.answer;
  };
}
