// Owns the one definition of an operation: its input schemas (path parameters, query, body), the
// key permission it needs on the REST API, and `handler(ctx, input)`. The REST route
// (restRoute in lib/api/with-api-key.ts), the server action (opAction in app/_lib/action.ts), the page's search-params parsing
// (parsePageQuery) and the OpenAPI document (lib/openapi.ts) are all produced from it, so a rule
// exists in one place. Role checks stay in the domain functions the handlers call.
import { z } from "zod";
import type { OrgContext } from "../context";
import { NotFoundError } from "../errors";
import { parseInput } from "../validation";

export type KeyPermission = "keys:read" | "keys:write" | "audit:read" | "analytics:read";
export type HttpMethod = "GET" | "POST" | "PATCH" | "DELETE";

type AnyObject = z.ZodObject<z.ZodRawShape>;
export type OperationInput = { params?: AnyObject; query?: AnyObject; body?: z.ZodType };

type Out<S> = S extends z.ZodType ? z.output<S> : Record<string, never>;
export type ParsedInput<I extends OperationInput> = { params: Out<I["params"]>; query: Out<I["query"]>; body: Out<I["body"]> };

export type RestAnswer = { status: number; body: unknown; headers?: Record<string, string> };

export type RestBinding<I extends OperationInput, R> = {
  method: HttpMethod;
  /** OpenAPI path template, e.g. `/api/v1/keys/{id}`; its parameters are `input.params`. */
  path: string;
  tag: "Keys" | "Customers" | "Analytics" | "Audit";
  /** The success answer: status, the component schema's name, and how to shape the result. */
  ok: { status: number; schema?: string; description: string };
  present: (ctx: OrgContext, result: R, input: ParsedInput<I>) => Promise<RestAnswer> | RestAnswer;
};

export type Operation<I extends OperationInput = OperationInput, R = unknown> = {
  name: string;
  summary: string;
  description?: string;
  /** What an API key needs to call it over REST (a signed-in user's role is checked by the handler). */
  permission?: KeyPermission;
  input: I;
  /** PATCH semantics: a body field absent from the request stays absent (no defaults filled in). */
  partialBody?: boolean;
  /** A human noun for a 404 on a malformed path id (“Key not found”). */
  resource?: string;
  handler: (ctx: OrgContext, input: ParsedInput<I>) => Promise<R>;
  rest?: RestBinding<I, R>;
};

export function operation<I extends OperationInput, R>(op: Operation<I, R>): Operation<I, R> {
  return op;
}

export type RawInput = { params?: unknown; query?: unknown; body?: unknown };

/**
 * Parses an operation's raw input at the door: a path parameter that does not parse (a malformed
 * id) is a 404 like an unknown id; a bad query or body is a ValidationError naming the field.
 */
export function parseOperationInput<I extends OperationInput, R>(op: Operation<I, R>, raw: RawInput): ParsedInput<I> {
  const params = op.input.params ? op.input.params.safeParse(raw.params ?? {}) : { success: true as const, data: {} };
  if (!params.success) throw new NotFoundError(`${op.resource ?? "Resource"} not found`);
  const query = op.input.query ? parseInput(op.input.query, raw.query ?? {}) : {};
  let body: unknown = {};
  if (op.input.body) {
    body = parseInput(op.input.body, raw.body ?? (op.input.body instanceof z.ZodObject ? {} : undefined));
    if (op.partialBody && body && typeof body === "object" && raw.body && typeof raw.body === "object") {
      const sent = new Set(Object.keys(raw.body));
      body = Object.fromEntries(Object.entries(body).filter(([k]) => sent.has(k)));
    }
  }
  return { params: params.data, query, body } as ParsedInput<I>;
}

/** Runs an operation for a caller already resolved through their membership. */
export function runOperation<I extends OperationInput, R>(op: Operation<I, R>, ctx: OrgContext, raw: RawInput): Promise<R> {
  return op.handler(ctx, parseOperationInput(op, raw));
}

/**
 * A server action's input is one flat object: the path parameters beside the body's fields
 * (`{ id, name, … }`), or beside the query's for an operation without a body (`{ q, perPage }`).
 * This splits it the way the REST API receives it.
 */
export function splitFlatInput(op: Operation, input: unknown): RawInput {
  const flat = input && typeof input === "object" && !Array.isArray(input) ? (input as Record<string, unknown>) : {};
  const paramNames = Object.keys(op.input.params?.shape ?? {});
  // An operation without a body (a list) takes its other fields as its query (search, sort, page).
  const queryNames = op.input.body ? [] : Object.keys(op.input.query?.shape ?? {});
  const params: Record<string, unknown> = {};
  const query: Record<string, unknown> = {};
  const body: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(flat)) (paramNames.includes(k) ? params : queryNames.includes(k) ? query : body)[k] = v;
  return { params, query, body: op.input.body ? (input === undefined ? undefined : body) : undefined };
}

export type RawSearchParams = Record<string, string | string[] | undefined>;

/** The first value of each search parameter (a repeated parameter keeps its first value). */
export function firstValues(sp: RawSearchParams | URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  if (sp instanceof URLSearchParams) {
    for (const [k, v] of sp) if (!(k in out)) out[k] = v;
    return out;
  }
  for (const [k, v] of Object.entries(sp)) {
    const first = Array.isArray(v) ? v[0] : v;
    if (first !== undefined) out[k] = first;
  }
  return out;
}

/**
 * A page's URL state, parsed with the same schema as the REST API's query. The REST API answers
 * 400 for a bad value; a page (whose URL a person may have edited) drops that parameter instead
 * and shows its default, so one rule decides what is valid and only the reaction differs.
 */
export function parsePageQuery<S extends AnyObject>(schema: S, sp: RawSearchParams): z.output<S> {
  const values: Record<string, string> = firstValues(sp);
  for (let attempt = 0; attempt < 20; attempt++) {
    const r = schema.safeParse(values);
    if (r.success) return r.data;
    const bad = new Set(r.error.issues.map((i) => String(i.path[0] ?? "")));
    let dropped = false;
    for (const k of bad) if (k in values) dropped = delete values[k];
    if (!dropped) break;
  }
  return schema.parse({});
}
