// One protected API for `npm run bench:sdk`: <framework> <variant> <port> <latchkey url>.
// variant "bare": the handler alone; "fetch": the handler calls Latchkey's verify itself with fetch
// (what a developer writes without the SDK); "sdk": the SDK's middleware in front of the handler.
import express from "express";
import Fastify from "fastify";
import { Hono } from "hono";
import { serve } from "@hono/node-server";
import { Latchkey } from "../../sdk/src/index";
import { protect as expressProtect } from "../../sdk/src/express";
import { protect as fastifyProtect } from "../../sdk/src/fastify";
import { protect as honoProtect } from "../../sdk/src/hono";
import { withLatchkey } from "../../sdk/src/next";

const [framework, variant, portText, latchkeyUrl] = process.argv.slice(2);
const port = Number(portText);
const latchkey = new Latchkey({ baseUrl: latchkeyUrl });
const options = { latchkey, permissions: ["keys:read"] };
const body = { customers: [] as unknown[] };

/** The hand-written check: one fetch to verify, 401 unless valid. */
async function directVerify(authorization: string | undefined, method: string, path: string): Promise<boolean> {
  const key = authorization?.replace(/^Bearer\s+/i, "") ?? "";
  const res = await fetch(`${latchkeyUrl}/api/v1/keys/verify`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ key, permissions: ["keys:read"], method, path }),
  });
  return ((await res.json()) as { valid: boolean }).valid;
}

if (framework === "express") {
  const app = express();
  if (variant === "sdk") app.use(expressProtect(options));
  if (variant === "fetch") app.use(async (req, res, next) => ((await directVerify(req.headers.authorization, req.method, req.path)) ? next() : void res.status(401).json({})));
  app.get("/v1/customers", (_req, res) => void res.json(body));
  app.listen(port, "127.0.0.1");
} else if (framework === "fastify") {
  const app = Fastify();
  const preHandler =
    variant === "sdk"
      ? fastifyProtect(options)
      : variant === "fetch"
        ? async (req: { headers: { authorization?: string }; method: string; url: string }, reply: { code: (n: number) => { send: (b: unknown) => unknown } }) => {
            if (!(await directVerify(req.headers.authorization, req.method, req.url.split("?")[0]))) return reply.code(401).send({});
          }
        : undefined;
  app.route({ method: "GET", url: "/v1/customers", ...(preHandler ? { preHandler } : {}), handler: async () => body });
  await app.listen({ port, host: "127.0.0.1" });
} else if (framework === "hono" || framework === "next") {
  // Both are fetch-API handlers; @hono/node-server serves them on node:http the same way.
  let fetchHandler: (req: Request) => Response | Promise<Response>;
  if (framework === "hono") {
    const app = new Hono();
    if (variant === "sdk") app.use("/v1/*", honoProtect(options));
    if (variant === "fetch") app.use("/v1/*", async (c, next) => ((await directVerify(c.req.header("authorization"), c.req.method, c.req.path)) ? next() : void (c.res = c.json({}, 401))));
    app.get("/v1/customers", (c) => c.json(body));
    fetchHandler = app.fetch;
  } else {
    const handler = async () => Response.json(body);
    const route =
      variant === "sdk"
        ? withLatchkey(handler, options)
        : variant === "fetch"
          ? async (req: Request) => ((await directVerify(req.headers.get("authorization") ?? undefined, req.method, new URL(req.url).pathname)) ? handler() : Response.json({}, { status: 401 }))
          : handler;
    fetchHandler = (req) => route(req as Request & { latchkey: never }, {});
  }
  serve({ fetch: fetchHandler, port, hostname: "127.0.0.1" });
} else {
  throw new Error(`unknown framework ${framework}`);
}
console.log("ready");
