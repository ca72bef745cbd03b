// Owns the zod building blocks every input is made of, so that one rule holds at every door:
// strings carry no NUL, no other control characters (newlines and tabs only where a value has
// lines) and no lone surrogates — PostgreSQL cannot store some of them and none belongs in a name —
// ids are checked by their format before any query, and JSON is checked to any depth, keys included.
import { z } from "zod";

const CONTROL_ONE_LINE = /[\u0000-\u001F\u007F]/;
const CONTROL_MULTILINE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why `s` cannot be stored as text, or null when it can. */
export function textProblem(s: string, multiline = false): string | null {
  if (s.includes("\u0000")) return "must not contain a NUL character";
  if ((multiline ? CONTROL_MULTILINE : CONTROL_ONE_LINE).test(s)) return multiline ? "must not contain control characters other than tabs and line breaks" : "must not contain control characters or line breaks";
  if (LONE_SURROGATE.test(s)) return "must be valid Unicode (it contains a lone surrogate)";
  return null;
}

const refineText = (label: string | undefined, multiline: boolean) => (s: string, ctx: z.RefinementCtx) => {
  const problem = textProblem(s, multiline);
  if (problem) ctx.addIssue({ code: "custom", message: label ? `${label} ${problem}` : problem });
};

/** A string safe to store: checked for control characters and broken Unicode, then trimmed and bounded. */
export function text(opts: { label?: string; max: number; min?: number; multiline?: boolean; trim?: boolean; required?: string }) {
  const { label, max, min = 0, multiline = false, trim = true } = opts;
  let s = z.string({ error: opts.required ?? (label ? `${label} must be text` : "Must be text") }).superRefine(refineText(label, multiline));
  if (trim) s = s.trim();
  if (min > 0) s = s.min(min, opts.required ?? (label ? `${label} is required` : "Required"));
  return s.max(max, label ? `${label} must be at most ${max} characters` : `At most ${max} characters`);
}

/** An optional text field: empty or absent reads as null. */
export function optionalText(opts: { label: string; max: number; multiline?: boolean }) {
  return text(opts)
    .nullish()
    .transform((v) => (v ? v : null));
}

const ID_FORMATS = {
  key: /^key_[0-9A-Za-z]{20}$/,
  cus: /^cus_[0-9A-Za-z]{20}$/,
  org: /^org_[0-9A-Za-z]{16}$/,
  inv: /^inv_[0-9A-Za-z]{16}$/,
  evt: /^evt_[0-9A-Za-z]{20}$/,
  user: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
} as const;
export type IdKind = keyof typeof ID_FORMATS;

/** Whether `value` has the format of an id of this kind (a cheap check before any query). */
export const isId = (kind: IdKind, value: unknown): value is string => typeof value === "string" && ID_FORMATS[kind].test(value);

const ID_EXAMPLES: Record<IdKind, string> = { key: "key_…", cus: "cus_…", org: "org_…", inv: "inv_…", evt: "evt_…", user: "a user id (UUID)" };

/** An id of one kind; anything else is refused by format. As a path parameter, a refusal reads as 404. */
export function id(kind: IdKind) {
  return z
    .string({ error: `Expected ${ID_EXAMPLES[kind]}` })
    .regex(ID_FORMATS[kind], `Expected ${ID_EXAMPLES[kind]}`)
    .describe(kind === "user" ? "A user id (UUID)." : `An id like \`${kind}_…\`.`);
}

export const RESERVED_SLUGS = new Set(["new", "api", "admin", "settings", "account", "orgs", "invite", "sign-in", "sign-up"]);
const SLUG_FORMAT = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** An organization's URL name. */
export function slug() {
  return z
    .string({ error: "Slug is required" })
    .trim()
    .toLowerCase()
    .min(3, "Slug must be at least 3 characters")
    .max(48, "Slug must be at most 48 characters")
    .regex(SLUG_FORMAT, "Use lowercase letters, digits and single hyphens, not at the start or end")
    .refine((s) => !RESERVED_SLUGS.has(s), "This slug is reserved");
}

/** Whether a slug taken from a URL could name an organization (anything else is a 404, with no query). */
export const isSlug = (value: unknown): value is string => typeof value === "string" && value.length <= 48 && SLUG_FORMAT.test(value.toLowerCase());

const MAX_JSON_DEPTH = 20;

/** The first problem in a JSON value (keys and strings at any depth), as [path, message]. */
function jsonProblem(value: unknown, path: (string | number)[], depth: number): [(string | number)[], string] | null {
  if (depth > MAX_JSON_DEPTH) return [path, `must be nested at most ${MAX_JSON_DEPTH} levels deep`];
  if (typeof value === "string") {
    const p = textProblem(value, true);
    return p ? [path, p] : null;
  }
  if (typeof value === "number") return Number.isFinite(value) ? null : [path, "must be a finite number"];
  if (value === null || typeof value === "boolean") return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = jsonProblem(value[i], [...path, i], depth + 1);
      if (p) return p;
    }
    return null;
  }
  if (typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      const kp = textProblem(k, false);
      if (kp) return [path, `has a key that ${kp}`];
      const p = jsonProblem(v, [...path, k], depth + 1);
      if (p) return p;
    }
    return null;
  }
  return [path, "must be JSON (strings, numbers, booleans, null, arrays and objects)"];
}

/**
 * A JSON object of at most `maxBytes` (its UTF-8 serialization), given as an object or as JSON
 * text; empty or null reads as {}. Every key and string inside is checked like `text()`.
 */
export function jsonObject(opts: { label: string; maxBytes: number }) {
  const { label, maxBytes } = opts;
  return z
    .union([z.string(), z.record(z.string(), z.unknown()), z.null()])
    .optional()
    .transform((v, ctx) => {
      if (v === null || v === undefined || (typeof v === "string" && v.trim() === "")) return {};
      let obj: unknown = v;
      if (typeof v === "string") {
        try {
          obj = JSON.parse(v);
        } catch {
          ctx.addIssue({ code: "custom", message: `${label} must be valid JSON` });
          return z.NEVER;
        }
      }
      if (typeof obj !== "object" || obj === null || Array.isArray(obj)) {
        ctx.addIssue({ code: "custom", message: `${label} must be a JSON object` });
        return z.NEVER;
      }
      const problem = jsonProblem(obj, [], 0);
      if (problem) {
        const [where, message] = problem;
        ctx.addIssue({ code: "custom", message: `${label}${where.length ? ` (at ${where.join(".")})` : ""} ${message}` });
        return z.NEVER;
      }
      if (Buffer.byteLength(JSON.stringify(obj)) > maxBytes) {
        ctx.addIssue({ code: "custom", message: `${label} must be at most ${maxBytes / 1024} KiB` });
        return z.NEVER;
      }
      return obj as Record<string, unknown>;
    });
}

/** An ISO 8601 date-time with an offset, as a Date. */
export function dateTime(label: string) {
  return z.iso.datetime({ offset: true, error: `${label} must be an ISO 8601 date-time` }).transform((s) => new Date(s));
}

export const PER_PAGE_MAX = 100;

/** Pagination, the same for every list: `page` from 1, `perPage` 1–100 (default 25). */
export const pageQuery = {
  page: z.coerce.number({ error: "page must be a number" }).int("page must be a whole number").min(1, "page starts at 1").max(100_000, "page is at most 100000").default(1),
  perPage: z.coerce
    .number({ error: "perPage must be a number" })
    .int("perPage must be a whole number")
    .min(1, "perPage is at least 1")
    .max(PER_PAGE_MAX, `perPage is at most ${PER_PAGE_MAX}`)
    .default(25),
};

/** One page of a list, as every list answers it. */
export function pageResult<T>(data: T[], q: { page: number; perPage: number }, total: number) {
  return { data, page: q.page, perPage: q.perPage, total, totalPages: Math.max(1, Math.ceil(total / q.perPage)) };
}
