// Owns named rate limits: the `{ name, limit, window }` lists a key and a customer hold, their
// validation (names unique per holder), the single-limit shorthand (`rateLimit` = the limit named
// "default"), and which limits apply to a key (a customer's, with the key's of the same name instead).
import { z } from "zod";
import { formatWindow } from "../format";

/** One named limit: `limit` requests per sliding `window` seconds. */
export type NamedLimit = { name: string; limit: number; window: number };
/** The shorthand older clients and the single-limit form use: the limit named "default". */
export type SingleLimit = { limit: number; windowSeconds: number };

export const DEFAULT_LIMIT_NAME = "default";
export const MAX_NAMED_LIMITS = 20;
export const LIMIT_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

export const limitNameSchema = z
  .string({ error: "name must be a string" })
  .regex(LIMIT_NAME_PATTERN, "A limit name is 1–64 letters, digits, '.', '_', ':' or '-', starting with a letter or digit");

export const namedLimitSchema = z.object({
  name: limitNameSchema,
  limit: z.coerce.number({ error: "Enter a number of requests" }).int("Use a whole number").min(1, "At least 1 request").max(1_000_000_000, "At most 1,000,000,000 requests"),
  window: z.coerce
    .number({ error: "Enter a window in seconds" })
    .int("Use whole seconds")
    .min(1, "The window must be at least 1 second")
    .max(86_400, "The window must be at most 1 day (86400 seconds)"),
});

/** Names are compared as written (case-sensitive), like the verify request's `ratelimits[].name`. */
export function duplicateNameIssues<T extends { name: string }>(list: readonly T[], ctx: z.RefinementCtx, what = "limit"): void {
  const seen = new Set<string>();
  list.forEach((l, i) => {
    if (seen.has(l.name)) ctx.addIssue({ code: "custom", path: [i, "name"], message: `Another ${what} is already named “${l.name}”: names must be unique` });
    seen.add(l.name);
  });
}

export const namedLimitsSchema = z
  .array(namedLimitSchema, { error: "ratelimits must be an array of { name, limit, window }" })
  .max(MAX_NAMED_LIMITS, `At most ${MAX_NAMED_LIMITS} rate limits`)
  .superRefine((list, ctx) => duplicateNameIssues(list, ctx))
  .describe("Named rate limits: `limit` requests per sliding `window` (seconds, 1–86400). Names are unique; a request names the ones it uses (default: all).");

/** The shorthand: `{ limit, windowSeconds }` or null, standing for the limit named "default". */
export const singleLimitSchema = z.object({
  limit: z.coerce.number({ error: "Enter a number of requests" }).int("Use a whole number").min(1, "At least 1 request").max(1_000_000_000),
  windowSeconds: z.coerce
    .number({ error: "Enter a window in seconds" })
    .int("Use whole seconds")
    .min(1, "The window must be at least 1 second")
    .max(86_400, "The window must be at most 1 day"),
});

/** The limit named "default" as the shorthand, or null. */
export function defaultLimitOf(list: readonly NamedLimit[]): SingleLimit | null {
  const d = list.find((l) => l.name === DEFAULT_LIMIT_NAME);
  return d ? { limit: d.limit, windowSeconds: d.window } : null;
}

/** `list` with its "default" limit set to `single` (removed when null), keeping the others in order. */
export function withDefaultLimit(list: readonly NamedLimit[], single: SingleLimit | null): NamedLimit[] {
  const rest = list.filter((l) => l.name !== DEFAULT_LIMIT_NAME);
  if (!single) return rest;
  const i = list.findIndex((l) => l.name === DEFAULT_LIMIT_NAME);
  const d = { name: DEFAULT_LIMIT_NAME, limit: single.limit, window: single.windowSeconds };
  if (i < 0) return [d, ...rest];
  const out = [...list];
  out[i] = d;
  return out;
}

/** A limit as it applies to a key: whose counter it uses (the key's own, or its customer's, shared). */
export type AppliedLimit = NamedLimit & { holder: "key" | "customer"; holderId: string };

/** The key's limits, plus its customer's under names the key does not use (those are shared by the customer's keys). */
export function appliedLimits(key: { id: string; ratelimits: readonly NamedLimit[] }, customer: { id: string; ratelimits: readonly NamedLimit[] } | null): AppliedLimit[] {
  const own = key.ratelimits.map((l) => ({ ...l, holder: "key" as const, holderId: key.id }));
  if (!customer || customer.ratelimits.length === 0) return own;
  const names = new Set(key.ratelimits.map((l) => l.name));
  return [...own, ...customer.ratelimits.filter((l) => !names.has(l.name)).map((l) => ({ ...l, holder: "customer" as const, holderId: customer.id }))];
}

/** "100 / minute", "5,000 / hour" for tables and pages. */
export function describeLimit(l: { limit: number; window: number }): string {
  return `${l.limit.toLocaleString("en-US")} / ${formatWindow(l.window)}`;
}

/** A stored limit as the management API answers it. */
export const namedLimitJsonSchema = z.object({ name: z.string(), limit: z.number().int(), window: z.number().int().describe("Seconds") });
