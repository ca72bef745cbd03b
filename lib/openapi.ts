// Owns the OpenAPI 3.1 document, generated from the zod schemas that validate the requests.
import { z } from "zod";
import { verifyRequestSchema } from "./verify/request";
import { problemSchema, verifyResponseSchema } from "./verify/response";
import { createKeySchema, rollKeySchema, updateKeySchema } from "./keys/input";
import { keyListQuerySchema } from "./keys/queries";
import { auditQuerySchema, logQuerySchema } from "./api/handlers";
import { apiKeySchema, keyWithTokenSchema } from "./api/key-json";
import { auditPageSchema, keyPageSchema, requestLogPageSchema } from "./api/responses";
import { apiProblemSchema, PROBLEM_DESCRIPTIONS, PROBLEMS, type ProblemType } from "./api/problem";
import { IDEMPOTENCY_HEADER } from "./api/idempotency";

const schema = (s: z.ZodType) => z.toJSONSchema(s, { target: "draft-2020-12", unrepresentable: "any", io: "input" });
const problem = (description: string) => ({ description, content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } } });

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const apiProblem = (...types: ProblemType[]) => ({
  description: types.map((t) => `\`${t}\`: ${PROBLEM_DESCRIPTIONS[t]}`).join("\n\n"),
  content: { "application/problem+json": { schema: ref("ApiProblem") } },
});
const rateHeaders = {
  RateLimit: { description: 'Remaining requests and seconds to reset for the acting key, e.g. `"key";r=99;t=42` (keys with a rate limit).', schema: { type: "string" } },
  "RateLimit-Policy": { description: 'The acting key\'s quota and window, e.g. `"key";q=100;w=60`.', schema: { type: "string" } },
};

/** Query parameters from a zod object: one parameter per field, each with its JSON schema. */
function queryParameters(obj: z.ZodObject, skip: string[] = []) {
  const json = schema(obj) as { properties?: Record<string, Record<string, unknown>> };
  return Object.entries(json.properties ?? {})
    .filter(([name]) => !skip.includes(name))
    .map(([name, s]) => ({ name, in: "query", required: false, schema: s, ...(typeof s.description === "string" ? { description: s.description } : {}) }));
}

type Op = {
  id: string;
  summary: string;
  description?: string;
  permission: "keys:read" | "keys:write" | "audit:read";
  byId?: boolean;
  query?: ReturnType<typeof queryParameters>;
  body?: string;
  ok: { status: number; schema?: string; description: string };
};

/** One management operation: authentication, permission, problems and headers are the same for all. */
function operation(op: Op, method: "get" | "post" | "patch" | "delete") {
  const parameters: unknown[] = [...(op.byId ? [{ name: "id", in: "path", required: true, schema: { type: "string" }, description: "The key's id (`key_…`)." }] : []), ...(op.query ?? [])];
  if (method === "post") {
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
    "503": apiProblem("unavailable"),
  };
  if (op.body || op.query || op.byId) problems["400"] = apiProblem("invalid-request");
  if (op.byId) problems["404"] = apiProblem("not-found");
  if (method !== "get") problems["409"] = apiProblem(...(method === "post" ? (["conflict", "idempotency-key-reused", "idempotency-key-in-use"] as const) : (["conflict"] as const)));
  return {
    operationId: op.id,
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    tags: [op.permission === "audit:read" ? "Audit" : "Keys"],
    security: [{ bearer: [op.permission] }],
    "x-required-permission": op.permission,
    ...(parameters.length ? { parameters } : {}),
    ...(op.body ? { requestBody: { required: method === "post" && op.id === "createKey", content: { "application/json": { schema: ref(op.body) } } } } : {}),
    responses: {
      [String(op.ok.status)]: {
        description: op.ok.description,
        headers: { ...rateHeaders, ...(method === "post" ? { "Idempotent-Replayed": { schema: { type: "string" }, description: "`true` on a replayed response." } } : {}) },
        ...(op.ok.schema ? { content: { "application/json": { schema: ref(op.ok.schema) } } } : {}),
      },
      ...problems,
    },
  };
}

function managementPaths() {
  const status = (action: string, summary: string) => ({
    post: operation({ id: `${action}Key`, summary, permission: "keys:write", byId: true, ok: { status: 200, schema: "ApiKey", description: "The key after the change." } }, "post"),
  });
  return {
    "/api/v1/keys": {
      get: operation(
        { id: "listKeys", summary: "List the organization's keys", description: "Search (`q`: name, id, key ending or a full token), filters, sort and page pagination, as in the UI. Invalid values fall back to the defaults.", permission: "keys:read", query: queryParameters(keyListQuerySchema, ["org"]), ok: { status: 200, schema: "KeyPage", description: "One page of keys." } },
        "get",
      ),
      post: operation(
        { id: "createKey", summary: "Create a key", description: "Owned by the acting key's owner unless `ownerId` is given (owners and admins only). The token is in this response only.", permission: "keys:write", body: "CreateKey", ok: { status: 201, schema: "KeyWithToken", description: "The new key and its token (shown once). `Location` names the key." } },
        "post",
      ),
    },
    "/api/v1/keys/{id}": {
      get: operation({ id: "getKey", summary: "Get a key", permission: "keys:read", byId: true, ok: { status: 200, schema: "ApiKey", description: "The key." } }, "get"),
      patch: operation({ id: "updateKey", summary: "Change a key's settings", description: "Send only the fields to change; type and environment cannot change.", permission: "keys:write", byId: true, body: "UpdateKey", ok: { status: 200, schema: "ApiKey", description: "The key after the change." } }, "patch"),
      delete: operation({ id: "deleteKey", summary: "Delete a key", description: "Permanent: the key and its token are gone. Revoking keeps the key and its history.", permission: "keys:write", byId: true, ok: { status: 204, description: "Deleted." } }, "delete"),
    },
    "/api/v1/keys/{id}/roll": {
      post: operation({ id: "rollKey", summary: "Roll a key: issue a new token", description: "The previous token keeps verifying for the grace period (default: the organization's). Rolling an expired key renews it and needs `expiresAt`.", permission: "keys:write", byId: true, body: "RollKey", ok: { status: 200, schema: "KeyWithToken", description: "The key and its new token (shown once)." } }, "post"),
    },
    "/api/v1/keys/{id}/suspend": status("suspend", "Suspend a key (verifications answer SUSPENDED until it is reactivated)"),
    "/api/v1/keys/{id}/reactivate": status("reactivate", "Reactivate a suspended key"),
    "/api/v1/keys/{id}/revoke": status("revoke", "Revoke a key, permanently"),
    "/api/v1/keys/{id}/logs": {
      get: operation({ id: "listKeyLogs", summary: "A key's request log, newest first", permission: "keys:read", byId: true, query: queryParameters(logQuerySchema), ok: { status: 200, schema: "RequestLogPage", description: "One page of verifications." } }, "get"),
    },
    "/api/v1/audit": {
      get: operation({ id: "listAuditEvents", summary: "The organization's audit log, newest first", permission: "audit:read", query: queryParameters(auditQuerySchema), ok: { status: 200, schema: "AuditPage", description: "One page of audit events." } }, "get"),
    },
  };
}

export function openApiDocument(serverUrl?: string) {
  return {
    openapi: "3.1.0",
    info: { title: "Latchkey API", version: "1.0.0", description: "Verify API keys, and manage them with keys." },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    tags: [
      { name: "Verify", description: "Is this key good for this request?" },
      { name: "Keys", description: "Manage the organization's keys with a secret key holding keys:read / keys:write." },
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
                RateLimit: { description: 'Remaining requests and seconds to reset, e.g. `"key";r=99;t=42` (keys with a rate limit).', schema: { type: "string" } },
                "RateLimit-Policy": { description: 'The key\'s quota and window, e.g. `"key";q=100;w=60`.', schema: { type: "string" } },
                "Retry-After": { description: "Seconds until a RATE_LIMITED key may retry.", schema: { type: "integer" } },
              },
              content: { "application/json": { schema: { $ref: "#/components/schemas/VerifyResponse" } } },
            },
            "400": problem("Malformed request (not JSON, wrong types, unknown environment, body over 16 KiB, wrong content type); `detail` names the field."),
            "429": { ...problem("This client address sent too many unknown or malformed keys (VERIFY_MAX_FAILURES_PER_IP a second); valid keys and callers with a verifier key are never refused."), headers: { "Retry-After": { schema: { type: "integer" } } } },
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
        CreateKey: schema(createKeySchema),
        UpdateKey: schema(updateKeySchema.omit({ keyId: true }).partial()),
        RollKey: schema(rollKeySchema.omit({ keyId: true })),
      },
    },
  };
}
