// One protected API for `npm run bench:sdk`: <framework> <port> <latchkey url>. It serves the same
// route three ways in one process, so the variants share the JIT, the heap and the keep-alive pool:
//   /bare/v1/customers   the handler alone;
//   /fetch/v1/customers  the handler behind a hand-written fetch to Latchkey's verify (what a developer
//                        writes without the SDK);
//   /control/v1/customers the same hand-written fetch again (two identical variants: the noise);
//   /sdk/v1/customers    the handler behind the SDK's middleware.
// Both checks send Latchkey the same request (same body, same headers) through Node's global fetch,
// whose dispatcher keeps connections alive: only what the SDK does around the call differs.
import express from "express";
import Fastify from "fastify";
import { Hono, type MiddlewareHandler } from "hono";
import { serve } from "@hono/node-server";
import { Latchkey } from "../../sdk/src/index";
import { protect as expressProtect } from "../../sdk/src/express";
import { protect as fastifyProtect } from "../../sdk/src/fastify";
import { protect as honoProtect } from "../../sdk/src/hono";
import { withLatchkey } from "../../sdk/src/next";

const [framework, portText, latchkeyUrl] = process.argv.slice(2);
const port = Number(portText);
const latchkey = new Latchkey({ baseUrl: latchkeyUrl });
const options = { latchkey, permissions: ["keys:read"] };
const body = { customers: [] as unknown[] };
const verifyUrl = `${latchkeyUrl}/api/v1/keys/verify`;
const ROUTE = "/v1/customers";

/** The hand-written check: one fetch to verify (the body and headers the SDK sends), 401 unless valid. */
async function directVerify(authorization: string | null | undefined, method: string, path: string): Promise<boolean> {
  const key = authorization?.replace(/^Bearer\s+/i, "") ?? "";
  const res = await fetch(verifyUrl, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ key, permissions: ["keys:read"], method, path }),
  });
  return ((await res.json()) as { valid: boolean }).valid;
}

if (framework === "express") {
  const app = express();
  const mount = (prefix: string, guard?: express.RequestHandler) => {
    const router = express.Router();
    if (guard) router.use(guard);
    router.get(ROUTE, (_req, res) => void res.json(body));
    app.use(prefix, router);
  };
  const direct: express.RequestHandler = async (req, res, next) => ((await directVerify(req.headers.authorization, req.method, req.originalUrl.split("?")[0])) ? next() : void res.status(401).json({}));
  mount("/bare");
  mount("/fetch", direct);
  mount("/control", direct);
  mount("/sdk", expressProtect(options));
  app.listen(port, "127.0.0.1");
} else if (framework === "fastify") {
  const app = Fastify();
  type Req = { headers: { authorization?: string }; method: string; url: string };
  type Reply = { code: (n: number) => { send: (b: unknown) => unknown } };
  const direct = async (req: Req, reply: Reply) => {
    if (!(await directVerify(req.headers.authorization, req.method, req.url.split("?")[0]))) return reply.code(401).send({});
  };
  app.get(`/bare${ROUTE}`, async () => body);
  app.get(`/fetch${ROUTE}`, { preHandler: direct }, async () => body);
  app.get(`/control${ROUTE}`, { preHandler: direct }, async () => body);
  app.get(`/sdk${ROUTE}`, { preHandler: fastifyProtect(options) }, async () => body);
  await app.listen({ port, host: "127.0.0.1" });
} else if (framework === "hono") {
  const app = new Hono();
  const direct: MiddlewareHandler = async (c, next) => ((await directVerify(c.req.header("authorization"), c.req.method, c.req.path)) ? next() : void (c.res = c.json({}, 401)));
  app.use("/fetch/*", direct);
  app.use("/control/*", direct);
  app.use("/sdk/*", honoProtect(options));
  for (const prefix of ["/bare", "/fetch", "/control", "/sdk"]) app.get(`${prefix}${ROUTE}`, (c) => c.json(body));
  serve({ fetch: app.fetch, port, hostname: "127.0.0.1" });
} else if (framework === "next") {
  // A Next.js route handler is a Fetch API handler; @hono/node-server serves it on node:http (Next's
  // own server would add its routing to every variant alike).
  const handler = async () => Response.json(body);
  const direct = async (req: Request) => ((await directVerify(req.headers.get("authorization"), req.method, new URL(req.url).pathname)) ? handler() : Response.json({}, { status: 401 }));
  const protectedHandler = withLatchkey(handler, options);
  const routes: Record<string, (req: Request) => Promise<Response>> = { bare: handler, fetch: direct, control: direct, sdk: (req) => protectedHandler(req, {}) };
  serve({
    fetch: (req) => {
      const variant = new URL(req.url).pathname.split("/")[1];
      return routes[variant]?.(req) ?? new Response(null, { status: 404 });
    },
    port,
    hostname: "127.0.0.1",
  });
} else {
  throw new Error(`unknown framework ${framework}`);
}
console.log("ready");
