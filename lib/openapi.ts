// Owns the OpenAPI 3.1 document, generated from the zod schemas that validate the requests.
import { z } from "zod";
import { verifyRequestSchema } from "./verify/request";
import { problemSchema, verifyResponseSchema } from "./verify/response";
import { REST_OPERATIONS } from "./ops/registry";
import type { Operation } from "./ops/operation";
import { apiKeySchema, keyWithTokenSchema } from "./api/key-json";
import { auditPageSchema, keyPageSchema, pageOf, requestLogPageSchema } from "./api/responses";
import { customerJsonSchema } from "./customers/operations";
import { verificationCountsSchema } from "./analytics/operations";
import { apiProblemSchema, PROBLEM_DESCRIPTIONS, PROBLEMS, type ProblemType } from "./api/problem";
import { IDEMPOTENCY_HEADER } from "./api/idempotency";

// z.number().int() carries ±Number.MAX_SAFE_INTEGER as its bounds: that is JavaScript's limit, not the
// API's, so an integer states the bounds its schema sets (.min/.max/.positive) or none.
const SAFE_INTEGER_BOUNDS = ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"] as const;
const dropSafeIntegerBounds = ({ jsonSchema }: { jsonSchema: Record<string, unknown> }) => {
  for (const k of SAFE_INTEGER_BOUNDS) {
    const v = jsonSchema[k];
    if (typeof v === "number" && Math.abs(v) >= Number.MAX_SAFE_INTEGER) delete jsonSchema[k];
  }
};
const schema = (s: z.ZodType) => z.toJSONSchema(s, { target: "draft-2020-12", unrepresentable: "any", io: "input", override: dropSafeIntegerBounds });
const problem = (description: string) => ({ description, content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } } });

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const apiProblem = (...types: ProblemType[]) => ({
  description: types.map((t) => `\`${t}\`: ${PROBLEM_DESCRIPTIONS[t]}`).join("\n\n"),
  content: { "application/problem+json": { schema: ref("ApiProblem") } },
});
const rateHeaders = {
  RateLimit: { description: 'Remaining requests and seconds to reset for the acting key, e.g. `"default";r=99;t=42` (the tightest of its limits).', schema: { type: "string" } },
  "RateLimit-Policy": { description: 'That limit\'s name, quota and window, e.g. `"default";q=100;w=60`.', schema: { type: "string" } },
};

/** Query parameters from a zod object: one parameter per field, each with its JSON schema. */
function queryParameters(obj: z.ZodObject, skip: string[] = []) {
  const json = schema(obj) as { properties?: Record<string, Record<string, unknown>> };
  return Object.entries(json.properties ?? {})
    .filter(([name]) => !skip.includes(name))
    .map(([name, s]) => ({ name, in: "query", required: false, schema: s, ...(typeof s.description === "string" ? { description: s.description } : {}) }));
}

/** Path parameters from the operation's params schema (each required, with its format). */
function pathParameters(obj: z.ZodObject | undefined) {
  if (!obj) return [];
  const json = schema(obj) as { properties?: Record<string, Record<string, unknown>> };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({
    name,
    in: "path",
    required: true,
    schema: s,
    description: `${typeof s.description === "string" ? s.description : ""} A malformed id answers 404, like an unknown one.`.trim(),
  }));
}

const componentName = (op: Operation) => op.name[0].toUpperCase() + op.name.slice(1);

/** One management operation: authentication, permission, problems and headers are the same for all. */
function pathItem(op: Operation) {
  const rest = op.rest!;
  const method = rest.method;
  const parameters: unknown[] = [...pathParameters(op.input.params), ...(op.input.query ? queryParameters(op.input.query) : [])];
  if (method === "POST") {
    parameters.push({
      name: IDEMPOTENCY_HEADER,
      in: "header",
      required: false,
      schema: { type: "string", maxLength: 255 },
      description:
        "Makes a retry safe: the same value and body from the same API key within 24 h returns the first response again (with `Idempotent-Replayed: true`; a token is never repeated: `token` is null and `tokenShown` true). A different body with the same value is a 409.",
    });
  }
  const problems: Record<string, unknown> = {
    "401": { ...apiProblem("unauthorized"), headers: { "WWW-Authenticate": { schema: { type: "string" }, description: '`Bearer realm="Latchkey"`' } } },
    "403": apiProblem("forbidden"),
    "429": { ...apiProblem("rate-limited"), headers: { "Retry-After": { schema: { type: "integer" } }, ...rateHeaders } },
    "500": apiProblem("internal"),
    "503": { ...apiProblem("unavailable"), headers: { "Retry-After": { schema: { type: "integer" } } } },
  };
  if (op.input.body || op.input.query || op.input.params) problems["400"] = apiProblem("invalid-request");
  if (op.input.params) problems["404"] = apiProblem("not-found");
  if (method !== "GET") problems["409"] = apiProblem(...(method === "POST" ? (["conflict", "idempotency-key-reused", "idempotency-key-in-use"] as const) : (["conflict"] as const)));
  return {
    operationId: op.name,
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    tags: [rest.tag],
    security: [{ bearer: [op.permission] }],
    "x-required-permission": op.permission,
    ...(parameters.length ? { parameters } : {}),
    ...(op.input.body ? { requestBody: { required: method === "POST" && !op.partialBody && op.name === "createKey", content: { "application/json": { schema: ref(componentName(op)) } } } } : {}),
    responses: {
      [String(rest.ok.status)]: {
        description: rest.ok.description,
        headers: { ...rateHeaders, ...(method === "POST" ? { "Idempotent-Replayed": { schema: { type: "string" }, description: "`true` on a replayed response." } } : {}) },
        ...(rest.ok.schema ? { content: { "application/json": { schema: ref(rest.ok.schema) } } } : {}),
      },
      ...problems,
    },
  };
}

function managementPaths() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of REST_OPERATIONS) (paths[op.rest!.path] ??= {})[op.rest!.method.toLowerCase()] = pathItem(op);
  return paths;
}

/** The request bodies, one component per operation that takes one. */
function bodySchemas() {
  return Object.fromEntries(REST_OPERATIONS.filter((op) => op.input.body).map((op) => [componentName(op), schema(op.input.body!)]));
}

export function openApiDocument(serverUrl?: string) {
  return {
    openapi: "3.1.0",
    info: { title: "Latchkey API", version: "1.0.0", description: "Verify API keys, and manage them with keys." },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    tags: [
      { name: "Verify", description: "Is this key good for this request?" },
      { name: "Keys", description: "Manage the organization's keys with a secret key holding keys:read / keys:write." },
      { name: "Customers", description: "Your customers, which keys can be scoped to (keys:read / keys:write)." },
      { name: "Analytics", description: "Verification counts from the rollups, with a key holding analytics:read." },
      { name: "Audit", description: "Read the organization's audit log with a key holding audit:read." },
    ],
    paths: {
      ...managementPaths(),
      "/api/v1/keys/verify": {
        post: {
          operationId: "verifyKey",
          tags: ["Verify"],
          summary: "Is this key good for this request, and if not, why not?",
          description:
            "Answers 200 for every well-formed request, valid or not. The body's `ip` is honoured only with `Authorization: Bearer <secret key with keys:verify>` of the same organization; such a verifier key also restricts answers to its own organization's keys.",
          security: [{}, { bearer: [] }],
          requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/VerifyRequest" } } } },
          responses: {
            "200": {
              description: "The verdict.",
              headers: {
                RateLimit: { description: 'The tightest limit applied, by name: remaining requests and seconds to reset, e.g. `"default";r=99;t=42` (keys with rate limits).', schema: { type: "string" } },
                "RateLimit-Policy": { description: 'That limit\'s quota and window, e.g. `"default";q=100;w=60`.', schema: { type: "string" } },
                "Retry-After": { description: "Seconds until a RATE_LIMITED key may retry.", schema: { type: "integer" } },
              },
              content: { "application/json": { schema: { $ref: "#/components/schemas/VerifyResponse" } } },
            },
            "400": problem("Malformed request (not JSON, wrong types, unknown environment, body over 16 KiB, wrong content type); `detail` names the field."),
            "429": { ...problem("This client address sent too many unknown or malformed keys (VERIFY_MAX_FAILURES_PER_IP a second); valid keys and callers with a verifier key are never refused."), headers: { "Retry-After": { schema: { type: "integer" } } } },
            "500": problem("Something failed on Latchkey's side; `requestId` names it in the server's log."),
            "503": { ...problem("Latchkey cannot reach its database right now; retry after `Retry-After` seconds."), headers: { "Retry-After": { schema: { type: "integer" } } } },
          },
        },
      },
    },
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "A Latchkey key in `Authorization: Bearer <key>` (never in the URL). It acts in its own organization as its owner, capped by the owner's role; public keys can only read." },
      },
      schemas: {
        VerifyRequest: schema(verifyRequestSchema),
        VerifyResponse: schema(verifyResponseSchema),
        Problem: schema(problemSchema),
        ApiProblem: { ...schema(apiProblemSchema), "x-problem-types": Object.fromEntries(Object.entries(PROBLEMS).map(([t, p]) => [t, { status: p.status, title: p.title, description: PROBLEM_DESCRIPTIONS[t as ProblemType] }])) },
        ApiKey: schema(apiKeySchema),
        KeyWithToken: schema(keyWithTokenSchema),
        KeyPage: schema(keyPageSchema),
        RequestLogPage: schema(requestLogPageSchema),
        AuditPage: schema(auditPageSchema),
        Customer: schema(customerJsonSchema),
        VerificationCounts: schema(verificationCountsSchema),
        CustomerPage: schema(pageOf(customerJsonSchema)),
        ...bodySchemas(),
      },
    },
  };
}
