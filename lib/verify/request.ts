// Owns the verify request body: validated with zod; failures name the field (problem+json upstream).
import { z } from "zod";
import { KEY_ENVIRONMENTS } from "../keys/key-names";
import { textProblem } from "../primitives";
import { duplicateNameIssues, limitNameSchema, MAX_NAMED_LIMITS } from "../limits/named-limits";

export const MAX_VERIFY_BODY_BYTES = 16 * 1024;

export const verifyRequestSchema = z.object({
  key: z.string({ error: "key is required and must be a string" }).max(512, "key is too long"),
  environment: z.enum(KEY_ENVIRONMENTS, { error: "environment must be production, staging or development" }).optional(),
  permissions: z.array(z.string().max(100), { error: "permissions must be an array of strings" }).max(100, "at most 100 permissions").optional(),
  method: z.string({ error: "method must be a string" }).max(16).regex(/^[A-Za-z]+$/, "method must be an HTTP method").optional(),
  path: z
    .string({ error: "path must be a string" })
    .max(2048)
    .startsWith("/", "path must start with /")
    .refine((p) => textProblem(p, true) === null, "path must not contain a NUL, other control characters or invalid Unicode") // the request log stores it
    .optional(),
  ip: z.string({ error: "ip must be a string" }).max(64).optional(),
  cost: z
    .number({ error: "cost must be a number" })
    .int("cost must be a whole number")
    .min(0, "cost must be 0 or more (0 only checks that credits are left)")
    .max(1_000_000, "cost is at most 1000000")
    .optional()
    .describe("Credits this request takes from the key (or its customer); default 1, 0 only checks."),
  ratelimits: z
    .array(
      z.object({
        name: limitNameSchema.describe("A limit of the key or of its customer."),
        cost: z.number({ error: "cost must be a number" }).int("cost must be a whole number").min(0, "cost must be 0 or more (0 only checks)").max(1_000_000, "cost is at most 1000000").default(1),
      }),
      { error: "ratelimits must be an array of { name, cost }" },
    )
    .max(MAX_NAMED_LIMITS, `at most ${MAX_NAMED_LIMITS} limits`)
    .superRefine((list, ctx) => duplicateNameIssues(list, ctx, "entry"))
    .optional()
    .describe("The named limits this request counts against, each with a cost (default 1; 0 only checks). Without it every limit of the key and its customer applies with cost 1. A request one limit refuses consumes nothing from the others."),
});
export type VerifyRequest = z.infer<typeof verifyRequestSchema>;

export type RequestProblem = { status: 400; title: string; detail: string; field?: string };

/** Parses a raw body (already size-checked) into a request or a problem naming the field. */
export function parseVerifyBody(text: string, contentType: string | null): { ok: true; value: VerifyRequest } | { ok: false; problem: RequestProblem } {
  if (!contentType || !/^application\/json\b/i.test(contentType)) {
    return { ok: false, problem: { status: 400, title: "Unsupported content type", detail: "Content-Type: send the request body as application/json.", field: "content-type" } };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, problem: { status: 400, title: "Malformed JSON", detail: "The request body is not valid JSON." } };
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    return { ok: false, problem: { status: 400, title: "Invalid request", detail: "The request body must be a JSON object." } };
  }
  // The common request, `{ "key": "…" }` alone, is the one answer the schema gives it without running
  // it (a key of at most 512 characters): zod's safeParse costs about a microsecond per call.
  const o = json as Record<string, unknown>;
  if (typeof o.key === "string" && o.key.length <= 512 && onlyKey(o)) return { ok: true, value: { key: o.key } };
  const r = verifyRequestSchema.safeParse(json);
  if (r.success) return { ok: true, value: r.data };
  const issue = r.error.issues[0];
  const field = issue.path.join(".") || undefined;
  return { ok: false, problem: { status: 400, title: "Invalid request", detail: field ? `${field}: ${issue.message}` : issue.message, field } };
}

function onlyKey(o: Record<string, unknown>): boolean {
  let n = 0;
  for (const k in o) if (++n > 1 || k !== "key") return false;
  return n === 1;
}
